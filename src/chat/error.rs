//! Errors of the chat channel, as the HTTP API reports them.

/// Why a chat request was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChatError {
    /// No flow of that name is loaded.
    #[error("no flow named '{name}' is loaded")]
    UnknownFlow { name: String },
    /// The session ID names no open session.
    #[error("no such chat session (it may have ended or timed out)")]
    UnknownSession,
    /// The session ended while the request waited.
    #[error("the chat session has ended")]
    Ended,
    /// The message has no words.
    #[error("the message is empty")]
    Empty,
    /// The message is longer than allowed.
    #[error("the message is longer than {maximum} bytes")]
    TooLong { maximum: usize },
    /// Too many sessions are open.
    #[error("too many chat sessions are open; try again later")]
    Busy,
}

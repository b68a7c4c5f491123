//! Call errors.

/// What can stop a call from starting or running.
#[derive(Debug, thiserror::Error)]
pub enum CallError {
    /// The negotiated codec is not one the media layer speaks.
    #[error("unsupported codec {0}")]
    UnsupportedCodec(String),
    /// A prompt could not be loaded.
    #[error("prompt {path}: {source}")]
    Prompt {
        /// The prompt file.
        path: std::path::PathBuf,
        /// Why it failed.
        source: crate::audio::AudioError,
    },
    /// Sockets could not be opened.
    #[error(transparent)]
    Net(#[from] crate::net::NetError),
}

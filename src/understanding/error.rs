//! Errors of the understanding service.

use crate::dialogue::language::intents::IntentsError;

/// What can stop the understanding service from starting or installing a flow.
#[derive(Debug, thiserror::Error)]
pub enum UnderstandingError {
    /// An intents file is broken.
    #[error(transparent)]
    Intents(#[from] IntentsError),
    /// A knowledge article is broken.
    #[error(transparent)]
    Knowledge(#[from] crate::dialogue::language::knowledge::KnowledgeError),
    /// The worker thread stopped before the indexes were built.
    #[error("the understanding thread stopped while building the indexes")]
    Stopped,
    /// Too many utterances wait for the model to take more work now.
    #[error("the understanding service is busy; try again")]
    Busy,
    /// A flow's examples or articles could not be embedded.
    #[error("cannot embed the flow's examples: {reason}")]
    Build { reason: String },
    /// The worker thread could not start.
    #[error("cannot start the understanding thread: {source}")]
    Thread { source: std::io::Error },
}

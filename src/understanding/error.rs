//! Errors of the understanding service.

use crate::dialogue::intents::IntentsError;

/// What can stop the understanding service from starting.
#[derive(Debug, thiserror::Error)]
pub enum UnderstandingError {
    /// An intents file is broken.
    #[error(transparent)]
    Intents(#[from] IntentsError),
    /// A knowledge article is broken.
    #[error(transparent)]
    Knowledge(#[from] crate::dialogue::knowledge::KnowledgeError),
    /// The worker thread stopped before the indexes were built.
    #[error("the understanding thread stopped while building the indexes")]
    Stopped,
    /// The worker thread could not start.
    #[error("cannot start the understanding thread: {source}")]
    Thread { source: std::io::Error },
}

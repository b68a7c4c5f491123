//! Errors of the flow publisher.

use super::problem::FileProblem;
use crate::storage::StorageError;

/// What can stop a save, a publish, a rollback or a trial.
#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    /// The flow's files have errors; nothing was saved or published.
    #[error("the flow has {} error(s)", .0.iter().filter(|problem| problem.is_error()).count())]
    Invalid(Vec<FileProblem>),
    /// A flow name that cannot name files.
    #[error("a flow name is 1 to 64 letters, digits, `_` or `-`; {0:?} is not")]
    BadName(String),
    /// No such flow or version.
    #[error("{0}")]
    NotFound(String),
    /// Nothing to roll back to.
    #[error("flow {0} has no earlier published version to roll back to")]
    NothingToRollBack(String),
    /// The database failed.
    #[error(transparent)]
    Storage(#[from] StorageError),
    /// The files could not be written.
    #[error("cannot write {path}: {source}")]
    Write {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// The flow's intents and knowledge could not be made ready.
    #[error(transparent)]
    Understanding(#[from] crate::understanding::UnderstandingError),
    /// Too many trial flows are open.
    #[error("too many drafts are being tried; try again in a few minutes")]
    Busy,
}

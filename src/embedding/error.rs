//! Errors of the sentence-embedding model.

use std::path::PathBuf;

/// What can go wrong loading or running the embedding model.
#[derive(Debug, thiserror::Error)]
pub enum EmbeddingError {
    /// A model file is not there.
    #[error("embedding model file {path} is missing: run `hotline models` (or `make models`)")]
    MissingFile { path: PathBuf },
    /// A model file could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    /// A model file is not what the model needs.
    #[error("cannot load the embedding model from {path}: {reason}")]
    Model { path: PathBuf, reason: String },
    /// Running the model failed.
    #[error("sentence embedding failed: {reason}")]
    Inference { reason: String },
}

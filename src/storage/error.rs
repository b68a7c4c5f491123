//! Storage errors.

/// What can go wrong with the store.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    /// The database could not be opened or created.
    #[error("cannot open database {path}: {source}")]
    Open {
        /// The database file.
        path: String,
        /// The SQLite error.
        source: rusqlite::Error,
    },
    /// A query failed.
    #[error("database query failed: {0}")]
    Query(#[from] rusqlite::Error),
    /// A stored row does not decode.
    #[error("corrupt call record {id}: {message}")]
    Corrupt {
        /// The row's ID.
        id: String,
        /// What does not decode.
        message: String,
    },
    /// A value offered to the store is not acceptable (a taken user name).
    #[error("{0}")]
    Invalid(String),
}

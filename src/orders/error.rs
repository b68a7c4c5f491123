//! Order system errors.

use super::OrderNumber;
use std::path::PathBuf;

/// What can go wrong with the seed files, the order database or a change to an order.
#[derive(Debug, thiserror::Error)]
pub enum OrdersError {
    /// A seed file could not be read.
    #[error("{}: cannot read: {source}", path.display())]
    Read {
        /// The seed file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A seed file does not parse or holds a wrong value.
    #[error("{}:{line}: {message}", path.display())]
    Seed {
        /// The seed file.
        path: PathBuf,
        /// One-based line of the problem.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// The database could not be opened or its tables created.
    #[error("cannot open order database {}: {source}", path.display())]
    Open {
        /// The database file.
        path: PathBuf,
        /// The SQLite error.
        source: rusqlite::Error,
    },
    /// A query failed.
    #[error("order database query failed: {0}")]
    Query(#[from] rusqlite::Error),
    /// A stored row does not decode.
    #[error("corrupt order {number}: {message}")]
    Corrupt {
        /// The order's number.
        number: String,
        /// What does not decode.
        message: String,
    },
    /// A new delivery address is empty, too long or not one line; the message says which.
    #[error("{0}")]
    BadAddress(String),
    /// No order has this number.
    #[error("no order {0}")]
    UnknownOrder(OrderNumber),
    /// The order is past the change asked for (a shipped order cannot be cancelled); the
    /// message says why.
    #[error("{0}")]
    Refused(String),
}

//! Config errors: each one names the file, and the line where it can be known.

use std::path::PathBuf;

/// A config file that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("{}: cannot read config: {source}", path.display())]
    Read {
        /// The config file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The file parsed but a value is wrong, or it did not parse.
    #[error("{}:{line}: {message}", path.display())]
    Invalid {
        /// The config file.
        path: PathBuf,
        /// One-based line of the problem.
        line: usize,
        /// What is wrong.
        message: String,
    },
}

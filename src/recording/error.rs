//! The single error type of the `recording` module.
//!
//! File errors always carry the recording's path so that an operator can find it. No error
//! carries key material.

use std::path::PathBuf;

/// Everything that can go wrong while recording, sealing or reading a call's recording.
#[derive(Debug, thiserror::Error)]
pub enum RecordingError {
    /// A recording must have a positive sample rate.
    #[error("recording {path}: invalid sample rate {sample_rate} Hz")]
    InvalidSampleRate {
        /// The recording that was to be created.
        path: PathBuf,
        /// The rejected rate.
        sample_rate: u32,
    },

    /// Recordings never overwrite an existing file.
    #[error("recording {path} already exists")]
    AlreadyExists {
        /// The existing file.
        path: PathBuf,
    },

    /// A file or one of its parent directories could not be created or written.
    #[error("cannot create {path}: {source}")]
    Create {
        /// The file that was to be created.
        path: PathBuf,
        /// The operating-system error.
        #[source]
        source: std::io::Error,
    },

    /// The two sides of a frame must hold the same number of samples.
    #[error("recording {path}: frame sides differ in length (left {left}, right {right})")]
    FrameLengthMismatch {
        /// The recording being written.
        path: PathBuf,
        /// Samples in the caller side.
        left: usize,
        /// Samples in the Hotline side.
        right: usize,
    },

    /// The disk thread could not write the recording (or has stopped).
    #[error("cannot write recording {path}")]
    Disk {
        /// The recording being written.
        path: PathBuf,
    },

    /// Forcing the finished file to stable storage failed.
    #[error("cannot sync recording {path} to disk: {source}")]
    Sync {
        /// The recording being finished.
        path: PathBuf,
        /// The operating-system error.
        #[source]
        source: std::io::Error,
    },

    /// A recording or manifest could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The operating-system error.
        #[source]
        source: std::io::Error,
    },

    /// A recording or manifest is not what it should be.
    #[error("{path}: {message}")]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },

    /// A recording could not be deleted.
    #[error("cannot delete {path}: {source}")]
    Delete {
        /// The file.
        path: PathBuf,
        /// The operating-system error.
        #[source]
        source: std::io::Error,
    },

    /// The recording keys could not be read or are not valid.
    #[error("recording keys from {origin}: {message}")]
    Keys {
        /// Where the keys came from (a file, the environment variable).
        origin: String,
        /// What is wrong.
        message: String,
    },

    /// A recording was sealed with a key that is not configured.
    #[error("recording key {id} is not configured")]
    UnknownKey {
        /// The key's ID.
        id: String,
    },

    /// Sealing or opening failed.
    #[error("{0}")]
    Crypto(String),

    /// The recording index in the database failed.
    #[error("recording index: {0}")]
    Index(String),

    /// A configured redaction pattern is not valid.
    #[error("redaction pattern {name}: {message}")]
    InvalidRedactionPattern {
        /// The pattern's configured name.
        name: String,
        /// What is wrong with it.
        message: String,
    },
}

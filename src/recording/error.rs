//! The single error type of the `recording` module.
//!
//! File errors always carry the recording's path so that an operator can find it.

use std::path::PathBuf;

/// Everything that can go wrong while recording a call.
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

    /// The file or one of its parent directories could not be created.
    #[error("cannot create recording {path}: {source}")]
    Create {
        /// The recording that was to be created.
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

    /// The WAV format cannot describe more data (its size fields are 32 bits).
    #[error("recording {path} reached the WAV size limit of {max_frames} frames")]
    SizeLimit {
        /// The recording being written.
        path: PathBuf,
        /// The largest number of frames a recording can hold.
        max_frames: u64,
    },

    /// Writing samples or the header failed.
    #[error("cannot write recording {path}: {source}")]
    Write {
        /// The recording being written.
        path: PathBuf,
        /// The error reported by hound.
        #[source]
        source: hound::Error,
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
}

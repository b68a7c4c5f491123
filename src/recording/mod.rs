//! Call recording.
//!
//! Every call is recorded from answer to hang-up as a two-channel 16-bit WAV file: caller on
//! the left, Hotline (later the agent) on the right, time-aligned frame by frame. The file is
//! written incrementally so a crash loses at most the last second.
//!
//! Invariants: depends only on `audio` within the crate; every failure is a
//! [`RecordingError`] naming the file, never a panic.

mod error;
mod writer;

#[cfg(test)]
mod writer_tests;

pub use error::RecordingError;
pub use writer::{CallRecorder, RecordingSummary};

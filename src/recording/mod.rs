//! Call recording for compliance.
//!
//! Every call is recorded from answer to hang-up in two channels (caller left, Hotline or the
//! agent right), sealed with AES-256-GCM in one-second records as it runs, so a crash loses at
//! most the last second and no plaintext audio reaches the disk. Marks record the call's
//! phases (IVR, queue, agent) and pauses. A finished recording gets a manifest listing the
//! SHA-256 of every record, chained to the previous manifest; `hotline recordings verify`
//! walks that chain. Transcripts are redacted before they are stored or shown, and a sweeper
//! deletes recordings at the end of their retention unless they are on legal hold.
//!
//! Invariants: depends only on `audio`, `storage` and `text` within the crate; every failure is a
//! [`RecordingError`] naming the file, never a panic.

mod disk;
mod error;
mod format;
mod identity_card;
mod keys;
mod ledger;
mod manifest;
mod reader;
mod redact;
mod service;
mod verify;
mod writer;

#[cfg(test)]
mod redact_tests;
#[cfg(test)]
mod writer_tests;

pub use disk::{DiskCounters, DiskWriter};
pub use error::RecordingError;
pub use format::MarkEvent;
pub use keys::{KEYS_VARIABLE, KeyRing};
pub use ledger::{Ledger, LedgerEntry};
pub use manifest::{Manifest, Segment, segments};
pub use reader::{SealedReader, UnlockedRecording};
pub use redact::{RedactionPattern, Redactor};
pub use service::{RecordingService, RetentionPolicy};
pub use verify::{Break, Report, verify};
pub use writer::{CallRecorder, SealedContents};

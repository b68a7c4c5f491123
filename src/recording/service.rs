//! The recording service the server shares: keys, the disk thread, the index, retention, and
//! redaction. Calls start and finish their recordings through it; reviewers open them through
//! it; the sweeper and crash recovery run through it.
//!
//! Invariants: every method that reads or writes files or the index blocks, and is called off
//! the async runtime (`spawn_blocking`), except [`RecordingService::start`], which only creates
//! a file and writes its header.

use super::RecordingError;
use super::disk::DiskWriter;
use super::format::MarkEvent;
use super::keys::KeyRing;
use super::ledger::{Ledger, LedgerEntry};
use super::manifest::Manifest;
use super::reader::{SealedReader, UnlockedRecording};
use super::redact::Redactor;
use super::verify::recording_files;
use super::writer::CallRecorder;
use crate::storage::{AuditLog, CallStore, TranscriptLine};
use chrono::{DateTime, Utc};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

/// How long recordings are kept.
#[derive(Debug, Clone)]
pub struct RetentionPolicy {
    /// For flows not listed.
    pub default: Duration,
    /// By flow name.
    pub by_flow: BTreeMap<String, Duration>,
}

impl RetentionPolicy {
    /// Until when a recording of `flow` that started at `started` is kept; at the latest the
    /// end of year 9999 (the last an RFC 3339 date can name).
    pub fn retain_until(&self, flow: &str, started: DateTime<Utc>) -> DateTime<Utc> {
        let period = self.by_flow.get(flow).unwrap_or(&self.default);
        chrono::Duration::from_std(*period)
            .ok()
            .and_then(|period| started.checked_add_signed(period))
            .map_or(super::ledger::LAST_DAY, |until| {
                until.min(super::ledger::LAST_DAY)
            })
    }
}

/// Recordings: sealing, reading, retention.
pub struct RecordingService {
    keys: KeyRing,
    disk: DiskWriter,
    ledger: Ledger,
    retention: RetentionPolicy,
    redactor: Redactor,
    sample_rate: u32,
}

impl RecordingService {
    /// The service over `ledger`'s directory.
    pub fn new(
        keys: KeyRing,
        disk: DiskWriter,
        ledger: Ledger,
        retention: RetentionPolicy,
        redactor: Redactor,
        sample_rate: u32,
    ) -> RecordingService {
        RecordingService {
            keys,
            disk,
            ledger,
            retention,
            redactor,
            sample_rate,
        }
    }

    /// The redaction rules.
    pub fn redactor(&self) -> &Redactor {
        &self.redactor
    }

    /// The index.
    pub fn ledger(&self) -> &Ledger {
        &self.ledger
    }

    /// Where a call's recording goes.
    pub fn path_for(&self, call: &str, started: DateTime<Utc>) -> PathBuf {
        self.ledger
            .directory()
            .join(format!("{}/{call}.hrec", started.format("%Y-%m-%d")))
    }

    /// Starts a call's recording, in the IVR phase.
    pub fn start(
        &self,
        call: &str,
        started: DateTime<Utc>,
    ) -> Result<CallRecorder, RecordingError> {
        let path = self.path_for(call, started);
        let mut recorder =
            CallRecorder::create(&path, call, self.sample_rate, &self.keys, &self.disk)?;
        recorder.mark(MarkEvent::Ivr)?;
        Ok(recorder)
    }

    /// Finishes a recording with its transcript (redacted here) and seals it into the chain.
    pub fn finish(
        &self,
        recorder: CallRecorder,
        flow: &str,
        started: DateTime<Utc>,
        transcript: &[TranscriptLine],
    ) -> Result<Manifest, RecordingError> {
        let redacted = self.redact_lines(transcript);
        let json = serde_json::to_vec(&redacted).unwrap_or_default();
        let contents = recorder.finish(&json)?;
        self.ledger.seal(
            &contents,
            flow,
            self.retention.retain_until(flow, started),
            false,
        )
    }

    /// `lines` with their text redacted.
    pub fn redact_lines(&self, lines: &[TranscriptLine]) -> Vec<TranscriptLine> {
        lines
            .iter()
            .map(|line| TranscriptLine {
                text: self.redactor.redact(&line.text),
                ..line.clone()
            })
            .collect()
    }

    /// Opens a recording (sealed, or still being written) with its key.
    pub fn open(&self, path: &Path) -> Result<UnlockedRecording, RecordingError> {
        SealedReader::open(path)?.unlock(&self.keys)
    }

    /// Opens the recording at `path`, checking that it is the recording of `call`.
    pub fn open_call(&self, path: &Path, call: &str) -> Result<UnlockedRecording, RecordingError> {
        let recording = self.open(path)?;
        if recording.reader().header().call != call {
            return Err(RecordingError::Corrupt {
                path: path.to_path_buf(),
                message: format!("this is not the recording of call {call}"),
            });
        }
        Ok(recording)
    }

    /// The index entry of a call's recording, once sealed.
    pub fn entry(&self, call: &str) -> Result<Option<LedgerEntry>, RecordingError> {
        self.ledger.entry(call)
    }

    /// A sealed recording's manifest as stored.
    pub fn manifest(&self, entry: &LedgerEntry) -> Result<Manifest, RecordingError> {
        let path = self.ledger.directory().join(entry.manifest_file());
        let bytes = std::fs::read(&path).map_err(|source| RecordingError::Read {
            path: path.clone(),
            source,
        })?;
        serde_json::from_slice(&bytes).map_err(|error| RecordingError::Corrupt {
            path,
            message: error.to_string(),
        })
    }

    /// Seals the recordings a crash left unsealed, from what reached the disk. Run at start,
    /// before calls. Returns how many were recovered.
    pub fn recover(&self, calls: &Arc<dyn CallStore>) -> Result<usize, RecordingError> {
        let mut recovered = 0;
        for path in recording_files(self.ledger.directory()) {
            let call = path
                .file_stem()
                .map(|stem| stem.to_string_lossy().into_owned())
                .unwrap_or_default();
            if self.ledger.entry(&call)?.is_some() {
                continue;
            }
            let contents = match self.open(&path).and_then(|recording| recording.contents()) {
                Ok(contents) => contents,
                Err(error) => {
                    tracing::warn!(path = %path.display(), %error, "cannot recover a recording");
                    continue;
                }
            };
            let record =
                crate::ids::CallId::parse(&call).and_then(|id| calls.call(id).ok().flatten());
            let flow = record
                .as_ref()
                .map(|record| record.flow.clone())
                .unwrap_or_default();
            let started = record
                .as_ref()
                .map(|record| record.started_at)
                .unwrap_or_else(Utc::now);
            self.ledger.seal(
                &contents,
                &flow,
                self.retention.retain_until(&flow, started),
                true,
            )?;
            tracing::info!(
                %call,
                seconds = contents.duration().as_secs_f64(),
                torn_bytes = contents.torn_bytes,
                "recovered a recording a crash left unsealed"
            );
            recovered += 1;
        }
        Ok(recovered)
    }

    /// Deletes the audio of every recording past its retention and not on legal hold, writing
    /// each deletion into the audit log and clearing the call's stored transcript. Returns the
    /// calls whose recordings were deleted.
    pub fn sweep(
        &self,
        audit: &AuditLog,
        calls: &Arc<dyn CallStore>,
        now: DateTime<Utc>,
    ) -> Result<Vec<String>, RecordingError> {
        let mut deleted = Vec::new();
        for entry in self.ledger.expired(now)? {
            if !self.ledger.mark_deleted(&entry.call, now)? {
                continue;
            }
            audit
                .append(
                    "hotline",
                    "system",
                    "recording_deleted",
                    &entry.call,
                    &format!(
                        "retention ended {}; manifest {} kept",
                        entry.retain_until.to_rfc3339(),
                        entry.manifest_sha256
                    ),
                )
                .map_err(|error| RecordingError::Index(error.to_string()))?;
            let path = self.ledger.directory().join(&entry.file);
            match std::fs::remove_file(&path) {
                Ok(()) => {}
                Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
                Err(source) => return Err(RecordingError::Delete { path, source }),
            }
            if let Some(id) = crate::ids::CallId::parse(&entry.call)
                && let Err(error) = calls.forget_transcript(id)
            {
                tracing::warn!(call = %entry.call, %error, "cannot clear a deleted call's transcript");
            }
            tracing::info!(call = %entry.call, "recording deleted at the end of its retention");
            deleted.push(entry.call);
        }
        Ok(deleted)
    }
}

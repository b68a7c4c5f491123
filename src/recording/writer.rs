//! Sealed two-channel recording of a call, written as it runs.
//!
//! A [`CallRecorder`] owns one recording from answer to hang-up: caller on the left channel,
//! Hotline (later the agent) on the right, one frame pair per media tick. Audio is gathered for
//! a second, sealed with the recording's data key and queued to the [`DiskWriter`]; marks (the
//! call's phases, pauses) are sealed as records of their own at the frame they happen.
//!
//! Invariants:
//! - the file is created fresh (never overwriting) and never holds plaintext audio;
//! - at most one second of audio is held in memory, so a crash (even `kill -9`) loses at most
//!   the last second;
//! - while paused, silence is recorded in place of both sides, so the timeline stays whole;
//! - [`CallRecorder::finish`] seals the rest and the transcript, and waits until all is on disk.

use super::RecordingError;
use super::disk::DiskWriter;
use super::format::{Header, Mark, MarkEvent, RecordKind, encode_header, seal_record};
use super::keys::{KEY_BYTES, KeyRing, encode_hex};
use sha2::{Digest, Sha256};
use std::fs::{File, OpenOptions};
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// Bytes of one stereo 16-bit frame.
const BYTES_PER_FRAME: usize = 4;

/// One record as written: what the manifest lists.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RecordEntry {
    /// Position among the records.
    pub index: u64,
    /// What it holds.
    pub kind: RecordKind,
    /// Audio frames in it (0 for marks and the transcript).
    pub frames: u64,
    /// SHA-256 of the record's bytes as written (prefix and ciphertext), hex.
    pub sha256: String,
}

/// What a sealed recording holds, from its writer or from reading it back.
#[derive(Debug, Clone, PartialEq)]
pub struct SealedContents {
    /// Where the recording is.
    pub path: PathBuf,
    /// Its header.
    pub header: Header,
    /// SHA-256 of the header block, hex.
    pub header_sha256: String,
    /// Every record, in order.
    pub records: Vec<RecordEntry>,
    /// The marks, in order.
    pub marks: Vec<Mark>,
    /// Audio frames in all.
    pub frames: u64,
    /// Bytes of a torn last record left out (after a crash).
    pub torn_bytes: usize,
}

impl SealedContents {
    /// Playing time.
    pub fn duration(&self) -> Duration {
        frames_to_duration(self.frames, self.header.sample_rate)
    }
}

/// Writes a call's audio as a sealed, time-aligned stereo recording.
pub struct CallRecorder {
    path: PathBuf,
    file: Arc<File>,
    disk: DiskWriter,
    failed: Arc<AtomicBool>,
    key: [u8; KEY_BYTES],
    header: Header,
    header_hash: [u8; 32],
    /// Interleaved little-endian frames not yet sealed.
    pending: Vec<u8>,
    records: Vec<RecordEntry>,
    marks: Vec<Mark>,
    frames: u64,
    paused: bool,
}

impl CallRecorder {
    /// Creates the recording (and missing parent directories), sealed with the ring's current
    /// key, and queues its header. Never overwrites: an existing file is
    /// [`RecordingError::AlreadyExists`].
    pub fn create(
        path: &Path,
        call: &str,
        sample_rate: u32,
        keys: &KeyRing,
        disk: &DiskWriter,
    ) -> Result<CallRecorder, RecordingError> {
        if sample_rate == 0 {
            return Err(RecordingError::InvalidSampleRate {
                path: path.to_path_buf(),
                sample_rate,
            });
        }
        let create_error = |source| RecordingError::Create {
            path: path.to_path_buf(),
            source,
        };
        if let Some(parent) = path
            .parent()
            .filter(|parent| !parent.as_os_str().is_empty())
        {
            std::fs::create_dir_all(parent).map_err(create_error)?;
        }
        let (key, wrapped) = keys.new_data_key()?;
        let header = Header {
            version: 1,
            call: call.to_string(),
            sample_rate,
            channels: 2,
            started_at: chrono::Utc::now().to_rfc3339(),
            key_id: keys.current_id().to_string(),
            wrapped_key: encode_hex(&wrapped),
        };
        let (header_bytes, header_hash) = encode_header(&header);
        let mut file = OpenOptions::new()
            .append(true)
            .create_new(true)
            .open(path)
            .map_err(|source| match source.kind() {
                ErrorKind::AlreadyExists => RecordingError::AlreadyExists {
                    path: path.to_path_buf(),
                },
                _ => create_error(source),
            })?;
        file.write_all(&header_bytes).map_err(create_error)?;
        let recorder = CallRecorder {
            path: path.to_path_buf(),
            file: Arc::new(file),
            disk: disk.clone(),
            failed: Arc::new(AtomicBool::new(false)),
            key,
            header,
            header_hash,
            pending: Vec::with_capacity(sample_rate as usize * BYTES_PER_FRAME),
            records: Vec::new(),
            marks: Vec::new(),
            frames: 0,
            paused: false,
        };
        tracing::debug!(path = %path.display(), sample_rate, "call recording started");
        Ok(recorder)
    }

    /// Appends one tick of audio: `left` is the caller, `right` is Hotline or the agent; both
    /// must hold the same number of samples (send silence for a side that sent nothing).
    pub fn write_frame(&mut self, left: &[i16], right: &[i16]) -> Result<(), RecordingError> {
        if left.len() != right.len() {
            return Err(RecordingError::FrameLengthMismatch {
                path: self.path.clone(),
                left: left.len(),
                right: right.len(),
            });
        }
        self.check_disk()?;
        for (&caller, &other) in left.iter().zip(right) {
            let (caller, other) = if self.paused { (0, 0) } else { (caller, other) };
            self.pending.extend_from_slice(&caller.to_le_bytes());
            self.pending.extend_from_slice(&other.to_le_bytes());
        }
        self.frames += left.len() as u64;
        if self.pending.len() >= self.header.sample_rate as usize * BYTES_PER_FRAME {
            self.seal_pending()?;
        }
        Ok(())
    }

    /// Marks an event at the current frame; pausing records silence until resumed. Marking a
    /// pause while paused (or resuming while recording) changes nothing and marks nothing.
    pub fn mark(&mut self, event: MarkEvent) -> Result<(), RecordingError> {
        match event {
            MarkEvent::Paused if self.paused => return Ok(()),
            MarkEvent::Resumed if !self.paused => return Ok(()),
            MarkEvent::Paused => self.paused = true,
            MarkEvent::Resumed => self.paused = false,
            _ => {}
        }
        if self.marks.last().is_some_and(|last| last.event == event) {
            return Ok(());
        }
        self.seal_pending()?;
        let mark = Mark {
            frame: self.frames,
            event,
        };
        let json = serde_json::to_vec(&mark).unwrap_or_default();
        self.seal(RecordKind::Mark, &json, 0)?;
        self.marks.push(mark);
        Ok(())
    }

    /// Whether silence is being recorded in place of the call.
    pub fn is_paused(&self) -> bool {
        self.paused
    }

    /// Where the recording is.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Seals the rest of the audio and the (redacted) transcript, waits until everything is on
    /// disk and syncs the file; reports what the recording holds.
    pub fn finish(mut self, transcript: &[u8]) -> Result<SealedContents, RecordingError> {
        self.seal_pending()?;
        self.seal(RecordKind::Transcript, transcript, 0)?;
        self.disk.wait();
        self.check_disk()?;
        self.file
            .sync_all()
            .map_err(|source| RecordingError::Sync {
                path: self.path.clone(),
                source,
            })?;
        let (_, header_hash) = encode_header(&self.header);
        let contents = SealedContents {
            path: self.path.clone(),
            header: self.header.clone(),
            header_sha256: encode_hex(&header_hash),
            records: std::mem::take(&mut self.records),
            marks: std::mem::take(&mut self.marks),
            frames: self.frames,
            torn_bytes: 0,
        };
        tracing::debug!(path = %self.path.display(), frames = self.frames, "call recording finished");
        Ok(contents)
    }

    fn check_disk(&self) -> Result<(), RecordingError> {
        if self.failed.load(Ordering::Relaxed) {
            return Err(RecordingError::Disk {
                path: self.path.clone(),
            });
        }
        Ok(())
    }

    fn seal_pending(&mut self) -> Result<(), RecordingError> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let audio = std::mem::take(&mut self.pending);
        let frames = (audio.len() / BYTES_PER_FRAME) as u64;
        self.seal(RecordKind::Audio, &audio, frames)?;
        self.pending = audio;
        self.pending.clear();
        Ok(())
    }

    fn seal(
        &mut self,
        kind: RecordKind,
        plaintext: &[u8],
        frames: u64,
    ) -> Result<(), RecordingError> {
        let index = self.records.len() as u64;
        let bytes = seal_record(&self.key, &self.header_hash, index, kind, plaintext)?;
        self.records.push(RecordEntry {
            index,
            kind,
            frames,
            sha256: encode_hex(&Sha256::digest(&bytes)),
        });
        if !self.disk.append(&self.file, bytes, &self.failed) {
            return Err(RecordingError::Disk {
                path: self.path.clone(),
            });
        }
        Ok(())
    }
}

impl Drop for CallRecorder {
    fn drop(&mut self) {
        if !self.pending.is_empty() {
            tracing::warn!(path = %self.path.display(), frames = self.frames, "call recording dropped without finish");
            // Errors cannot be reported from here; what was sealed before stays readable.
            let _ = self.seal_pending();
        }
    }
}

/// Exact playing time of `frames` at `sample_rate`.
pub fn frames_to_duration(frames: u64, sample_rate: u32) -> Duration {
    let rate = u64::from(sample_rate.max(1));
    let whole_seconds = frames / rate;
    let remainder_nanos = (frames % rate) * 1_000_000_000 / rate;
    Duration::from_secs(whole_seconds) + Duration::from_nanos(remainder_nanos)
}

//! Incremental two-channel WAV recording of a call.
//!
//! A [`CallRecorder`] owns one recording file from answer to hang-up: 16-bit PCM, caller on the
//! left channel, Hotline (later the agent) on the right, one frame pair per media tick.
//!
//! Invariants:
//! - the file is created fresh (never overwriting) and holds a valid WAV header from the start;
//! - the header's length fields are rewritten and buffered data is handed to the OS at least
//!   once per second of audio, so a crash (even `kill -9`) loses at most the last second;
//! - dropping without [`CallRecorder::finish`] still flushes, leaving a valid file;
//! - [`CallRecorder::finish`] writes the final header and fsyncs the file.

use std::fs::{File, OpenOptions};
use std::io::{BufWriter, ErrorKind};
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::RecordingError;

/// Caller on the left, Hotline on the right.
const CHANNELS: u16 = 2;
const BITS_PER_SAMPLE: u16 = 16;
/// Bytes of one stereo 16-bit frame.
const BYTES_PER_FRAME: u64 = 4;
/// Bytes of the RIFF header before the sample data, rounded up generously.
const HEADER_ALLOWANCE: u64 = 64;
/// The WAV size fields are 32 bits; stay below them including the header.
const MAX_FRAMES: u64 = (u32::MAX as u64 - HEADER_ALLOWANCE) / BYTES_PER_FRAME;

/// What a finished recording holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordingSummary {
    /// Where the recording was written.
    pub path: PathBuf,
    /// Playing time of the recording.
    pub duration: Duration,
    /// Number of stereo frames (samples per channel) written.
    pub frames: u64,
}

/// Writes a call's audio as a time-aligned stereo WAV file, incrementally and crash-safely.
pub struct CallRecorder {
    path: PathBuf,
    sample_rate: u32,
    writer: hound::WavWriter<BufWriter<File>>,
    /// A second handle on the same file, used to fsync it when finishing.
    sync_handle: File,
    frames: u64,
    frames_since_flush: u64,
    finished: bool,
}

impl CallRecorder {
    /// Creates the recording file (and any missing parent directories) and writes its header.
    ///
    /// Fails with [`RecordingError::AlreadyExists`] rather than overwrite an existing file.
    pub fn create(path: &Path, sample_rate: u32) -> Result<Self, RecordingError> {
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
        let file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(path)
            .map_err(|source| match source.kind() {
                ErrorKind::AlreadyExists => RecordingError::AlreadyExists {
                    path: path.to_path_buf(),
                },
                _ => create_error(source),
            })?;
        let sync_handle = file.try_clone().map_err(create_error)?;
        let spec = hound::WavSpec {
            channels: CHANNELS,
            sample_rate,
            bits_per_sample: BITS_PER_SAMPLE,
            sample_format: hound::SampleFormat::Int,
        };
        let writer = hound::WavWriter::new(BufWriter::new(file), spec).map_err(|source| {
            RecordingError::Write {
                path: path.to_path_buf(),
                source,
            }
        })?;
        let mut recorder = Self {
            path: path.to_path_buf(),
            sample_rate,
            writer,
            sync_handle,
            frames: 0,
            frames_since_flush: 0,
            finished: false,
        };
        recorder.flush()?;
        tracing::debug!(path = %path.display(), sample_rate, "call recording started");
        Ok(recorder)
    }

    /// Appends one tick of audio: `left` is the caller, `right` is Hotline; both must hold the
    /// same number of samples (send silence for a side that sent nothing).
    pub fn write_frame(&mut self, left: &[i16], right: &[i16]) -> Result<(), RecordingError> {
        if left.len() != right.len() {
            return Err(RecordingError::FrameLengthMismatch {
                path: self.path.clone(),
                left: left.len(),
                right: right.len(),
            });
        }
        let added = left.len() as u64;
        if self.frames + added > MAX_FRAMES {
            return Err(RecordingError::SizeLimit {
                path: self.path.clone(),
                max_frames: MAX_FRAMES,
            });
        }
        for (&caller, &hotline) in left.iter().zip(right) {
            self.writer
                .write_sample(caller)
                .and_then(|()| self.writer.write_sample(hotline))
                .map_err(|source| RecordingError::Write {
                    path: self.path.clone(),
                    source,
                })?;
        }
        self.frames += added;
        self.frames_since_flush += added;
        if self.frames_since_flush >= u64::from(self.sample_rate) {
            self.flush()?;
        }
        Ok(())
    }

    /// Playing time recorded so far.
    pub fn duration(&self) -> Duration {
        frames_to_duration(self.frames, self.sample_rate)
    }

    /// Writes the final header, flushes and fsyncs the file, and reports what was recorded.
    pub fn finish(mut self) -> Result<RecordingSummary, RecordingError> {
        self.flush()?;
        self.sync_handle
            .sync_all()
            .map_err(|source| RecordingError::Sync {
                path: self.path.clone(),
                source,
            })?;
        self.finished = true;
        let summary = RecordingSummary {
            path: self.path.clone(),
            duration: self.duration(),
            frames: self.frames,
        };
        tracing::debug!(path = %summary.path.display(), frames = summary.frames, "call recording finished");
        Ok(summary)
    }

    /// Rewrites the header's length fields for the data written so far and hands all buffered
    /// bytes to the OS (hound's `flush` does both, then seeks back to the end of the data).
    fn flush(&mut self) -> Result<(), RecordingError> {
        self.writer
            .flush()
            .map_err(|source| RecordingError::Write {
                path: self.path.clone(),
                source,
            })?;
        self.frames_since_flush = 0;
        Ok(())
    }
}

impl Drop for CallRecorder {
    fn drop(&mut self) {
        if self.finished {
            return;
        }
        tracing::warn!(path = %self.path.display(), frames = self.frames, "call recording dropped without finish");
        // Errors cannot be reported from here; a failed flush still leaves the last periodic
        // header on disk, which describes valid data.
        let _ = self.flush();
    }
}

/// Exact playing time of `frames` at `sample_rate`.
fn frames_to_duration(frames: u64, sample_rate: u32) -> Duration {
    let rate = u64::from(sample_rate);
    let whole_seconds = frames / rate;
    let remainder_nanos = (frames % rate) * 1_000_000_000 / rate;
    Duration::from_secs(whole_seconds) + Duration::from_nanos(remainder_nanos)
}

//! Reading a sealed recording back: its records without the key (for integrity checks), and
//! with the key its audio as WAV bytes, any byte range of them (for playback with seeking),
//! its marks, its transcript and a waveform.
//!
//! Invariants: a torn last record (a crash mid-write) is left out and counted, never an error;
//! only the records a read needs are decrypted; nothing decrypted is written anywhere.

use super::RecordingError;
use super::format::{
    Header, Mark, RECORD_PREFIX, RecordKind, RecordSpan, decode_header, open_record, parse_prefix,
};
use super::keys::{KEY_BYTES, KeyRing, decode_hex, encode_hex};
use super::writer::{RecordEntry, SealedContents};
use sha2::{Digest, Sha256};
use std::fs::File;
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};

/// Bytes of the WAV header put before the audio.
pub const WAV_HEADER_BYTES: u64 = 44;
/// Bytes of one stereo 16-bit frame.
const BYTES_PER_FRAME: u64 = 4;

/// A sealed recording opened for reading.
pub struct SealedReader {
    path: PathBuf,
    file: File,
    header: Header,
    header_hash: [u8; 32],
    spans: Vec<RecordSpan>,
    torn_bytes: usize,
    /// The first frame of each span (audio spans only advance it).
    first_frames: Vec<u64>,
    frames: u64,
}

impl SealedReader {
    /// Opens a recording and finds its records; the key is not needed for this.
    pub fn open(path: &Path) -> Result<SealedReader, RecordingError> {
        let corrupt = |message: String| RecordingError::Corrupt {
            path: path.to_path_buf(),
            message,
        };
        let read_error = |source| RecordingError::Read {
            path: path.to_path_buf(),
            source,
        };
        let file = File::open(path).map_err(read_error)?;
        let size = file.metadata().map_err(read_error)?.len();
        let mut start = vec![0u8; size.min(64 * 1024 + 12) as usize];
        file.read_exact_at(&mut start, 0).map_err(read_error)?;
        let (header, header_hash, header_length) = decode_header(&start).map_err(corrupt)?;
        let mut spans = Vec::new();
        let mut first_frames = Vec::new();
        let mut frames = 0u64;
        let mut offset = header_length as u64;
        let mut torn_bytes = 0usize;
        while offset < size {
            let mut prefix = [0u8; RECORD_PREFIX];
            if size - offset < RECORD_PREFIX as u64 {
                torn_bytes = (size - offset) as usize;
                break;
            }
            file.read_exact_at(&mut prefix, offset)
                .map_err(read_error)?;
            let span = parse_prefix(prefix, spans.len() as u64, offset).map_err(corrupt)?;
            if size - offset < span.length() {
                torn_bytes = (size - offset) as usize;
                break;
            }
            first_frames.push(frames);
            if span.kind == RecordKind::Audio {
                frames += span.plaintext_length() as u64 / BYTES_PER_FRAME;
            }
            offset += span.length();
            spans.push(span);
        }
        Ok(SealedReader {
            path: path.to_path_buf(),
            file,
            header,
            header_hash,
            spans,
            torn_bytes,
            first_frames,
            frames,
        })
    }

    /// The header.
    pub fn header(&self) -> &Header {
        &self.header
    }

    /// Audio frames in all.
    pub fn frames(&self) -> u64 {
        self.frames
    }

    fn read_span(&self, span: RecordSpan) -> Result<Vec<u8>, RecordingError> {
        let mut bytes = vec![0u8; span.length() as usize];
        self.file
            .read_exact_at(&mut bytes, span.offset)
            .map_err(|source| RecordingError::Read {
                path: self.path.clone(),
                source,
            })?;
        Ok(bytes)
    }

    /// The records with their hashes, as a manifest lists them (no key needed).
    pub fn entries(&self) -> Result<Vec<RecordEntry>, RecordingError> {
        self.spans
            .iter()
            .map(|span| {
                let bytes = self.read_span(*span)?;
                let frames = match span.kind {
                    RecordKind::Audio => span.plaintext_length() as u64 / BYTES_PER_FRAME,
                    _ => 0,
                };
                Ok(RecordEntry {
                    index: span.index,
                    kind: span.kind,
                    frames,
                    sha256: encode_hex(&Sha256::digest(&bytes)),
                })
            })
            .collect()
    }

    /// The SHA-256 of the header block, hex.
    pub fn header_sha256(&self) -> String {
        encode_hex(&self.header_hash)
    }

    /// Unlocks the recording with its key from `keys`.
    pub fn unlock(self, keys: &KeyRing) -> Result<UnlockedRecording, RecordingError> {
        let wrapped =
            decode_hex(&self.header.wrapped_key).ok_or_else(|| RecordingError::Corrupt {
                path: self.path.clone(),
                message: "the wrapped key is not hex".to_string(),
            })?;
        let key = keys.open_data_key(&self.header.key_id, &wrapped)?;
        Ok(UnlockedRecording { reader: self, key })
    }
}

/// A recording whose data key is open.
pub struct UnlockedRecording {
    reader: SealedReader,
    key: [u8; KEY_BYTES],
}

impl UnlockedRecording {
    /// The reader underneath.
    pub fn reader(&self) -> &SealedReader {
        &self.reader
    }

    fn open_span(&self, span: RecordSpan) -> Result<Vec<u8>, RecordingError> {
        let bytes = self.reader.read_span(span)?;
        open_record(
            &self.key,
            &self.reader.header_hash,
            span,
            &bytes[RECORD_PREFIX..],
        )
        .map_err(|error| RecordingError::Corrupt {
            path: self.reader.path.clone(),
            message: error.to_string(),
        })
    }

    fn spans_of(&self, kind: RecordKind) -> impl Iterator<Item = (usize, RecordSpan)> + '_ {
        self.reader
            .spans
            .iter()
            .enumerate()
            .filter(move |(_, span)| span.kind == kind)
            .map(|(position, span)| (position, *span))
    }

    /// The marks, in order.
    pub fn marks(&self) -> Result<Vec<Mark>, RecordingError> {
        self.spans_of(RecordKind::Mark)
            .map(|(_, span)| {
                let json = self.open_span(span)?;
                serde_json::from_slice(&json).map_err(|error| RecordingError::Corrupt {
                    path: self.reader.path.clone(),
                    message: format!("mark {}: {error}", span.index),
                })
            })
            .collect()
    }

    /// The transcript sealed at the end, if the recording was finished.
    pub fn transcript(&self) -> Result<Option<Vec<u8>>, RecordingError> {
        self.spans_of(RecordKind::Transcript)
            .last()
            .map(|(_, span)| self.open_span(span))
            .transpose()
    }

    /// What the recording holds, read back (for recordings a crash left unfinished).
    pub fn contents(&self) -> Result<SealedContents, RecordingError> {
        Ok(SealedContents {
            path: self.reader.path.clone(),
            header: self.reader.header.clone(),
            header_sha256: self.reader.header_sha256(),
            records: self.reader.entries()?,
            marks: self.marks()?,
            frames: self.reader.frames,
            torn_bytes: self.reader.torn_bytes,
        })
    }

    /// Bytes of the whole WAV file.
    pub fn wav_length(&self) -> u64 {
        WAV_HEADER_BYTES + self.reader.frames * BYTES_PER_FRAME
    }

    /// Bytes `start..end` of the WAV file (end exclusive, clamped to its length).
    pub fn wav_bytes(&self, start: u64, end: u64) -> Result<Vec<u8>, RecordingError> {
        let end = end.min(self.wav_length());
        let mut bytes = Vec::with_capacity(end.saturating_sub(start) as usize);
        if start < WAV_HEADER_BYTES {
            let header = wav_header(self.reader.header.sample_rate, self.reader.frames);
            bytes.extend_from_slice(&header[start as usize..end.min(WAV_HEADER_BYTES) as usize]);
        }
        let audio_start = start.max(WAV_HEADER_BYTES) - WAV_HEADER_BYTES;
        let audio_end = end.saturating_sub(WAV_HEADER_BYTES);
        for (position, span) in self.spans_of(RecordKind::Audio) {
            let first = self.reader.first_frames[position] * BYTES_PER_FRAME;
            let last = first + span.plaintext_length() as u64;
            if last <= audio_start || first >= audio_end {
                continue;
            }
            let audio = self.open_span(span)?;
            let from = audio_start.saturating_sub(first) as usize;
            let to = (audio_end.min(last) - first) as usize;
            bytes.extend_from_slice(&audio[from..to]);
        }
        Ok(bytes)
    }

    /// The loudest sample (both channels, 0..1) in each of `points` equal stretches.
    pub fn peaks(&self, points: usize) -> Result<Vec<f32>, RecordingError> {
        let frames = self.reader.frames.max(1);
        let mut peaks = vec![0f32; points];
        for (position, span) in self.spans_of(RecordKind::Audio) {
            let first = self.reader.first_frames[position];
            let audio = self.open_span(span)?;
            for (offset, frame) in audio.chunks_exact(4).enumerate() {
                let left = i16::from_le_bytes([frame[0], frame[1]]).unsigned_abs();
                let right = i16::from_le_bytes([frame[2], frame[3]]).unsigned_abs();
                let bucket = ((first + offset as u64) * points as u64 / frames) as usize;
                if let Some(peak) = peaks.get_mut(bucket) {
                    *peak = peak.max(f32::from(left.max(right)) / 32768.0);
                }
            }
        }
        Ok(peaks)
    }
}

/// The 44-byte header of a 16-bit stereo PCM WAV file holding `frames`.
fn wav_header(sample_rate: u32, frames: u64) -> [u8; WAV_HEADER_BYTES as usize] {
    let data = (frames * BYTES_PER_FRAME).min(u64::from(u32::MAX) - 36) as u32;
    let mut header = [0u8; WAV_HEADER_BYTES as usize];
    let mut put = |at: usize, bytes: &[u8]| header[at..at + bytes.len()].copy_from_slice(bytes);
    put(0, b"RIFF");
    put(4, &(36 + data).to_le_bytes());
    put(8, b"WAVEfmt ");
    put(16, &16u32.to_le_bytes());
    put(20, &1u16.to_le_bytes());
    put(22, &2u16.to_le_bytes());
    put(24, &sample_rate.to_le_bytes());
    put(28, &(sample_rate * 4).to_le_bytes());
    put(32, &4u16.to_le_bytes());
    put(34, &16u16.to_le_bytes());
    put(36, b"data");
    put(40, &data.to_le_bytes());
    header
}

//! The sealed recording file: a header, then records, each sealed with AES-256-GCM.
//!
//! ```text
//! magic "HLREC01\n" | u32 header length | header JSON
//! record*: u32 body length | u8 kind | body (ciphertext and 16-byte tag)
//! ```
//! The header names the call, the sample rate and the key that wraps the recording's own data
//! key. A record's nonce is its index; its associated data is the header's SHA-256, the index
//! and the kind, so records cannot be reordered, moved between recordings or relabelled.
//! Audio records hold interleaved 16-bit little-endian frames (caller left, Hotline or agent
//! right); mark records a JSON [`Mark`]; the last record of a finished recording its redacted
//! transcript.
//!
//! Invariants: nothing here touches the disk.

use super::RecordingError;
use super::keys::{KEY_BYTES, cipher};
use aes_gcm::aead::{Aead, Payload};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The first bytes of every sealed recording.
pub const MAGIC: &[u8; 8] = b"HLREC01\n";
/// The longest header accepted.
const MAXIMUM_HEADER: usize = 64 * 1024;
/// The longest record body accepted (a minute of 48 kHz stereo is well below).
pub const MAXIMUM_BODY: usize = 16 * 1024 * 1024;
/// Bytes before a record's body.
pub const RECORD_PREFIX: usize = 5;

/// What the header says about a recording.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Header {
    /// Format version, 1.
    pub version: u32,
    /// The call's ID.
    pub call: String,
    /// Frames per second.
    pub sample_rate: u32,
    /// Always 2: caller left, Hotline or agent right.
    pub channels: u16,
    /// When recording began (RFC 3339).
    pub started_at: String,
    /// The ID of the key that wraps the data key.
    pub key_id: String,
    /// The wrapped data key, hex.
    pub wrapped_key: String,
}

/// What a record holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    /// Interleaved 16-bit frames.
    Audio,
    /// A [`Mark`] as JSON.
    Mark,
    /// The redacted transcript as JSON.
    Transcript,
}

impl RecordKind {
    fn byte(self) -> u8 {
        match self {
            RecordKind::Audio => 1,
            RecordKind::Mark => 2,
            RecordKind::Transcript => 3,
        }
    }

    fn from_byte(byte: u8) -> Option<RecordKind> {
        match byte {
            1 => Some(RecordKind::Audio),
            2 => Some(RecordKind::Mark),
            3 => Some(RecordKind::Transcript),
            _ => None,
        }
    }
}

/// Something that happened at a point of the recording.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mark {
    /// Frames recorded before it.
    pub frame: u64,
    /// What happened.
    pub event: MarkEvent,
}

/// The events a recording marks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MarkEvent {
    /// The caller is in the IVR (the flow).
    Ivr,
    /// The caller waits in a queue for an agent.
    Queue,
    /// The caller talks with an agent.
    Agent,
    /// Recording paused: silence is written until it resumes.
    Paused,
    /// Recording resumed.
    Resumed,
}

/// The bytes of a header block and its SHA-256.
pub fn encode_header(header: &Header) -> (Vec<u8>, [u8; 32]) {
    let json = serde_json::to_vec(header).unwrap_or_default();
    let mut bytes = MAGIC.to_vec();
    bytes.extend_from_slice(&(json.len() as u32).to_be_bytes());
    bytes.extend_from_slice(&json);
    let hash = Sha256::digest(&bytes).into();
    (bytes, hash)
}

/// A header parsed from the start of a file: the header, its hash and the bytes it takes.
pub fn decode_header(bytes: &[u8]) -> Result<(Header, [u8; 32], usize), String> {
    if bytes.len() < MAGIC.len() + 4 || &bytes[..MAGIC.len()] != MAGIC {
        return Err("not a sealed Hotline recording".to_string());
    }
    let length = u32::from_be_bytes(read4(&bytes[MAGIC.len()..])) as usize;
    let end = MAGIC.len() + 4 + length;
    if length > MAXIMUM_HEADER || bytes.len() < end {
        return Err("the header is cut short".to_string());
    }
    let header: Header = serde_json::from_slice(&bytes[MAGIC.len() + 4..end])
        .map_err(|error| format!("the header is not valid: {error}"))?;
    if header.version != 1 || header.channels != 2 || header.sample_rate == 0 {
        return Err(format!(
            "unsupported recording: version {}, {} channels at {} Hz",
            header.version, header.channels, header.sample_rate
        ));
    }
    Ok((header, Sha256::digest(&bytes[..end]).into(), end))
}

fn read4(bytes: &[u8]) -> [u8; 4] {
    [bytes[0], bytes[1], bytes[2], bytes[3]]
}

fn nonce(index: u64) -> aes_gcm::aead::Nonce<aes_gcm::Aes256Gcm> {
    let mut bytes = [0u8; 12];
    bytes[4..].copy_from_slice(&index.to_be_bytes());
    bytes.into()
}

fn associated(header_hash: &[u8; 32], index: u64, kind: RecordKind) -> [u8; 41] {
    let mut data = [0u8; 41];
    data[..32].copy_from_slice(header_hash);
    data[32..40].copy_from_slice(&index.to_be_bytes());
    data[40] = kind.byte();
    data
}

/// Seals one record: its bytes as written to the file.
pub fn seal_record(
    key: &[u8; KEY_BYTES],
    header_hash: &[u8; 32],
    index: u64,
    kind: RecordKind,
    plaintext: &[u8],
) -> Result<Vec<u8>, RecordingError> {
    let aad = associated(header_hash, index, kind);
    let sealed = cipher(key)
        .encrypt(
            &nonce(index),
            Payload {
                msg: plaintext,
                aad: &aad,
            },
        )
        .map_err(|_| RecordingError::Crypto("cannot seal a record".to_string()))?;
    let mut bytes = Vec::with_capacity(RECORD_PREFIX + sealed.len());
    bytes.extend_from_slice(&(sealed.len() as u32).to_be_bytes());
    bytes.push(kind.byte());
    bytes.extend_from_slice(&sealed);
    Ok(bytes)
}

/// Where a record lies in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecordSpan {
    /// Its position among the records.
    pub index: u64,
    /// What it holds.
    pub kind: RecordKind,
    /// Offset of its prefix in the file.
    pub offset: u64,
    /// Bytes of its body (ciphertext and tag).
    pub body_length: usize,
}

impl RecordSpan {
    /// Bytes of prefix and body.
    pub fn length(&self) -> u64 {
        (RECORD_PREFIX + self.body_length) as u64
    }

    /// Bytes of plaintext in it.
    pub fn plaintext_length(&self) -> usize {
        self.body_length - TAG_BYTES
    }
}

/// Bytes of the tag after each record's ciphertext.
const TAG_BYTES: usize = 16;

/// The span of the record whose prefix is `prefix`, found at `offset`; a bad kind or an
/// impossible length is corruption.
pub fn parse_prefix(
    prefix: [u8; RECORD_PREFIX],
    index: u64,
    offset: u64,
) -> Result<RecordSpan, String> {
    let body_length = u32::from_be_bytes(read4(&prefix)) as usize;
    let kind = RecordKind::from_byte(prefix[4])
        .ok_or_else(|| format!("record {index} at byte {offset} has an unknown kind"))?;
    if !(TAG_BYTES..=MAXIMUM_BODY).contains(&body_length) {
        return Err(format!(
            "record {index} at byte {offset} has an impossible length {body_length}"
        ));
    }
    Ok(RecordSpan {
        index,
        kind,
        offset,
        body_length,
    })
}

/// Opens the body of the record `span` describes.
pub fn open_record(
    key: &[u8; KEY_BYTES],
    header_hash: &[u8; 32],
    span: RecordSpan,
    body: &[u8],
) -> Result<Vec<u8>, RecordingError> {
    let aad = associated(header_hash, span.index, span.kind);
    cipher(key)
        .decrypt(
            &nonce(span.index),
            Payload {
                msg: body,
                aad: &aad,
            },
        )
        .map_err(|_| {
            RecordingError::Crypto(format!(
                "record {} does not open: altered, or sealed with another key",
                span.index
            ))
        })
}

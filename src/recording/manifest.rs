//! A recording's manifest: what it holds, the SHA-256 of each of its records, its segments,
//! how long it is kept, and its place in the chain of manifests (the previous manifest's
//! SHA-256), so that an altered, missing or deleted recording is found.

use super::format::{Mark, MarkEvent};
use super::writer::{RecordEntry, SealedContents};
use serde::{Deserialize, Serialize};

/// The hash the first manifest of a chain names as its previous one.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One recording's manifest, stored as JSON beside it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// Format version, 1.
    pub version: u32,
    /// Position in the chain, from 1.
    pub sequence: u64,
    /// SHA-256 of the previous manifest's bytes, hex ([`GENESIS`] for the first).
    pub previous_sha256: String,
    /// The call's ID.
    pub call: String,
    /// The flow that answered it.
    pub flow: String,
    /// The recording file, relative to the recording directory.
    pub file: String,
    /// The key that wraps the data key.
    pub key_id: String,
    /// Frames per second.
    pub sample_rate: u32,
    /// Caller left, Hotline or agent right.
    pub channels: u16,
    /// When recording began.
    pub started_at: String,
    /// When the manifest was written.
    pub sealed_at: String,
    /// Audio frames.
    pub frames: u64,
    /// Playing time.
    pub duration_seconds: f64,
    /// Written after a crash from what was on disk.
    pub recovered: bool,
    /// Bytes of a torn last record a crash left, not covered.
    pub torn_bytes: usize,
    /// SHA-256 of the header block.
    pub header_sha256: String,
    /// Every record and its SHA-256.
    pub records: Vec<RecordEntry>,
    /// The phases of the call and the paused stretches.
    pub segments: Vec<Segment>,
    /// Until when the recording is kept (RFC 3339).
    pub retain_until: String,
}

/// A stretch of the recording.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Segment {
    /// `ivr`, `queue`, `agent` or `paused`.
    pub phase: String,
    /// Where it starts.
    pub start_seconds: f64,
    /// Where it ends.
    pub end_seconds: f64,
}

impl Manifest {
    /// The manifest of `contents`, before it takes its place in the chain.
    pub fn describe(
        contents: &SealedContents,
        file: &str,
        flow: &str,
        retain_until: chrono::DateTime<chrono::Utc>,
        recovered: bool,
    ) -> Manifest {
        Manifest {
            version: 1,
            sequence: 0,
            previous_sha256: GENESIS.to_string(),
            call: contents.header.call.clone(),
            flow: flow.to_string(),
            file: file.to_string(),
            key_id: contents.header.key_id.clone(),
            sample_rate: contents.header.sample_rate,
            channels: contents.header.channels,
            started_at: contents.header.started_at.clone(),
            sealed_at: chrono::Utc::now().to_rfc3339(),
            frames: contents.frames,
            duration_seconds: contents.duration().as_secs_f64(),
            recovered,
            torn_bytes: contents.torn_bytes,
            header_sha256: contents.header_sha256.clone(),
            records: contents.records.clone(),
            segments: segments(
                &contents.marks,
                contents.frames,
                contents.header.sample_rate,
            ),
            retain_until: retain_until.to_rfc3339(),
        }
    }
}

/// The phases (from each phase mark to the next) and the paused stretches, in seconds.
pub fn segments(marks: &[Mark], frames: u64, sample_rate: u32) -> Vec<Segment> {
    let seconds = |frame: u64| frame as f64 / f64::from(sample_rate.max(1));
    let mut phases: Vec<Segment> = Vec::new();
    let mut paused: Vec<Segment> = Vec::new();
    let mut pause_start = None;
    for mark in marks {
        let phase = match mark.event {
            MarkEvent::Ivr => "ivr",
            MarkEvent::Queue => "queue",
            MarkEvent::Agent => "agent",
            MarkEvent::Paused => {
                pause_start = Some(mark.frame);
                continue;
            }
            MarkEvent::Resumed => {
                if let Some(start) = pause_start.take() {
                    paused.push(segment("paused", seconds(start), seconds(mark.frame)));
                }
                continue;
            }
        };
        if let Some(last) = phases.last_mut() {
            last.end_seconds = seconds(mark.frame);
        }
        phases.push(segment(phase, seconds(mark.frame), seconds(frames)));
    }
    if let Some(start) = pause_start {
        paused.push(segment("paused", seconds(start), seconds(frames)));
    }
    phases.retain(|phase| phase.end_seconds > phase.start_seconds);
    phases.extend(paused);
    phases
}

fn segment(phase: &str, start_seconds: f64, end_seconds: f64) -> Segment {
    Segment {
        phase: phase.to_string(),
        start_seconds,
        end_seconds,
    }
}

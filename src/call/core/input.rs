//! What a [`super::CallCore`] is told: everything that happens to a call from outside, and the
//! driver's answers to outputs that can fail.

use super::output::KeySource;
use super::routing::Slot;
use crate::agents::QueueEvent;
use crate::agents::{DeskCommand, MonitorMode};
use crate::asr::{AsrError, Transcript};
use crate::dialogue::{FlowEvent, Meaning};
use crate::ids::AgentId;
use crate::sip::EndReason;
use crate::storage::CallOutcome;
use crate::tts::{SpeechChunk, TtsError};
use std::time::Instant;

/// A recognition result.
#[derive(Debug)]
pub enum Recognised {
    /// The transcript of a finished turn.
    Turn(Result<Transcript, AsrError>),
    /// The transcript of the current turn's audio so far, while the caller pauses; the turn may
    /// still go on.
    Tentative(Transcript),
}

/// The next sentence of an answer being synthesized, or its end (`None`).
pub type SpeechPart = Option<Result<SpeechChunk, TtsError>>;

/// Something that happened on a leg to an agent's phone.
#[derive(Debug)]
pub enum LegEvent {
    /// No leg could be made (no media ports).
    DialFailed,
    /// The phone answered; the driver has started the leg's media.
    Answered,
    /// The phone never connected: its SIP status.
    Failed {
        /// The final status.
        status: u16,
        /// Its reason.
        reason: String,
    },
    /// The leg hung up.
    Ended(EndReason),
    /// The phone put the call on hold (`true`) or took it off.
    Held(bool),
    /// A key from the phone (RFC 4733 or SIP INFO).
    Key(char),
    /// The phone asks to transfer the caller to this user part (REFER).
    Refer(String),
    /// Everything played to the leg has been sent.
    PlaybackFinished,
    /// The next sentence of the brief, or its end.
    Brief(SpeechPart),
}

/// One input to a call.
#[derive(Debug)]
pub enum CallInput {
    /// The caller pressed a key.
    Key(char, KeySource),
    /// A re-INVITE changed the stream; `sending_and_receiving` is false on hold.
    AudioDirection {
        /// Whether both directions flow.
        sending_and_receiving: bool,
    },
    /// The caller's dialog ended.
    DialogEnded(EndReason),
    /// End the call now (shutdown, admin action).
    HangUp(CallOutcome),
    /// Everything queued for the caller has played.
    PlaybackFinished,
    /// A [`super::Sound`] file could not be played.
    PlaybackFailed,
    /// The caller speaks over a prompt that was being watched for barge-in.
    BargeIn,
    /// Speech recognition of the caller's turn.
    Recognised(Recognised),
    /// The answer to an `Understand` or `LookUp` output.
    Errand(FlowEvent),
    /// The answer to an `UnderstandTentative` output: what the words mean, if the
    /// understanding service could say.
    TentativeMeaning {
        /// The tentative transcript's words.
        text: String,
        /// Their meaning.
        meaning: Option<Meaning>,
    },
    /// The next sentence of the caller's answer, or its end.
    Spoken(SpeechPart),
    /// The recording failed and stopped.
    RecordingStopped,
    /// News from the agent service.
    Queue(QueueEvent),
    /// Something happened on a leg.
    Leg(Slot, LegEvent),
    /// The desk of the agent offered or handling the call acts on it.
    Desk(AgentId, DeskCommand),
    /// A supervisor joins, changes mode or leaves (`None`).
    Monitor(AgentId, Option<MonitorMode>),
}

/// When each party's RTP last arrived, read by the driver from its media sessions, so the
/// core can decide on media timeouts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MediaActivity {
    /// The caller's last packet.
    pub caller: Option<Instant>,
    /// Each leg's last packet, by [`Slot::index`].
    pub legs: [Option<Instant>; 3],
}

/// One reading of both clocks, taken once per turn of the driver's loop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Now {
    /// The monotonic clock, for timers and durations.
    pub instant: Instant,
    /// The wall clock, for records.
    pub wall: chrono::DateTime<chrono::Utc>,
}

impl Now {
    /// This instant plus `duration` on both clocks.
    pub fn after(self, duration: std::time::Duration) -> Now {
        Now {
            instant: self.instant + duration,
            wall: self.wall + duration,
        }
    }
}

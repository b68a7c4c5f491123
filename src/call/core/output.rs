//! What a [`super::CallCore`] asks its driver to do: plain values, carried out in the order they
//! are polled. Nothing here does anything; the driver's executor turns each value into an effect.

use super::routing::{Routing, Slot};
use crate::acd::Declined;
use crate::agents::CallContext;
use crate::asr::Transcript;
use crate::dialogue::flow_file::lookup::LookupRequest;
use crate::ids::AgentId;
use crate::language::Language;
use crate::operations::{LiveCall, Progress};
use crate::recording::MarkEvent;
use crate::storage::{CallOutcome, CallRecord};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// Audio to play to the caller.
#[derive(Debug, Clone, PartialEq)]
pub enum Sound {
    /// A flow's prompt file; if it cannot be played the driver answers
    /// [`super::CallInput::PlaybackFailed`].
    Prompt(PathBuf),
    /// The hold music file; likewise.
    Music(PathBuf),
    /// A sentence of synthesized speech, at the call rate.
    Speech(Arc<[i16]>),
}

/// How a key reached the call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeySource {
    /// An RFC 4733 telephone event in the RTP stream.
    Rfc4733,
    /// A SIP INFO request.
    SipInfo,
}

impl KeySource {
    /// The metric label.
    pub fn name(self) -> &'static str {
        match self {
            KeySource::Rfc4733 => "rfc4733",
            KeySource::SipInfo => "sip_info",
        }
    }
}

/// A figure for `/metrics`.
#[derive(Debug, Clone, PartialEq)]
pub enum Metric {
    /// A key press arrived.
    Key(KeySource),
    /// The recogniser's confidence in a caller's turn.
    RecognitionConfidence(f32),
    /// From the end of a caller's turn to Hotline's answer starting to play.
    TurnLatency(Duration),
    /// An utterance the flow did not understand.
    NoMatch,
    /// How long the caller waited until an agent's phone answered.
    QueueAnswer(Duration),
    /// How long the caller waited until talking to an agent.
    QueueConnect(Duration),
    /// The call ended so.
    CallEnded(CallOutcome),
}

/// What the operations board hears of the call.
#[derive(Debug, Clone, PartialEq)]
pub enum BoardUpdate {
    /// The call's line appears.
    Show(LiveCall),
    /// The call's line changed.
    Progress(Progress),
    /// An agent's phone answered the call after it waited `waited` in `group`.
    Answered {
        /// The group it waited for.
        group: String,
        /// How long.
        waited: Duration,
    },
    /// The call's line goes.
    Remove,
}

/// What the agent service hears of the call.
#[derive(Debug, Clone, PartialEq)]
pub enum AgentRequest {
    /// Wait for any agent of the context's group.
    Enqueue(Box<CallContext>),
    /// Wait for this agent; refused, the call hears `QueueEvent::Refused`.
    Reserve(Box<CallContext>, AgentId),
    /// Reserve this agent for a consultation.
    ReserveConsultant(Box<CallContext>, AgentId),
    /// The call left its queue.
    Leave,
    /// The agent offered the call did not take it.
    Declined(AgentId, Declined),
    /// The agent hears the brief.
    Briefing(AgentId),
    /// The agent took the call.
    Connected(AgentId),
    /// The agent's call is over.
    Finished(AgentId),
}

/// One thing for the driver to do.
#[derive(Debug, Clone, PartialEq)]
pub enum CallOutput {
    /// Queue audio for the caller after what plays.
    Play(Sound),
    /// Stop what the caller hears at once, and any answer still being synthesized.
    StopPlayback,
    /// Synthesize this text for the caller; its sentences come back as
    /// [`super::CallInput::Spoken`].
    Say(String),
    /// End the caller's dialog (BYE) for this reason.
    HangUp(&'static str),
    /// The call is served in `language` from now on: its recogniser, voice and understanding
    /// (which knows the flow as `flow`). Comes before the `Understand` of the words that
    /// settled it.
    Language {
        /// The language.
        language: Language,
        /// What the flow the call goes on in is known by to the understanding service.
        flow: String,
    },
    /// Work out what the caller's words mean; the answer comes back as
    /// [`super::CallInput::Errand`].
    Understand {
        /// The words.
        text: String,
        /// The recogniser's confidence.
        confidence: f32,
    },
    /// Work out what the words of the paused turn's tentative transcript mean, before the turn
    /// ends; the answer comes back as [`super::CallInput::TentativeMeaning`], always, once.
    UnderstandTentative {
        /// The words.
        text: String,
    },
    /// Ask a business backend; the outcome comes back as [`super::CallInput::Errand`].
    LookUp(LookupRequest),
    /// The paused turn's speculative transcript answers the step: end the turn with it, and
    /// hand it back as a [`super::Recognised::Turn`] unless the caller has spoken again.
    EndTurnWith(Transcript),
    /// Mark an event in the recording.
    Mark(MarkEvent),
    /// Call an agent's (or supervisor's) phone on a new leg in `slot`; if no leg can be made the
    /// driver answers [`super::LegEvent::DialFailed`].
    Dial {
        /// The slot the leg takes.
        slot: Slot,
        /// The call's own number for the leg, carried by its events.
        number: u64,
        /// Whom to call.
        agent: AgentId,
        /// What the agent's phone shows.
        display_name: String,
        /// The caller, for the agent's phone.
        caller: String,
    },
    /// The leg in `slot` is no longer the call's; hang it up first if a reason is given.
    ReleaseLeg {
        /// The slot.
        slot: Slot,
        /// Why it is hung up; `None` when it already ended.
        hang_up: Option<&'static str>,
    },
    /// The consultant's leg becomes the agent's leg.
    PromoteConsultant,
    /// Synthesize this text for the leg in `slot`; its sentences come back as
    /// [`super::LegEvent::Brief`].
    SayToLeg(Slot, String),
    /// Queue speech for the leg in `slot`.
    PlayToLeg(Slot, Arc<[i16]>),
    /// Relay audio along these routes from now on.
    Route(Routing),
    /// Tell the agent service.
    Agents(AgentRequest),
    /// Tell the operations board.
    Board(BoardUpdate),
    /// Count a figure.
    Count(Metric),
    /// Store this snapshot of the call record (the writer redacts only what is new in it).
    SaveRecord(Arc<CallRecord>),
}

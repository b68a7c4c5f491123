//! The call detail record: who called what, how it went, what was collected, where it is
//! recorded.

use crate::ids::CallId;
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// How a call ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CallOutcome {
    /// Still running.
    InProgress,
    /// The caller sent BYE.
    CallerHangup,
    /// The flow hung up.
    FlowHangup,
    /// The caller's RTP stopped for longer than the media timeout.
    MediaTimeout,
    /// The caller cancelled before the answer took.
    Cancelled,
    /// Ended by a server shutdown after the drain timeout.
    Shutdown,
    /// Ended by an error (lost dialog, socket failure, server crash).
    Failed,
}

impl CallOutcome {
    /// The outcome's stored and displayed name.
    pub fn name(self) -> &'static str {
        match self {
            CallOutcome::InProgress => "in_progress",
            CallOutcome::CallerHangup => "caller_hangup",
            CallOutcome::FlowHangup => "flow_hangup",
            CallOutcome::MediaTimeout => "media_timeout",
            CallOutcome::Cancelled => "cancelled",
            CallOutcome::Shutdown => "shutdown",
            CallOutcome::Failed => "failed",
        }
    }

    /// Parses a stored name.
    pub fn from_name(name: &str) -> Option<CallOutcome> {
        [
            CallOutcome::InProgress,
            CallOutcome::CallerHangup,
            CallOutcome::FlowHangup,
            CallOutcome::MediaTimeout,
            CallOutcome::Cancelled,
            CallOutcome::Shutdown,
            CallOutcome::Failed,
        ]
        .into_iter()
        .find(|outcome| outcome.name() == name)
    }
}

/// Who spoke a transcript line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Speaker {
    /// The person who called.
    Caller,
    /// Hotline's prompts and answers.
    Hotline,
}

/// One timestamped line of a call's transcript.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct TranscriptLine {
    /// When it was said (end of the caller's turn, start of Hotline's answer).
    pub at: DateTime<Utc>,
    /// Who said it.
    pub speaker: Speaker,
    /// What was said.
    pub text: String,
}

/// One call as the API and reviewers see it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CallRecord {
    /// Unique call ID.
    pub id: CallId,
    /// The caller (From user part).
    pub from: String,
    /// The dialled number.
    pub to: String,
    /// The flow that answered.
    pub flow: String,
    /// `speech` or `dtmf`.
    pub mode: String,
    /// When the call was answered.
    pub started_at: DateTime<Utc>,
    /// When it ended; `None` while active.
    pub ended_at: Option<DateTime<Utc>>,
    /// How it ended.
    pub outcome: CallOutcome,
    /// Every key the caller pressed, in order.
    pub digits: String,
    /// Values the flow collected.
    pub variables: BTreeMap<String, String>,
    /// What was said, both sides, in order.
    pub transcript: Vec<TranscriptLine>,
    /// The recording file.
    pub recording: Option<PathBuf>,
    /// The hand-over to a person, with the conversation summary, if the flow asked for one.
    pub handover: Option<serde_json::Value>,
    /// The agent who took the call, if one did.
    pub agent: Option<String>,
    /// The agent's wrap-up: disposition and notes.
    pub wrap_up: Option<WrapUp>,
}

/// What the day's totals need of one call, without its transcript.
#[derive(Debug, Clone, PartialEq)]
pub struct CallFigures {
    /// `speech`, `dtmf` or `chat`.
    pub mode: String,
    /// When it was answered.
    pub started_at: DateTime<Utc>,
    /// When it ended; `None` while active.
    pub ended_at: Option<DateTime<Utc>>,
    /// How it ended.
    pub outcome: CallOutcome,
    /// Whether the flow asked for a person.
    pub handed_over: bool,
    /// The agent who took it.
    pub agent: Option<String>,
    /// The value of the variable asked for, if the call stored one.
    pub variable: Option<String>,
}

/// What the agent noted after (or during) the call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct WrapUp {
    /// The agent who wrote it.
    pub agent: String,
    /// The disposition code (e.g. `resolved`, `follow_up`).
    pub disposition: String,
    /// Free-text notes.
    pub notes: String,
    /// When it was written.
    pub at: DateTime<Utc>,
}

impl CallRecord {
    /// A conversation that starts now, in progress, with nothing said or collected yet.
    pub fn starting(id: CallId, from: &str, to: &str, flow: &str, mode: &str) -> CallRecord {
        CallRecord {
            id,
            from: from.to_string(),
            to: to.to_string(),
            flow: flow.to_string(),
            mode: mode.to_string(),
            started_at: Utc::now(),
            ended_at: None,
            outcome: CallOutcome::InProgress,
            digits: String::new(),
            variables: BTreeMap::new(),
            transcript: Vec::new(),
            recording: None,
            handover: None,
            agent: None,
            wrap_up: None,
        }
    }
}

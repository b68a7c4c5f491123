//! The ACD's value types: agents' profiles and presence, priorities, transfer targets, settings,
//! outputs and the status snapshots desks and dashboards show.

use crate::ids::{AgentId, CallId};
use serde::Serialize;
use std::collections::BTreeMap;
use std::time::Duration;

/// Where an agent stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Presence {
    /// Not signed in.
    Offline,
    /// Signed in and waiting for a call.
    Available,
    /// Being offered a call: the phone rings, or the agent hears the brief.
    Ringing,
    /// Talking to a caller.
    OnCall,
    /// Finishing the last call's notes; available again when the wrap-up time is over.
    WrapUp,
    /// Signed in but not taking calls.
    Away,
}

impl Presence {
    /// The presence's name, as the API and desks write it.
    pub fn name(self) -> &'static str {
        match self {
            Presence::Offline => "offline",
            Presence::Available => "available",
            Presence::Ringing => "ringing",
            Presence::OnCall => "on_call",
            Presence::WrapUp => "wrap_up",
            Presence::Away => "away",
        }
    }

    /// Parses a name written by [`Presence::name`].
    pub fn from_name(name: &str) -> Option<Presence> {
        [
            Presence::Offline,
            Presence::Available,
            Presence::Ringing,
            Presence::OnCall,
            Presence::WrapUp,
            Presence::Away,
        ]
        .into_iter()
        .find(|presence| presence.name() == name)
    }
}

/// How urgently a waiting caller is served.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    /// In order of waiting.
    Normal,
    /// Complaints and upset callers: ahead of normal callers.
    Raised,
    /// VIP customers: first in any queue.
    Vip,
}

/// An agent as configured: who they are and what they are good at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentProfile {
    /// The agent.
    pub id: AgentId,
    /// The name desks and briefs show.
    pub display_name: String,
    /// Skill level (1 to 5, 5 best) by group.
    pub skills: BTreeMap<String, u8>,
}

/// Timing of the distributor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AcdSettings {
    /// After a call, how long before the agent is offered the next one.
    pub wrap_up: Duration,
    /// How often a waiting caller hears their position.
    pub announce_every: Duration,
    /// Per group: after this long waiting, move to that group.
    pub overflow: BTreeMap<String, (Duration, String)>,
    /// The handle time assumed until calls have been measured (for expected waits).
    pub assumed_handle_time: Duration,
}

/// Why an offered agent did not take the call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Declined {
    /// The agent said no (key or desk): they stay available for other calls.
    Rejected,
    /// The phone rang out: the agent is set away until they come back.
    NoAnswer,
    /// The phone could not be reached (error response, transport failure): set away.
    Unreachable,
}

impl Declined {
    /// What happened, for the conversation summary agents see ("agent3 did not answer").
    pub fn note(self, agent: &AgentId) -> String {
        match self {
            Declined::Rejected => format!("{agent} passed the call on"),
            Declined::NoAnswer => format!("{agent} did not answer"),
            Declined::Unreachable => format!("{agent} could not be reached"),
        }
    }
}

/// What the distributor decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AcdOutput {
    /// Ring `agent` for `call`.
    Offer {
        /// The waiting call.
        call: CallId,
        /// The agent to ring.
        agent: AgentId,
    },
    /// Stop offering `call` to `agent` (the agent signed out or lost their phone); the call
    /// keeps its place.
    Withdraw {
        /// The call.
        call: CallId,
        /// The agent.
        agent: AgentId,
    },
    /// Tell the caller where they are: on joining and every `announce_every`.
    Position {
        /// The waiting call.
        call: CallId,
        /// 1 for the next call to be served in its group.
        position: usize,
        /// How long until an agent is expected to take it.
        expected_wait: Duration,
    },
    /// The call waited too long and now waits for another group.
    Overflowed {
        /// The call.
        call: CallId,
        /// The group it left.
        from: String,
        /// The group it waits for now.
        to: String,
    },
    /// An agent's presence changed.
    PresenceChanged {
        /// The agent.
        agent: AgentId,
        /// The new presence.
        presence: Presence,
    },
}

/// An agent as desks and the API show them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AgentStatus {
    /// The agent.
    pub id: AgentId,
    /// Display name.
    pub display_name: String,
    /// Skill levels by group.
    pub skills: BTreeMap<String, u8>,
    /// Presence now.
    pub presence: Presence,
    /// Seconds in this presence.
    pub presence_seconds: u64,
    /// Registered phone contacts.
    pub contacts: usize,
    /// The call being offered or handled, if any.
    pub call: Option<CallId>,
}

/// One waiting call as dashboards show it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WaitingStatus {
    /// The call.
    pub call: CallId,
    /// 1 for the next to be served.
    pub position: usize,
    /// Its priority.
    pub priority: Priority,
    /// Seconds waited so far.
    pub waited_seconds: u64,
    /// The agent it is being offered to.
    pub offered_to: Option<AgentId>,
}

/// One skill group's queue.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QueueStatus {
    /// The group.
    pub group: String,
    /// Agents of the group signed in.
    pub signed_in: usize,
    /// Agents of the group available now.
    pub available: usize,
    /// The waiting calls, in the order they will be served.
    pub waiting: Vec<WaitingStatus>,
}

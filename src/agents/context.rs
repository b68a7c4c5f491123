//! What desks and call actors hear from the agent service: the context of a call offered to an
//! agent (the screen-pop), presence changes, and queue events for waiting callers.

use crate::acd::{AgentStatus, Presence, Priority, QueueStatus};
use crate::dialogue::Handover;
use crate::ids::{AgentId, CallId};
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::time::Duration;

/// Everything an agent sees about a call before talking to the caller.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CallContext {
    /// The call.
    pub call: CallId,
    /// The caller's number.
    pub caller: String,
    /// The number they dialled.
    pub dialled: String,
    /// The customer's name, when the flow found it.
    pub customer_name: Option<String>,
    /// The skill group the call waits for.
    pub group: String,
    /// How urgently.
    pub priority: Priority,
    /// When the caller started waiting.
    pub waiting_since: DateTime<Utc>,
    /// Why the caller wants a person, what they said, what was looked up and tried.
    pub handover: Handover,
    /// Where the recording so far can be fetched (`/api/calls/{id}/recording`).
    pub recording: String,
}

/// What the agent service tells a call actor about its place in the queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QueueEvent {
    /// The call could not join the queue (nobody of the group signed in, no such group).
    Refused(String),
    /// The caller's position and expected wait.
    Position {
        /// 1 for the next call to be served.
        position: usize,
        /// How long until an agent is expected.
        expected_wait: Duration,
    },
    /// Ring this agent.
    Offer {
        /// The agent.
        agent: AgentId,
    },
    /// Stop ringing this agent; the call keeps its place.
    Withdraw {
        /// The agent.
        agent: AgentId,
    },
    /// The agent asked for a consultation is free and reserved: call them.
    Consultant {
        /// The agent.
        agent: AgentId,
    },
    /// The agent asked for a consultation cannot take it.
    ConsultantRefused(String),
    /// The call now waits for another group.
    Overflowed {
        /// The group it left.
        from: String,
        /// The group it waits for.
        to: String,
    },
}

/// What agent desks are told, over their WebSocket.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum DeskEvent {
    /// An agent's presence changed.
    Presence {
        /// The agent.
        agent: AgentId,
        /// The new presence.
        presence: Presence,
    },
    /// A call is offered to the agent: the screen-pop.
    Offer {
        /// The agent.
        agent: AgentId,
        /// What the call is about.
        context: Box<CallContext>,
    },
    /// The offer to the agent ended without a conversation.
    OfferEnded {
        /// The agent.
        agent: AgentId,
        /// The call.
        call: CallId,
    },
    /// The agent's phone answered and the brief plays.
    Briefing {
        /// The agent.
        agent: AgentId,
        /// The call.
        call: CallId,
    },
    /// Caller and agent are connected.
    Connected {
        /// The agent.
        agent: AgentId,
        /// The call.
        call: CallId,
    },
    /// The agent's call is over: time for wrap-up notes.
    Ended {
        /// The agent.
        agent: AgentId,
        /// The call.
        call: CallId,
    },
    /// A fresh view of every agent and queue.
    Status {
        /// Every agent.
        agents: Vec<AgentStatus>,
        /// Every queue.
        queues: Vec<QueueStatus>,
    },
}

impl DeskEvent {
    /// The agent the event is about, if it is about one.
    pub fn agent(&self) -> Option<&AgentId> {
        match self {
            DeskEvent::Presence { agent, .. }
            | DeskEvent::Offer { agent, .. }
            | DeskEvent::OfferEnded { agent, .. }
            | DeskEvent::Briefing { agent, .. }
            | DeskEvent::Connected { agent, .. }
            | DeskEvent::Ended { agent, .. } => Some(agent),
            DeskEvent::Status { .. } => None,
        }
    }
}

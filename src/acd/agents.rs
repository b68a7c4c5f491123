//! The agents the distributor knows: presence, reachability, the call in hand, and how long each
//! has been idle.
//!
//! Invariant: every presence change goes through [`Agent::set`], which reports it once.

use super::model::{AcdOutput, AgentProfile, AgentStatus, Presence};
use crate::ids::CallId;
use std::collections::VecDeque;
use std::time::Instant;

/// One configured agent and their state.
#[derive(Debug)]
pub(super) struct Agent {
    pub profile: AgentProfile,
    pub presence: Presence,
    /// When the presence last changed.
    pub since: Instant,
    /// When the agent last became free for a call: the longest idle goes first.
    pub idle_since: Instant,
    /// Registered phone contacts.
    pub contacts: usize,
    /// The call offered or in hand.
    pub call: Option<CallId>,
    /// When the call in hand was connected.
    pub connected_at: Option<Instant>,
    /// When the wrap-up ends.
    pub wrap_up_until: Option<Instant>,
    /// What the agent chose while busy, applied when the call is over (away or offline).
    pub after_call: Option<Presence>,
}

impl Agent {
    pub fn new(profile: AgentProfile, now: Instant) -> Agent {
        Agent {
            profile,
            presence: Presence::Offline,
            since: now,
            idle_since: now,
            contacts: 0,
            call: None,
            connected_at: None,
            wrap_up_until: None,
            after_call: None,
        }
    }

    /// Changes the presence and reports it; becoming available starts the idle time.
    pub fn set(&mut self, presence: Presence, now: Instant, outputs: &mut VecDeque<AcdOutput>) {
        if presence == self.presence {
            return;
        }
        if presence == Presence::Available && self.presence != Presence::Ringing {
            self.idle_since = now;
        }
        if !matches!(presence, Presence::Ringing | Presence::OnCall) {
            self.call = None;
            self.connected_at = None;
        }
        if presence != Presence::WrapUp {
            self.wrap_up_until = None;
        }
        self.presence = presence;
        self.since = now;
        outputs.push_back(AcdOutput::PresenceChanged {
            agent: self.profile.id.clone(),
            presence,
        });
    }

    /// Whether the agent may be offered a call now.
    pub fn routable(&self) -> bool {
        self.presence == Presence::Available && self.contacts > 0
    }

    /// Signed in, whether or not taking calls.
    pub fn signed_in(&self) -> bool {
        self.presence != Presence::Offline
    }

    /// Skill level in `group`, if any.
    pub fn skill(&self, group: &str) -> Option<u8> {
        self.profile.skills.get(group).copied()
    }

    pub fn status(&self, now: Instant) -> AgentStatus {
        AgentStatus {
            id: self.profile.id.clone(),
            display_name: self.profile.display_name.clone(),
            skills: self.profile.skills.clone(),
            presence: self.presence,
            presence_seconds: now.saturating_duration_since(self.since).as_secs(),
            contacts: self.contacts,
            call: self.call,
        }
    }
}

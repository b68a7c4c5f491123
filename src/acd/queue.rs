//! The waiting calls of every group, kept in the order they are served.
//!
//! Invariant: [`Queue::entries`] is sorted by priority (highest first), then by when the call
//! started waiting, then by arrival; overflow changes an entry's group but never its place.

use super::model::Priority;
use crate::ids::{AgentId, CallId};
use std::cmp::Reverse;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

/// An agent who declined a call is not offered it again for this long (unless nobody else can
/// take it by then, it is offered to them again).
pub(super) const REOFFER_AFTER: Duration = Duration::from_secs(60);

/// One waiting call.
#[derive(Debug)]
pub(super) struct Entry {
    pub call: CallId,
    pub group: String,
    pub priority: Priority,
    /// When the caller started waiting: their place.
    pub enqueued_at: Instant,
    pub sequence: u64,
    /// When the call started waiting for its current group (overflow counts from here).
    pub group_since: Instant,
    pub offered_to: Option<AgentId>,
    /// Agents who declined it, and when.
    pub declined: BTreeMap<AgentId, Instant>,
    pub next_announcement: Instant,
}

impl Entry {
    fn key(&self) -> (Reverse<Priority>, Instant, u64) {
        (Reverse(self.priority), self.enqueued_at, self.sequence)
    }

    /// Whether `agent` declined this call recently.
    pub fn declined_by(&self, agent: &AgentId, now: Instant) -> bool {
        self.declined
            .get(agent)
            .is_some_and(|at| now.saturating_duration_since(*at) < REOFFER_AFTER)
    }
}

/// Every waiting call, in serving order.
#[derive(Debug, Default)]
pub(super) struct Queue {
    pub entries: Vec<Entry>,
    next_sequence: u64,
}

impl Queue {
    /// Adds a call at its place; `sequence` is filled in.
    pub fn insert(&mut self, mut entry: Entry) {
        entry.sequence = self.next_sequence;
        self.next_sequence += 1;
        let key = entry.key();
        let index = self.entries.partition_point(|other| other.key() <= key);
        self.entries.insert(index, entry);
    }

    pub fn find(&self, call: CallId) -> Option<&Entry> {
        self.entries.iter().find(|entry| entry.call == call)
    }

    pub fn find_mut(&mut self, call: CallId) -> Option<&mut Entry> {
        self.entries.iter_mut().find(|entry| entry.call == call)
    }

    pub fn remove(&mut self, call: CallId) -> Option<Entry> {
        let index = self.entries.iter().position(|entry| entry.call == call)?;
        Some(self.entries.remove(index))
    }

    /// 1-based position of `call` among the calls waiting for its group.
    pub fn position(&self, call: CallId) -> Option<usize> {
        let entry = self.find(call)?;
        Some(
            self.entries
                .iter()
                .filter(|other| other.group == entry.group)
                .position(|other| other.call == call)?
                + 1,
        )
    }
}

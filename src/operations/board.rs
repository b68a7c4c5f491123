//! The board of conversations in progress: each call actor and chat session puts its own line
//! on it and keeps it current (state, flow step, intent, agent); the dashboard reads it. Also
//! today's queue answers, for the service level.

use crate::ids::CallId;
use crate::storage::CallRecord;
use chrono::{DateTime, NaiveDate, Utc};
use dashmap::DashMap;
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

/// Where a conversation stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CallState {
    /// In the flow.
    Ivr,
    /// Waiting in a queue.
    Queued,
    /// An agent's phone rings (or the agent hears the brief and decides).
    Ringing,
    /// Talking to an agent.
    WithAgent,
    /// Held by the agent.
    OnHold,
}

/// One conversation in progress.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct LiveCall {
    /// The call or chat.
    #[schema(value_type = String)]
    pub id: CallId,
    /// The caller.
    pub from: String,
    /// The dialled number (`chat` for chats).
    pub to: String,
    /// The flow it runs.
    pub flow: String,
    /// `speech`, `dtmf` or `chat`.
    pub mode: String,
    /// Where it stands.
    pub state: CallState,
    /// The flow step it is in.
    pub step: Option<String>,
    /// The intent understood last.
    pub intent: Option<String>,
    /// The agent it is with or offered to.
    pub agent: Option<String>,
    /// When it began.
    pub started_at: DateTime<Utc>,
}

impl LiveCall {
    /// The line of the conversation `record` is the record of, as it begins: in the flow.
    pub fn starting(record: &CallRecord) -> LiveCall {
        LiveCall {
            id: record.id,
            from: record.from.clone(),
            to: record.to.clone(),
            flow: record.flow.clone(),
            mode: record.mode.clone(),
            state: CallState::Ivr,
            step: None,
            intent: None,
            agent: None,
            started_at: record.started_at,
        }
    }
}

/// What a conversation's line says that changes while it runs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Progress {
    /// Where it stands; `None` is in the flow.
    pub state: Option<CallState>,
    /// The flow step.
    pub step: Option<String>,
    /// The intent understood last.
    pub intent: Option<String>,
    /// The agent.
    pub agent: Option<String>,
}

/// Calls answered by an agent today in one group.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct QueueTally {
    /// Answered by an agent.
    pub answered: u64,
    /// Answered within the service level target.
    pub within_target: u64,
}

#[derive(Default)]
struct Tallies {
    day: Option<NaiveDate>,
    groups: BTreeMap<String, QueueTally>,
}

/// The board; cheap to clone.
#[derive(Clone, Default)]
pub struct CallBoard {
    calls: Arc<DashMap<CallId, LiveCall>>,
    tallies: Arc<Mutex<Tallies>>,
    target: Duration,
}

impl CallBoard {
    /// An empty board; answers within `target` count toward the service level.
    pub fn new(target: Duration) -> CallBoard {
        CallBoard {
            target,
            ..CallBoard::default()
        }
    }

    /// Puts a conversation on the board.
    pub fn show(&self, call: LiveCall) {
        self.calls.insert(call.id, call);
    }

    /// Updates a conversation's line.
    pub fn progress(&self, id: CallId, progress: &Progress) {
        if let Some(mut call) = self.calls.get_mut(&id) {
            call.state = progress.state.unwrap_or(CallState::Ivr);
            call.step.clone_from(&progress.step);
            call.intent.clone_from(&progress.intent);
            call.agent.clone_from(&progress.agent);
        }
    }

    /// Takes a conversation off the board.
    pub fn remove(&self, id: CallId) {
        self.calls.remove(&id);
    }

    /// Every conversation in progress, oldest first.
    pub fn calls(&self) -> Vec<LiveCall> {
        let mut calls: Vec<LiveCall> = self.calls.iter().map(|call| call.clone()).collect();
        calls.sort_by_key(|call| call.started_at);
        calls
    }

    /// Counts a call of `group` answered by an agent after waiting `wait`.
    pub fn answered(&self, group: &str, wait: Duration, now: DateTime<Utc>) {
        let mut tallies = self.tallies.lock().unwrap_or_else(PoisonError::into_inner);
        if tallies.day != Some(now.date_naive()) {
            tallies.day = Some(now.date_naive());
            tallies.groups.clear();
        }
        let tally = tallies.groups.entry(group.to_string()).or_default();
        tally.answered += 1;
        if wait <= self.target {
            tally.within_target += 1;
        }
    }

    /// Today's answers by group.
    pub fn tallies(&self, now: DateTime<Utc>) -> BTreeMap<String, QueueTally> {
        let tallies = self.tallies.lock().unwrap_or_else(PoisonError::into_inner);
        match tallies.day == Some(now.date_naive()) {
            true => tallies.groups.clone(),
            false => BTreeMap::new(),
        }
    }

    /// The service level target.
    pub fn target(&self) -> Duration {
        self.target
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_follow_their_conversation_and_answers_are_counted_per_day() {
        let board = CallBoard::new(Duration::from_secs(20));
        let id = CallId::new();
        let started_at = Utc::now();
        board.show(LiveCall {
            id,
            from: "alice".into(),
            to: "1000".into(),
            flow: "main".into(),
            mode: "speech".into(),
            state: CallState::Ivr,
            step: None,
            intent: None,
            agent: None,
            started_at,
        });
        let progress = Progress {
            state: Some(CallState::Queued),
            step: Some("agent".into()),
            intent: Some("billing_issue".into()),
            agent: None,
        };
        board.progress(id, &progress);
        let calls = board.calls();
        assert_eq!(calls[0].state, CallState::Queued);
        assert_eq!(calls[0].intent.as_deref(), Some("billing_issue"));
        board.remove(id);
        assert!(board.calls().is_empty());
        board.answered("billing", Duration::from_secs(5), started_at);
        board.answered("billing", Duration::from_secs(50), started_at);
        let tally = board.tallies(started_at)["billing"];
        assert_eq!((tally.answered, tally.within_target), (2, 1));
        let tomorrow = started_at + chrono::Duration::days(1);
        assert!(board.tallies(tomorrow).is_empty());
    }
}

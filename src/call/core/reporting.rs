//! A call's line on the operations board, kept current, and the conversation figures the
//! dashboard charts: end-of-turn latency, recognition confidence, utterances not understood.
//!
//! Invariant: a line is sent only when it differs from the last one sent, and the comparison
//! borrows, so an unchanged call allocates nothing (it runs after every input).

use crate::acd::Stage;
use crate::ids::AgentId;
use crate::operations::{CallState, Progress};
use std::time::{Duration, Instant};

/// What the call last put on the board, and the caller's turn waiting for an answer.
#[derive(Debug, Default)]
pub(super) struct Reporting {
    shown: Progress,
    turn_ended: Option<Instant>,
}

impl Reporting {
    /// The call's line if it changed since it was last shown.
    pub fn changed(
        &mut self,
        stage: Option<&Stage>,
        step: Option<&str>,
        intent: Option<&str>,
    ) -> Option<Progress> {
        let (state, agent) = stage.map(state_of).unwrap_or((None, None));
        let agent = agent.map(AgentId::as_str);
        let shown = &self.shown;
        if shown.state == state
            && shown.step.as_deref() == step
            && shown.intent.as_deref() == intent
            && shown.agent.as_deref() == agent
        {
            return None;
        }
        let progress = Progress {
            state,
            step: step.map(String::from),
            intent: intent.map(String::from),
            agent: agent.map(String::from),
        };
        self.shown = progress.clone();
        Some(progress)
    }

    /// A caller's turn ended at `ended`.
    pub fn turn_ended(&mut self, ended: Instant) {
        self.turn_ended = Some(ended);
    }

    /// Hotline's answer starts to play at `now`: the end-of-turn latency of the turn it
    /// answers, once.
    pub fn answer_started(&mut self, now: Instant) -> Option<Duration> {
        self.turn_ended
            .take()
            .map(|ended| now.saturating_duration_since(ended))
    }
}

/// Where a hand-over stands, and the agent involved.
fn state_of(stage: &Stage) -> (Option<CallState>, Option<&AgentId>) {
    let (state, agent) = match stage {
        Stage::Waiting => (CallState::Queued, None),
        Stage::Ringing { agent, .. }
        | Stage::Briefing { agent }
        | Stage::Deciding { agent, .. } => (CallState::Ringing, Some(agent)),
        Stage::Connected { agent, held: true } => (CallState::OnHold, Some(agent)),
        Stage::Connected { agent, .. } | Stage::Consulting { agent, .. } => {
            (CallState::WithAgent, Some(agent))
        }
        Stage::Done => return (None, None),
    };
    (Some(state), agent)
}

//! A call's line on the operations board, kept current, and the conversation figures the
//! dashboard charts: end-of-turn latency, recognition confidence, utterances not understood.

use super::actor::CallActor;
use super::transfer::TransferPhase;
use crate::acd::Stage;
use crate::ids::AgentId;
use crate::operations::{CallState, LiveCall, Progress};
use std::time::{Duration, Instant};

/// What the call last put on the board, and the caller's turn waiting for an answer.
#[derive(Default)]
pub(super) struct Reporting {
    shown: Progress,
    turn_ended: Option<Instant>,
}

impl CallActor {
    /// Puts the call on the board.
    pub(super) fn show_on_board(&self) {
        let line = LiveCall::starting(&self.record);
        self.registry.services.board.show(line);
    }

    /// Updates the call's line where it changed. Runs on every turn of the actor's loop, so it
    /// compares borrowed values and allocates only when something changed.
    pub(super) fn report_progress(&mut self) {
        let (state, agent) = stage_of(self.transfer.as_ref());
        let step = self.flow.step();
        let intent = self.flow.variables().get("intent").map(String::as_str);
        let agent = agent.map(AgentId::as_str);
        let shown = &self.reporting.shown;
        if shown.state == state
            && shown.step.as_deref() == step
            && shown.intent.as_deref() == intent
            && shown.agent.as_deref() == agent
        {
            return;
        }
        let progress = Progress {
            state,
            step: step.map(String::from),
            intent: intent.map(String::from),
            agent: agent.map(String::from),
        };
        self.registry.services.board.progress(self.id, &progress);
        self.reporting.shown = progress;
    }

    /// A caller's turn ended `decoding` ago (it was being recognised since) with `confidence`.
    pub(super) fn report_turn(&mut self, decoding: Duration, confidence: f32) {
        let metrics = &self.registry.services.metrics;
        metrics.asr_confidence.observe(f64::from(confidence));
        self.reporting.turn_ended = Some(Instant::now() - decoding);
    }

    /// Hotline's answer starts to play: the end-of-turn latency of the turn it answers.
    pub(super) fn report_answer_started(&mut self) {
        if let Some(ended) = self.reporting.turn_ended.take() {
            let metrics = &self.registry.services.metrics;
            metrics.turn_latency.observe(ended.elapsed().as_secs_f64());
        }
    }

    /// The flow heard an utterance, and used it or not.
    pub(super) fn report_heard(&self, understood: bool) {
        if !understood {
            self.registry.services.metrics.no_matches.inc();
        }
    }
}

/// Where a hand-over stands, and the agent involved.
fn stage_of(transfer: Option<&TransferPhase>) -> (Option<CallState>, Option<&AgentId>) {
    let Some(transfer) = transfer else {
        return (None, None);
    };
    let (state, agent) = match transfer.machine.stage() {
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

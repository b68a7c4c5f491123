//! One chat session's actor: runs the flow engine on the user's messages and turns what the
//! flow plays into text.

use super::{ChatServices, ChatTurn, IDLE_TIMEOUT};
use crate::conversation::Errands;
use crate::dialogue::{Flow, FlowAction, FlowEngine, FlowEvent, Handover};
use crate::ids::CallId;
use crate::operations::{LiveCall, Progress};
use crate::storage::{CallOutcome, CallRecord, Speaker, TranscriptLine};
use std::sync::Arc;
use std::time::Instant;
use tokio::sync::{mpsc, oneshot};
use tracing::{debug, info};

/// A message from the user, with where to send the flow's answer.
pub(super) struct SessionCommand {
    pub text: String,
    pub reply: oneshot::Sender<ChatTurn>,
}

/// Everything a new session needs.
pub(super) struct SessionSetup {
    pub id: CallId,
    pub flow: Arc<Flow>,
    pub services: Arc<ChatServices>,
    pub commands: mpsc::Receiver<SessionCommand>,
    pub opening: oneshot::Sender<ChatTurn>,
}

struct Session {
    id: CallId,
    flow: Arc<Flow>,
    engine: FlowEngine,
    errands: Errands,
    /// Errands whose event has not arrived yet.
    outstanding: usize,
    /// Of those, lookups: while one runs, the flow's guard timer counts.
    lookups: usize,
    services: Arc<ChatServices>,
    record: CallRecord,
    messages: Vec<String>,
    handover: Option<Handover>,
}

/// Runs a session from its opening to its end.
pub(super) async fn run(setup: SessionSetup) {
    let SessionSetup {
        id,
        flow,
        services,
        mut commands,
        opening,
    } = setup;
    let mut session = Session::new(id, flow, services);
    session.show_on_board();
    session.engine.start(Instant::now(), chrono::Utc::now());
    let turn = session.settle().await;
    session.report_progress();
    // A flow may end in its opening (it says one thing and hangs up); the user still gets it.
    let finished = turn.ended;
    let mut ended = opening.send(turn).is_err() || finished;
    while !ended {
        let command = tokio::time::timeout(IDLE_TIMEOUT, commands.recv()).await;
        let Ok(Some(command)) = command else {
            info!(chat = %id, "chat session idle: closing it");
            session.record.outcome = CallOutcome::CallerHangup;
            break;
        };
        session.record.transcript.push(TranscriptLine {
            at: chrono::Utc::now(),
            speaker: Speaker::Caller,
            text: command.text.clone(),
        });
        if let Some(event) = session.errands.understand(command.text, 1.0) {
            session.handle(event);
        } else {
            session.outstanding += 1;
        }
        let turn = session.settle().await;
        session.report_progress();
        ended = turn.ended;
        // A user who stopped waiting still has the answer in the session's record.
        let _ = command.reply.send(turn);
    }
    session.services.board.remove(id);
    session.record.ended_at = Some(chrono::Utc::now());
    session
        .record
        .variables
        .extend(session.engine.variables().clone());
    session.services.records.save(session.record);
}

impl Session {
    /// Puts the session on the operations board.
    fn show_on_board(&self) {
        self.services.board.show(LiveCall::starting(&self.record));
    }

    /// Updates the session's line: its step and the intent understood last.
    fn report_progress(&self) {
        let progress = Progress {
            step: self.engine.step().map(String::from),
            intent: self.engine.variables().get("intent").cloned(),
            ..Progress::default()
        };
        self.services.board.progress(self.record.id, &progress);
    }

    fn new(id: CallId, flow: Arc<Flow>, services: Arc<ChatServices>) -> Session {
        let mut engine = FlowEngine::new(flow.clone());
        engine.set_variable("caller", "");
        engine.set_variable("dialled", "");
        engine.set_variable("channel", "chat");
        engine.set_variable("server", &services.http_origin);
        let errands = Errands::new(
            &flow.understanding,
            services.speech.understanding(flow.language).cloned(),
            services.lookups.clone(),
        );
        let record = CallRecord::starting(id, "web chat", "chat", &flow.name, "chat");
        services.records.save(record.clone());
        Session {
            id,
            flow,
            engine,
            errands,
            outstanding: 0,
            lookups: 0,
            services,
            record,
            messages: Vec::new(),
            handover: None,
        }
    }

    fn handle(&mut self, event: FlowEvent) {
        self.engine
            .handle_event(Instant::now(), chrono::Utc::now(), event);
    }

    /// Runs the flow until it waits for the user (or ends), and returns what it said.
    async fn settle(&mut self) -> ChatTurn {
        loop {
            self.run_actions();
            if self.engine.is_finished() || self.outstanding == 0 {
                break;
            }
            // Only a lookup's guard timer runs in chat; no-input timers wait for the user.
            let deadline = self.engine.poll_timeout().filter(|_| self.lookups > 0);
            tokio::select! {
                event = self.errands.next() => {
                    self.outstanding = self.outstanding.saturating_sub(1);
                    if matches!(event, FlowEvent::LookupFinished(_)) {
                        self.lookups = self.lookups.saturating_sub(1);
                    }
                    self.handle(event);
                }
                _ = sleep_until(deadline) => {
                    self.engine.handle_timeout(Instant::now(), chrono::Utc::now());
                }
            }
        }
        let ended = self.engine.is_finished();
        if ended {
            self.record.outcome = CallOutcome::FlowHangup;
            self.record.ended_at = Some(chrono::Utc::now());
        }
        self.services.records.save(self.record.clone());
        ChatTurn {
            session: self.id,
            messages: std::mem::take(&mut self.messages),
            language: self.flow.language,
            ended,
            handover: self.handover.take(),
        }
    }

    fn run_actions(&mut self) {
        while let Some(action) = self.engine.poll_action() {
            match action {
                FlowAction::Play { path, .. } => {
                    let caption = self.flow.captions.get(&path).cloned();
                    if caption.is_none() {
                        debug!(chat = %self.id, path = %path.display(), "prompt without a caption");
                    }
                    self.said(caption.unwrap_or_default());
                }
                FlowAction::Say { text, .. } => self.said(text),
                FlowAction::StopPlayback
                | FlowAction::StepEntered { .. }
                | FlowAction::Recording { .. } => {}
                FlowAction::Heard { .. } => {}
                FlowAction::Collected { variable, value } => {
                    self.record.variables.insert(variable, value);
                }
                FlowAction::Hangup { reason } => {
                    debug!(chat = %self.id, %reason, "flow ended the chat");
                }
                FlowAction::Lookup(request) => {
                    self.outstanding += 1;
                    self.lookups += 1;
                    self.errands.look_up(request);
                }
                FlowAction::Transfer(handover) => {
                    info!(chat = %self.id, group = %handover.group, reason = %handover.reason, "chat transfer requested");
                    self.record.handover = serde_json::to_value(&*handover).ok();
                    let reason = format!("no agent of group '{}' is signed in", handover.group);
                    self.handover = Some(*handover);
                    self.handle(FlowEvent::TransferFailed { reason });
                }
            }
        }
    }

    /// Hotline said `text`: into the reply and the transcript; playback is instant in chat.
    fn said(&mut self, text: String) {
        if !text.is_empty() {
            self.record.transcript.push(TranscriptLine {
                at: chrono::Utc::now(),
                speaker: Speaker::Hotline,
                text: text.clone(),
            });
            self.messages.push(text);
        }
        self.handle(FlowEvent::PlaybackFinished);
    }
}

/// Sleeps until `deadline`, or forever without one.
async fn sleep_until(deadline: Option<Instant>) {
    match deadline {
        Some(deadline) => tokio::time::sleep_until(tokio::time::Instant::from_std(deadline)).await,
        None => std::future::pending().await,
    }
}

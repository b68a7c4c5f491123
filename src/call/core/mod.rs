//! The call core, sans-IO: every decision of one answered call, from the flow's first prompt to
//! its record's last line.
//!
//! [`CallCore`] owns the flow engine, the transfer phase with its [`crate::acd::WarmTransfer`],
//! barge-in, the recording's marks and the call record. It is told what happens
//! ([`CallCore::handle_input`], [`CallCore::handle_timeout`], each with one reading of the
//! clocks) and says what to do as plain values ([`CallCore::poll_output`]); it never touches a
//! socket, a task, a thread, a lock, a file or a clock. The call's driver (`call::actor`) owns
//! the media sessions, sockets and models and carries the outputs out.
//!
//! Invariants: while a transfer runs, the flow hears nothing of the caller (keys belong to the
//! transfer, speech is not recognised); a prompt the flow made uninterruptible is never stopped
//! by caller speech; whatever ends the call, [`CallCore::end_call`] and [`CallCore::close`]
//! release every leg and leave a final record.

mod effects;
mod input;
mod interruption;
#[cfg(test)]
mod interruption_tests;
mod output;
mod reporting;
mod routing;
mod speculation;
mod transfer;

pub use effects::Playback;
pub use input::{CallInput, LegEvent, MediaActivity, Now, Recognised, SpeechPart};
pub use output::{AgentRequest, BoardUpdate, CallOutput, KeySource, Metric, Sound};
pub use routing::{Party, Routing, Slot};

use crate::asr::Transcript;
use crate::config::Config;
use crate::dialogue::{Flow, FlowAction, FlowEngine, FlowEvent, Handover};
use crate::ids::CallId;
use crate::language::Language;
use crate::operations::LiveCall;
use crate::recording::{MarkEvent, Redactor};
use crate::sip::EndReason;
use crate::storage::{CallOutcome, CallRecord, Speaker, TranscriptLine};
use effects::Effects;
use interruption::Interruption;
use reporting::Reporting;
use speculation::Speculation;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tracing::{debug, info, warn};
use transfer::{Next, Settings, TransferPhase};

/// What the transcript holds for what a caller said while the recording was paused.
const NOT_RECORDED: &str = "(said while the recording was paused)";
/// What the call record's keys hold for a key pressed while the recording was paused.
const PAUSED_KEY: char = '•';

/// The outcome of a dialog that ended on the SIP side.
pub fn outcome_of(reason: &EndReason) -> CallOutcome {
    match reason {
        EndReason::CallerHangup => CallOutcome::CallerHangup,
        EndReason::Cancelled => CallOutcome::Cancelled,
        EndReason::HotlineHangup => CallOutcome::FlowHangup,
        EndReason::Failed(_) => CallOutcome::Failed,
    }
}

/// Everything a core needs to start.
pub struct CoreSetup {
    /// The flow the call runs.
    pub flow: Arc<Flow>,
    /// The flow in other languages: the language of the caller's first words picks the one
    /// the call goes on in (empty on a line with one language).
    pub translations: Vec<Arc<Flow>>,
    /// The call record as answered (started, its recording named).
    pub record: CallRecord,
    /// The server's configuration.
    pub config: Arc<Config>,
    /// Masks personal data in logs, transcripts and the desk's context.
    pub redactor: Redactor,
    /// A voice is there to speak `say` steps, announcements and briefs.
    pub voice: bool,
    /// The call is being recorded.
    pub recording: bool,
    /// Hotline's own HTTP origin, the flows' `{server}`.
    pub http_origin: String,
}

/// One answered call's decisions.
pub struct CallCore {
    id: CallId,
    /// The configuration, and whether a voice is there.
    settings: Settings,
    flow: FlowEngine,
    /// Translations still to choose from; emptied once the caller's words settled the language.
    translations: Vec<Arc<Flow>>,
    transfer: Option<TransferPhase>,
    fx: Effects,
    interruption: Interruption,
    reporting: Reporting,
    /// Whether the caller's stream flows both ways (not on hold), for the media timeout.
    sending_and_receiving: bool,
    /// Since when the caller's stream flows both ways.
    answered_at: Instant,
    outcome: Option<CallOutcome>,
    routing: Routing,
    speculation: Speculation,
}

impl CallCore {
    /// A core for an answered call; nothing happens until [`CallCore::start`].
    pub fn new(setup: CoreSetup, now: Now) -> CallCore {
        let record = setup.record;
        let mut flow = FlowEngine::new(setup.flow);
        flow.set_variable("caller", &record.from);
        flow.set_variable("dialled", &record.to);
        flow.set_variable("channel", "voice");
        flow.set_variable("server", &setup.http_origin);
        CallCore {
            id: record.id,
            settings: Settings {
                config: setup.config,
                voice: setup.voice,
            },
            flow,
            translations: setup.translations,
            transfer: None,
            fx: Effects::new(record, setup.recording, setup.redactor),
            interruption: Interruption::default(),
            reporting: Reporting::default(),
            sending_and_receiving: true,
            answered_at: now.instant,
            outcome: None,
            routing: Routing::default(),
            speculation: Speculation::default(),
        }
    }

    /// Puts the call on the board and enters the flow's first step.
    pub fn start(&mut self, now: Now) {
        let line = LiveCall::starting(self.fx.record());
        self.fx.emit(CallOutput::Board(BoardUpdate::Show(line)));
        self.flow.start(now.instant, now.wall);
        self.settle(now);
    }

    /// Feeds one input.
    pub fn handle_input(&mut self, now: Now, input: CallInput) {
        match input {
            CallInput::Key(key, source) => {
                self.fx.emit(CallOutput::Count(Metric::Key(source)));
                self.key(now, key);
            }
            CallInput::AudioDirection {
                sending_and_receiving,
            } => {
                if sending_and_receiving {
                    self.answered_at = now.instant;
                }
                self.sending_and_receiving = sending_and_receiving;
            }
            CallInput::DialogEnded(reason) => {
                if let EndReason::Failed(why) = &reason {
                    warn!(call = %self.id, %why, "dialog failed");
                }
                self.end(outcome_of(&reason));
            }
            CallInput::HangUp(outcome) => self.end(outcome),
            CallInput::PlaybackFinished => self.playback_finished(now),
            CallInput::PlaybackFailed => self.playback_failed(now),
            CallInput::BargeIn => {
                debug!(call = %self.id, "caller speaks over the prompt");
                self.interruption
                    .detected(&mut self.flow, now.instant, now.wall);
            }
            CallInput::Recognised(recognised) => self.recognised(now, recognised),
            CallInput::Errand(event) => self.flow_event(now, event),
            CallInput::TentativeMeaning { text, meaning } => {
                self.tentative_meaning(now, &text, meaning)
            }
            CallInput::Spoken(part) => self.spoken(now, part),
            CallInput::RecordingStopped => self.fx.recording_stopped(),
            CallInput::Queue(event) => self.on_queue(now, event),
            CallInput::Leg(slot, event) => {
                let next = match self.transfer.as_mut() {
                    Some(transfer) => {
                        transfer.on_leg(now, slot, event, &self.settings, &mut self.fx)
                    }
                    None => Next::Stay,
                };
                self.follow(now, next);
            }
            CallInput::Desk(agent, command) => {
                let next = match self.transfer.as_mut() {
                    Some(transfer) => {
                        transfer.on_desk(now, agent, command, &self.settings, &mut self.fx)
                    }
                    None => Next::Stay,
                };
                self.follow(now, next);
            }
            CallInput::Monitor(supervisor, mode) => {
                if let Some(transfer) = self.transfer.as_mut() {
                    transfer.on_monitor(supervisor, mode, &mut self.fx);
                }
            }
        }
        self.settle(now);
    }

    /// Runs the timers that are due at `now`: the flow's, the transfer's, and the media
    /// timeouts (checked at every call, so the driver calls this on every media tick).
    pub fn handle_timeout(&mut self, now: Now, activity: &MediaActivity) {
        self.flow.handle_timeout(now.instant, now.wall);
        if let Some(transfer) = self.transfer.as_mut() {
            let next = transfer.handle_timeout(now, activity, &self.settings, &mut self.fx);
            self.follow(now, next);
        }
        if self.sending_and_receiving {
            let media_timeout = self.settings.config.media.media_timeout;
            let last = activity.caller.unwrap_or(self.answered_at);
            if now.instant.saturating_duration_since(last) > media_timeout {
                info!(call = %self.id, "no RTP for {media_timeout:?}: hanging up");
                self.end(CallOutcome::MediaTimeout);
            }
        }
        self.settle(now);
    }

    /// When [`CallCore::handle_timeout`] next has timer work (media timeouts aside).
    pub fn poll_timeout(&self) -> Option<Instant> {
        let transfer = self.transfer.as_ref().and_then(TransferPhase::poll_timeout);
        [self.flow.poll_timeout(), transfer]
            .into_iter()
            .flatten()
            .min()
    }

    /// The next thing to do.
    pub fn poll_output(&mut self) -> Option<CallOutput> {
        self.fx.poll()
    }

    /// How the call ended, once it has.
    pub fn outcome(&self) -> Option<CallOutcome> {
        self.outcome
    }

    /// Whether the caller's speech goes to recognition now (not while transferring).
    pub fn listening(&self) -> bool {
        self.transfer.is_none() && self.outcome.is_none()
    }

    /// Whether barge-in detection should watch the caller now.
    pub fn watching_for_barge_in(&self) -> bool {
        self.interruption.watching(self.fx.playback.playing)
    }

    /// The words the current step expects, to bias recognition.
    pub fn expected_phrases(&self) -> Vec<String> {
        self.flow.expected_phrases()
    }

    /// What the caller hears now, as far as the core asked for it.
    pub fn playback(&self) -> Playback {
        self.fx.playback
    }

    /// The call record as it stands.
    pub fn record(&self) -> &CallRecord {
        self.fx.record()
    }

    /// Who hears whom now.
    pub fn routing(&self) -> Routing {
        self.routing
    }

    /// The step the flow is in.
    pub fn step(&self) -> Option<&str> {
        self.flow.step()
    }

    /// The call is over ([`CallCore::outcome`] is set, or the driver lost its commands): the
    /// transfer ends, the dialog is hung up where Hotline ends the call, the board forgets it.
    pub fn end_call(&mut self, now: Now) -> CallOutcome {
        let outcome = *self.outcome.get_or_insert(CallOutcome::Failed);
        if let Some(transfer) = self.transfer.take() {
            transfer.caller_left(now, &self.settings, &mut self.fx);
        }
        if matches!(
            outcome,
            CallOutcome::FlowHangup
                | CallOutcome::MediaTimeout
                | CallOutcome::Shutdown
                | CallOutcome::Failed
        ) {
            self.fx.emit(CallOutput::HangUp(outcome.name()));
        }
        self.fx.emit(CallOutput::Board(BoardUpdate::Remove));
        outcome
    }

    /// The call's recording is sealed: the record gets its outcome, end and the flow's
    /// variables.
    pub fn close(&mut self, now: Now) {
        let outcome = self.outcome.unwrap_or(CallOutcome::Failed);
        self.fx.emit(CallOutput::Count(Metric::CallEnded(outcome)));
        let variables = self.flow.variables().clone();
        let record = self.fx.record_mut();
        record.outcome = outcome;
        record.ended_at = Some(now.wall);
        record.variables.extend(variables);
    }

    /// The transcripts of the caller's last turns, recognised after the call ended.
    pub fn last_turns(&mut self, now: Now, transcripts: Vec<Transcript>) {
        for transcript in transcripts {
            if transcript.text.is_empty() {
                continue;
            }
            let text = self.fx.redactor().redact(&transcript.text);
            info!(call = %self.id, %text, "heard as the call ended");
            self.fx.record_mut().transcript.push(TranscriptLine {
                at: now.wall,
                speaker: Speaker::Caller,
                text,
            });
        }
    }

    fn end(&mut self, outcome: CallOutcome) {
        if self.outcome.is_none() {
            self.outcome = Some(outcome);
        }
    }

    fn flow_event(&mut self, now: Now, event: FlowEvent) {
        self.flow.handle_event(now.instant, now.wall, event);
    }

    /// Leaves the transfer when it says so, and tells the flow.
    fn follow(&mut self, now: Now, next: Next) {
        if let Next::Leave(event) = next {
            self.transfer = None;
            self.flow_event(now, event);
        }
    }

    /// After every input: the flow's actions are carried out, the routes and the board line
    /// follow what changed.
    fn settle(&mut self, now: Now) {
        self.run_flow_actions(now);
        let situation = self
            .transfer
            .as_ref()
            .map(TransferPhase::situation)
            .unwrap_or_default();
        let routing = Routing::of(situation);
        if routing != self.routing {
            self.routing = routing;
            self.fx.emit(CallOutput::Route(routing));
        }
        let stage = self.transfer.as_ref().map(TransferPhase::stage);
        let intent = self.flow.variables().get("intent").map(String::as_str);
        if let Some(progress) = self.reporting.changed(stage, self.flow.step(), intent) {
            self.fx
                .emit(CallOutput::Board(BoardUpdate::Progress(progress)));
        }
    }

    fn key(&mut self, now: Now, key: char) {
        let paused = self.fx.recording_paused();
        self.fx
            .record_mut()
            .digits
            .push(if paused { PAUSED_KEY } else { key });
        let offers_callback = self.flow.transfer_offers_callback();
        match self.transfer.as_mut() {
            Some(transfer) => {
                let next =
                    transfer.caller_key(now, key, offers_callback, &self.settings, &mut self.fx);
                self.follow(now, next);
            }
            None => self.flow_event(now, FlowEvent::Digit(key)),
        }
    }

    fn recognised(&mut self, now: Now, recognised: Recognised) {
        if self.transfer.is_some() {
            // Waiting for or talking to an agent: the flow is not listening.
            return;
        }
        match recognised {
            Recognised::Turn(Ok(transcript)) => {
                debug!(
                    call = %self.id,
                    text = %transcript.text,
                    confidence = transcript.confidence,
                    decode_seconds = transcript.decode_seconds,
                    "recognised"
                );
                let decoding = Duration::from_secs_f64(transcript.decode_seconds.max(0.0));
                let confidence = transcript.confidence;
                self.fx
                    .emit(CallOutput::Count(Metric::RecognitionConfidence(confidence)));
                let ended = now.instant.checked_sub(decoding).unwrap_or(now.instant);
                self.reporting.turn_ended(ended);
                if !transcript.text.trim().is_empty() {
                    self.settle_language(transcript.language);
                }
                self.understand_turn(now, transcript);
            }
            Recognised::Turn(Err(error)) => warn!(call = %self.id, %error, "recognition failed"),
            // Before the language is settled, the words may be in another flow's language.
            Recognised::Tentative(transcript) => {
                if !self.translations.is_empty() {
                    debug!(call = %self.id, "the language is not settled: the turn ends in full");
                } else if self
                    .flow
                    .answers_step(&transcript.text, transcript.confidence)
                {
                    debug!(call = %self.id, "the caller's pause may already answer the step");
                    self.fx.emit(CallOutput::EndTurnWith(transcript));
                } else {
                    self.speculate(transcript);
                }
            }
        }
    }

    /// On a bilingual line, the caller's first words settle the call's language: in another
    /// language than the flow's, the call goes on in that language's translation, in the step
    /// of the same name (when it has one). Either way recognition, voice and understanding
    /// follow the settled language from now on.
    fn settle_language(&mut self, spoken: Language) {
        if self.translations.is_empty() {
            return;
        }
        let translations = std::mem::take(&mut self.translations);
        let translation = translations
            .into_iter()
            .find(|flow| flow.language == spoken && spoken != self.flow.language());
        if let Some(translation) = translation {
            let name = translation.name.clone();
            if self.flow.translate(translation) {
                info!(call = %self.id, language = %spoken, flow = %name, "the caller speaks another language");
                self.fx.record_mut().flow = name;
            } else {
                warn!(call = %self.id, flow = %name, step = ?self.flow.step(), "the translation has no such step; the call stays in its language");
            }
        }
        self.fx.emit(CallOutput::Language {
            language: self.flow.language(),
            flow: self.flow.understanding().to_string(),
        });
    }

    /// A sentence of the caller's answer arrived, or its end.
    fn spoken(&mut self, now: Now, part: SpeechPart) {
        if !self.fx.playback.speaking {
            return;
        }
        match part {
            Some(Ok(chunk)) => {
                self.answer_started(now);
                self.fx.play(Sound::Speech(chunk.samples));
                self.fx.record_mut().transcript.push(TranscriptLine {
                    at: now.wall,
                    speaker: Speaker::Hotline,
                    text: chunk.text,
                });
            }
            Some(Err(error)) => {
                warn!(call = %self.id, %error, "speech synthesis failed");
                self.finish_speaking(now);
            }
            None => self.finish_speaking(now),
        }
    }

    /// The answer is fully synthesized: once its audio has played, the flow moves on.
    fn finish_speaking(&mut self, now: Now) {
        self.fx.playback.speaking = false;
        if !self.fx.playback.playing {
            self.nothing_plays(now);
        }
    }

    /// Everything queued for the caller has played.
    fn playback_finished(&mut self, now: Now) {
        self.fx.playback.playing = false;
        // The sentences so far have played, but more of the answer is still being
        // synthesized; `finish_speaking` reports the end once the last one has played.
        if !self.fx.playback.speaking {
            self.nothing_plays(now);
        }
    }

    /// The caller's prompt, answer, music or announcement is over.
    fn nothing_plays(&mut self, now: Now) {
        match self.transfer.as_mut() {
            Some(transfer) => transfer.playback_finished(&self.settings, &mut self.fx),
            None => self.flow_event(now, FlowEvent::PlaybackFinished),
        }
    }

    /// The sound last asked for could not be played: a prompt counts as played, so the flow
    /// moves on; hold music is skipped.
    fn playback_failed(&mut self, now: Now) {
        self.fx.play_failed();
        match self.transfer.as_mut() {
            Some(transfer) => transfer.music_failed(),
            None => self.flow_event(now, FlowEvent::PlaybackFinished),
        }
    }

    fn answer_started(&mut self, now: Now) {
        if let Some(latency) = self.reporting.answer_started(now.instant) {
            self.fx
                .emit(CallOutput::Count(Metric::TurnLatency(latency)));
        }
    }

    fn on_queue(&mut self, now: Now, event: crate::agents::QueueEvent) {
        let Some(transfer) = self.transfer.as_mut() else {
            if let crate::agents::QueueEvent::Offer { agent }
            | crate::agents::QueueEvent::Consultant { agent } = event
            {
                // The call left the transfer meanwhile: give the offer back.
                let declined = AgentRequest::Declined(agent, crate::acd::Declined::Rejected);
                self.fx.emit(CallOutput::Agents(declined));
            }
            return;
        };
        let next = transfer.on_queue(now, event, &self.settings, &mut self.fx);
        self.follow(now, next);
    }

    fn start_transfer(&mut self, now: Now, handover: &Handover) {
        info!(
            call = %self.id,
            group = %handover.group,
            priority = ?handover.priority,
            reason = %handover.reason,
            "transfer requested"
        );
        self.fx.record_mut().handover = serde_json::to_value(handover).ok();
        self.transfer = Some(TransferPhase::start(
            now,
            handover,
            &self.settings,
            &mut self.fx,
        ));
    }

    fn run_flow_actions(&mut self, now: Now) {
        while let Some(action) = self.flow.poll_action() {
            match action {
                FlowAction::Play { path, barge_in } => {
                    self.interruption.prompt_started(barge_in);
                    self.answer_started(now);
                    self.fx.play(Sound::Prompt(path));
                }
                FlowAction::StopPlayback => self.fx.stop_playback(),
                FlowAction::Say { text, barge_in } => {
                    if self.settings.voice {
                        self.interruption.prompt_started(barge_in);
                        self.fx.say(text);
                    } else {
                        warn!(call = %self.id, %text, "no voice to speak with, skipping");
                        self.flow_event(now, FlowEvent::PlaybackFinished);
                    }
                }
                FlowAction::Collected { variable, value } => {
                    let shown = self.fx.redactor().redact(&value);
                    info!(call = %self.id, %variable, value = %shown, "collected");
                    self.fx.record_mut().variables.insert(variable, value);
                }
                FlowAction::StepEntered { step } => debug!(call = %self.id, %step, "step"),
                FlowAction::Recording { pause } => self.fx.mark(if pause {
                    MarkEvent::Paused
                } else {
                    MarkEvent::Resumed
                }),
                FlowAction::Heard {
                    text,
                    step,
                    matched,
                } => {
                    let text = if self.fx.recording_paused() {
                        NOT_RECORDED.to_string()
                    } else {
                        self.fx.redactor().redact(&text)
                    };
                    info!(call = %self.id, %step, %text, ?matched, "heard");
                    if matched.is_none() {
                        self.fx.emit(CallOutput::Count(Metric::NoMatch));
                    }
                    self.fx.record_mut().transcript.push(TranscriptLine {
                        at: now.wall,
                        speaker: Speaker::Caller,
                        text,
                    });
                }
                FlowAction::Hangup { reason } => {
                    info!(call = %self.id, %reason, "flow hangs up");
                    self.end(CallOutcome::FlowHangup);
                }
                FlowAction::Lookup(request) => {
                    info!(call = %self.id, method = request.method.name(), url = %request.url, "lookup");
                    self.fx.emit(CallOutput::LookUp(request));
                }
                FlowAction::Transfer(handover) => self.start_transfer(now, &handover),
            }
        }
    }
}

#[cfg(test)]
mod harness;
#[cfg(test)]
mod language_tests;
#[cfg(test)]
mod speculation_tests;
#[cfg(test)]
mod tests;

//! The per-call actor: owns one call's media session, flow engine and recorder, and drives them
//! from its sockets, its timer and its command channel.
//!
//! Invariants: all call state lives in this task; the only way in is the command channel. The
//! timer is the earliest deadline of the media session (20 ms ticks, RTCP) and the flow (menu
//! timeouts), so pacing never drifts with processing time. Whatever ends the call, the recorder
//! is finished and the call record saved before the task exits.

use super::CallCommand;
use super::agent_leg;
use super::interruption::Interruption;
use super::manager::Registry;
use super::media_metrics::MediaMetrics;
use super::speaking::{self, Speaking};
use super::speech::{CallSpeech, Recognised};
use crate::asr::{AsrError, Transcript};
use crate::config::Route;
use crate::config::{InputMode, MediaConfig};
use crate::conversation::Errands;
use crate::dialogue::{Flow, FlowAction, FlowEngine, FlowEvent, Handover};
use crate::ids::CallId;
use crate::media::{Codec, Direction, JitterConfig, MediaEvent, MediaSession, MediaSessionConfig};
use crate::net::MediaSockets;
use crate::recording::CallRecorder;
use crate::sip::sdp::{self, NegotiatedAudio};
use crate::sip::{DialogHandle, EndReason, InboundCall};
use crate::storage::{CallOutcome, CallRecord, Speaker, TranscriptLine};
use crate::tts::{SpeechChunk, TtsError};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};
use tokio::sync::mpsc;
use tracing::{debug, info, warn};

/// Receive buffer: larger than any valid RTP datagram, so oversized ones are seen as such.
const DATAGRAM_BUFFER: usize = 2048;
/// How long a finished call waits for the transcripts of the caller's last turns (its record is
/// saved as ended first, then again with those lines).
const LAST_TURNS_WAIT: Duration = Duration::from_secs(20);

/// Everything the manager hands a new call.
pub(super) struct CallSetup {
    pub id: CallId,
    pub handle: super::CallHandle,
    pub call: InboundCall,
    pub route: Route,
    pub flow: Arc<Flow>,
    pub sockets: MediaSockets,
    pub dialog: DialogHandle,
    pub commands: mpsc::Receiver<CallCommand>,
}

pub(super) struct CallActor {
    pub(super) id: CallId,
    pub(super) registry: Arc<Registry>,
    pub(super) media: MediaSession,
    pub(super) flow: FlowEngine,
    pub(super) sockets: MediaSockets,
    pub(super) dialog: DialogHandle,
    pub(super) commands: mpsc::Receiver<CallCommand>,
    pub(super) recorder: Option<CallRecorder>,
    pub(super) record: CallRecord,
    pub(super) audio: NegotiatedAudio,
    pub(super) media_timeout: Duration,
    pub(super) answered_at: Instant,
    pub(super) outcome: Option<CallOutcome>,
    pub(super) media_metrics: MediaMetrics,
    pub(super) speech: Option<CallSpeech>,
    pub(super) speaking: Option<Speaking>,
    pub(super) interruption: Interruption,
    pub(super) errands: Errands,
    pub(super) handle: super::CallHandle,
    pub(super) transfer: Option<super::transfer::TransferPhase>,
    pub(super) reporting: super::progress::Reporting,
}

pub(super) fn media_direction(direction: sdp::Direction) -> Direction {
    match direction {
        sdp::Direction::SendReceive => Direction::SendReceive,
        sdp::Direction::SendOnly => Direction::SendOnly,
        sdp::Direction::ReceiveOnly => Direction::ReceiveOnly,
        sdp::Direction::Inactive => Direction::Inactive,
    }
}

fn codec_of(audio: &NegotiatedAudio) -> Result<Codec, super::CallError> {
    Codec::from_name(&audio.codec)
        .ok_or_else(|| super::CallError::UnsupportedCodec(audio.codec.clone()))
}

fn outcome_of(reason: EndReason, id: CallId) -> CallOutcome {
    match reason {
        EndReason::CallerHangup => CallOutcome::CallerHangup,
        EndReason::Cancelled => CallOutcome::Cancelled,
        EndReason::HotlineHangup => CallOutcome::FlowHangup,
        EndReason::Failed(why) => {
            warn!(call = %id, %why, "dialog failed");
            CallOutcome::Failed
        }
    }
}

/// A media session for a negotiated stream, its first tick due at `now`. A codec the call does
/// not know cannot be negotiated (`validate` ran at admission, and re-offers and answers only
/// carry negotiated codecs), so PCMU stands in for it.
pub(super) fn open_media(
    audio: &NegotiatedAudio,
    config: &MediaConfig,
    cname: String,
    now: Instant,
) -> MediaSession {
    let codec = codec_of(audio).unwrap_or(Codec::Pcmu);
    let mut media = MediaSession::new(
        MediaSessionConfig {
            codec,
            payload_type: audio.payload_type,
            telephone_event_payload_type: audio.telephone_event_payload_type,
            remote_rtp: audio.remote_rtp,
            remote_rtcp: audio.remote_rtcp,
            ssrc: rand::random(),
            cname,
            jitter: JitterConfig {
                minimum_delay: config.jitter_minimum_delay,
                maximum_delay: config.jitter_maximum_delay,
            },
            rtcp_interval: Duration::from_secs(5),
            wall_clock_at_start: SystemTime::now(),
        },
        now,
    );
    media.set_direction(media_direction(audio.direction));
    media
}

/// Checks that a call can be run before it is admitted.
pub(super) fn validate(setup: &CallSetup) -> Result<(), super::CallError> {
    codec_of(&setup.call.audio).map(|_| ())
}

/// Runs a call from ringing to its end.
pub(super) async fn run(mut setup: CallSetup, registry: Arc<Registry>) {
    let mut record = CallRecord::starting(
        setup.id,
        &setup.call.caller,
        &setup.call.dialled_number,
        &setup.flow.name,
        setup.route.mode.name(),
    );
    registry.services.records.save(record.clone());
    while let Some(command) = setup.commands.recv().await {
        let outcome = match command {
            CallCommand::Answered => {
                return CallActor::answer(setup, record, registry).run().await;
            }
            CallCommand::UpdateAudio(audio) => {
                setup.call.audio = audio;
                continue;
            }
            CallCommand::SipInfoKey(_)
            | CallCommand::Queue(_)
            | CallCommand::AgentLeg { .. }
            | CallCommand::Desk { .. }
            | CallCommand::Monitor { .. } => continue,
            CallCommand::DialogEnded(reason) => outcome_of(reason, setup.id),
            CallCommand::HangUp(outcome) => {
                setup.dialog.hang_up(outcome.name());
                outcome
            }
        };
        info!(call = %setup.id, outcome = outcome.name(), "call ended before the answer");
        record.outcome = outcome;
        record.ended_at = Some(chrono::Utc::now());
        registry
            .services
            .metrics
            .calls
            .with_label_values(&[outcome.name()])
            .inc();
        registry.services.records.save(record);
        registry.remove(setup.id);
        return;
    }
    registry.remove(setup.id);
}

/// What the transcript holds for what a caller said while the recording was paused.
const NOT_RECORDED: &str = "(said while the recording was paused)";
/// What the call record's keys hold for a key pressed while the recording was paused.
const PAUSED_KEY: char = '•';

impl CallActor {
    fn answer(setup: CallSetup, mut record: CallRecord, registry: Arc<Registry>) -> CallActor {
        let services = &registry.services;
        let audio = setup.call.audio.clone();
        let now = Instant::now();
        let media_config = &services.config.media;
        let media = open_media(&audio, media_config, format!("hotline-{}", setup.id), now);
        record.started_at = chrono::Utc::now();
        let recorder = match services
            .recordings
            .start(&setup.id.to_string(), record.started_at)
        {
            Ok(recorder) => Some(recorder),
            Err(error) => {
                warn!(call = %setup.id, %error, "recording unavailable for this call");
                None
            }
        };
        record.recording = recorder
            .as_ref()
            .map(|recorder| recorder.path().to_path_buf());
        services.records.save(record.clone());
        info!(
            call = %setup.id,
            from = %record.from,
            to = %record.to,
            flow = %record.flow,
            codec = %audio.codec,
            transport = %setup.call.transport,
            sip_call_id = %setup.call.sip_call_id,
            "call answered"
        );
        let speech = match (&services.transcriber, setup.route.mode) {
            (Some(transcriber), InputMode::Speech) => {
                match CallSpeech::new(&services.config.speech, transcriber.clone()) {
                    Ok(speech) => Some(speech),
                    Err(error) => {
                        warn!(call = %setup.id, %error, "speech unavailable, keys only");
                        None
                    }
                }
            }
            _ => None,
        };
        let errands = Errands::new(
            &setup.flow.understanding,
            services.understanding.clone(),
            services.lookups.clone(),
        );
        let mut flow = FlowEngine::new(setup.flow);
        flow.set_variable("caller", &record.from);
        flow.set_variable("dialled", &record.to);
        flow.set_variable("channel", "voice");
        flow.set_variable("server", &services.http_origin);
        CallActor {
            errands,
            handle: setup.handle,
            transfer: None,
            reporting: Default::default(),
            speaking: None,
            speech,
            interruption: Interruption::default(),
            id: setup.id,
            media_timeout: media_config.media_timeout,
            registry: registry.clone(),
            media,
            flow,
            sockets: setup.sockets,
            dialog: setup.dialog,
            commands: setup.commands,
            recorder,
            record,
            audio,
            answered_at: now,
            outcome: None,
            media_metrics: MediaMetrics::new(now),
        }
    }

    /// Runs the answered call to its end.
    async fn run(mut self) {
        self.show_on_board();
        self.flow.start(Instant::now(), chrono::Utc::now());
        self.pump();
        let mut rtp_buffer = vec![0u8; DATAGRAM_BUFFER];
        let mut rtcp_buffer = vec![0u8; DATAGRAM_BUFFER];
        let mut leg_buffers = agent_leg::LegBuffers::default();
        while self.outcome.is_none() {
            let deadline = self.next_deadline();
            // A bridged call reads its sockets on its 20 ms tick instead of waking for every
            // packet: one wake-up a tick for both legs.
            let batching = self.bridged();
            tokio::select! {
                command = self.commands.recv() => match command {
                    Some(command) => self.on_command(command),
                    None => self.outcome = Some(CallOutcome::Failed),
                },
                received = self.sockets.rtp.recv_from(&mut rtp_buffer), if !batching => match received {
                    Ok((length, source)) => {
                        let datagram = &rtp_buffer[..length];
                        if let Err(error) = self.media.handle_rtp(Instant::now(), source, datagram) {
                            debug!(call = %self.id, %error, %source, "RTP dropped");
                        }
                    }
                    Err(error) => debug!(call = %self.id, %error, "RTP receive error"),
                },
                received = self.sockets.rtcp.recv_from(&mut rtcp_buffer), if !batching => match received {
                    Ok((length, source)) => {
                        let datagram = &rtcp_buffer[..length];
                        if let Err(error) = self.media.handle_rtcp(Instant::now(), source, datagram) {
                            debug!(call = %self.id, %error, %source, "RTCP dropped");
                        }
                    }
                    Err(error) => debug!(call = %self.id, %error, "RTCP receive error"),
                },
                recognised = next_recognised(&mut self.speech) => self.on_recognised(recognised),
                chunk = speaking::next_chunk(&mut self.speaking) => self.on_spoken(chunk),
                event = self.errands.next() => {
                    self.flow.handle_event(Instant::now(), chrono::Utc::now(), event);
                }
                (slot, input) = legs_input(&mut self.transfer, &mut leg_buffers), if !batching => {
                    self.on_leg_input(slot, input, &leg_buffers)
                }
                _ = tokio::time::sleep_until(tokio::time::Instant::from_std(deadline)) => {
                    let now = Instant::now();
                    if batching {
                        self.drain_sockets(now, &mut rtp_buffer, &mut rtcp_buffer, &mut leg_buffers);
                    }
                    self.media.handle_timeout(now);
                    self.flow.handle_timeout(now, chrono::Utc::now());
                    self.transfer_timeout(now);
                    self.check_media_timeout(now);
                    if self.media_metrics.due(now) {
                        let metrics = &self.registry.services.metrics;
                        self.media_metrics.report(&self.media.stats(), metrics);
                    }
                }
            }
            self.pump();
            self.report_progress();
        }
        self.registry.services.board.remove(self.id);
        self.finish().await;
    }

    fn next_deadline(&self) -> Instant {
        [self.flow.poll_timeout(), self.transfer_deadline()]
            .into_iter()
            .flatten()
            .fold(self.media.poll_timeout(), Instant::min)
    }

    fn check_media_timeout(&mut self, now: Instant) {
        if self.audio.direction != sdp::Direction::SendReceive {
            return;
        }
        let last = self.media.last_received_at().unwrap_or(self.answered_at);
        if now.duration_since(last) > self.media_timeout {
            info!(call = %self.id, "no RTP for {:?}: hanging up", self.media_timeout);
            self.end(CallOutcome::MediaTimeout);
        }
    }

    fn end(&mut self, outcome: CallOutcome) {
        if self.outcome.is_none() {
            self.outcome = Some(outcome);
        }
    }

    fn on_command(&mut self, command: CallCommand) {
        match command {
            CallCommand::UpdateAudio(audio) => self.update_audio(audio),
            CallCommand::SipInfoKey(key) => {
                self.registry
                    .services
                    .metrics
                    .dtmf_events
                    .with_label_values(&["sip_info"])
                    .inc();
                self.key(key);
            }
            CallCommand::DialogEnded(reason) => self.end(outcome_of(reason, self.id)),
            CallCommand::HangUp(outcome) => self.end(outcome),
            CallCommand::Answered => {}
            CallCommand::Queue(event) => self.on_queue(event),
            CallCommand::AgentLeg { leg, event } => self.on_agent_leg(leg, event),
            CallCommand::Desk { agent, command } => self.on_desk(agent, command),
            CallCommand::Monitor { supervisor, mode } => self.on_monitor(supervisor, mode),
        }
    }

    fn update_audio(&mut self, audio: NegotiatedAudio) {
        info!(call = %self.id, direction = ?audio.direction, remote = %audio.remote_rtp, "media updated");
        match codec_of(&audio) {
            Ok(codec) => self.media.update_codec(
                codec,
                audio.payload_type,
                audio.telephone_event_payload_type,
            ),
            Err(error) => warn!(call = %self.id, %error, "keeping the previous codec"),
        }
        if audio.remote_rtp != self.audio.remote_rtp {
            self.media
                .update_remote(audio.remote_rtp, audio.remote_rtcp);
        }
        self.media.set_direction(media_direction(audio.direction));
        if audio.direction == sdp::Direction::SendReceive {
            self.answered_at = Instant::now();
        }
        self.audio = audio;
    }

    fn key(&mut self, key: char) {
        let paused = self.recorder.as_ref().is_some_and(CallRecorder::is_paused);
        self.record
            .digits
            .push(if paused { PAUSED_KEY } else { key });
        if !self.transfer_key(key) {
            self.flow
                .handle_event(Instant::now(), chrono::Utc::now(), FlowEvent::Digit(key));
        }
        self.registry.services.records.save(self.record.clone());
    }

    fn on_recognised(&mut self, recognised: Recognised) {
        if self.transfer.is_some() {
            // Waiting for or talking to an agent: the flow is not listening.
            return;
        }
        match recognised {
            Recognised::Turn(transcript) => self.on_transcript(transcript),
            Recognised::Tentative(transcript) => {
                if !self
                    .flow
                    .answers_step(&transcript.text, transcript.confidence)
                {
                    return;
                }
                let ended = self
                    .speech
                    .as_mut()
                    .and_then(|speech| speech.end_turn_with(transcript));
                if let Some(transcript) = ended {
                    debug!(call = %self.id, "the caller's pause already answers the step");
                    self.on_transcript(Ok(transcript));
                }
            }
        }
    }

    fn on_transcript(&mut self, transcript: Result<Transcript, AsrError>) {
        match transcript {
            Ok(transcript) => {
                debug!(
                    call = %self.id,
                    text = %transcript.text,
                    confidence = transcript.confidence,
                    decode_seconds = transcript.decode_seconds,
                    "recognised"
                );
                let decoding = Duration::from_secs_f64(transcript.decode_seconds.max(0.0));
                self.report_turn(decoding, transcript.confidence);
                let event = self
                    .errands
                    .understand(transcript.text, transcript.confidence);
                if let Some(event) = event {
                    self.flow
                        .handle_event(Instant::now(), chrono::Utc::now(), event);
                }
            }
            Err(error) => warn!(call = %self.id, %error, "recognition failed"),
        }
    }

    fn on_spoken(&mut self, chunk: Option<Result<SpeechChunk, TtsError>>) {
        match chunk {
            Some(Ok(chunk)) => {
                self.report_answer_started();
                self.media.play(chunk.samples);
                self.record.transcript.push(TranscriptLine {
                    at: chrono::Utc::now(),
                    speaker: Speaker::Hotline,
                    text: chunk.text,
                });
                self.registry.services.records.save(self.record.clone());
            }
            Some(Err(error)) => {
                warn!(call = %self.id, %error, "speech synthesis failed");
                self.finish_speaking();
            }
            None => self.finish_speaking(),
        }
    }

    /// The answer is fully synthesized: once its audio has played, the flow moves on.
    fn finish_speaking(&mut self) {
        self.speaking = None;
        if self.transfer.is_some() {
            if !self.media.is_playing() {
                self.transfer_playback_finished();
            }
            return;
        }
        if !self.media.is_playing() {
            self.flow.handle_event(
                Instant::now(),
                chrono::Utc::now(),
                FlowEvent::PlaybackFinished,
            );
        }
    }

    /// Moves everything the cores produced to where it goes.
    fn pump(&mut self) {
        while let Some(transmit) = self.media.poll_transmit() {
            if let Err(error) = self.sockets.send(&transmit) {
                debug!(call = %self.id, %error, destination = %transmit.destination, "send failed");
            }
        }
        while let Some(pair) = self.media.poll_frame() {
            self.relay_caller_frame(&pair.received);
            if let Some(speech) = self.speech.as_mut()
                && self.transfer.is_none()
            {
                let flow = &self.flow;
                let watching = self.interruption.watching(self.media.is_playing());
                match speech.handle_frame(&pair.received, watching, || flow.expected_phrases()) {
                    Ok(true) => {
                        debug!(call = %self.id, "caller speaks over the prompt");
                        let wall = chrono::Utc::now();
                        self.interruption
                            .detected(&mut self.flow, Instant::now(), wall);
                    }
                    Ok(false) => {}
                    Err(error) => warn!(call = %self.id, %error, "caller turn dropped"),
                }
            }
            if let Some(recorder) = self.recorder.as_mut()
                && let Err(error) = recorder.write_frame(&pair.received, &pair.sent)
            {
                warn!(call = %self.id, %error, "recording stopped");
                self.recorder = None;
            }
        }
        while let Some(event) = self.media.poll_event() {
            match event {
                MediaEvent::Dtmf { digit } => {
                    self.registry
                        .services
                        .metrics
                        .dtmf_events
                        .with_label_values(&["rfc4733"])
                        .inc();
                    self.key(digit);
                }
                // The sentences spoken so far have played, but more of the answer is still being
                // synthesized; `finish_speaking` reports the end once the last one has played.
                MediaEvent::PlaybackFinished if self.speaking.is_some() => {}
                MediaEvent::PlaybackFinished if self.transfer.is_some() => {
                    self.transfer_playback_finished()
                }
                MediaEvent::PlaybackFinished => self.flow.handle_event(
                    Instant::now(),
                    chrono::Utc::now(),
                    FlowEvent::PlaybackFinished,
                ),
                MediaEvent::RemoteLatched { address } => {
                    debug!(call = %self.id, %address, "RTP latched to the caller's source")
                }
            }
        }
        self.pump_agent_legs();
        self.run_flow_actions();
    }

    fn run_flow_actions(&mut self) {
        while let Some(action) = self.flow.poll_action() {
            match action {
                FlowAction::Play { path, barge_in } => {
                    match self.registry.services.prompts.get(&path) {
                        Ok(audio) => {
                            self.interruption.prompt_started(barge_in);
                            self.report_answer_started();
                            self.media.play(audio);
                        }
                        Err(error) => {
                            warn!(call = %self.id, path = %path.display(), %error, "prompt unavailable, skipping it");
                            self.flow.handle_event(
                                Instant::now(),
                                chrono::Utc::now(),
                                FlowEvent::PlaybackFinished,
                            );
                        }
                    }
                }
                FlowAction::StopPlayback => {
                    self.media.stop_playback();
                    self.speaking = None;
                }
                FlowAction::Say { text, barge_in } => match &self.registry.services.synthesizer {
                    Some(service) => {
                        self.interruption.prompt_started(barge_in);
                        self.speaking = Some(Speaking::start(service, text));
                    }
                    None => {
                        warn!(call = %self.id, %text, "no voice to speak with, skipping");
                        self.flow.handle_event(
                            Instant::now(),
                            chrono::Utc::now(),
                            FlowEvent::PlaybackFinished,
                        );
                    }
                },
                FlowAction::Collected { variable, value } => {
                    let shown = self.registry.services.recordings.redactor().redact(&value);
                    info!(call = %self.id, %variable, value = %shown, "collected");
                    self.record.variables.insert(variable, value);
                    self.registry.services.records.save(self.record.clone());
                }
                FlowAction::StepEntered { step } => debug!(call = %self.id, %step, "step"),
                FlowAction::Recording { pause } => self.mark_recording(if pause {
                    crate::recording::MarkEvent::Paused
                } else {
                    crate::recording::MarkEvent::Resumed
                }),
                FlowAction::Heard {
                    text,
                    step,
                    matched,
                } => {
                    let paused = self.recorder.as_ref().is_some_and(CallRecorder::is_paused);
                    let text = if paused {
                        NOT_RECORDED.to_string()
                    } else {
                        self.registry.services.recordings.redactor().redact(&text)
                    };
                    info!(call = %self.id, %step, %text, ?matched, "heard");
                    self.report_heard(matched.is_some());
                    self.record.transcript.push(TranscriptLine {
                        at: chrono::Utc::now(),
                        speaker: Speaker::Caller,
                        text,
                    });
                    self.registry.services.records.save(self.record.clone());
                }
                FlowAction::Hangup { reason } => {
                    info!(call = %self.id, %reason, "flow hangs up");
                    self.end(CallOutcome::FlowHangup);
                }
                FlowAction::Lookup(request) => {
                    info!(call = %self.id, method = request.method.name(), url = %request.url, "lookup");
                    self.errands.look_up(request);
                }
                FlowAction::Transfer(handover) => self.transfer(&handover),
            }
        }
    }

    /// Keeps the hand-over with the call record and joins the group's queue.
    fn transfer(&mut self, handover: &Handover) {
        info!(
            call = %self.id,
            group = %handover.group,
            priority = ?handover.priority,
            reason = %handover.reason,
            "transfer requested"
        );
        self.record.handover = serde_json::to_value(handover).ok();
        self.registry.services.records.save(self.record.clone());
        self.start_transfer(handover);
    }

    async fn finish(mut self) {
        self.end_transfer();
        let outcome = self.outcome.unwrap_or(CallOutcome::Failed);
        if matches!(
            outcome,
            CallOutcome::FlowHangup
                | CallOutcome::MediaTimeout
                | CallOutcome::Shutdown
                | CallOutcome::Failed
        ) {
            self.dialog.hang_up(outcome.name());
        }
        if let Some(recorder) = self.recorder.take() {
            let recordings = self.registry.services.recordings.clone();
            let flow = self.record.flow.clone();
            let started = self.record.started_at;
            let transcript = self.record.transcript.clone();
            let finished = tokio::task::spawn_blocking(move || {
                recordings.finish(recorder, &flow, started, &transcript)
            })
            .await;
            match finished {
                Ok(Ok(manifest)) => {
                    debug!(call = %self.id, seconds = manifest.duration_seconds, sequence = manifest.sequence, "recording sealed")
                }
                Ok(Err(error)) => warn!(call = %self.id, %error, "recording did not close cleanly"),
                Err(error) => warn!(call = %self.id, %error, "recording task failed"),
            }
        }
        let stats = self.media.stats();
        let metrics = &self.registry.services.metrics;
        self.media_metrics.report(&stats, metrics);
        metrics.rtp_jitter.observe(stats.jitter_ms / 1000.0);
        metrics.calls.with_label_values(&[outcome.name()]).inc();
        self.record.outcome = outcome;
        self.record.ended_at = Some(chrono::Utc::now());
        self.record.variables.extend(
            self.flow
                .variables()
                .iter()
                .map(|(name, value)| (name.clone(), value.clone())),
        );
        info!(
            call = %self.id,
            outcome = outcome.name(),
            sent = stats.packets_sent,
            received = stats.packets_received,
            lost = stats.packets_lost,
            "call ended"
        );
        self.registry.services.records.save(self.record.clone());
        if let Some(speech) = self.speech.take() {
            let deadline = tokio::time::Instant::now() + LAST_TURNS_WAIT;
            let last_turns = speech.finish(deadline).await;
            let heard: Vec<_> = last_turns
                .into_iter()
                .filter(|transcript| !transcript.text.is_empty())
                .collect();
            if !heard.is_empty() {
                for transcript in heard {
                    let text = self
                        .registry
                        .services
                        .recordings
                        .redactor()
                        .redact(&transcript.text);
                    info!(call = %self.id, %text, "heard as the call ended");
                    self.record.transcript.push(TranscriptLine {
                        at: chrono::Utc::now(),
                        speaker: Speaker::Caller,
                        text,
                    });
                }
                self.registry.services.records.save(self.record);
            }
        }
        self.registry.remove(self.id);
    }
}

/// The next recognition result of a speech-mode call; never resolves for a keys-only call.
async fn next_recognised(speech: &mut Option<CallSpeech>) -> Recognised {
    match speech {
        Some(speech) => speech.next_recognised().await,
        None => std::future::pending().await,
    }
}

/// The next input of any leg to an agent's phone; never resolves without a transfer.
async fn legs_input(
    transfer: &mut Option<super::transfer::TransferPhase>,
    buffers: &mut agent_leg::LegBuffers,
) -> (agent_leg::Slot, agent_leg::LegInput) {
    let Some(transfer) = transfer else {
        return std::future::pending().await;
    };
    agent_leg::next_input(
        transfer.leg.as_mut(),
        transfer.consult.as_mut(),
        transfer.monitor.as_mut().map(|monitor| &mut monitor.leg),
        buffers,
    )
    .await
}

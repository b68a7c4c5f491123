//! The per-call actor: a thin driver of one call's [`CallCore`]. It waits on the call's sockets,
//! timer, command channel, recognition, synthesis and errands, reads the clocks once per wake-up,
//! feeds what happened to the core, and hands every output to the [`Executor`].
//!
//! Invariants: all call state lives in this task; the only way in is the command channel. The
//! timer is the earliest deadline of the media sessions (20 ms ticks, RTCP) and the core (menu
//! timeouts, ringing and accept deadlines), so pacing never drifts with processing time.
//! Whatever ends the call, the recorder is finished and the call record saved before the task
//! exits.

use super::command::CallCommand;
use super::core::{
    CallCore, CallInput, CoreSetup, KeySource, LegEvent, Now, Party, Recognised, Slot, outcome_of,
};
use super::executor::Executor;
use super::legs::{self, LegBuffers, LegInput, Legs};
use super::media_metrics::MediaMetrics;
use super::media_setup::{codec_of, media_direction, open_media};
use super::services::Registry;
use super::speaking;
use super::speech::CallSpeech;
use crate::asr::RecognitionLanguage;
use crate::config::{InputMode, Route};
use crate::conversation::{Errands, Finished};
use crate::dialogue::Flow;
use crate::ids::CallId;
use crate::media::{FRAME_SAMPLES, MediaEvent};
use crate::net::MediaSockets;
use crate::sip::sdp::{self, NegotiatedAudio};
use crate::sip::{DialogHandle, InboundCall, OutboundEvent};
use crate::speech_services::{Recognition, SpeechServices};
use crate::storage::CallRecord;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};
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
    pub handle: super::handle::CallHandle,
    pub call: InboundCall,
    pub route: Route,
    pub flow: Arc<Flow>,
    /// The flow in other languages, on a bilingual line.
    pub translations: Vec<Arc<Flow>>,
    pub sockets: MediaSockets,
    pub dialog: DialogHandle,
    pub commands: mpsc::Receiver<CallCommand>,
}

/// Checks that a call can be run before it is admitted.
pub(super) fn validate(setup: &CallSetup) -> Result<(), super::error::CallError> {
    codec_of(&setup.call.audio).map(|_| ())
}

/// How the caller's speech is recognised until the call settles on a language: on a bilingual
/// line by a recogniser that tells the languages apart, else by the flow's language's own.
fn recognition_for(speech: &SpeechServices, setup: &CallSetup) -> Option<Recognition> {
    if setup.translations.is_empty() {
        return speech.recognition(setup.flow.language);
    }
    let mut languages = vec![setup.flow.language];
    languages.extend(setup.translations.iter().map(|flow| flow.language));
    match speech.identifier(&languages) {
        Some(pool) => Some(Recognition {
            pool,
            language: RecognitionLanguage::Auto,
        }),
        None => {
            warn!(
                call = %setup.id,
                "no multilingual recogniser tells this line's languages apart: the call stays in {}",
                setup.flow.language
            );
            speech.recognition(setup.flow.language)
        }
    }
}

/// Both clocks, read once.
fn clock() -> Now {
    Now {
        instant: Instant::now(),
        wall: chrono::Utc::now(),
    }
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
            CallCommand::DialogEnded(reason) => outcome_of(&reason),
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

/// What woke the actor.
enum Wake {
    Command(Option<CallCommand>),
    Rtp(std::io::Result<(usize, SocketAddr)>),
    Rtcp(std::io::Result<(usize, SocketAddr)>),
    Recognised(Recognised),
    Spoken(Option<Result<crate::tts::SpeechChunk, crate::tts::TtsError>>),
    Errand(crate::dialogue::FlowEvent),
    TentativeMeaning(crate::conversation::TentativeMeaning),
    Leg(Slot, LegInput),
    Timer,
}

struct CallActor {
    core: CallCore,
    io: Executor,
    commands: mpsc::Receiver<CallCommand>,
}

impl CallActor {
    fn answer(setup: CallSetup, mut record: CallRecord, registry: Arc<Registry>) -> CallActor {
        let services = &registry.services;
        let audio = setup.call.audio.clone();
        let now = clock();
        let media_config = &services.config.media;
        let media = open_media(
            &audio,
            media_config,
            format!("hotline-{}", setup.id),
            now.instant,
        );
        record.started_at = now.wall;
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
        let language = setup.flow.language;
        let speech = match (recognition_for(&services.speech, &setup), setup.route.mode) {
            (Some(recognition), InputMode::Speech) => {
                match CallSpeech::new(&services.config.speech, recognition) {
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
            services.speech.understanding(language).cloned(),
            services.lookups.clone(),
        );
        let core = CallCore::new(
            CoreSetup {
                flow: setup.flow,
                translations: setup.translations,
                record,
                config: services.config.clone(),
                redactor: services.recordings.redactor().clone(),
                voice: services.speech.synthesizer(language).is_some(),
                recording: recorder.is_some(),
                http_origin: services.http_origin.clone(),
            },
            now,
        );
        let io = Executor {
            id: setup.id,
            registry: registry.clone(),
            handle: setup.handle,
            media,
            sockets: setup.sockets,
            dialog: setup.dialog,
            audio,
            legs: Legs::default(),
            recorder,
            speech,
            language,
            speaking: None,
            errands,
            routing: Default::default(),
            media_metrics: MediaMetrics::new(now.instant),
        };
        CallActor {
            core,
            io,
            commands: setup.commands,
        }
    }

    /// Runs the answered call to its end.
    async fn run(mut self) {
        let now = clock();
        self.core.start(now);
        self.pump(now);
        let mut rtp_buffer = vec![0u8; DATAGRAM_BUFFER];
        let mut rtcp_buffer = vec![0u8; DATAGRAM_BUFFER];
        let mut leg_buffers = LegBuffers::default();
        while self.core.outcome().is_none() {
            let media_deadline = self.io.media_deadline();
            let deadline = self
                .core
                .poll_timeout()
                .map_or(media_deadline, |core| core.min(media_deadline));
            let batching = self.io.bridged();
            let io = &mut self.io;
            let wake = tokio::select! {
                command = self.commands.recv() => Wake::Command(command),
                received = io.sockets.rtp.recv_from(&mut rtp_buffer), if !batching => Wake::Rtp(received),
                received = io.sockets.rtcp.recv_from(&mut rtcp_buffer), if !batching => Wake::Rtcp(received),
                recognised = next_recognised(&mut io.speech) => Wake::Recognised(recognised),
                chunk = speaking::next_chunk(&mut io.speaking) => Wake::Spoken(chunk),
                finished = io.errands.next_finished() => match finished {
                    Finished::Event(event) => Wake::Errand(event),
                    Finished::Tentative(meaning) => Wake::TentativeMeaning(meaning),
                },
                (slot, input) = legs::next_input(&mut io.legs, &mut leg_buffers), if !batching => Wake::Leg(slot, input),
                _ = tokio::time::sleep_until(tokio::time::Instant::from_std(deadline)) => Wake::Timer,
            };
            let now = clock();
            match wake {
                Wake::Command(Some(command)) => self.on_command(now, command),
                Wake::Command(None) => self
                    .core
                    .handle_input(now, CallInput::HangUp(crate::storage::CallOutcome::Failed)),
                Wake::Rtp(received) => {
                    self.receive(now.instant, received, &rtp_buffer, MediaPort::Rtp)
                }
                Wake::Rtcp(received) => {
                    self.receive(now.instant, received, &rtcp_buffer, MediaPort::Rtcp)
                }
                Wake::Recognised(recognised) => self
                    .core
                    .handle_input(now, CallInput::Recognised(recognised)),
                Wake::Spoken(part) => {
                    if !matches!(part, Some(Ok(_))) {
                        self.io.speaking = None;
                    }
                    self.core.handle_input(now, CallInput::Spoken(part));
                }
                Wake::Errand(event) => self.core.handle_input(now, CallInput::Errand(event)),
                Wake::TentativeMeaning((text, meaning)) => self
                    .core
                    .handle_input(now, CallInput::TentativeMeaning { text, meaning }),
                Wake::Leg(slot, input) => self.on_leg_input(now, slot, input, &leg_buffers),
                Wake::Timer => {
                    if batching {
                        self.io.drain_sockets(
                            now.instant,
                            &mut rtp_buffer,
                            &mut rtcp_buffer,
                            &mut leg_buffers,
                        );
                    }
                    self.io.tick(now.instant);
                    let activity = self.io.media_activity();
                    self.core.handle_timeout(now, &activity);
                }
            }
            self.pump(now);
        }
        self.finish().await;
    }

    /// A datagram for the caller's media session.
    fn receive(
        &mut self,
        now: Instant,
        received: std::io::Result<(usize, SocketAddr)>,
        buffer: &[u8],
        port: MediaPort,
    ) {
        let id = self.io.id;
        match received {
            Ok((length, source)) => {
                let datagram = &buffer[..length];
                let handled = match port {
                    MediaPort::Rtp => self.io.media.handle_rtp(now, source, datagram),
                    MediaPort::Rtcp => self.io.media.handle_rtcp(now, source, datagram),
                };
                if let Err(error) = handled {
                    debug!(call = %id, %error, %source, ?port, "datagram dropped");
                }
            }
            Err(error) => debug!(call = %id, %error, ?port, "receive error"),
        }
    }

    fn on_command(&mut self, now: Now, command: CallCommand) {
        let input = match command {
            CallCommand::UpdateAudio(audio) => {
                self.update_audio(audio);
                let sending_and_receiving = self.io.audio.direction == sdp::Direction::SendReceive;
                CallInput::AudioDirection {
                    sending_and_receiving,
                }
            }
            CallCommand::SipInfoKey(key) => CallInput::Key(key, KeySource::SipInfo),
            CallCommand::DialogEnded(reason) => CallInput::DialogEnded(reason),
            CallCommand::HangUp(outcome) => CallInput::HangUp(outcome),
            CallCommand::Answered => return,
            CallCommand::Queue(event) => CallInput::Queue(event),
            CallCommand::AgentLeg { leg, event } => {
                let Some(slot) = self.io.legs.slot_of(leg) else {
                    debug!(call = %self.io.id, leg, ?event, "event of a leg already given up");
                    return;
                };
                match self.leg_event(slot, event) {
                    Some(event) => CallInput::Leg(slot, event),
                    None => return,
                }
            }
            CallCommand::Desk { agent, command } => CallInput::Desk(agent, command),
            CallCommand::Monitor { supervisor, mode } => CallInput::Monitor(supervisor, mode),
        };
        self.core.handle_input(now, input);
    }

    /// A leg's SIP event: its media follows the negotiated stream; the core hears what happened.
    fn leg_event(&mut self, slot: Slot, event: OutboundEvent) -> Option<LegEvent> {
        let id = self.io.id;
        let start = self.io.media.next_tick_at();
        let config = &self.io.registry.services.config.media;
        let leg = self.io.legs.get_mut(slot)?;
        Some(match event {
            OutboundEvent::Ringing => return None,
            OutboundEvent::Answered(audio) => {
                info!(call = %id, ?slot, codec = %audio.codec, "answered");
                leg.answered(&audio, config, format!("hotline-{id}-{slot:?}"), start);
                LegEvent::Answered
            }
            OutboundEvent::Failed { status, reason } => LegEvent::Failed { status, reason },
            OutboundEvent::Ended(reason) => LegEvent::Ended(reason),
            OutboundEvent::UpdateAudio(audio) => {
                if let Some(media) = leg.media.as_mut() {
                    media.set_direction(media_direction(audio.direction));
                    media.update_remote(audio.remote_rtp, audio.remote_rtcp);
                }
                LegEvent::Held(audio.direction != sdp::Direction::SendReceive)
            }
            OutboundEvent::Key(key) => LegEvent::Key(key),
            OutboundEvent::Refer(target) => LegEvent::Refer(target),
        })
    }

    fn update_audio(&mut self, audio: NegotiatedAudio) {
        let io = &mut self.io;
        info!(call = %io.id, direction = ?audio.direction, remote = %audio.remote_rtp, "media updated");
        match codec_of(&audio) {
            Ok(codec) => io.media.update_codec(
                codec,
                audio.payload_type,
                audio.telephone_event_payload_type,
            ),
            Err(error) => warn!(call = %io.id, %error, "keeping the previous codec"),
        }
        if audio.remote_rtp != io.audio.remote_rtp {
            io.media.update_remote(audio.remote_rtp, audio.remote_rtcp);
        }
        io.media.set_direction(media_direction(audio.direction));
        io.audio = audio;
    }

    /// A datagram or a sentence of the brief arrived for a leg.
    fn on_leg_input(&mut self, now: Now, slot: Slot, input: LegInput, buffers: &LegBuffers) {
        let id = self.io.id;
        let Some(leg) = self.io.legs.get_mut(slot) else {
            return;
        };
        let buffer = buffers.of(slot);
        match input {
            LegInput::Rtp(length, source) => {
                if let Some(media) = leg.media.as_mut()
                    && let Err(error) = media.handle_rtp(now.instant, source, &buffer.rtp[..length])
                {
                    debug!(call = %id, ?slot, %error, %source, "leg RTP dropped");
                }
            }
            LegInput::Rtcp(length, source) => {
                if let Some(media) = leg.media.as_mut()
                    && let Err(error) =
                        media.handle_rtcp(now.instant, source, &buffer.rtcp[..length])
                {
                    debug!(call = %id, ?slot, %error, %source, "leg RTCP dropped");
                }
            }
            LegInput::Brief(part) => {
                if !matches!(part, Some(Ok(_))) {
                    leg.speaking = None;
                }
                self.core
                    .handle_input(now, CallInput::Leg(slot, LegEvent::Brief(part)));
            }
            LegInput::ReceiveFailed(error) => {
                debug!(call = %id, ?slot, %error, "leg receive error")
            }
        }
    }

    /// Moves everything the media sessions produced to where it goes, then carries out what
    /// the core decided.
    fn pump(&mut self, now: Now) {
        let id = self.io.id;
        while let Some(transmit) = self.io.media.poll_transmit() {
            if let Err(error) = self.io.sockets.send(&transmit) {
                debug!(call = %id, %error, destination = %transmit.destination, "send failed");
            }
        }
        while let Some(event) = self.io.media.poll_event() {
            match event {
                MediaEvent::Dtmf { digit } => self
                    .core
                    .handle_input(now, CallInput::Key(digit, KeySource::Rfc4733)),
                MediaEvent::PlaybackFinished => {
                    self.core.handle_input(now, CallInput::PlaybackFinished)
                }
                MediaEvent::RemoteLatched { address } => {
                    debug!(call = %id, %address, "RTP latched to the caller's source")
                }
            }
        }
        while let Some(pair) = self.io.media.poll_frame() {
            self.io
                .relay(Party::Caller, std::slice::from_ref(&pair.received));
            if self.core.listening()
                && let Some(speech) = self.io.speech.as_mut()
            {
                let core = &self.core;
                let watching = core.watching_for_barge_in();
                match speech.handle_frame(&pair.received, watching, || core.expected_phrases()) {
                    Ok(true) => self.core.handle_input(now, CallInput::BargeIn),
                    Ok(false) => {}
                    Err(error) => warn!(call = %id, %error, "caller turn dropped"),
                }
            }
            if let Some(recorder) = self.io.recorder.as_mut()
                && let Err(error) = recorder.write_frame(&pair.received, &pair.sent)
            {
                warn!(call = %id, %error, "recording stopped");
                self.io.recorder = None;
                self.core.handle_input(now, CallInput::RecordingStopped);
            }
        }
        for slot in Slot::ALL {
            self.pump_leg(now, slot);
        }
        self.execute(now);
    }

    /// Moves a leg's output: datagrams out, audio to whoever hears it, keys and the end of
    /// what played to the core.
    fn pump_leg(&mut self, now: Now, slot: Slot) {
        let id = self.io.id;
        let Some(leg) = self.io.legs.get_mut(slot) else {
            return;
        };
        let Some(media) = leg.media.as_mut() else {
            return;
        };
        while let Some(transmit) = media.poll_transmit() {
            if let Err(error) = leg.sockets.send(&transmit) {
                debug!(call = %id, ?slot, %error, "leg send failed");
            }
        }
        let frames: Vec<[i16; FRAME_SAMPLES]> = std::iter::from_fn(|| media.poll_frame())
            .map(|pair| pair.received)
            .collect();
        let events: Vec<LegEvent> = std::iter::from_fn(|| media.poll_event())
            .filter_map(|event| match event {
                MediaEvent::Dtmf { digit } => Some(LegEvent::Key(digit)),
                MediaEvent::PlaybackFinished => Some(LegEvent::PlaybackFinished),
                MediaEvent::RemoteLatched { .. } => None,
            })
            .collect();
        if !frames.is_empty() {
            self.io.relay(Party::Leg(slot), &frames);
        }
        for event in events {
            self.core.handle_input(now, CallInput::Leg(slot, event));
        }
    }

    /// Carries out every output of the core, feeding back what failed.
    fn execute(&mut self, now: Now) {
        while let Some(output) = self.core.poll_output() {
            if let Some(input) = self.io.execute(now, output) {
                self.core.handle_input(now, input);
            }
        }
    }

    async fn finish(mut self) {
        let now = clock();
        let outcome = self.core.end_call(now);
        self.execute(now);
        if let Some(recorder) = self.io.recorder.take() {
            let recordings = self.io.registry.services.recordings.clone();
            let record = self.core.record();
            let flow = record.flow.clone();
            let started = record.started_at;
            let transcript = record.transcript.clone();
            let finished = tokio::task::spawn_blocking(move || {
                recordings.finish(recorder, &flow, started, &transcript)
            })
            .await;
            let id = self.io.id;
            match finished {
                Ok(Ok(manifest)) => {
                    debug!(call = %id, seconds = manifest.duration_seconds, sequence = manifest.sequence, "recording sealed")
                }
                Ok(Err(error)) => warn!(call = %id, %error, "recording did not close cleanly"),
                Err(error) => warn!(call = %id, %error, "recording task failed"),
            }
        }
        let stats = self.io.media.stats();
        let metrics = &self.io.registry.services.metrics;
        self.io.media_metrics.report(&stats, metrics);
        metrics.rtp_jitter.observe(stats.jitter_ms / 1000.0);
        info!(
            call = %self.io.id,
            outcome = outcome.name(),
            sent = stats.packets_sent,
            received = stats.packets_received,
            lost = stats.packets_lost,
            "call ended"
        );
        self.core.close(clock());
        self.execute(now);
        if let Some(speech) = self.io.speech.take() {
            let deadline = tokio::time::Instant::now() + LAST_TURNS_WAIT;
            let last_turns = speech.finish(deadline).await;
            self.core.last_turns(clock(), last_turns);
            self.execute(now);
        }
        self.io.registry.remove(self.io.id);
    }
}

/// Which of the caller's sockets a datagram came on.
#[derive(Debug, Clone, Copy)]
enum MediaPort {
    Rtp,
    Rtcp,
}

/// The next recognition result of a speech-mode call; never resolves for a keys-only call.
async fn next_recognised(speech: &mut Option<CallSpeech>) -> Recognised {
    match speech {
        Some(speech) => speech.next_recognised().await,
        None => std::future::pending().await,
    }
}

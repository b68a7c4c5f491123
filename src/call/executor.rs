//! The call driver's executor: it owns one answered call's I/O — the caller's and the legs'
//! media sessions and sockets, the dialog, the recorder, speech recognition and synthesis, the
//! errands — and turns each [`CallOutput`] of the core into its effect over the shared
//! [`super::CallServices`].
//!
//! Invariant: nothing here decides; where an effect fails in a way the core must know (a prompt
//! that cannot be read, a leg that cannot be made, a recording that stopped), the executor
//! answers with the [`CallInput`] that says so.

use super::core::{
    AgentRequest, BoardUpdate, CallInput, CallOutput, LegEvent, MediaActivity, Metric, Now, Party,
    Recognised, Routing, Slot, Sound,
};
use super::handle::CallHandle;
use super::legs::{AgentLeg, LegBuffers, LegEvents, Legs};
use super::media_metrics::MediaMetrics;
use super::services::Registry;
use super::speaking::Speaking;
use super::speech::CallSpeech;
use crate::conversation::Errands;
use crate::ids::CallId;
use crate::language::Language;
use crate::media::{FRAME_SAMPLES, MediaError, MediaSession};
use crate::net::{MediaSockets, waiting_datagram};
use crate::recording::CallRecorder;
use crate::sip::sdp::NegotiatedAudio;
use crate::sip::{DialogHandle, OutboundCall};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;
use tracing::{debug, warn};

/// One answered call's I/O.
pub(super) struct Executor {
    pub id: CallId,
    pub registry: Arc<Registry>,
    pub handle: CallHandle,
    pub media: MediaSession,
    pub sockets: MediaSockets,
    pub dialog: DialogHandle,
    /// The caller's stream as last negotiated.
    pub audio: NegotiatedAudio,
    pub legs: Legs,
    pub recorder: Option<CallRecorder>,
    pub speech: Option<CallSpeech>,
    /// The language the call is served in: its voice and understanding.
    pub language: Language,
    pub speaking: Option<Speaking>,
    pub errands: Errands,
    pub routing: Routing,
    pub media_metrics: MediaMetrics,
}

impl Executor {
    /// Carries out one output; answers with what the core must hear of a failure.
    pub fn execute(&mut self, now: Now, output: CallOutput) -> Option<CallInput> {
        let services = &self.registry.services;
        match output {
            CallOutput::Play(Sound::Speech(samples)) => self.media.play(samples),
            CallOutput::Play(Sound::Prompt(path) | Sound::Music(path)) => {
                match services.prompts.get(&path) {
                    Ok(audio) => self.media.play(audio),
                    Err(error) => {
                        warn!(call = %self.id, path = %path.display(), %error, "prompt unavailable, skipping it");
                        return Some(CallInput::PlaybackFailed);
                    }
                }
            }
            CallOutput::StopPlayback => {
                self.media.stop_playback();
                self.speaking = None;
            }
            CallOutput::Say(text) => match services.speech.synthesizer(self.language) {
                Some(service) => self.speaking = Some(Speaking::start(service, text)),
                None => return Some(CallInput::Spoken(None)),
            },
            CallOutput::HangUp(reason) => self.dialog.hang_up(reason),
            CallOutput::Understand { text, confidence } => {
                return self
                    .errands
                    .understand(text, confidence)
                    .map(CallInput::Errand);
            }
            CallOutput::UnderstandTentative { text } => {
                return self
                    .errands
                    .understand_tentative(text)
                    .map(|(text, meaning)| CallInput::TentativeMeaning { text, meaning });
            }
            CallOutput::LookUp(request) => self.errands.look_up(request),
            CallOutput::Language { language, flow } => {
                self.language = language;
                let served = services.speech.language(language);
                self.errands.converse_in(&flow, served.understanding);
                if let (Some(speech), Some(recognition)) =
                    (self.speech.as_mut(), served.recognition)
                {
                    speech.listen_with(recognition);
                }
            }
            CallOutput::EndTurnWith(transcript) => {
                let ended = self.speech.as_mut()?.end_turn_with(transcript)?;
                return Some(CallInput::Recognised(Recognised::Turn(Ok(ended))));
            }
            CallOutput::Mark(event) => {
                let recorder = self.recorder.as_mut()?;
                if let Err(error) = recorder.mark(event) {
                    warn!(call = %self.id, %error, "recording stopped");
                    self.recorder = None;
                    return Some(CallInput::RecordingStopped);
                }
            }
            CallOutput::Dial {
                slot,
                number,
                agent,
                display_name,
                caller,
            } => return self.dial(slot, number, agent, display_name, caller),
            CallOutput::ReleaseLeg { slot, hang_up } => {
                if let Some(leg) = self.legs.take(slot)
                    && let Some(reason) = hang_up
                {
                    leg.dialog.hang_up(reason);
                }
            }
            CallOutput::PromoteConsultant => self.legs.promote_consultant(),
            CallOutput::SayToLeg(slot, text) => {
                if let (Some(leg), Some(service)) = (
                    self.legs.get_mut(slot),
                    services.speech.synthesizer(self.language),
                ) {
                    leg.speaking = Some(Speaking::start(service, text));
                }
            }
            CallOutput::PlayToLeg(slot, samples) => {
                if let Some(media) = self.legs.get_mut(slot).and_then(|leg| leg.media.as_mut()) {
                    media.play(samples);
                }
            }
            CallOutput::Route(routing) => self.routing = routing,
            CallOutput::Agents(request) => self.tell_agents(request),
            CallOutput::Board(update) => {
                let board = &services.board;
                match update {
                    BoardUpdate::Show(line) => board.show(line),
                    BoardUpdate::Progress(progress) => board.progress(self.id, &progress),
                    BoardUpdate::Answered { group, waited } => {
                        board.answered(&group, waited, now.wall)
                    }
                    BoardUpdate::Remove => board.remove(self.id),
                }
            }
            CallOutput::Count(metric) => self.count(metric),
            CallOutput::SaveRecord(record) => services.records.save(record),
        }
        None
    }

    fn tell_agents(&self, request: AgentRequest) {
        let agents = &self.registry.services.agents;
        let id = self.id;
        match request {
            AgentRequest::Enqueue(context) => agents.enqueue(self.line(), *context),
            AgentRequest::Reserve(context, agent) => agents.reserve(self.line(), *context, agent),
            AgentRequest::ReserveConsultant(context, agent) => {
                agents.reserve_consultant(self.line(), *context, agent)
            }
            AgentRequest::Leave => agents.leave(id),
            AgentRequest::Declined(agent, why) => agents.declined(id, agent, why),
            AgentRequest::Briefing(agent) => agents.briefing(id, agent),
            AgentRequest::Connected(agent) => agents.connected(id, agent),
            AgentRequest::Finished(agent) => agents.finished(id, agent),
        }
    }

    /// The call's line for the agent service.
    fn line(&self) -> Arc<dyn crate::agents::CallLine> {
        Arc::new(self.handle.clone())
    }

    fn count(&self, metric: Metric) {
        let metrics = &self.registry.services.metrics;
        match metric {
            Metric::Key(source) => metrics
                .dtmf_events
                .with_label_values(&[source.name()])
                .inc(),
            Metric::RecognitionConfidence(confidence) => {
                metrics.asr_confidence.observe(f64::from(confidence))
            }
            Metric::TurnLatency(latency) => metrics.turn_latency.observe(latency.as_secs_f64()),
            Metric::NoMatch => metrics.no_matches.inc(),
            Metric::QueueAnswer(waited) => metrics.queue_answer.observe(waited.as_secs_f64()),
            Metric::QueueConnect(waited) => metrics.queue_connect.observe(waited.as_secs_f64()),
            Metric::CallEnded(outcome) => metrics.calls.with_label_values(&[outcome.name()]).inc(),
        }
    }

    /// Calls an agent's (or supervisor's) phone on a new leg.
    fn dial(
        &mut self,
        slot: Slot,
        number: u64,
        agent: crate::ids::AgentId,
        display_name: String,
        caller: String,
    ) -> Option<CallInput> {
        let services = &self.registry.services;
        let sockets = match MediaSockets::open(&self.registry.ports, services.config.media.address)
        {
            Ok(sockets) => sockets,
            Err(error) => {
                warn!(call = %self.id, %error, "no media ports for the agent leg");
                return Some(CallInput::Leg(slot, LegEvent::DialFailed));
            }
        };
        let local_rtp = match services.config.sip.public_address {
            Some(public) => SocketAddr::new(public, sockets.rtp_address().port()),
            None => sockets.rtp_address(),
        };
        let call = OutboundCall {
            agent: agent.to_string(),
            display_name,
            caller,
            local_rtp,
            bound_rtp: sockets.reachable_rtp_address(),
            call_id: self.id.to_string(),
        };
        let events = Box::new(LegEvents {
            handle: self.handle.clone(),
            leg: number,
        });
        let dialog = match services.phones.dial(call, events) {
            Ok(dialog) => dialog,
            Err((call, events)) => services.dialer.dial(call, events),
        };
        let leg = AgentLeg {
            number,
            dialog,
            sockets,
            media: None,
            speaking: None,
            reported: MediaMetrics::new(Instant::now()),
            metrics: services.metrics.clone(),
        };
        self.legs.put(slot, leg);
        None
    }

    /// The media session of a party, if it has one now.
    fn media_of(&mut self, party: Party) -> Option<&mut MediaSession> {
        match party {
            Party::Caller => Some(&mut self.media),
            Party::Leg(slot) => self.legs.get_mut(slot)?.media.as_mut(),
        }
    }

    /// Relays frames said by `speaker` to everyone who hears them now.
    pub fn relay(&mut self, speaker: Party, frames: &[[i16; FRAME_SAMPLES]]) {
        let routing = self.routing;
        for listener in routing.listeners(speaker) {
            if let Some(media) = self.media_of(listener) {
                for frame in frames {
                    media.relay(speaker.index(), frame);
                }
            }
        }
    }

    /// When the next media tick or RTCP report of any leg is due.
    pub fn media_deadline(&self) -> Instant {
        let legs = Slot::ALL
            .into_iter()
            .filter_map(|slot| self.legs.get(slot)?.media.as_ref())
            .map(MediaSession::poll_timeout);
        legs.fold(self.media.poll_timeout(), Instant::min)
    }

    /// When each party's RTP last arrived.
    pub fn media_activity(&self) -> MediaActivity {
        let mut activity = MediaActivity {
            caller: self.media.last_received_at(),
            legs: [None; 3],
        };
        for slot in Slot::ALL {
            activity.legs[slot.index()] = self
                .legs
                .get(slot)
                .and_then(|leg| leg.media.as_ref())
                .and_then(MediaSession::last_received_at);
        }
        activity
    }

    /// Runs every media session's timers, and adds their counters to `/metrics` each second.
    pub fn tick(&mut self, now: Instant) {
        self.media.handle_timeout(now);
        if self.media_metrics.due(now) {
            let metrics = &self.registry.services.metrics;
            self.media_metrics.report(&self.media.stats(), metrics);
        }
        for (_, leg) in self.legs.iter_mut() {
            let Some(media) = leg.media.as_mut() else {
                continue;
            };
            media.handle_timeout(now);
            if leg.reported.due(now) {
                leg.reported.report(&media.stats(), &leg.metrics);
            }
        }
    }

    /// Whether caller and agent talk to each other now (so the call's sockets are read on its
    /// tick instead of waking for each packet: one wake-up a tick for both legs).
    pub fn bridged(&self) -> bool {
        self.routing.hears(Party::Caller, Party::Leg(Slot::Agent))
    }

    /// Reads every datagram waiting on the call's sockets and its legs'.
    pub fn drain_sockets(
        &mut self,
        now: Instant,
        rtp: &mut [u8],
        rtcp: &mut [u8],
        legs: &mut LegBuffers,
    ) {
        let id = self.id;
        drain(
            &self.sockets,
            &mut self.media,
            now,
            rtp,
            rtcp,
            |error, source| {
                debug!(call = %id, %error, %source, "caller datagram dropped");
            },
        );
        for (slot, leg) in self.legs.iter_mut() {
            let Some(media) = leg.media.as_mut() else {
                continue;
            };
            let buffer = legs.of_mut(slot);
            drain(
                &leg.sockets,
                media,
                now,
                &mut buffer.rtp,
                &mut buffer.rtcp,
                |error, source| debug!(call = %id, ?slot, %error, %source, "leg datagram dropped"),
            );
        }
    }
}

/// Hands every datagram waiting on a session's RTP and RTCP sockets to the session, without
/// waiting for more; `dropped` hears of each one the session refused.
fn drain(
    sockets: &MediaSockets,
    media: &mut MediaSession,
    now: Instant,
    rtp: &mut [u8],
    rtcp: &mut [u8],
    dropped: impl Fn(MediaError, SocketAddr),
) {
    while let Some((length, source)) = waiting_datagram(&sockets.rtp, rtp) {
        if let Err(error) = media.handle_rtp(now, source, &rtp[..length]) {
            dropped(error, source);
        }
    }
    while let Some((length, source)) = waiting_datagram(&sockets.rtcp, rtcp) {
        if let Err(error) = media.handle_rtcp(now, source, &rtcp[..length]) {
            dropped(error, source);
        }
    }
}

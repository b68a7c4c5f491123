//! Who hears whom on a transferred call, and the agent legs' media: datagrams in and out, the
//! brief's end, agents' keys, the legs' timers and media timeouts.
//!
//! Audio moves frame by frame: what a leg receives is relayed into the media session of every
//! leg that should hear it, each origin in its own relay source so a session mixes several
//! speakers (a barging supervisor, say) rather than interleaving them.

use super::actor::CallActor;
use super::agent_leg::{CALLER_SOURCE, LegBuffers, LegInput, MonitorMode, Slot};
use super::transfer::TransferPhase;
use crate::acd::Stage;
use crate::media::{FRAME_SAMPLES, MediaError, MediaEvent, MediaSession};
use crate::net::{MediaSockets, waiting_datagram};
use std::net::SocketAddr;
use std::time::Instant;
use tracing::{debug, info, warn};

/// Where a frame of audio comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Origin {
    Caller,
    Leg(Slot),
}

impl Origin {
    fn source(self) -> usize {
        match self {
            Origin::Caller => CALLER_SOURCE,
            Origin::Leg(slot) => slot.source(),
        }
    }
}

/// Every leg of a call that can speak or listen.
const ORIGINS: [Origin; 4] = [
    Origin::Caller,
    Origin::Leg(Slot::Agent),
    Origin::Leg(Slot::Consultant),
    Origin::Leg(Slot::Supervisor),
];

/// Whether `listener` hears what `speaker` says now.
fn hears(transfer: &TransferPhase, speaker: Origin, listener: Origin) -> bool {
    let talking = transfer.machine.talking();
    let consulting = matches!(
        transfer.machine.stage(),
        Stage::Consulting { answered: true, .. }
    );
    let supervisor = transfer
        .monitor
        .as_ref()
        .filter(|monitor| monitor.leg.media.is_some())
        .map(|monitor| monitor.mode);
    let (caller, agent) = (Origin::Caller, Origin::Leg(Slot::Agent));
    let (consultant, boss) = (Origin::Leg(Slot::Consultant), Origin::Leg(Slot::Supervisor));
    let pair = (speaker, listener);
    if pair == (caller, agent) || pair == (agent, caller) {
        return talking;
    }
    if pair == (agent, consultant) || pair == (consultant, agent) {
        return consulting;
    }
    if listener == boss {
        return speaker != boss && supervisor.is_some();
    }
    if pair == (boss, agent) {
        return matches!(supervisor, Some(MonitorMode::Whisper | MonitorMode::Barge));
    }
    pair == (boss, caller) && talking && supervisor == Some(MonitorMode::Barge)
}

impl CallActor {
    fn media_of(&mut self, origin: Origin) -> Option<&mut MediaSession> {
        match origin {
            Origin::Caller => Some(&mut self.media),
            Origin::Leg(slot) => self.leg_mut(slot)?.media.as_mut(),
        }
    }

    /// Relays frames from `origin` to everyone who hears it now.
    fn relay(&mut self, origin: Origin, frames: &[[i16; FRAME_SAMPLES]]) {
        let Some(transfer) = self.transfer.as_ref() else {
            return;
        };
        let hearing = ORIGINS.map(|listener| hears(transfer, origin, listener));
        for (listener, hears) in ORIGINS.into_iter().zip(hearing) {
            if let Some(media) = self.media_of(listener).filter(|_| hears) {
                for frame in frames {
                    media.relay(origin.source(), frame);
                }
            }
        }
    }

    /// A frame the caller said, for the legs that hear the caller.
    pub(super) fn relay_caller_frame(&mut self, frame: &[i16; FRAME_SAMPLES]) {
        self.relay(Origin::Caller, std::slice::from_ref(frame));
    }

    /// A datagram or a sentence of the brief arrived for a leg.
    pub(super) fn on_leg_input(&mut self, slot: Slot, input: LegInput, buffers: &LegBuffers) {
        let id = self.id;
        let Some(leg) = self.leg_mut(slot) else {
            return;
        };
        let now = Instant::now();
        let buffer = buffers.of(slot);
        match input {
            LegInput::Rtp(length, source) => {
                if let Some(media) = leg.media.as_mut()
                    && let Err(error) = media.handle_rtp(now, source, &buffer.rtp[..length])
                {
                    debug!(call = %id, ?slot, %error, %source, "leg RTP dropped");
                }
            }
            LegInput::Rtcp(length, source) => {
                if let Some(media) = leg.media.as_mut()
                    && let Err(error) = media.handle_rtcp(now, source, &buffer.rtcp[..length])
                {
                    debug!(call = %id, ?slot, %error, %source, "leg RTCP dropped");
                }
            }
            LegInput::Brief(Some(Ok(chunk))) => {
                if let Some(media) = leg.media.as_mut() {
                    media.play(chunk.samples);
                }
            }
            LegInput::Brief(Some(Err(error))) => {
                warn!(call = %id, %error, "the brief could not be spoken");
                leg.speaking = None;
                self.brief_played();
            }
            LegInput::Brief(None) => {
                leg.speaking = None;
                if !leg.media.as_ref().is_some_and(MediaSession::is_playing) {
                    self.brief_played();
                }
            }
            LegInput::ReceiveFailed(error) => {
                debug!(call = %id, ?slot, %error, "leg receive error")
            }
        }
    }

    fn brief_played(&mut self) {
        if let Some(transfer) = self.transfer.as_mut() {
            transfer.machine.brief_finished(Instant::now());
            self.run_transfer();
        }
    }

    /// Moves every leg's output: datagrams out, audio to whoever hears it, the agent's keys,
    /// the end of the brief.
    pub(super) fn pump_agent_legs(&mut self) {
        for slot in [Slot::Agent, Slot::Consultant, Slot::Supervisor] {
            self.pump_leg(slot);
        }
    }

    fn pump_leg(&mut self, slot: Slot) {
        let id = self.id;
        let Some(leg) = self.leg_mut(slot) else {
            return;
        };
        let speaking = leg.speaking.is_some();
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
        let mut keys = Vec::new();
        let mut brief_over = false;
        while let Some(event) = media.poll_event() {
            match event {
                MediaEvent::Dtmf { digit } => keys.push(digit),
                MediaEvent::PlaybackFinished => brief_over = !speaking,
                MediaEvent::RemoteLatched { .. } => {}
            }
        }
        if !frames.is_empty() {
            self.relay(Origin::Leg(slot), &frames);
        }
        if slot != Slot::Agent {
            return;
        }
        if brief_over {
            self.brief_played();
        }
        for key in keys {
            self.agent_key(key);
        }
    }

    /// Whether caller and agent talk to each other now (so the call's sockets are read on its
    /// tick).
    pub(super) fn bridged(&self) -> bool {
        self.transfer
            .as_ref()
            .is_some_and(|transfer| transfer.machine.talking())
    }

    /// Reads every datagram waiting on the call's sockets and its legs' (a bridged call reads
    /// on its tick instead of waking for each packet).
    pub(super) fn drain_sockets(
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
        for slot in [Slot::Agent, Slot::Consultant, Slot::Supervisor] {
            let Some(leg) = self.leg_mut(slot) else {
                continue;
            };
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

    /// The earliest deadline of the legs' media and the transfer's timers.
    pub(super) fn transfer_deadline(&self) -> Option<Instant> {
        let transfer = self.transfer.as_ref()?;
        let legs = [
            transfer.leg.as_ref(),
            transfer.consult.as_ref(),
            transfer.monitor.as_ref().map(|monitor| &monitor.leg),
        ];
        legs.into_iter()
            .flatten()
            .filter_map(|leg| leg.media.as_ref().map(MediaSession::poll_timeout))
            .chain(transfer.machine.poll_timeout())
            .min()
    }

    /// Runs the legs' timers: media ticks, the ring and accept deadlines, and the media timeout
    /// of an answered leg whose RTP stopped.
    pub(super) fn transfer_timeout(&mut self, now: Instant) {
        let media_timeout = self.registry.services.config.media.media_timeout;
        for slot in [Slot::Agent, Slot::Consultant, Slot::Supervisor] {
            let id = self.id;
            let Some(leg) = self.leg_mut(slot) else {
                continue;
            };
            let Some(media) = leg.media.as_mut() else {
                continue;
            };
            media.handle_timeout(now);
            if leg.counters.reported.due(now) {
                let metrics = &leg.counters.metrics;
                leg.counters.reported.report(&media.stats(), metrics);
            }
            let last = media.last_received_at().or(leg.answered_at);
            if last.is_some_and(|last| now.duration_since(last) > media_timeout) {
                info!(call = %id, agent = %leg.agent, ?slot, "no RTP from the leg: hanging up");
                leg.dialog.hang_up("media timeout");
                self.leg_ended(slot, None);
            }
        }
        if let Some(transfer) = self.transfer.as_mut() {
            transfer.machine.handle_timeout(now);
        }
        self.run_transfer();
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

//! The legs of a call to agents' phones as the driver holds them: each has its sockets, its
//! media session once answered, and the brief being synthesized for it; its SIP events come back
//! as call commands carrying the call's own number for the leg.
//!
//! Invariant: a leg's number is never reused within a call, so events of a leg the call already
//! gave up (a late 487 after CANCEL, say) match no slot and are dropped.

use super::command::CallCommand;
use super::core::Slot;
use super::handle::CallHandle;
use super::media_metrics::MediaMetrics;
use super::media_setup::open_media;
use super::speaking::{self, Speaking};
use crate::config::MediaConfig;
use crate::media::MediaSession;
use crate::net::MediaSockets;
use crate::sip::sdp::NegotiatedAudio;
use crate::sip::{DialogHandle, OutboundEvent, OutboundSession};
use crate::telemetry::Metrics;
use crate::tts::{SpeechChunk, TtsError};
use std::net::SocketAddr;
use std::time::Instant;

/// Receive buffer of a leg: larger than any valid RTP datagram.
const DATAGRAM_BUFFER: usize = 2048;

/// One leg to an agent's or supervisor's phone.
pub(super) struct AgentLeg {
    /// The call's own number for the leg.
    pub number: u64,
    /// Ends the leg.
    pub dialog: DialogHandle,
    /// The leg's RTP and RTCP sockets.
    pub sockets: MediaSockets,
    /// The leg's media, once the phone answered.
    pub media: Option<MediaSession>,
    /// The brief being spoken to the agent.
    pub speaking: Option<Speaking>,
    /// What the leg's RTP counters already added to `/metrics`.
    pub reported: MediaMetrics,
    /// Where they are added.
    pub metrics: Metrics,
}

impl Drop for AgentLeg {
    fn drop(&mut self) {
        if let Some(media) = &self.media {
            self.reported.report(&media.stats(), &self.metrics);
        }
    }
}

impl AgentLeg {
    /// The phone answered: its media starts, ticking from `start` (the caller's next tick, so
    /// one wake-up serves both legs).
    pub fn answered(
        &mut self,
        audio: &NegotiatedAudio,
        config: &MediaConfig,
        cname: String,
        start: Instant,
    ) {
        self.media = Some(open_media(audio, config, cname, start));
    }
}

/// The call's legs, by slot.
#[derive(Default)]
pub(super) struct Legs([Option<AgentLeg>; 3]);

impl Legs {
    /// The slot of the leg numbered `number`, if it is still one of the call's.
    pub fn slot_of(&self, number: u64) -> Option<Slot> {
        Slot::ALL
            .into_iter()
            .find(|slot| self.get(*slot).is_some_and(|leg| leg.number == number))
    }

    pub fn get(&self, slot: Slot) -> Option<&AgentLeg> {
        self.0[slot.index()].as_ref()
    }

    pub fn get_mut(&mut self, slot: Slot) -> Option<&mut AgentLeg> {
        self.0[slot.index()].as_mut()
    }

    pub fn put(&mut self, slot: Slot, leg: AgentLeg) {
        self.0[slot.index()] = Some(leg);
    }

    pub fn take(&mut self, slot: Slot) -> Option<AgentLeg> {
        self.0[slot.index()].take()
    }

    /// Every leg, with its slot.
    pub fn iter_mut(&mut self) -> impl Iterator<Item = (Slot, &mut AgentLeg)> {
        Slot::ALL
            .into_iter()
            .zip(self.0.iter_mut())
            .filter_map(|(slot, leg)| leg.as_mut().map(|leg| (slot, leg)))
    }

    /// The consultant's leg becomes the agent's.
    pub fn promote_consultant(&mut self) {
        self.0[Slot::Agent.index()] = self.take(Slot::Consultant);
    }
}

/// Turns a leg's SIP events into commands to its call.
pub(super) struct LegEvents {
    pub handle: CallHandle,
    pub leg: u64,
}

impl OutboundSession for LegEvents {
    fn event(&self, event: OutboundEvent) {
        self.handle.send(CallCommand::AgentLeg {
            leg: self.leg,
            event,
        });
    }
}

/// Something arrived on a leg.
pub(super) enum LegInput {
    /// An RTP datagram of this length from this source (in the leg's buffer).
    Rtp(usize, SocketAddr),
    /// An RTCP datagram of this length from this source (in the leg's buffer).
    Rtcp(usize, SocketAddr),
    /// The next sentence of the brief, or its end.
    Brief(Option<Result<SpeechChunk, TtsError>>),
    /// A socket failed to receive.
    ReceiveFailed(std::io::Error),
}

/// The receive buffers of one leg.
pub(super) struct LegBuffer {
    pub rtp: Vec<u8>,
    pub rtcp: Vec<u8>,
}

/// Receive buffers for every leg slot.
pub(super) struct LegBuffers([LegBuffer; 3]);

impl Default for LegBuffers {
    fn default() -> Self {
        LegBuffers(std::array::from_fn(|_| LegBuffer {
            rtp: vec![0; DATAGRAM_BUFFER],
            rtcp: vec![0; DATAGRAM_BUFFER],
        }))
    }
}

impl LegBuffers {
    /// The buffers of `slot`.
    pub fn of(&self, slot: Slot) -> &LegBuffer {
        &self.0[slot.index()]
    }

    /// The buffers of `slot`, to receive into.
    pub fn of_mut(&mut self, slot: Slot) -> &mut LegBuffer {
        &mut self.0[slot.index()]
    }
}

/// The next input of one leg; never resolves without a leg.
async fn one_input(leg: Option<&mut AgentLeg>, buffer: &mut LegBuffer) -> LegInput {
    let Some(leg) = leg else {
        return std::future::pending().await;
    };
    tokio::select! {
        received = leg.sockets.rtp.recv_from(&mut buffer.rtp) => match received {
            Ok((length, source)) => LegInput::Rtp(length, source),
            Err(error) => LegInput::ReceiveFailed(error),
        },
        received = leg.sockets.rtcp.recv_from(&mut buffer.rtcp) => match received {
            Ok((length, source)) => LegInput::Rtcp(length, source),
            Err(error) => LegInput::ReceiveFailed(error),
        },
        chunk = speaking::next_chunk(&mut leg.speaking) => LegInput::Brief(chunk),
    }
}

/// The next input of any leg; never resolves without one.
pub(super) async fn next_input(legs: &mut Legs, buffers: &mut LegBuffers) -> (Slot, LegInput) {
    let [agent, consultant, supervisor] = &mut legs.0;
    let [first, second, third] = &mut buffers.0;
    tokio::select! {
        input = one_input(agent.as_mut(), first) => (Slot::Agent, input),
        input = one_input(consultant.as_mut(), second) => (Slot::Consultant, input),
        input = one_input(supervisor.as_mut(), third) => (Slot::Supervisor, input),
    }
}

//! The legs of a call to agents' phones: the agent's, a consultant's (attended transfer) and a
//! supervisor's (listen, whisper, barge). Each has its sockets, its media session once
//! answered, and the brief spoken to it; its SIP events come back as call commands.
//!
//! Invariant: a leg's events carry the call's own number for it, so events of a leg the call
//! already gave up (a late 487 after CANCEL, say) are told apart from the current legs'.

use super::media_metrics::MediaMetrics;
use super::speaking::{self, Speaking};
use super::{CallCommand, CallHandle};
use crate::config::MediaConfig;
use crate::ids::AgentId;
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

/// Which leg of a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Slot {
    /// The agent who has the caller.
    Agent,
    /// The agent consulted before an attended transfer.
    Consultant,
    /// A supervisor listening in.
    Supervisor,
}

impl Slot {
    /// The media relay source of the leg's audio (the caller's is [`CALLER_SOURCE`]), one per
    /// leg so a session mixes what several legs say.
    pub fn source(self) -> usize {
        match self {
            Slot::Agent => 1,
            Slot::Consultant => 2,
            Slot::Supervisor => 3,
        }
    }

    fn index(self) -> usize {
        self.source() - 1
    }
}

/// The media relay source of the caller's audio.
pub(super) const CALLER_SOURCE: usize = 0;

/// What a supervisor does on a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MonitorMode {
    /// Hears caller and agent; nobody hears the supervisor.
    Listen,
    /// Hears both; only the agent hears the supervisor.
    Whisper,
    /// Everyone hears everyone.
    Barge,
}

impl MonitorMode {
    /// Reads `listen`, `whisper` or `barge`.
    pub fn parse(name: &str) -> Option<MonitorMode> {
        match name {
            "listen" => Some(MonitorMode::Listen),
            "whisper" => Some(MonitorMode::Whisper),
            "barge" => Some(MonitorMode::Barge),
            _ => None,
        }
    }
}

/// One leg to an agent's or supervisor's phone.
pub(super) struct AgentLeg {
    /// The call's own number for the leg.
    pub number: u64,
    /// The agent (or supervisor) being called.
    pub agent: AgentId,
    /// Ends the leg.
    pub dialog: DialogHandle,
    /// The leg's RTP and RTCP sockets.
    pub sockets: MediaSockets,
    /// The leg's media, once the phone answered.
    pub media: Option<MediaSession>,
    /// The brief being spoken to the agent.
    pub speaking: Option<Speaking>,
    /// When the phone answered (for the media timeout).
    pub answered_at: Option<Instant>,
    /// The leg's RTP counters, added to the process-wide ones as it runs and when it ends.
    pub counters: LegCounters,
}

/// What a leg adds to `/metrics`.
pub(super) struct LegCounters {
    pub reported: MediaMetrics,
    pub metrics: Metrics,
}

impl Drop for AgentLeg {
    fn drop(&mut self) {
        if let Some(media) = &self.media {
            self.counters
                .reported
                .report(&media.stats(), &self.counters.metrics);
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
        self.media = Some(super::actor::open_media(audio, config, cname, start));
        self.answered_at = Some(Instant::now());
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

/// The next input of any of the three legs.
pub(super) async fn next_input(
    agent: Option<&mut AgentLeg>,
    consultant: Option<&mut AgentLeg>,
    supervisor: Option<&mut AgentLeg>,
    buffers: &mut LegBuffers,
) -> (Slot, LegInput) {
    let [first, second, third] = &mut buffers.0;
    tokio::select! {
        input = one_input(agent, first) => (Slot::Agent, input),
        input = one_input(consultant, second) => (Slot::Consultant, input),
        input = one_input(supervisor, third) => (Slot::Supervisor, input),
    }
}

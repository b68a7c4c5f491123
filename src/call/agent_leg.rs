//! The leg of a call to an agent's phone: its sockets, its media session once answered, the
//! brief spoken to it, and the session that turns its SIP events into call commands.
//!
//! Invariant: a leg's events carry the call's own number for it, so events of a leg the call
//! already gave up (a late 487 after CANCEL, say) are told apart from the current leg's.

use super::speaking::{self, Speaking};
use super::{CallCommand, CallHandle};
use crate::ids::AgentId;
use crate::media::{JitterConfig, MediaSession, MediaSessionConfig};
use crate::net::MediaSockets;
use crate::sip::sdp::NegotiatedAudio;
use crate::sip::{DialogHandle, OutboundEvent, OutboundSession};
use crate::tts::{SpeechChunk, TtsError};
use std::net::SocketAddr;
use std::time::{Duration, Instant, SystemTime};

/// One leg to an agent's phone.
pub(super) struct AgentLeg {
    /// The call's own number for the leg.
    pub number: u64,
    /// The agent being called.
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
}

impl AgentLeg {
    /// The phone answered: its media starts.
    pub fn answered(&mut self, audio: &NegotiatedAudio, jitter: JitterConfig, cname: String) {
        let now = Instant::now();
        let codec =
            crate::media::Codec::from_name(&audio.codec).unwrap_or(crate::media::Codec::Pcmu);
        let mut media = MediaSession::new(
            MediaSessionConfig {
                codec,
                payload_type: audio.payload_type,
                telephone_event_payload_type: audio.telephone_event_payload_type,
                remote_rtp: audio.remote_rtp,
                remote_rtcp: audio.remote_rtcp,
                ssrc: rand::random(),
                cname,
                jitter,
                rtcp_interval: Duration::from_secs(5),
                wall_clock_at_start: SystemTime::now(),
            },
            now,
        );
        media.set_direction(super::actor::media_direction(audio.direction));
        self.media = Some(media);
        self.answered_at = Some(now);
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

/// Something arrived on the agent leg.
pub(super) enum LegInput {
    /// An RTP datagram of this length from this source.
    Rtp(usize, SocketAddr),
    /// An RTCP datagram of this length from this source.
    Rtcp(usize, SocketAddr),
    /// The next sentence of the brief, or its end.
    Brief(Option<Result<SpeechChunk, TtsError>>),
    /// A socket failed to receive.
    ReceiveFailed(std::io::Error),
}

/// The next input of the agent leg; never resolves without one.
pub(super) async fn next_input(
    leg: Option<&mut AgentLeg>,
    rtp: &mut [u8],
    rtcp: &mut [u8],
) -> LegInput {
    let Some(leg) = leg else {
        return std::future::pending().await;
    };
    tokio::select! {
        received = leg.sockets.rtp.recv_from(rtp) => match received {
            Ok((length, source)) => LegInput::Rtp(length, source),
            Err(error) => LegInput::ReceiveFailed(error),
        },
        received = leg.sockets.rtcp.recv_from(rtcp) => match received {
            Ok((length, source)) => LegInput::Rtcp(length, source),
            Err(error) => LegInput::ReceiveFailed(error),
        },
        chunk = speaking::next_chunk(&mut leg.speaking) => LegInput::Brief(chunk),
    }
}

//! Public value types of the media session contract: configuration, direction, outputs
//! (transmits, events, frame pairs) and statistics.
//!
//! Invariant: these are plain data with no behaviour beyond small helpers, so the call layer can
//! construct, clone and compare them freely.

use std::net::SocketAddr;
use std::time::{Duration, SystemTime};

use crate::media::jitter::JitterConfig;
use crate::media::{Codec, FRAME_SAMPLES};

/// Default interval between RTCP reports.
pub const DEFAULT_RTCP_INTERVAL: Duration = Duration::from_secs(5);
/// Frames kept for [`MediaSession::poll_frame`] before the oldest are dropped (5 s).
pub const MAXIMUM_QUEUED_FRAMES: usize = 250;
/// Live frames from a bridged leg waiting to be sent (80 ms) before the oldest are dropped.
pub const MAXIMUM_RELAYED_FRAMES: usize = 4;
/// Legs whose live audio one session can mix: one slot per leg of a call (caller, agent,
/// consultant, supervisor), so no two legs share a slot.
pub const RELAY_SOURCES: usize = 4;

/// Everything negotiated for one call's audio stream.
#[derive(Debug, Clone)]
pub struct MediaSessionConfig {
    /// Audio codec.
    pub codec: Codec,
    /// Negotiated payload type for the codec (normally 0 or 8).
    pub payload_type: u8,
    /// Negotiated telephone-event payload type, e.g. 101.
    pub telephone_event_payload_type: Option<u8>,
    /// Peer RTP address from the SDP.
    pub remote_rtp: SocketAddr,
    /// Peer RTCP address (usually RTP port + 1).
    pub remote_rtcp: SocketAddr,
    /// Our synchronisation source; also seeds the initial sequence number and timestamp.
    pub ssrc: u32,
    /// Our RTCP canonical name.
    pub cname: String,
    /// Jitter buffer delay bounds.
    pub jitter: JitterConfig,
    /// Interval between RTCP reports (at least one frame).
    pub rtcp_interval: Duration,
    /// Wall-clock time read together with the `now` passed to [`MediaSession::new`].
    pub wall_clock_at_start: SystemTime,
}

impl MediaSessionConfig {
    /// A configuration with the codec's static payload type, no telephone-event, RTCP on the
    /// next port up, default jitter bounds and the default RTCP interval.
    pub fn new(
        codec: Codec,
        remote_rtp: SocketAddr,
        ssrc: u32,
        cname: impl Into<String>,
        wall_clock_at_start: SystemTime,
    ) -> Self {
        let mut remote_rtcp = remote_rtp;
        remote_rtcp.set_port(remote_rtp.port().wrapping_add(1));
        MediaSessionConfig {
            codec,
            payload_type: codec.payload_type(),
            telephone_event_payload_type: None,
            remote_rtp,
            remote_rtcp,
            ssrc,
            cname: cname.into(),
            jitter: JitterConfig::default(),
            rtcp_interval: DEFAULT_RTCP_INTERVAL,
            wall_clock_at_start,
        }
    }
}

/// Our side's media direction, from SDP `a=sendrecv` and friends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Send and receive.
    SendReceive,
    /// Send only.
    SendOnly,
    /// Receive only (we are holding or being held): send no RTP.
    ReceiveOnly,
    /// Neither: send no RTP.
    Inactive,
}

impl Direction {
    /// Whether RTP may be sent in this direction.
    pub fn sends(self) -> bool {
        matches!(self, Direction::SendReceive | Direction::SendOnly)
    }
}

/// Which socket a [`Transmit`] belongs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransmitKind {
    /// The RTP socket.
    Rtp,
    /// The RTCP socket.
    Rtcp,
}

/// A datagram the caller must send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transmit {
    /// Where to send it.
    pub destination: SocketAddr,
    /// Which socket to send it from.
    pub kind: TransmitKind,
    /// The datagram.
    pub payload: Vec<u8>,
}

/// Something the call layer may want to react to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MediaEvent {
    /// The peer pressed a key.
    Dtmf {
        /// '0'-'9', '*', '#' or 'A'-'D'.
        digit: char,
    },
    /// Outbound RTP now goes to this address (symmetric RTP).
    RemoteLatched {
        /// The new RTP destination.
        address: SocketAddr,
    },
    /// Everything passed to [`MediaSession::play`] has been sent.
    PlaybackFinished,
}

/// One 20 ms tick of both directions, time-aligned; silence (0) where a side had nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FramePair {
    /// What the peer sent us (after jitter buffering and decoding).
    pub received: [i16; FRAME_SAMPLES],
    /// What we sent the peer.
    pub sent: [i16; FRAME_SAMPLES],
}

/// Counters for monitoring and call records.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MediaStats {
    /// RTP packets sent.
    pub packets_sent: u64,
    /// RTP payload octets sent.
    pub octets_sent: u64,
    /// Valid RTP packets received from the latched peer.
    pub packets_received: u64,
    /// RTP payload octets received from the latched peer.
    pub octets_received: u64,
    /// Cumulative packets lost (RFC 3550: expected minus received; negative with duplicates).
    pub packets_lost: i64,
    /// Valid packets not played: late, duplicate, or from a not-yet-latched source.
    pub packets_discarded: u64,
    /// Inbound RTP datagrams rejected as malformed or unexpected.
    pub invalid_packets: u64,
    /// Inbound RTCP datagrams rejected as malformed.
    pub invalid_rtcp_packets: u64,
    /// Interarrival jitter of the peer's stream in milliseconds.
    pub jitter_ms: f64,
    /// Current jitter buffer target delay.
    pub jitter_buffer_delay: Duration,
    /// Playout ticks concealed with silence because the frame was missing.
    pub frames_concealed: u64,
    /// Frame pairs dropped because nobody polled them.
    pub frames_dropped: u64,
    /// Key presses received.
    pub dtmf_events_received: u64,
    /// Fraction of our packets the peer reports lost (0.0-1.0), from its latest report.
    pub remote_fraction_lost: Option<f64>,
    /// Round-trip time from the peer's latest report, when computable.
    pub round_trip_time: Option<Duration>,
}

//! The per-call media session: the sans-IO contract between the call layer and the media plane.
//!
//! A [`MediaSession`] is driven entirely by its caller: datagrams go in through
//! [`MediaSession::handle_rtp`] / [`MediaSession::handle_rtcp`], time advances through
//! [`MediaSession::handle_timeout`], and outputs are drained with the `poll_*` methods.
//!
//! Invariants:
//! - exactly one [`FramePair`] is produced per 20 ms tick (including ticks skipped after a long
//!   stall), so a recorder gets a gap-free 50 frames/s two-channel stream;
//! - while sending, exactly one RTP packet leaves per processed tick and the RTP timestamp of
//!   tick `n` is always `initial + 160 × n`, whatever was sent (or not) before;
//! - invalid inbound datagrams are counted and rejected without touching any other state.
//!
//! The initial RTP sequence number and timestamp are random, drawn from a generator seeded with
//! the configured SSRC (itself expected to be random), so a session is fully deterministic
//! given its configuration — which keeps tests reproducible.

mod inbound;
mod outbound;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_inbound;
mod types;

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

use crate::media::dtmf::{DtmfReceiver, DtmfSender};
use crate::media::jitter::JitterBuffer;
use crate::media::latch::Latch;
use crate::media::pacing::Pacer;
use crate::media::playback::Playback;
use crate::media::rtcp::{NtpClock, RtcpState};
use crate::media::{Codec, FRAME_DURATION, FRAME_SAMPLES, MediaError};

pub use types::{
    DEFAULT_RTCP_INTERVAL, Direction, FramePair, MAXIMUM_QUEUED_FRAMES, MAXIMUM_RELAYED_FRAMES,
    MediaEvent, MediaSessionConfig, MediaStats, RELAY_SOURCES, Transmit, TransmitKind,
};

/// What the outbound side put on the wire in one tick (drives marker bits).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TickContent {
    Nothing,
    Silence,
    Audio,
    TelephoneEvent,
}

/// A jitter buffer entry: audio with the codec it was received in, or a telephone-event packet
/// occupying a sequence number (played as silence).
#[derive(Debug)]
enum InboundFrame {
    Audio { codec: Codec, payload: Vec<u8> },
    TelephoneEvent,
}

/// Counters not kept by a sub-component.
#[derive(Debug, Default)]
struct Counters {
    packets_received: u64,
    octets_received: u64,
    discarded_from_stray_source: u64,
    invalid_packets: u64,
    invalid_rtcp_packets: u64,
    frames_dropped: u64,
    dtmf_events_received: u64,
}

/// Per-call RTP/RTCP media state machine.
#[derive(Debug)]
pub struct MediaSession {
    codec: Codec,
    payload_type: u8,
    telephone_event_payload_type: Option<u8>,
    ssrc: u32,
    direction: Direction,
    rtp_latch: Latch,
    rtcp_latch: Latch,
    start: Instant,
    pacer: Pacer,
    next_sequence_number: u16,
    initial_timestamp: u32,
    previous_content: TickContent,
    playback: Playback,
    outgoing_dtmf: VecDeque<DtmfSender>,
    dtmf_timestamp: Option<u32>,
    jitter: JitterBuffer<InboundFrame>,
    dtmf_receiver: DtmfReceiver,
    rtcp: RtcpState,
    rtcp_interval: Duration,
    next_rtcp: Instant,
    packets_sent_at_last_report: u64,
    decoded: Vec<i16>,
    transmits: VecDeque<Transmit>,
    events: VecDeque<MediaEvent>,
    frames: VecDeque<FramePair>,
    relayed: [VecDeque<[i16; FRAME_SAMPLES]>; RELAY_SOURCES],
    counters: Counters,
    last_received_at: Option<Instant>,
}

impl MediaSession {
    /// Creates a session whose first tick is due at `now`, sending in both directions.
    pub fn new(config: MediaSessionConfig, now: Instant) -> Self {
        let mut random = StdRng::seed_from_u64(u64::from(config.ssrc));
        let rtcp_interval = config.rtcp_interval.max(FRAME_DURATION);
        MediaSession {
            codec: config.codec,
            payload_type: config.payload_type,
            telephone_event_payload_type: config.telephone_event_payload_type,
            ssrc: config.ssrc,
            direction: Direction::SendReceive,
            rtp_latch: Latch::new(config.remote_rtp),
            rtcp_latch: Latch::new(config.remote_rtcp),
            start: now,
            pacer: Pacer::new(now),
            next_sequence_number: random.random(),
            initial_timestamp: random.random(),
            previous_content: TickContent::Nothing,
            playback: Playback::new(),
            outgoing_dtmf: VecDeque::new(),
            dtmf_timestamp: None,
            jitter: JitterBuffer::new(config.jitter),
            dtmf_receiver: DtmfReceiver::new(),
            rtcp: RtcpState::new(
                config.ssrc,
                &config.cname,
                NtpClock::new(now, config.wall_clock_at_start),
            ),
            rtcp_interval,
            next_rtcp: now + rtcp_interval,
            packets_sent_at_last_report: 0,
            decoded: Vec::with_capacity(FRAME_SAMPLES),
            transmits: VecDeque::new(),
            events: VecDeque::new(),
            frames: VecDeque::new(),
            relayed: std::array::from_fn(|_| VecDeque::with_capacity(MAXIMUM_RELAYED_FRAMES)),
            counters: Counters::default(),
            last_received_at: None,
        }
    }

    /// When the next 20 ms tick is due. A session created with this instant as its start ticks
    /// together with this one, so a driver serving both wakes once a tick.
    pub fn next_tick_at(&self) -> Instant {
        self.pacer.poll_timeout()
    }

    /// Earliest instant at which [`MediaSession::handle_timeout`] has work to do.
    pub fn poll_timeout(&self) -> Instant {
        self.pacer.poll_timeout().min(self.next_rtcp)
    }

    /// Next datagram to send.
    pub fn poll_transmit(&mut self) -> Option<Transmit> {
        self.transmits.pop_front()
    }

    /// Next event for the call layer.
    pub fn poll_event(&mut self) -> Option<MediaEvent> {
        self.events.pop_front()
    }

    /// Next time-aligned frame pair for the recorder.
    pub fn poll_frame(&mut self) -> Option<FramePair> {
        self.frames.pop_front()
    }

    /// Queues 8 kHz mono PCM to play after anything already queued.
    pub fn play(&mut self, audio: Arc<[i16]>) {
        self.playback.enqueue(audio);
    }

    /// Queues one frame of live audio from another leg (a bridge), mixed into what the next tick
    /// sends on top of any playback and the other sources' frames. Each of the
    /// [`RELAY_SOURCES`] sources keeps its own queue (a frame of `source` beyond them is dropped),
    /// so a conference mixes its legs instead of interleaving them. At most
    /// [`MAXIMUM_RELAYED_FRAMES`] wait per source; older ones are dropped, so a bridge never adds
    /// more delay than that.
    pub fn relay(&mut self, source: usize, frame: &[i16; FRAME_SAMPLES]) {
        let Some(queue) = self.relayed.get_mut(source) else {
            return;
        };
        if queue.len() >= MAXIMUM_RELAYED_FRAMES {
            queue.pop_front();
        }
        queue.push_back(*frame);
    }

    /// Drops all queued audio at once (barge-in); no [`MediaEvent::PlaybackFinished`] follows.
    pub fn stop_playback(&mut self) {
        self.playback.stop();
    }

    /// Whether queued audio remains to be played.
    pub fn is_playing(&self) -> bool {
        self.playback.is_active()
    }

    /// Queues a key press to send as RFC 4733 events; key presses are sent one after another.
    pub fn send_dtmf(&mut self, digit: char, duration: Duration) -> Result<(), MediaError> {
        if self.telephone_event_payload_type.is_none() {
            return Err(MediaError::TelephoneEventNotNegotiated);
        }
        self.outgoing_dtmf
            .push_back(DtmfSender::new(digit, duration)?);
        Ok(())
    }

    /// Changes our direction. Ticks (and frame pairs) continue in every direction; RTP is only
    /// sent in [`Direction::SendReceive`] and [`Direction::SendOnly`]. Playback and DTMF sending
    /// pause while not sending and resume where they left off.
    pub fn set_direction(&mut self, direction: Direction) {
        self.direction = direction;
    }

    /// The current direction.
    pub fn direction(&self) -> Direction {
        self.direction
    }

    /// Points RTP and RTCP at new signalled addresses; symmetric latching starts over.
    pub fn update_remote(&mut self, remote_rtp: SocketAddr, remote_rtcp: SocketAddr) {
        self.rtp_latch = Latch::new(remote_rtp);
        self.rtcp_latch = Latch::new(remote_rtcp);
    }

    /// Switches codec and payload types. Frames already buffered keep the codec they arrived in;
    /// queued DTMF is dropped if telephone-event is no longer negotiated.
    pub fn update_codec(
        &mut self,
        codec: Codec,
        payload_type: u8,
        telephone_event_payload_type: Option<u8>,
    ) {
        self.codec = codec;
        self.payload_type = payload_type;
        self.telephone_event_payload_type = telephone_event_payload_type;
        if telephone_event_payload_type.is_none() {
            self.outgoing_dtmf.clear();
            self.dtmf_timestamp = None;
        }
    }

    /// Current RTP destination (after latching).
    pub fn remote_rtp(&self) -> SocketAddr {
        self.rtp_latch.destination()
    }

    /// Current RTCP destination (after latching).
    pub fn remote_rtcp(&self) -> SocketAddr {
        self.rtcp_latch.destination()
    }

    /// Snapshot of the session's counters.
    pub fn stats(&self) -> MediaStats {
        let jitter = self.jitter.statistics();
        let remote = self.rtcp.remote_reception();
        MediaStats {
            packets_sent: self.rtcp.sender.packets,
            octets_sent: self.rtcp.sender.octets,
            packets_received: self.counters.packets_received,
            octets_received: self.counters.octets_received,
            packets_lost: self.rtcp.reception.cumulative_lost(),
            packets_discarded: jitter.late
                + jitter.duplicates
                + self.counters.discarded_from_stray_source,
            invalid_packets: self.counters.invalid_packets,
            invalid_rtcp_packets: self.counters.invalid_rtcp_packets,
            jitter_ms: self.rtcp.reception.jitter_milliseconds(),
            jitter_buffer_delay: self.jitter.target_delay(),
            frames_concealed: jitter.lost,
            frames_dropped: self.counters.frames_dropped,
            dtmf_events_received: self.counters.dtmf_events_received,
            remote_fraction_lost: remote.map(|reception| reception.fraction_lost),
            round_trip_time: remote.and_then(|reception| reception.round_trip_time),
        }
    }

    /// When the last valid RTP packet arrived, for media-timeout hang-up.
    pub fn last_received_at(&self) -> Option<Instant> {
        self.last_received_at
    }
}

//! Adaptive playout (jitter) buffer for one inbound RTP stream, plus the RFC 3550 interarrival
//! jitter estimator it adapts on.
//!
//! Each inserted packet is one 20 ms frame keyed by its extended (wrap-free) sequence number.
//! Playout pulls exactly one frame per tick. Invariants:
//! - nothing before `next_playout` is ever stored (late packets are discarded and counted);
//! - a sequence number is stored at most once (duplicates are discarded and counted);
//! - output starts only once the buffered span reaches the target delay, both initially and
//!   after an underrun or a resynchronisation (SSRC change or sequence jump);
//! - the target delay stays within `[minimum_delay, maximum_delay]`.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use crate::media::{FRAME_DURATION, SAMPLE_RATE};

/// Forward sequence jump (in packets) treated as a stream restart rather than loss.
const MAXIMUM_FORWARD_JUMP: i64 = 100;
/// Backward jump (in packets) beyond which a packet is no longer a reordered one.
const MAXIMUM_BACKWARD_JUMP: i64 = 100;
/// Extra frames tolerated above the target before frames are dropped to catch up.
const CATCH_UP_MARGIN_FRAMES: u64 = 2;
/// Multiplier applied to the jitter estimate when computing the target delay.
const JITTER_MULTIPLIER: f64 = 3.0;

/// Delay bounds of the adaptive jitter buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JitterConfig {
    /// Smallest playout delay the buffer will target.
    pub minimum_delay: Duration,
    /// Largest playout delay the buffer will target.
    pub maximum_delay: Duration,
}

impl Default for JitterConfig {
    fn default() -> Self {
        JitterConfig {
            minimum_delay: Duration::from_millis(40),
            maximum_delay: Duration::from_millis(200),
        }
    }
}

/// Counters kept by the jitter buffer.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct JitterStatistics {
    /// Frames played out.
    pub played: u64,
    /// Playout ticks where the due frame was missing.
    pub lost: u64,
    /// Packets that arrived after their playout time.
    pub late: u64,
    /// Packets whose sequence number was already buffered.
    pub duplicates: u64,
    /// Frames dropped to bring the delay back to the target.
    pub dropped_for_catch_up: u64,
    /// Times the stream was restarted (SSRC change or sequence jump).
    pub resynchronisations: u64,
}

/// What happened to an inserted packet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InsertOutcome {
    /// Stored for playout.
    Accepted,
    /// Stored as the first frame of a restarted stream.
    Resynchronised,
    /// Discarded: its playout time has passed.
    Late,
    /// Discarded: the same sequence number is already buffered.
    Duplicate,
}

/// RFC 3550 section 6.4.1 interarrival jitter estimate, in timestamp units.
#[derive(Debug, Clone, Default)]
pub struct InterarrivalJitter {
    previous: Option<(Instant, u32)>,
    jitter: f64,
}

impl InterarrivalJitter {
    /// Updates the estimate with a packet's arrival time and RTP timestamp.
    pub fn record(&mut self, arrival: Instant, timestamp: u32) {
        if let Some((previous_arrival, previous_timestamp)) = self.previous {
            let arrival_delta = signed_seconds(arrival, previous_arrival) * f64::from(SAMPLE_RATE);
            let timestamp_delta = f64::from(timestamp.wrapping_sub(previous_timestamp) as i32);
            let difference = (arrival_delta - timestamp_delta).abs();
            self.jitter += (difference - self.jitter) / 16.0;
        }
        self.previous = Some((arrival, timestamp));
    }

    /// Forgets the previous packet (the timestamp base changed) but keeps the estimate.
    pub fn restart(&mut self) {
        self.previous = None;
    }

    /// Current estimate in timestamp units.
    pub fn timestamp_units(&self) -> f64 {
        self.jitter
    }

    /// Current estimate as a duration.
    pub fn duration(&self) -> Duration {
        Duration::from_secs_f64(self.jitter / f64::from(SAMPLE_RATE))
    }
}

/// `later - earlier` in seconds, negative when `later` is actually earlier.
fn signed_seconds(later: Instant, earlier: Instant) -> f64 {
    match later.checked_duration_since(earlier) {
        Some(elapsed) => elapsed.as_secs_f64(),
        None => -earlier.duration_since(later).as_secs_f64(),
    }
}

/// Adaptive jitter buffer holding frames of type `T` (e.g. encoded payloads).
#[derive(Debug)]
pub struct JitterBuffer<T> {
    config: JitterConfig,
    frames: BTreeMap<u64, T>,
    ssrc: Option<u32>,
    highest_sequence: Option<u64>,
    next_playout: Option<u64>,
    pending_backward_restart: Option<u16>,
    buffering: bool,
    jitter: InterarrivalJitter,
    statistics: JitterStatistics,
}

impl<T> JitterBuffer<T> {
    /// Creates an empty buffer that starts in the buffering state.
    pub fn new(config: JitterConfig) -> Self {
        JitterBuffer {
            config,
            frames: BTreeMap::new(),
            ssrc: None,
            highest_sequence: None,
            next_playout: None,
            pending_backward_restart: None,
            buffering: true,
            jitter: InterarrivalJitter::default(),
            statistics: JitterStatistics::default(),
        }
    }

    /// Inserts one frame received at `now`.
    pub fn insert(
        &mut self,
        now: Instant,
        ssrc: u32,
        sequence_number: u16,
        timestamp: u32,
        frame: T,
    ) -> InsertOutcome {
        let Some(highest) = self.highest_sequence.filter(|_| self.ssrc == Some(ssrc)) else {
            return self.restart(now, ssrc, sequence_number, timestamp, frame);
        };
        let delta = i64::from(sequence_number.wrapping_sub(highest as u16) as i16);
        if delta > MAXIMUM_FORWARD_JUMP {
            return self.restart(now, ssrc, sequence_number, timestamp, frame);
        }
        if delta < -MAXIMUM_BACKWARD_JUMP {
            // A sender that restarted its numbering sends consecutive packets; a stray old
            // packet does not. Restart only on the second consecutive one.
            if self.pending_backward_restart == Some(sequence_number) {
                return self.restart(now, ssrc, sequence_number, timestamp, frame);
            }
            self.pending_backward_restart = Some(sequence_number.wrapping_add(1));
            self.statistics.late += 1;
            return InsertOutcome::Late;
        }
        self.pending_backward_restart = None;
        let extended = (highest as i64 + delta).max(0) as u64;
        if self.next_playout.is_some_and(|next| extended < next) {
            self.statistics.late += 1;
            return InsertOutcome::Late;
        }
        if self.frames.contains_key(&extended) {
            self.statistics.duplicates += 1;
            return InsertOutcome::Duplicate;
        }
        self.jitter.record(now, timestamp);
        self.highest_sequence = Some(highest.max(extended));
        self.frames.insert(extended, frame);
        InsertOutcome::Accepted
    }

    /// Drops everything buffered and starts a new stream with this packet.
    fn restart(
        &mut self,
        now: Instant,
        ssrc: u32,
        sequence_number: u16,
        timestamp: u32,
        frame: T,
    ) -> InsertOutcome {
        let resynchronised = self.highest_sequence.is_some();
        if resynchronised {
            self.statistics.resynchronisations += 1;
        }
        self.frames.clear();
        self.jitter.restart();
        self.jitter.record(now, timestamp);
        // Start the extended space well above zero so early reordering cannot underflow.
        let extended = (1 << 16) + u64::from(sequence_number);
        self.ssrc = Some(ssrc);
        self.highest_sequence = Some(extended);
        self.next_playout = Some(extended);
        self.pending_backward_restart = None;
        self.buffering = true;
        self.frames.insert(extended, frame);
        if resynchronised {
            InsertOutcome::Resynchronised
        } else {
            InsertOutcome::Accepted
        }
    }

    /// Pulls the frame for one 20 ms playout tick.
    ///
    /// Returns `None` while (re)buffering and when the due frame is missing; only the latter
    /// counts as lost, and the caller is expected to conceal it.
    pub fn pop(&mut self) -> Option<T> {
        let (Some(mut next), Some(highest)) = (self.next_playout, self.highest_sequence) else {
            return None;
        };
        if next > highest {
            // Underrun: wait for the buffer to refill to the target before playing again.
            self.buffering = true;
            return None;
        }
        let depth = highest - next + 1;
        let target = self.target_frames();
        if self.buffering {
            if depth < target {
                return None;
            }
            self.buffering = false;
        }
        if depth > target + CATCH_UP_MARGIN_FRAMES {
            self.frames.remove(&next);
            self.statistics.dropped_for_catch_up += 1;
            next += 1;
        }
        self.next_playout = Some(next + 1);
        match self.frames.remove(&next) {
            Some(frame) => {
                self.statistics.played += 1;
                Some(frame)
            }
            None => {
                self.statistics.lost += 1;
                None
            }
        }
    }

    /// Target playout delay: `clamp(3 × jitter + one frame, minimum, maximum)`.
    pub fn target_delay(&self) -> Duration {
        let wanted = self.jitter.duration().mul_f64(JITTER_MULTIPLIER) + FRAME_DURATION;
        wanted.clamp(self.config.minimum_delay, self.config.maximum_delay)
    }

    /// Target delay in whole frames (rounded up).
    fn target_frames(&self) -> u64 {
        let frame = FRAME_DURATION.as_nanos();
        self.target_delay().as_nanos().div_ceil(frame).max(1) as u64
    }

    /// Span from the next frame to play to the newest frame received, in frames.
    pub fn depth_frames(&self) -> u64 {
        match (self.next_playout, self.highest_sequence) {
            (Some(next), Some(highest)) if highest >= next => highest - next + 1,
            _ => 0,
        }
    }

    /// Whether playout is currently held back to fill the buffer.
    pub fn is_buffering(&self) -> bool {
        self.buffering
    }

    /// Current interarrival jitter estimate.
    pub fn jitter(&self) -> &InterarrivalJitter {
        &self.jitter
    }

    /// Counters since creation.
    pub fn statistics(&self) -> JitterStatistics {
        self.statistics
    }
}

#[cfg(test)]
#[path = "jitter_tests.rs"]
mod tests;

//! Drift-free 20 ms tick schedule.
//!
//! Invariant: tick `n` is due at exactly `start + n × 20 ms`; deadlines never depend on when the
//! previous tick was actually handled, so late wakeups do not accumulate drift. When the caller
//! falls far behind, at most [`MAXIMUM_BURST`] ticks are handed out at once and the rest are
//! skipped, but still counted so media timestamps keep advancing in step with real time.

use std::time::{Duration, Instant};

use crate::media::FRAME_DURATION;

/// Most ticks returned by one [`Pacer::take_due`] call.
pub const MAXIMUM_BURST: u32 = 5;

/// A 20 ms schedule anchored at a fixed start instant.
#[derive(Debug, Clone)]
pub struct Pacer {
    start: Instant,
    next_tick: u64,
    skipped: u32,
}

impl Pacer {
    /// Creates a schedule whose first tick is due at `start`.
    pub fn new(start: Instant) -> Self {
        Pacer {
            start,
            next_tick: 0,
            skipped: 0,
        }
    }

    /// Deadline of the next tick not yet taken.
    pub fn poll_timeout(&self) -> Instant {
        self.deadline(self.next_tick)
    }

    /// Deadline of tick `index`.
    pub fn deadline(&self, index: u64) -> Instant {
        let nanos = FRAME_DURATION.as_nanos() as u64 * index;
        self.start + Duration::from_nanos(nanos)
    }

    /// Index of the next tick not yet taken (equals the number of ticks taken or skipped).
    pub fn next_tick(&self) -> u64 {
        self.next_tick
    }

    /// Takes every tick due at `now` and returns how many to process (at most
    /// [`MAXIMUM_BURST`]). Ticks beyond the burst are skipped; see [`Pacer::take_skipped`].
    pub fn take_due(&mut self, now: Instant) -> u32 {
        let Some(elapsed) = now.checked_duration_since(self.start) else {
            return 0;
        };
        let due_through = (elapsed.as_nanos() / FRAME_DURATION.as_nanos()) as u64 + 1;
        let due = due_through.saturating_sub(self.next_tick);
        let processed = due.min(u64::from(MAXIMUM_BURST));
        let skipped = due - processed;
        self.skipped = self
            .skipped
            .saturating_add(u32::try_from(skipped).unwrap_or(u32::MAX));
        self.next_tick = due_through;
        processed as u32
    }

    /// Returns and resets the number of ticks skipped since the last call.
    pub fn take_skipped(&mut self) -> u32 {
        std::mem::take(&mut self.skipped)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn milliseconds(value: u64) -> Duration {
        Duration::from_millis(value)
    }

    #[test]
    fn first_tick_is_due_at_start() {
        let start = Instant::now();
        let mut pacer = Pacer::new(start);
        assert_eq!(pacer.poll_timeout(), start);
        assert_eq!(pacer.take_due(start), 1);
        assert_eq!(pacer.poll_timeout(), start + milliseconds(20));
        assert_eq!(pacer.take_due(start + milliseconds(19)), 0);
    }

    #[test]
    fn late_wakeups_do_not_drift() {
        let start = Instant::now();
        let mut pacer = Pacer::new(start);
        let mut total = 0;
        // Wake up 7 ms late every time, for a simulated second.
        let mut now = start;
        while now < start + milliseconds(1000) {
            total += pacer.take_due(now);
            now = pacer.poll_timeout() + milliseconds(7);
        }
        assert_eq!(pacer.poll_timeout(), start + milliseconds(1000));
        assert_eq!(total, 50);
        assert_eq!(pacer.take_skipped(), 0);
    }

    #[test]
    fn a_late_wakeup_catches_up_in_one_burst() {
        let start = Instant::now();
        let mut pacer = Pacer::new(start);
        pacer.take_due(start);
        assert_eq!(pacer.take_due(start + milliseconds(65)), 3);
        assert_eq!(pacer.poll_timeout(), start + milliseconds(80));
    }

    #[test]
    fn long_stalls_are_capped_and_skipped_ticks_reported() {
        let start = Instant::now();
        let mut pacer = Pacer::new(start);
        pacer.take_due(start);
        // 1 s stall: ticks 1..=50 are due.
        assert_eq!(pacer.take_due(start + milliseconds(1000)), MAXIMUM_BURST);
        assert_eq!(pacer.take_skipped(), 50 - MAXIMUM_BURST);
        assert_eq!(pacer.take_skipped(), 0);
        assert_eq!(pacer.next_tick(), 51);
        assert_eq!(pacer.poll_timeout(), start + milliseconds(1020));
    }

    #[test]
    fn time_before_start_has_nothing_due() {
        let start = Instant::now() + milliseconds(100);
        let mut pacer = Pacer::new(start);
        assert_eq!(pacer.take_due(start - milliseconds(50)), 0);
    }
}

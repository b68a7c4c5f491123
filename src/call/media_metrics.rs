//! Live RTP counters: a call adds what its media session counted since the last report, so
//! `/metrics` moves while calls run instead of only when they end.

use crate::media::MediaStats;
use crate::telemetry::Metrics;
use std::time::{Duration, Instant};

/// How often a running call reports.
const REPORT_INTERVAL: Duration = Duration::from_secs(1);

/// What one call has already added to the process-wide counters.
pub(super) struct MediaMetrics {
    sent: u64,
    received: u64,
    lost: i64,
    invalid: u64,
    last_report: Instant,
}

impl MediaMetrics {
    pub(super) fn new(now: Instant) -> MediaMetrics {
        MediaMetrics {
            sent: 0,
            received: 0,
            lost: 0,
            invalid: 0,
            last_report: now,
        }
    }

    /// Whether a second has passed since the last report (then the next one counts from now).
    pub(super) fn due(&mut self, now: Instant) -> bool {
        let due = now.duration_since(self.last_report) >= REPORT_INTERVAL;
        if due {
            self.last_report = now;
        }
        due
    }

    /// Adds the growth of every counter since the last report.
    pub(super) fn report(&mut self, stats: &MediaStats, metrics: &Metrics) {
        let packets = &metrics.rtp_packets;
        packets
            .with_label_values(&["sent"])
            .inc_by(stats.packets_sent.saturating_sub(self.sent));
        packets
            .with_label_values(&["received"])
            .inc_by(stats.packets_received.saturating_sub(self.received));
        // RFC 3550 cumulative loss can shrink when late duplicates arrive; count only growth.
        if stats.packets_lost > self.lost {
            metrics
                .rtp_packets_lost
                .inc_by((stats.packets_lost - self.lost) as u64);
            self.lost = stats.packets_lost;
        }
        metrics
            .rtp_invalid_packets
            .inc_by(stats.invalid_packets.saturating_sub(self.invalid));
        self.sent = stats.packets_sent;
        self.received = stats.packets_received;
        self.invalid = stats.invalid_packets;
    }
}

//! The server's Prometheus metrics, in one registry owned by [`Metrics`].

use prometheus::{
    Encoder, Histogram, HistogramOpts, IntCounter, IntCounterVec, IntGauge, Opts, Registry,
    TextEncoder,
};

/// Every metric Hotline exports on `/metrics`.
#[derive(Clone)]
pub struct Metrics {
    registry: Registry,
    /// Calls in progress.
    pub active_calls: IntGauge,
    /// Finished calls by outcome.
    pub calls: IntCounterVec,
    /// INVITEs refused, by SIP status.
    pub rejected_calls: IntCounterVec,
    /// RTP packets by direction (`sent`, `received`).
    pub rtp_packets: IntCounterVec,
    /// RTP packets lost in transit to Hotline (RFC 3550 cumulative loss, summed at call end).
    pub rtp_packets_lost: IntCounter,
    /// RTP datagrams rejected as malformed.
    pub rtp_invalid_packets: IntCounter,
    /// Interarrival jitter of callers' streams at call end.
    pub rtp_jitter: Histogram,
    /// Key presses received (RFC 4733 and SIP INFO).
    pub dtmf_events: IntCounterVec,
    /// From joining a queue to an agent's phone answering.
    pub queue_answer: Histogram,
    /// From joining a queue to caller and agent talking.
    pub queue_connect: Histogram,
    /// Bytes of sealed recordings written.
    pub recording_bytes: IntCounter,
    /// fdatasync calls on recordings.
    pub recording_syncs: IntCounter,
    /// From the end of a caller's turn to Hotline's answer starting to play.
    pub turn_latency: Histogram,
    /// Recognition confidence of callers' turns.
    pub asr_confidence: Histogram,
    /// Callers' utterances the flow did not understand.
    pub no_matches: IntCounter,
}

impl Metrics {
    /// Creates and registers every metric.
    pub fn new() -> Metrics {
        let registry = Registry::new();
        let active_calls = IntGauge::new("hotline_active_calls", "Calls in progress")
            .expect("static metric definition is valid");
        let calls = IntCounterVec::new(
            Opts::new("hotline_calls_total", "Finished calls by outcome"),
            &["outcome"],
        )
        .expect("static metric definition is valid");
        let rejected_calls = IntCounterVec::new(
            Opts::new(
                "hotline_rejected_calls_total",
                "INVITEs refused, by SIP status",
            ),
            &["status"],
        )
        .expect("static metric definition is valid");
        let rtp_packets = IntCounterVec::new(
            Opts::new("hotline_rtp_packets_total", "RTP packets by direction"),
            &["direction"],
        )
        .expect("static metric definition is valid");
        let rtp_packets_lost = IntCounter::new(
            "hotline_rtp_packets_lost_total",
            "RTP packets from callers lost in transit",
        )
        .expect("static metric definition is valid");
        let rtp_invalid_packets = IntCounter::new(
            "hotline_rtp_invalid_packets_total",
            "RTP datagrams rejected as malformed",
        )
        .expect("static metric definition is valid");
        let rtp_jitter = Histogram::with_opts(
            HistogramOpts::new(
                "hotline_rtp_jitter_seconds",
                "Interarrival jitter of callers' RTP at call end",
            )
            .buckets(vec![0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2]),
        )
        .expect("static metric definition is valid");
        let dtmf_events = IntCounterVec::new(
            Opts::new("hotline_dtmf_events_total", "Key presses received"),
            &["transport"],
        )
        .expect("static metric definition is valid");
        let queue_buckets = vec![
            0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0,
        ];
        let queue_answer = Histogram::with_opts(
            HistogramOpts::new(
                "hotline_queue_answer_seconds",
                "From joining a queue to an agent's phone answering",
            )
            .buckets(queue_buckets.clone()),
        )
        .expect("static metric definition is valid");
        let queue_connect = Histogram::with_opts(
            HistogramOpts::new(
                "hotline_queue_connect_seconds",
                "From joining a queue to caller and agent talking (brief and acceptance included)",
            )
            .buckets(queue_buckets),
        )
        .expect("static metric definition is valid");
        let recording_bytes = IntCounter::new(
            "hotline_recording_bytes_total",
            "Bytes of sealed recordings written",
        )
        .expect("static metric definition is valid");
        let recording_syncs = IntCounter::new(
            "hotline_recording_syncs_total",
            "fdatasync calls made on recordings",
        )
        .expect("static metric definition is valid");
        let turn_latency = Histogram::with_opts(
            HistogramOpts::new(
                "hotline_turn_latency_seconds",
                "From the end of a caller's turn to Hotline's answer starting to play",
            )
            .buckets(vec![0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 5.0]),
        )
        .expect("static metric definition is valid");
        let asr_confidence = Histogram::with_opts(
            HistogramOpts::new(
                "hotline_asr_confidence",
                "Recognition confidence of callers' turns (0 to 1)",
            )
            .buckets(vec![0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0]),
        )
        .expect("static metric definition is valid");
        let no_matches = IntCounter::new(
            "hotline_no_matches_total",
            "Callers' utterances the flow did not understand",
        )
        .expect("static metric definition is valid");
        let metrics = Metrics {
            registry,
            active_calls,
            calls,
            rejected_calls,
            rtp_packets,
            rtp_packets_lost,
            rtp_invalid_packets,
            rtp_jitter,
            dtmf_events,
            queue_answer,
            queue_connect,
            recording_bytes,
            recording_syncs,
            turn_latency,
            asr_confidence,
            no_matches,
        };
        metrics.register_all();
        metrics
    }

    fn register_all(&self) {
        let collectors: [Box<dyn prometheus::core::Collector>; 15] = [
            Box::new(self.active_calls.clone()),
            Box::new(self.calls.clone()),
            Box::new(self.rejected_calls.clone()),
            Box::new(self.rtp_packets.clone()),
            Box::new(self.rtp_packets_lost.clone()),
            Box::new(self.rtp_invalid_packets.clone()),
            Box::new(self.rtp_jitter.clone()),
            Box::new(self.dtmf_events.clone()),
            Box::new(self.queue_answer.clone()),
            Box::new(self.queue_connect.clone()),
            Box::new(self.recording_bytes.clone()),
            Box::new(self.recording_syncs.clone()),
            Box::new(self.turn_latency.clone()),
            Box::new(self.asr_confidence.clone()),
            Box::new(self.no_matches.clone()),
        ];
        for collector in collectors {
            self.registry
                .register(collector)
                .expect("each metric name is registered once");
        }
    }

    /// The Prometheus text exposition of every metric.
    pub fn render(&self) -> String {
        let mut buffer = Vec::new();
        let encoder = TextEncoder::new();
        // Encoding in-memory metrics into a Vec cannot fail.
        let _ = encoder.encode(&self.registry.gather(), &mut buffer);
        String::from_utf8_lossy(&buffer).into_owned()
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics::new()
    }
}

#[cfg(test)]
mod tests {
    use super::Metrics;

    #[test]
    fn rendered_text_names_every_family() {
        let metrics = Metrics::new();
        metrics.calls.with_label_values(&["caller_hangup"]).inc();
        metrics.rtp_packets.with_label_values(&["sent"]).inc_by(50);
        metrics.dtmf_events.with_label_values(&["rfc4733"]).inc();
        let text = metrics.render();
        for name in [
            "hotline_active_calls 0",
            "hotline_calls_total{outcome=\"caller_hangup\"} 1",
            "hotline_rtp_packets_total{direction=\"sent\"} 50",
            "hotline_rtp_packets_lost_total 0",
            "hotline_rtp_jitter_seconds_bucket",
            "hotline_dtmf_events_total{transport=\"rfc4733\"} 1",
        ] {
            assert!(text.contains(name), "{name} missing from\n{text}");
        }
    }
}

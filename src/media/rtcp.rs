//! RTCP (RFC 3550 section 6): reception and sender statistics, compound report generation
//! (SR or RR + SDES CNAME) and parsing of the peer's reports.
//!
//! Serialisation and parsing go through the `rtcp` crate. Invariants: wall-clock (NTP) time is
//! derived only from the `(Instant, SystemTime)` pair captured at construction, never read;
//! malformed datagrams return an error and leave all state unchanged; unknown packet types in a
//! compound datagram are ignored.

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use ::rtcp::packet::Packet;
use ::rtcp::receiver_report::ReceiverReport;
use ::rtcp::reception_report::ReceptionReport;
use ::rtcp::sender_report::SenderReport;
use ::rtcp::source_description::{
    SdesType, SourceDescription, SourceDescriptionChunk, SourceDescriptionItem,
};
use bytes::Bytes;

use crate::media::jitter::InterarrivalJitter;
use crate::media::{MediaError, SAMPLE_RATE};

/// Seconds from the NTP epoch (1900) to the Unix epoch (1970).
const NTP_UNIX_OFFSET_SECONDS: u64 = 2_208_988_800;
/// Smallest RTCP datagram (one header plus an SSRC).
pub const MINIMUM_RTCP_SIZE: usize = 8;
/// Largest RTCP datagram accepted.
pub const MAXIMUM_RTCP_SIZE: usize = 1500;
/// Forward sequence jump treated as a source restart.
const MAXIMUM_DROPOUT: i32 = 3000;
/// Backward sequence jump beyond which a packet is treated as a source restart.
const MAXIMUM_MISORDER: i32 = 100;
/// Largest value of the signed 24-bit cumulative-lost field.
const MAXIMUM_CUMULATIVE_LOST: i64 = 0x7F_FFFF;
/// Longest CNAME an SDES item can carry.
const MAXIMUM_CNAME_BYTES: usize = 255;

/// Maps monotonic instants to NTP wall-clock timestamps.
#[derive(Debug, Clone, Copy)]
pub struct NtpClock {
    instant_at_start: Instant,
    wall_clock_at_start: SystemTime,
}

impl NtpClock {
    /// Anchors the mapping at a pair of readings taken together.
    pub fn new(instant_at_start: Instant, wall_clock_at_start: SystemTime) -> Self {
        NtpClock {
            instant_at_start,
            wall_clock_at_start,
        }
    }

    /// 64-bit NTP timestamp (32.32 fixed point seconds since 1900) for `now`.
    pub fn ntp_time(&self, now: Instant) -> u64 {
        let wall_clock = match now.checked_duration_since(self.instant_at_start) {
            Some(elapsed) => self.wall_clock_at_start.checked_add(elapsed),
            None => self
                .wall_clock_at_start
                .checked_sub(self.instant_at_start.duration_since(now)),
        }
        .unwrap_or(self.wall_clock_at_start);
        let since_unix = wall_clock.duration_since(UNIX_EPOCH).unwrap_or_default();
        let seconds = since_unix.as_secs() + NTP_UNIX_OFFSET_SECONDS;
        let fraction = (u64::from(since_unix.subsec_nanos()) << 32) / 1_000_000_000;
        (seconds << 32) | fraction
    }
}

/// The middle 32 bits of an NTP timestamp (16.16 fixed point), as used by LSR and RTT.
fn compact_ntp(ntp_time: u64) -> u32 {
    (ntp_time >> 16) as u32
}

/// Converts a duration to 16.16 fixed-point seconds.
fn to_compact(duration: Duration) -> u32 {
    (duration.as_secs_f64() * 65536.0).min(f64::from(u32::MAX)) as u32
}

/// Reception statistics for the peer's RTP stream (RFC 3550 appendix A.1, A.3, A.8).
#[derive(Debug, Clone, Default)]
pub struct ReceptionStatistics {
    source: Option<u32>,
    base_sequence: u32,
    maximum_sequence: u16,
    cycles: u32,
    received: u64,
    expected_prior: u64,
    received_prior: u64,
    jitter: InterarrivalJitter,
    last_sender_report: Option<(u32, Instant)>,
}

impl ReceptionStatistics {
    /// Records one valid RTP packet. An SSRC change or a large sequence jump restarts the counts.
    pub fn record(&mut self, now: Instant, ssrc: u32, sequence_number: u16, timestamp: u32) {
        let delta = i32::from(sequence_number.wrapping_sub(self.maximum_sequence) as i16);
        if self.source != Some(ssrc) || !(-MAXIMUM_MISORDER..=MAXIMUM_DROPOUT).contains(&delta) {
            *self = ReceptionStatistics {
                source: Some(ssrc),
                base_sequence: u32::from(sequence_number),
                maximum_sequence: sequence_number,
                last_sender_report: self.last_sender_report,
                jitter: std::mem::take(&mut self.jitter),
                ..ReceptionStatistics::default()
            };
            self.jitter.restart();
        } else if delta > 0 {
            if sequence_number < self.maximum_sequence {
                self.cycles = self.cycles.wrapping_add(1 << 16);
            }
            self.maximum_sequence = sequence_number;
        }
        self.received += 1;
        self.jitter.record(now, timestamp);
    }

    /// SSRC of the stream being measured, once a packet has arrived.
    pub fn source(&self) -> Option<u32> {
        self.source
    }

    /// Extended highest sequence number received (cycles in the upper 16 bits).
    pub fn extended_highest_sequence(&self) -> u32 {
        self.cycles | u32::from(self.maximum_sequence)
    }

    fn expected(&self) -> u64 {
        u64::from(
            self.extended_highest_sequence()
                .wrapping_sub(self.base_sequence),
        ) + 1
    }

    /// Packets received, duplicates included.
    pub fn received(&self) -> u64 {
        self.received
    }

    /// Cumulative packets lost: expected minus received (negative with duplicates).
    pub fn cumulative_lost(&self) -> i64 {
        if self.source.is_none() {
            return 0;
        }
        self.expected() as i64 - self.received as i64
    }

    /// Interarrival jitter in timestamp units.
    pub fn jitter_timestamp_units(&self) -> f64 {
        self.jitter.timestamp_units()
    }

    /// Interarrival jitter in milliseconds.
    pub fn jitter_milliseconds(&self) -> f64 {
        self.jitter.timestamp_units() * 1000.0 / f64::from(SAMPLE_RATE)
    }

    /// Remembers the peer's sender report for LSR/DLSR.
    pub fn record_sender_report(&mut self, now: Instant, ntp_time: u64) {
        self.last_sender_report = Some((compact_ntp(ntp_time), now));
    }

    /// Builds a report block and starts a new fraction-lost interval.
    pub fn report_block(&mut self, now: Instant) -> Option<ReceptionReport> {
        let source = self.source?;
        let expected = self.expected();
        let expected_interval = expected.saturating_sub(self.expected_prior);
        let received_interval = self.received.saturating_sub(self.received_prior);
        self.expected_prior = expected;
        self.received_prior = self.received;
        let lost_interval = expected_interval.saturating_sub(received_interval);
        let fraction_lost = (lost_interval << 8)
            .checked_div(expected_interval)
            .map_or(0, |fraction| fraction.min(255) as u8);
        let (last_sender_report, delay) = match self.last_sender_report {
            Some((middle, arrival)) => (middle, to_compact(now.saturating_duration_since(arrival))),
            None => (0, 0),
        };
        Some(ReceptionReport {
            ssrc: source,
            fraction_lost,
            total_lost: self.cumulative_lost().clamp(0, MAXIMUM_CUMULATIVE_LOST) as u32,
            last_sequence_number: self.extended_highest_sequence(),
            jitter: self.jitter.timestamp_units() as u32,
            last_sender_report,
            delay,
        })
    }
}

/// Counters for what we sent.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SenderStatistics {
    /// RTP packets sent.
    pub packets: u64,
    /// RTP payload octets sent.
    pub octets: u64,
}

/// How the peer says it receives our stream, from its latest report block about us.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RemoteReception {
    /// Fraction of our packets lost in its last interval (0.0-1.0).
    pub fraction_lost: f64,
    /// Cumulative packets of ours it lost.
    pub cumulative_lost: u32,
    /// Its interarrival jitter for our stream, in timestamp units.
    pub jitter: u32,
    /// Round-trip time, when the report echoes one of our sender reports.
    pub round_trip_time: Option<Duration>,
}

/// What one incoming RTCP datagram contained that concerns us.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IncomingReport {
    /// SSRC of the sender of the SR/RR, if there was one.
    pub sender_ssrc: Option<u32>,
    /// The peer's view of our stream, if it included a report block for our SSRC.
    pub reception: Option<RemoteReception>,
}

/// RTCP state for one session: our SSRC/CNAME, the NTP mapping and statistics.
#[derive(Debug, Clone)]
pub struct RtcpState {
    ssrc: u32,
    cname: String,
    clock: NtpClock,
    /// Statistics about the peer's stream.
    pub reception: ReceptionStatistics,
    /// Statistics about our stream.
    pub sender: SenderStatistics,
    remote: Option<RemoteReception>,
}

impl RtcpState {
    /// Creates the state for a session sending as `ssrc`.
    pub fn new(ssrc: u32, cname: &str, clock: NtpClock) -> Self {
        let mut end = cname.len().min(MAXIMUM_CNAME_BYTES);
        while !cname.is_char_boundary(end) {
            end -= 1;
        }
        RtcpState {
            ssrc,
            cname: cname[..end].to_owned(),
            clock,
            reception: ReceptionStatistics::default(),
            sender: SenderStatistics::default(),
            remote: None,
        }
    }

    /// Counts one RTP packet we sent with `payload_octets` of payload.
    pub fn record_sent(&mut self, payload_octets: usize) {
        self.sender.packets += 1;
        self.sender.octets += payload_octets as u64;
    }

    /// The peer's latest view of our stream.
    pub fn remote_reception(&self) -> Option<RemoteReception> {
        self.remote
    }

    /// Builds a compound report: an SR if `sending` (else an RR), with a report block when the
    /// peer's stream has been received, followed by SDES CNAME. `rtp_timestamp` is our media
    /// timestamp corresponding to `now`.
    pub fn build_report(
        &mut self,
        now: Instant,
        rtp_timestamp: u32,
        sending: bool,
    ) -> Result<Vec<u8>, MediaError> {
        let reports: Vec<ReceptionReport> = self.reception.report_block(now).into_iter().collect();
        let first: Box<dyn Packet + Send + Sync> = if sending {
            Box::new(SenderReport {
                ssrc: self.ssrc,
                ntp_time: self.clock.ntp_time(now),
                rtp_time: rtp_timestamp,
                packet_count: self.sender.packets as u32,
                octet_count: self.sender.octets as u32,
                reports,
                profile_extensions: Bytes::new(),
            })
        } else {
            Box::new(ReceiverReport {
                ssrc: self.ssrc,
                reports,
                profile_extensions: Bytes::new(),
            })
        };
        let description = SourceDescription {
            chunks: vec![SourceDescriptionChunk {
                source: self.ssrc,
                items: vec![SourceDescriptionItem {
                    sdes_type: SdesType::SdesCname,
                    text: Bytes::copy_from_slice(self.cname.as_bytes()),
                }],
            }],
        };
        let bytes = ::rtcp::packet::marshal(&[first, Box::new(description)]).map_err(|error| {
            MediaError::RtcpBuild {
                reason: error.to_string(),
            }
        })?;
        Ok(bytes.to_vec())
    }

    /// Parses one incoming RTCP datagram and records the peer's sender report and its report
    /// block about us. Unknown packet types are ignored.
    pub fn handle_incoming(
        &mut self,
        now: Instant,
        datagram: &[u8],
    ) -> Result<IncomingReport, MediaError> {
        if datagram.len() < MINIMUM_RTCP_SIZE {
            return Err(MediaError::DatagramTooShort {
                length: datagram.len(),
                minimum: MINIMUM_RTCP_SIZE,
            });
        }
        if datagram.len() > MAXIMUM_RTCP_SIZE {
            return Err(MediaError::DatagramTooLong {
                length: datagram.len(),
                maximum: MAXIMUM_RTCP_SIZE,
            });
        }
        let version = datagram[0] >> 6;
        if version != 2 {
            return Err(MediaError::UnsupportedVersion { version });
        }
        let mut buffer = Bytes::copy_from_slice(datagram);
        let packets =
            ::rtcp::packet::unmarshal(&mut buffer).map_err(|error| MediaError::MalformedRtcp {
                reason: error.to_string(),
            })?;
        let mut incoming = IncomingReport::default();
        for packet in &packets {
            let any = packet.as_any();
            if let Some(report) = any.downcast_ref::<SenderReport>() {
                incoming.sender_ssrc = Some(report.ssrc);
                self.reception.record_sender_report(now, report.ntp_time);
                self.take_block(now, &report.reports, &mut incoming);
            } else if let Some(report) = any.downcast_ref::<ReceiverReport>() {
                incoming.sender_ssrc = Some(report.ssrc);
                self.take_block(now, &report.reports, &mut incoming);
            }
        }
        Ok(incoming)
    }

    fn take_block(
        &mut self,
        now: Instant,
        blocks: &[ReceptionReport],
        incoming: &mut IncomingReport,
    ) {
        let Some(block) = blocks.iter().find(|block| block.ssrc == self.ssrc) else {
            return;
        };
        let arrival = compact_ntp(self.clock.ntp_time(now));
        let round_trip = arrival
            .wrapping_sub(block.last_sender_report)
            .wrapping_sub(block.delay);
        // A zero LSR means no SR was echoed; a "negative" result means clock trouble.
        let round_trip_time = (block.last_sender_report != 0 && round_trip < 1 << 31)
            .then(|| Duration::from_secs_f64(f64::from(round_trip) / 65536.0));
        let reception = RemoteReception {
            fraction_lost: f64::from(block.fraction_lost) / 256.0,
            cumulative_lost: block.total_lost,
            jitter: block.jitter,
            round_trip_time,
        };
        self.remote = Some(reception);
        incoming.reception = Some(reception);
    }
}

#[cfg(test)]
#[path = "rtcp_tests.rs"]
mod tests;

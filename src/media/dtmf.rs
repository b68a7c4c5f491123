//! RFC 4733 telephone-event DTMF: payload format, a de-duplicating receiver and a packet
//! sequence generator for one key press.
//!
//! Invariants: the receiver reports each event (identified by its RTP timestamp) at most once,
//! on the first packet seen for it; the sender emits packets that all share one RTP timestamp,
//! with the marker bit only on the first and the end packet repeated [`END_PACKET_REPEATS`] times.

use std::time::Duration;

use crate::media::{FRAME_DURATION, FRAME_SAMPLES, MediaError};

/// Size of a telephone-event payload.
pub const TELEPHONE_EVENT_SIZE: usize = 4;
/// How many times the final (end) packet of an event is sent.
pub const END_PACKET_REPEATS: u32 = 3;
/// Default volume (attenuation in dBm0, as a positive number) for generated events.
pub const DEFAULT_VOLUME: u8 = 10;
/// Longest event expressible in the 16-bit duration field, in 20 ms packets.
const MAXIMUM_PACKETS: u32 = u16::MAX as u32 / FRAME_SAMPLES as u32;

/// One decoded telephone-event payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TelephoneEvent {
    /// Event code (0-15 are DTMF keys).
    pub event: u8,
    /// End-of-event flag.
    pub end: bool,
    /// Volume as attenuation in dBm0 (0-63).
    pub volume: u8,
    /// Duration so far, in timestamp units.
    pub duration: u16,
}

impl TelephoneEvent {
    /// Parses the 4-byte payload; trailing bytes are ignored.
    pub fn parse(payload: &[u8]) -> Result<Self, MediaError> {
        let [event, flags, duration_high, duration_low, ..] = *payload else {
            return Err(MediaError::TruncatedTelephoneEvent {
                length: payload.len(),
            });
        };
        Ok(TelephoneEvent {
            event,
            end: flags & 0x80 != 0,
            volume: flags & 0x3F,
            duration: u16::from_be_bytes([duration_high, duration_low]),
        })
    }

    /// Serialises the payload.
    pub fn to_bytes(&self) -> [u8; TELEPHONE_EVENT_SIZE] {
        let flags = u8::from(self.end) << 7 | (self.volume & 0x3F);
        let [high, low] = self.duration.to_be_bytes();
        [self.event, flags, high, low]
    }
}

/// The DTMF key for an event code, if it is one.
pub fn digit_for_event(event: u8) -> Option<char> {
    match event {
        0..=9 => Some(char::from(b'0' + event)),
        10 => Some('*'),
        11 => Some('#'),
        12..=15 => Some(char::from(b'A' + event - 12)),
        _ => None,
    }
}

/// The event code for a DTMF key (case-insensitive for A-D), if it is one.
pub fn event_for_digit(digit: char) -> Option<u8> {
    match digit.to_ascii_uppercase() {
        digit @ '0'..='9' => Some(digit as u8 - b'0'),
        '*' => Some(10),
        '#' => Some(11),
        digit @ 'A'..='D' => Some(digit as u8 - b'A' + 12),
        _ => None,
    }
}

/// Turns a stream of telephone-event packets into key presses.
#[derive(Debug, Default)]
pub struct DtmfReceiver {
    last_event_timestamp: Option<u32>,
}

impl DtmfReceiver {
    /// Creates a receiver that has seen no events.
    pub fn new() -> Self {
        DtmfReceiver::default()
    }

    /// Feeds one event packet; returns the key the first time its RTP timestamp is seen.
    pub fn receive(&mut self, event: &TelephoneEvent, rtp_timestamp: u32) -> Option<char> {
        if self.last_event_timestamp == Some(rtp_timestamp) {
            return None;
        }
        self.last_event_timestamp = Some(rtp_timestamp);
        digit_for_event(event.event)
    }

    /// Parses a raw payload and feeds it.
    pub fn receive_payload(
        &mut self,
        payload: &[u8],
        rtp_timestamp: u32,
    ) -> Result<Option<char>, MediaError> {
        let event = TelephoneEvent::parse(payload)?;
        Ok(self.receive(&event, rtp_timestamp))
    }
}

/// One packet produced by [`DtmfSender`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DtmfPacket {
    /// Marker bit (set on the first packet of the event).
    pub marker: bool,
    /// The telephone-event payload.
    pub event: TelephoneEvent,
}

/// Generates the packets of one key press, one per 20 ms tick.
#[derive(Debug, Clone)]
pub struct DtmfSender {
    event: u8,
    volume: u8,
    tone_packets: u32,
    packets_sent: u32,
}

impl DtmfSender {
    /// Prepares a key press lasting `duration` (rounded up to whole 20 ms packets, at least one,
    /// at most what the 16-bit duration field can express).
    pub fn new(digit: char, duration: Duration) -> Result<Self, MediaError> {
        let event = event_for_digit(digit).ok_or(MediaError::InvalidDtmfDigit { digit })?;
        let frame = FRAME_DURATION.as_nanos();
        let packets = duration
            .as_nanos()
            .div_ceil(frame)
            .clamp(1, u128::from(MAXIMUM_PACKETS));
        Ok(DtmfSender {
            event,
            volume: DEFAULT_VOLUME,
            tone_packets: packets as u32,
            packets_sent: 0,
        })
    }

    /// The next packet to send, or `None` once the event (including end repeats) is complete.
    pub fn next_packet(&mut self) -> Option<DtmfPacket> {
        let total = self.tone_packets - 1 + END_PACKET_REPEATS;
        if self.packets_sent >= total {
            return None;
        }
        let index = self.packets_sent;
        self.packets_sent += 1;
        let elapsed_packets = (index + 1).min(self.tone_packets);
        Some(DtmfPacket {
            marker: index == 0,
            event: TelephoneEvent {
                event: self.event,
                end: index + 1 >= self.tone_packets,
                volume: self.volume,
                duration: (elapsed_packets * FRAME_SAMPLES as u32) as u16,
            },
        })
    }

    /// Whether every packet of the event has been produced.
    pub fn is_finished(&self) -> bool {
        self.packets_sent >= self.tone_packets - 1 + END_PACKET_REPEATS
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(code: u8, end: bool, duration: u16) -> TelephoneEvent {
        TelephoneEvent {
            event: code,
            end,
            volume: 10,
            duration,
        }
    }

    #[test]
    fn payload_round_trips_and_rejects_truncation() {
        let original = event(11, true, 800);
        assert_eq!(original.to_bytes(), [11, 0x8A, 0x03, 0x20]);
        assert_eq!(TelephoneEvent::parse(&original.to_bytes()), Ok(original));
        for length in 0..3 {
            assert_eq!(
                TelephoneEvent::parse(&[1, 2, 3][..length]),
                Err(MediaError::TruncatedTelephoneEvent { length })
            );
        }
        let mut receiver = DtmfReceiver::new();
        assert!(receiver.receive_payload(&[5, 0], 0).is_err());
    }

    #[test]
    fn digit_mapping_covers_all_keys() {
        let keys = "0123456789*#ABCD";
        for (code, key) in keys.chars().enumerate() {
            assert_eq!(digit_for_event(code as u8), Some(key));
            assert_eq!(event_for_digit(key), Some(code as u8));
        }
        assert_eq!(event_for_digit('b'), Some(13));
        assert_eq!(digit_for_event(16), None);
        assert_eq!(event_for_digit('E'), None);
    }

    #[test]
    fn receiver_reports_each_press_once() {
        let mut receiver = DtmfReceiver::new();
        assert_eq!(receiver.receive(&event(5, false, 160), 1000), Some('5'));
        assert_eq!(receiver.receive(&event(5, false, 320), 1000), None);
        for _ in 0..3 {
            assert_eq!(receiver.receive(&event(5, true, 480), 1000), None);
        }
        // Same key again is a new press because it has a new timestamp.
        assert_eq!(receiver.receive(&event(5, true, 480), 2000), Some('5'));
        assert_eq!(receiver.receive(&event(10, false, 160), 3000), Some('*'));
        // Non-DTMF events (e.g. 16 = flash) are ignored.
        assert_eq!(receiver.receive(&event(16, false, 160), 4000), None);
    }

    #[test]
    fn sender_produces_growing_durations_and_three_end_packets() {
        let mut sender = DtmfSender::new('#', Duration::from_millis(100)).expect("valid digit");
        let mut packets = Vec::new();
        while let Some(packet) = sender.next_packet() {
            packets.push(packet);
        }
        assert!(sender.is_finished());
        assert_eq!(packets.len(), 4 + 3);
        assert!(packets[0].marker);
        assert!(packets[1..].iter().all(|packet| !packet.marker));
        let durations: Vec<u16> = packets.iter().map(|packet| packet.event.duration).collect();
        assert_eq!(durations, [160, 320, 480, 640, 800, 800, 800]);
        let ends: Vec<bool> = packets.iter().map(|packet| packet.event.end).collect();
        assert_eq!(ends, [false, false, false, false, true, true, true]);
        assert!(packets.iter().all(|packet| packet.event.event == 11));
    }

    #[test]
    fn sender_clamps_duration_and_rejects_bad_digits() {
        let mut short = DtmfSender::new('1', Duration::ZERO).expect("valid digit");
        let first = short.next_packet().expect("one packet");
        assert!(first.marker && first.event.end);
        assert_eq!(first.event.duration, 160);
        let mut long = DtmfSender::new('1', Duration::from_secs(60)).expect("valid digit");
        let last = std::iter::from_fn(|| long.next_packet())
            .last()
            .expect("packets");
        assert_eq!(last.event.duration, (MAXIMUM_PACKETS * 160) as u16);
        assert_eq!(
            DtmfSender::new('x', Duration::from_millis(100)).err(),
            Some(MediaError::InvalidDtmfDigit { digit: 'x' })
        );
    }
}

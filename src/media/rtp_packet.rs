//! Bounds-checked RTP (RFC 3550) header parsing and serialisation.
//!
//! The `rtp` crate cannot be used for untrusted input here: its `Marshal`/`Unmarshal` traits live
//! in `webrtc-util`, which is not a direct dependency, and its RFC 8285 extension parser panics on
//! element lengths that overrun the datagram. This file therefore validates every length before
//! slicing. Invariants: `parse` never panics and never returns a payload slice outside the
//! datagram; `write` always produces a 12-byte fixed header with no CSRCs or extensions.

use crate::media::MediaError;

/// Size of the fixed RTP header.
pub const HEADER_SIZE: usize = 12;
/// Largest datagram accepted (a typical Ethernet MTU).
pub const MAXIMUM_DATAGRAM_SIZE: usize = 1500;
/// The only RTP version in use.
const VERSION: u8 = 2;

/// A parsed RTP packet borrowing its payload from the datagram.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RtpPacket<'a> {
    /// Marker bit.
    pub marker: bool,
    /// Payload type (7 bits).
    pub payload_type: u8,
    /// Sequence number.
    pub sequence_number: u16,
    /// Media timestamp in clock-rate units.
    pub timestamp: u32,
    /// Synchronisation source.
    pub ssrc: u32,
    /// Payload with CSRCs, extension and padding removed.
    pub payload: &'a [u8],
}

impl<'a> RtpPacket<'a> {
    /// Parses and validates one RTP datagram.
    pub fn parse(datagram: &'a [u8]) -> Result<Self, MediaError> {
        if datagram.len() < HEADER_SIZE {
            return Err(MediaError::DatagramTooShort {
                length: datagram.len(),
                minimum: HEADER_SIZE,
            });
        }
        if datagram.len() > MAXIMUM_DATAGRAM_SIZE {
            return Err(MediaError::DatagramTooLong {
                length: datagram.len(),
                maximum: MAXIMUM_DATAGRAM_SIZE,
            });
        }
        let first = datagram[0];
        let version = first >> 6;
        if version != VERSION {
            return Err(MediaError::UnsupportedVersion { version });
        }
        let has_padding = first & 0x20 != 0;
        let has_extension = first & 0x10 != 0;
        let csrc_count = usize::from(first & 0x0F);

        let mut payload_start = HEADER_SIZE + 4 * csrc_count;
        if payload_start > datagram.len() {
            return Err(MediaError::InconsistentLength {
                field: "CSRC list",
                required: payload_start,
                available: datagram.len(),
            });
        }
        if has_extension {
            let extension_header = datagram.get(payload_start..payload_start + 4).ok_or(
                MediaError::InconsistentLength {
                    field: "header extension",
                    required: payload_start + 4,
                    available: datagram.len(),
                },
            )?;
            let words = usize::from(u16::from_be_bytes([
                extension_header[2],
                extension_header[3],
            ]));
            payload_start += 4 + 4 * words;
            if payload_start > datagram.len() {
                return Err(MediaError::InconsistentLength {
                    field: "header extension",
                    required: payload_start,
                    available: datagram.len(),
                });
            }
        }

        let mut payload_end = datagram.len();
        if has_padding {
            let padding = usize::from(datagram[datagram.len() - 1]);
            let available = payload_end - payload_start;
            if padding == 0 || padding > available {
                return Err(MediaError::InconsistentLength {
                    field: "padding",
                    required: padding.max(1),
                    available,
                });
            }
            payload_end -= padding;
        }

        Ok(RtpPacket {
            marker: datagram[1] & 0x80 != 0,
            payload_type: datagram[1] & 0x7F,
            sequence_number: u16::from_be_bytes([datagram[2], datagram[3]]),
            timestamp: u32::from_be_bytes([datagram[4], datagram[5], datagram[6], datagram[7]]),
            ssrc: u32::from_be_bytes([datagram[8], datagram[9], datagram[10], datagram[11]]),
            payload: &datagram[payload_start..payload_end],
        })
    }

    /// Serialises the packet with a plain 12-byte header into a new buffer.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(HEADER_SIZE + self.payload.len());
        out.push(VERSION << 6);
        out.push(u8::from(self.marker) << 7 | (self.payload_type & 0x7F));
        out.extend_from_slice(&self.sequence_number.to_be_bytes());
        out.extend_from_slice(&self.timestamp.to_be_bytes());
        out.extend_from_slice(&self.ssrc.to_be_bytes());
        out.extend_from_slice(self.payload);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample_packet(payload: &[u8]) -> RtpPacket<'_> {
        RtpPacket {
            marker: true,
            payload_type: 8,
            sequence_number: 0xBEEF,
            timestamp: 0x0102_0304,
            ssrc: 0xCAFE_BABE,
            payload,
        }
    }

    #[test]
    fn write_then_parse_round_trips() {
        let payload = [1, 2, 3, 4, 5];
        let bytes = sample_packet(&payload).to_bytes();
        assert_eq!(bytes.len(), 17);
        assert_eq!(RtpPacket::parse(&bytes), Ok(sample_packet(&payload)));
    }

    #[test]
    fn strips_csrcs_extension_and_padding() {
        let mut bytes = vec![0xB2, 0x00, 0, 1, 0, 0, 0, 160, 0, 0, 0, 7];
        bytes.extend_from_slice(&[0, 0, 0, 1, 0, 0, 0, 2]); // two CSRCs
        bytes.extend_from_slice(&[0xBE, 0xDE, 0, 1, 0x10, 0xAA, 0, 0]); // one-word extension
        bytes.extend_from_slice(&[9, 9, 9]); // payload
        bytes.extend_from_slice(&[0, 0, 3]); // padding
        let packet = RtpPacket::parse(&bytes).expect("valid packet");
        assert_eq!(packet.payload, [9, 9, 9]);
        assert_eq!(packet.sequence_number, 1);
        assert_eq!(packet.timestamp, 160);
        assert_eq!(packet.ssrc, 7);
    }

    #[test]
    fn rejects_inconsistent_lengths() {
        let too_short = [0x80; 11];
        assert!(matches!(
            RtpPacket::parse(&too_short),
            Err(MediaError::DatagramTooShort { .. })
        ));
        let too_long = vec![0x80; 1501];
        assert!(matches!(
            RtpPacket::parse(&too_long),
            Err(MediaError::DatagramTooLong { .. })
        ));
        let wrong_version = [0x40, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        assert_eq!(
            RtpPacket::parse(&wrong_version),
            Err(MediaError::UnsupportedVersion { version: 1 })
        );
        let missing_csrcs = [0x83, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4];
        assert!(matches!(
            RtpPacket::parse(&missing_csrcs),
            Err(MediaError::InconsistentLength {
                field: "CSRC list",
                ..
            })
        ));
        let long_extension = [0x90, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xBE, 0xDE, 0, 9];
        assert!(matches!(
            RtpPacket::parse(&long_extension),
            Err(MediaError::InconsistentLength {
                field: "header extension",
                ..
            })
        ));
        let huge_padding = [0xA0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 200];
        assert!(matches!(
            RtpPacket::parse(&huge_padding),
            Err(MediaError::InconsistentLength {
                field: "padding",
                ..
            })
        ));
        let zero_padding = [0xA0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0];
        assert!(RtpPacket::parse(&zero_padding).is_err());
    }
}

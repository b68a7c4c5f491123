//! The single error type of the media module.
//!
//! Invariant: every way untrusted network input can be rejected is a structured variant here, so
//! callers can count and log rejections without string matching. Nothing in `media` panics on bad
//! input; it returns one of these instead.

use thiserror::Error;

/// Everything that can go wrong while handling media packets or media commands.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum MediaError {
    /// The datagram is shorter than the smallest valid packet.
    #[error("datagram of {length} bytes is shorter than the {minimum}-byte minimum")]
    DatagramTooShort {
        /// Received length in bytes.
        length: usize,
        /// Smallest acceptable length in bytes.
        minimum: usize,
    },
    /// The datagram is larger than any packet this module accepts.
    #[error("datagram of {length} bytes exceeds the {maximum}-byte maximum")]
    DatagramTooLong {
        /// Received length in bytes.
        length: usize,
        /// Largest acceptable length in bytes.
        maximum: usize,
    },
    /// The RTP or RTCP version field is not 2.
    #[error("unsupported RTP version {version}")]
    UnsupportedVersion {
        /// The version found in the header.
        version: u8,
    },
    /// The RTP payload type was not negotiated for this session.
    #[error("unexpected RTP payload type {payload_type}")]
    UnexpectedPayloadType {
        /// The payload type found in the header.
        payload_type: u8,
    },
    /// A length implied by the RTP header (CSRC list, extension or padding) does not fit the datagram.
    #[error("RTP {field} needs {required} bytes but only {available} are present")]
    InconsistentLength {
        /// Which header part is inconsistent: "CSRC list", "header extension" or "padding".
        field: &'static str,
        /// Bytes the header says are needed.
        required: usize,
        /// Bytes actually available.
        available: usize,
    },
    /// A telephone-event (RFC 4733) payload is shorter than its fixed 4 bytes.
    #[error("telephone-event payload of {length} bytes is shorter than 4")]
    TruncatedTelephoneEvent {
        /// Payload length in bytes.
        length: usize,
    },
    /// An RTCP datagram could not be parsed.
    #[error("malformed RTCP datagram: {reason}")]
    MalformedRtcp {
        /// Parser diagnostic.
        reason: String,
    },
    /// An outgoing RTCP report could not be serialised.
    #[error("could not build RTCP report: {reason}")]
    RtcpBuild {
        /// Serialiser diagnostic.
        reason: String,
    },
    /// DTMF sending was requested but no telephone-event payload type was negotiated.
    #[error("no telephone-event payload type negotiated")]
    TelephoneEventNotNegotiated,
    /// The character is not a DTMF key (0-9, *, #, A-D).
    #[error("{digit:?} is not a DTMF digit")]
    InvalidDtmfDigit {
        /// The rejected character.
        digit: char,
    },

    /// The Opus encoder or decoder failed.
    #[error("opus: {0}")]
    Opus(String),
}

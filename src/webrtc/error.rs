//! Errors of browser legs.

use thiserror::Error;

/// What can go wrong with a browser leg.
#[derive(Debug, Error)]
pub enum WebRtcError {
    /// The browser's SDP offer could not be read or accepted.
    #[error("the offer cannot be accepted: {0}")]
    Offer(String),
    /// An ICE candidate could not be read or added.
    #[error("bad ICE candidate: {0}")]
    Candidate(String),
    /// A datagram (from the browser or the call) could not be handled.
    #[error("datagram not handled: {0}")]
    Datagram(String),
    /// The Opus encoder or decoder failed.
    #[error("opus: {0}")]
    Opus(String),
    /// The DTLS certificate could not be made.
    #[error("no DTLS certificate: {0}")]
    Certificate(String),
    /// No socket could be bound for the leg.
    #[error("no UDP port for the browser leg: {0}")]
    Socket(String),
    /// The call was refused (not routed, shutting down, no ports).
    #[error("the call was refused ({status}): {reason}")]
    Refused {
        /// The SIP-style status the call side gave.
        status: u16,
        /// Why.
        reason: String,
    },
    /// The agent has no browser phone connected.
    #[error("{0} has no browser phone connected")]
    NoPhone(String),
}

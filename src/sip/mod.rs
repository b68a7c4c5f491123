//! Hotline's signaling seam over rsipstack.
//!
//! This module owns everything SIP: transports (UDP and TCP on one address), transactions and
//! dialogs (rsipstack), SDP offer/answer ([`sdp`]), and SIP INFO key presses ([`dtmf_relay`]).
//! No rsipstack type leaves it: the rest of the server sees calls only through the
//! [`CallSessions`] / [`CallSession`] traits it implements and the opaque [`DialogHandle`] it is
//! given to end a call.

pub mod dtmf_relay;
mod error;
pub mod sdp;
mod seam;
mod server;

pub use error::SipError;
pub use seam::{Admission, CallSession, CallSessions, DialogHandle, EndReason, InboundCall};
pub use server::SipServer;

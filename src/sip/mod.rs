//! Hotline's signaling seam over rsipstack.
//!
//! This module owns everything SIP: transports (UDP and TCP on one address), transactions and
//! dialogs (rsipstack), SDP offer/answer ([`sdp`]), SIP INFO key presses ([`dtmf_relay`]), and
//! the registrar where agents' softphones sign in with digest authentication ([`registrar`],
//! [`digest`]). No rsipstack type leaves it: the rest of the server sees calls only through the
//! [`CallSessions`] / [`CallSession`] traits it implements, the [`Dialer`] that calls agents'
//! phones, and the opaque [`DialogHandle`] it is given to end a call.

pub mod contact_list;
pub mod digest;
pub mod dtmf_relay;
mod error;
mod inbound;
mod outbound;
mod register;
pub mod registrar;
pub mod sdp;
mod seam;
mod server;

pub use error::SipError;
pub use seam::{
    Admission, CallSession, CallSessions, Dialer, DialogHandle, EndReason, HangUps, InboundCall,
    OutboundCall, OutboundEvent, OutboundSession, Registrations, Signaling,
};
pub use server::{SipServer, SipSettings};

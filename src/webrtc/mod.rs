//! Browser legs over WebRTC: customers calling from the "call us" page and agents answering in
//! the desk's softphone, on the same flows, queues, recordings and transfers as SIP calls.
//!
//! A browser leg is a small media gateway. Towards the browser it speaks ICE, DTLS and SRTP with
//! Opus ([`leg::BrowserLeg`], over str0m, sans-IO); towards the call it is an ordinary G.711
//! RTP peer on this machine. So a call does not know whether its caller or its agent is a
//! phone or a browser, and bridging a browser with a SIP phone is what the call already does.
//!
//! - [`Gateway`] answers a browser's offer: a caller's leg is admitted as a call through
//!   [`crate::sip::CallSessions`], like an INVITE; an agent's leg answers a ring from
//!   [`BrowserPhones`], which the call's dialer tries before SIP.
//! - [`driver`] runs one leg: its ICE socket, its call-side socket and its signals.
//! - [`signal`] is what the browser and Hotline say over the WebSocket.

pub mod driver;
mod error;
mod gateway;
pub mod leg;
#[cfg(test)]
mod leg_tests;
mod phones;
pub mod signal;

pub use error::WebRtcError;
pub use gateway::{CallerSlot, Gateway};
pub use leg::{BrowserLeg, LegFactory, LegOutput};
pub use phones::{BrowserPhones, PhoneLine, Ring};

//! Sockets for the sans-IO cores: the RTP port pool and per-call RTP/RTCP socket pairs.

mod error;
mod ports;
mod sockets;

pub use error::NetError;
pub use ports::{PortLease, PortPool};
pub use sockets::{MediaSockets, waiting_datagram};

//! Sockets for the sans-IO cores: the RTP port pool, per-call RTP/RTCP socket pairs, and the
//! UDP helpers the drivers share.

mod error;
mod ports;
mod sockets;

pub use error::NetError;
pub use ports::{PortLease, PortPool};
pub use sockets::{MediaSockets, bind_udp, waiting_datagram};

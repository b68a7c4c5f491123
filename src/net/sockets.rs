//! A call's RTP and RTCP sockets, bound on a leased port pair.

use super::{NetError, PortLease, PortPool};
use crate::media::{Transmit, TransmitKind};
use std::net::{IpAddr, SocketAddr};
use tokio::net::UdpSocket;

/// The bound RTP/RTCP sockets of one call; the port pair returns to the pool when dropped.
pub struct MediaSockets {
    /// RTP socket.
    pub rtp: UdpSocket,
    /// RTCP socket (RTP port + 1).
    pub rtcp: UdpSocket,
    lease: PortLease,
    address: IpAddr,
}

/// A non-blocking tokio UDP socket bound to `address`. Must run inside a tokio runtime.
pub fn bind_udp(address: SocketAddr) -> Result<UdpSocket, NetError> {
    let socket = std::net::UdpSocket::bind(address)
        .and_then(|socket| socket.set_nonblocking(true).map(|()| socket))
        .map_err(|source| NetError::Socket { address, source })?;
    UdpSocket::from_std(socket).map_err(|source| NetError::Socket { address, source })
}

impl MediaSockets {
    /// Binds the next free pair of the pool on `address`, skipping pairs another process holds.
    /// Must run inside a tokio runtime.
    pub fn open(pool: &PortPool, address: IpAddr) -> Result<MediaSockets, NetError> {
        let ((rtp, rtcp), lease) = pool.bind_first(|port| {
            let rtp = bind_udp(SocketAddr::new(address, port))?;
            let rtcp = bind_udp(SocketAddr::new(address, port + 1))?;
            Ok((rtp, rtcp))
        })?;
        Ok(MediaSockets {
            rtp,
            rtcp,
            lease,
            address,
        })
    }

    /// The local RTP address.
    pub fn rtp_address(&self) -> SocketAddr {
        SocketAddr::new(self.address, self.lease.rtp_port())
    }

    /// The local RTP address as this machine reaches it: loopback when bound to every interface.
    pub fn reachable_rtp_address(&self) -> SocketAddr {
        let address = if self.address.is_unspecified() {
            match self.address {
                IpAddr::V4(_) => IpAddr::V4(std::net::Ipv4Addr::LOCALHOST),
                IpAddr::V6(_) => IpAddr::V6(std::net::Ipv6Addr::LOCALHOST),
            }
        } else {
            self.address
        };
        SocketAddr::new(address, self.lease.rtp_port())
    }

    /// Sends a datagram a media session queued, from the socket of its kind, without waiting.
    pub fn send(&self, transmit: &Transmit) -> std::io::Result<usize> {
        let socket = match transmit.kind {
            TransmitKind::Rtp => &self.rtp,
            TransmitKind::Rtcp => &self.rtcp,
        };
        socket.try_send_to(&transmit.payload, transmit.destination)
    }
}

/// One datagram already waiting on `socket`, if any, without waiting: for drivers that read
/// their sockets on a tick.
pub fn waiting_datagram(socket: &UdpSocket, buffer: &mut [u8]) -> Option<(usize, SocketAddr)> {
    match socket.try_recv_from(buffer) {
        Ok(received) => Some(received),
        Err(error) if error.kind() == std::io::ErrorKind::WouldBlock => None,
        Err(error) => {
            tracing::debug!(%error, "receive error");
            None
        }
    }
}

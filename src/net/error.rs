//! Socket errors.

/// What can go wrong opening media sockets.
#[derive(Debug, thiserror::Error)]
pub enum NetError {
    /// Every port pair in the configured range is taken.
    #[error("no free RTP port in {first}-{last}")]
    PortsExhausted {
        /// First port of the range.
        first: u16,
        /// Last port of the range.
        last: u16,
    },
    /// A socket operation failed.
    #[error("socket error on {address}: {source}")]
    Socket {
        /// The address involved.
        address: std::net::SocketAddr,
        /// The OS error.
        source: std::io::Error,
    },
}

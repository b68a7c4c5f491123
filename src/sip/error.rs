//! Signaling errors.

/// What can go wrong in the SIP layer.
#[derive(Debug, thiserror::Error)]
pub enum SipError {
    /// A transport could not be opened.
    #[error("cannot listen for SIP on {address} over {transport}: {message}")]
    Listen {
        /// The configured address.
        address: std::net::SocketAddr,
        /// UDP or TCP.
        transport: &'static str,
        /// The stack's explanation.
        message: String,
    },
    /// The SIP stack refused an operation.
    #[error("SIP stack: {0}")]
    Stack(String),
}

impl From<rsipstack::Error> for SipError {
    fn from(error: rsipstack::Error) -> Self {
        SipError::Stack(error.to_string())
    }
}

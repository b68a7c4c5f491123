//! Lookup client errors. A lookup itself never errors: how it went is a `LookupOutcome`.

/// What can go wrong setting up the client.
#[derive(Debug, thiserror::Error)]
pub enum LookupError {
    /// The HTTP client could not be built (no TLS root certificates, for instance).
    #[error("cannot start the HTTP client for lookups: {0}")]
    Build(#[from] reqwest::Error),
}

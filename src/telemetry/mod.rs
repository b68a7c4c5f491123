//! Logging set-up and the Prometheus metrics every part of the server reports into.

mod metrics;

pub use metrics::Metrics;

/// Installs the tracing subscriber: human-readable lines on stderr, filtered by `RUST_LOG`
/// (default `info`, with the SIP stack's per-message logs at `warn`).
pub fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,rsipstack=warn"));
    // A second initialisation (tests calling twice) keeps the first subscriber.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

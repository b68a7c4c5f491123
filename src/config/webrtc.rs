//! `[webrtc]`: browser legs (the "call us" page and the desk's softphone).

use serde::Deserialize;
use std::net::IpAddr;

/// Browser leg settings.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WebRtcConfig {
    /// The address browser legs' ICE sockets bind to and offer as their candidate. Without it,
    /// the HTTP listen address (the one the browser reached the page on).
    #[serde(default)]
    pub address: Option<IpAddr>,
    /// First UDP port of browser legs (one per leg).
    #[serde(default = "default_port_first")]
    pub port_first: u16,
    /// Last UDP port of browser legs.
    #[serde(default = "default_port_last")]
    pub port_last: u16,
    /// The number the "call us" page dials: a route's number. Without it, the first route in
    /// speech mode (or the first route).
    #[serde(default)]
    pub number: Option<String>,
    /// Browser calls one address may have at once (the "call us" page needs no sign-in).
    #[serde(default = "default_calls_per_address")]
    pub calls_per_address: usize,
}

fn default_calls_per_address() -> usize {
    4
}

fn default_port_first() -> u16 {
    40000
}

fn default_port_last() -> u16 {
    41999
}

impl Default for WebRtcConfig {
    fn default() -> Self {
        WebRtcConfig {
            address: None,
            port_first: default_port_first(),
            port_last: default_port_last(),
            number: None,
            calls_per_address: default_calls_per_address(),
        }
    }
}

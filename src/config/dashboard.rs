//! `[dashboard]`: what the live operations dashboard measures against and alerts on.

use serde::Deserialize;
use std::time::Duration;

/// Dashboard targets and alert thresholds.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DashboardConfig {
    /// A call answered by an agent within this wait counts toward the service level.
    #[serde(
        default = "default_service_level_target",
        deserialize_with = "crate::duration_text::deserialize"
    )]
    pub service_level_target: Duration,
    /// A caller waiting in a queue longer than this raises an alert.
    #[serde(
        default = "default_longest_wait_alert",
        deserialize_with = "crate::duration_text::deserialize"
    )]
    pub longest_wait_alert: Duration,
    /// This many utterances not understood within `no_match_window` raise an alert.
    #[serde(default = "default_no_match_alert")]
    pub no_match_alert: u32,
    /// The window no-matches are counted over.
    #[serde(
        default = "default_no_match_window",
        deserialize_with = "crate::duration_text::deserialize"
    )]
    pub no_match_window: Duration,
}

fn default_service_level_target() -> Duration {
    Duration::from_secs(20)
}

fn default_longest_wait_alert() -> Duration {
    Duration::from_secs(60)
}

fn default_no_match_alert() -> u32 {
    5
}

fn default_no_match_window() -> Duration {
    Duration::from_secs(300)
}

impl Default for DashboardConfig {
    fn default() -> Self {
        DashboardConfig {
            service_level_target: default_service_level_target(),
            longest_wait_alert: default_longest_wait_alert(),
            no_match_alert: default_no_match_alert(),
            no_match_window: default_no_match_window(),
        }
    }
}

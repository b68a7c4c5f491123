//! Alerts: thresholds checked once a second against the dashboard's figures. Sans-IO: the
//! time and the figures come in as arguments; an alert remembers when it began.

use chrono::{DateTime, Utc};
use serde::Serialize;
use std::collections::{BTreeMap, VecDeque};
use std::time::Duration;

/// One threshold crossed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Alert {
    /// `long_wait` or `no_match_spike`.
    #[schema(value_type = String)]
    pub kind: &'static str,
    /// `warning`, or `critical` for twice the threshold.
    #[schema(value_type = String)]
    pub severity: &'static str,
    /// What is wrong, in a sentence that stays the same while the alert lasts.
    pub message: String,
    /// When it began.
    pub since: DateTime<Utc>,
}

/// The thresholds.
#[derive(Debug, Clone, Copy)]
pub struct AlertRules {
    /// A caller waiting longer than this in a queue.
    pub longest_wait: Duration,
    /// This many utterances not understood within `no_match_window`.
    pub no_matches: u32,
    /// The window no-matches are counted over.
    pub no_match_window: Duration,
}

/// The alerts in force, kept between checks.
pub struct Alerts {
    rules: AlertRules,
    since: BTreeMap<(&'static str, String), DateTime<Utc>>,
    no_match_samples: VecDeque<(DateTime<Utc>, u64)>,
}

impl Alerts {
    /// No alerts yet.
    pub fn new(rules: AlertRules) -> Alerts {
        Alerts {
            rules,
            since: BTreeMap::new(),
            no_match_samples: VecDeque::new(),
        }
    }

    /// Checks the figures of `now`: each queue's longest wait in seconds, and the count of
    /// utterances not understood since the server started. Returns the alerts in force.
    pub fn check(
        &mut self,
        now: DateTime<Utc>,
        longest_waits: &[(String, u64)],
        no_matches: u64,
    ) -> Vec<Alert> {
        let mut found: Vec<(&'static str, &'static str, String)> = Vec::new();
        let limit = self.rules.longest_wait.as_secs();
        for (group, wait) in longest_waits {
            if *wait > limit {
                let severity = if *wait > 2 * limit {
                    "critical"
                } else {
                    "warning"
                };
                let message = format!("{group}: a caller has waited over {limit} s");
                found.push(("long_wait", severity, message));
            }
        }
        let recent = self.recent_no_matches(now, no_matches);
        let threshold = u64::from(self.rules.no_matches);
        if threshold > 0 && recent >= threshold {
            let severity = if recent >= 2 * threshold {
                "critical"
            } else {
                "warning"
            };
            let minutes = self.rules.no_match_window.as_secs().div_ceil(60);
            let message =
                format!("callers are not understood: {threshold} or more times in {minutes} min");
            found.push(("no_match_spike", severity, message));
        }
        self.since.retain(|key, _| {
            found
                .iter()
                .any(|(kind, _, message)| (*kind, message.clone()) == *key)
        });
        found
            .into_iter()
            .map(|(kind, severity, message)| {
                let since = *self.since.entry((kind, message.clone())).or_insert(now);
                Alert {
                    kind,
                    severity,
                    message,
                    since,
                }
            })
            .collect()
    }

    /// Utterances not understood within the window before `now`.
    fn recent_no_matches(&mut self, now: DateTime<Utc>, total: u64) -> u64 {
        self.no_match_samples.push_back((now, total));
        let window = chrono::Duration::from_std(self.rules.no_match_window).unwrap_or_default();
        while self
            .no_match_samples
            .get(1)
            .is_some_and(|(at, _)| now - *at >= window)
        {
            self.no_match_samples.pop_front();
        }
        let oldest = self
            .no_match_samples
            .front()
            .map_or(total, |(_, count)| *count);
        total.saturating_sub(oldest)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> AlertRules {
        AlertRules {
            longest_wait: Duration::from_secs(60),
            no_matches: 3,
            no_match_window: Duration::from_secs(300),
        }
    }

    #[test]
    fn a_long_wait_alerts_from_when_it_began_until_it_ends() {
        let mut alerts = Alerts::new(rules());
        let start = Utc::now();
        let waits = |seconds: u64| vec![("billing".to_string(), seconds)];
        assert!(alerts.check(start, &waits(59), 0).is_empty());
        let later = start + chrono::Duration::seconds(2);
        let raised = alerts.check(later, &waits(61), 0);
        assert_eq!(raised.len(), 1);
        assert_eq!(
            (raised[0].kind, raised[0].severity),
            ("long_wait", "warning")
        );
        let much_later = later + chrono::Duration::seconds(60);
        let worse = alerts.check(much_later, &waits(121), 0);
        assert_eq!((worse[0].severity, worse[0].since), ("critical", later));
        assert!(alerts.check(much_later, &[], 0).is_empty());
    }

    #[test]
    fn no_matches_alert_when_they_bunch_up_within_the_window() {
        let mut alerts = Alerts::new(rules());
        let start = Utc::now();
        let at = |seconds: i64| start + chrono::Duration::seconds(seconds);
        assert!(alerts.check(at(0), &[], 10).is_empty());
        assert!(alerts.check(at(100), &[], 12).is_empty());
        let raised = alerts.check(at(200), &[], 13);
        assert_eq!(raised[0].kind, "no_match_spike");
        // Five minutes on, the burst has left the window.
        assert!(alerts.check(at(600), &[], 13).is_empty());
    }
}

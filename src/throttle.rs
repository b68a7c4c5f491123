//! Login throttling, sans-IO: after too many wrong passwords from one source, that source is
//! refused for a while, whether it guesses SIP digest responses or desk passwords.
//!
//! Invariants: a success clears the source's count; failures older than the lockout no longer
//! count; the table is pruned as it is used, so a flood of sources cannot grow it without bound
//! beyond `MAXIMUM_TRACKED` entries.

use std::collections::HashMap;
use std::hash::Hash;
use std::time::{Duration, Instant};

/// Sources tracked at most; beyond that the oldest entries are forgotten first.
const MAXIMUM_TRACKED: usize = 10_000;

#[derive(Debug, Clone, Copy)]
struct Failures {
    count: u32,
    first_at: Instant,
    locked_until: Option<Instant>,
}

/// Counts wrong passwords per source.
#[derive(Debug)]
pub struct Throttle<Key> {
    limit: u32,
    lockout: Duration,
    failures: HashMap<Key, Failures>,
}

impl<Key: Eq + Hash + Clone> Throttle<Key> {
    /// Locks a source out for `lockout` after `limit` failures within `lockout`.
    pub fn new(limit: u32, lockout: Duration) -> Throttle<Key> {
        Throttle {
            limit: limit.max(1),
            lockout,
            failures: HashMap::new(),
        }
    }

    /// Whether `source` is locked out at `now`.
    pub fn is_locked(&self, now: Instant, source: &Key) -> bool {
        self.failures
            .get(source)
            .and_then(|failures| failures.locked_until)
            .is_some_and(|until| now < until)
    }

    /// Counts a failure; true when it locks the source out.
    pub fn failed(&mut self, now: Instant, source: Key) -> bool {
        if self.failures.len() >= MAXIMUM_TRACKED {
            self.prune(now);
        }
        let lockout = self.lockout;
        let entry = self.failures.entry(source).or_insert(Failures {
            count: 0,
            first_at: now,
            locked_until: None,
        });
        if now.duration_since(entry.first_at) > lockout {
            *entry = Failures {
                count: 0,
                first_at: now,
                locked_until: None,
            };
        }
        entry.count += 1;
        if entry.count >= self.limit {
            entry.locked_until = Some(now + lockout);
            entry.count = 0;
            entry.first_at = now;
            return true;
        }
        false
    }

    /// A correct password: the source starts afresh.
    pub fn succeeded(&mut self, source: &Key) {
        self.failures.remove(source);
    }

    fn prune(&mut self, now: Instant) {
        let lockout = self.lockout;
        self.failures.retain(|_, failures| {
            failures.locked_until.is_some_and(|until| now < until)
                || now.duration_since(failures.first_at) <= lockout
        });
        if self.failures.len() >= MAXIMUM_TRACKED {
            let oldest = self
                .failures
                .iter()
                .min_by_key(|(_, failures)| failures.first_at)
                .map(|(key, _)| key.clone());
            if let Some(key) = oldest {
                self.failures.remove(&key);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_source_is_locked_after_the_limit_and_released_after_the_lockout() {
        let start = Instant::now();
        let mut throttle = Throttle::new(3, Duration::from_secs(60));
        assert!(!throttle.failed(start, "10.0.0.1"));
        assert!(!throttle.failed(start, "10.0.0.1"));
        assert!(!throttle.is_locked(start, &"10.0.0.1"));
        assert!(throttle.failed(start, "10.0.0.1"));
        assert!(throttle.is_locked(start + Duration::from_secs(59), &"10.0.0.1"));
        assert!(!throttle.is_locked(start, &"10.0.0.2"));
        assert!(!throttle.is_locked(start + Duration::from_secs(61), &"10.0.0.1"));
    }

    #[test]
    fn a_success_and_old_failures_do_not_count() {
        let start = Instant::now();
        let mut throttle = Throttle::new(2, Duration::from_secs(10));
        assert!(!throttle.failed(start, 1));
        throttle.succeeded(&1);
        assert!(!throttle.failed(start, 1));
        assert!(!throttle.failed(start + Duration::from_secs(11), 1));
        assert!(throttle.failed(start + Duration::from_secs(12), 1));
    }
}

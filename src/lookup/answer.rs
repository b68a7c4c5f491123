//! What an HTTP answer means for a lookup, and how failures read (pure).

use crate::dialogue::flow_file::lookup::LookupOutcome;
use std::time::Duration;

/// Largest response body read, in bytes (1 MiB); a larger one fails the lookup.
pub const MAXIMUM_BODY_BYTES: usize = 1024 * 1024;

/// Pause before the second attempt; it doubles for each further one.
const FIRST_BACKOFF: Duration = Duration::from_millis(100);
/// Longest pause between attempts.
const MAXIMUM_BACKOFF: Duration = Duration::from_secs(1);

/// How one attempt ended.
#[derive(Debug, PartialEq)]
pub(super) enum Attempt {
    /// The lookup's outcome; no further attempt.
    Done(LookupOutcome),
    /// A failure worth another attempt, with its reason should none be left.
    Retry(String),
}

/// What a status code calls for.
#[derive(Debug, PartialEq)]
pub(super) enum StatusVerdict {
    /// A success: the body decides.
    ReadBody,
    /// The attempt is over.
    Ended(Attempt),
}

/// Judges an answer's status; `origin` (`host:port`) names the backend in reasons.
pub(super) fn judge_status(status: u16, origin: &str) -> StatusVerdict {
    match status {
        200..=299 => StatusVerdict::ReadBody,
        404 => StatusVerdict::Ended(Attempt::Done(LookupOutcome::NotFound)),
        500..=599 => StatusVerdict::Ended(Attempt::Retry(format!("HTTP {status} from {origin}"))),
        _ => StatusVerdict::Ended(Attempt::Done(failed(format!(
            "HTTP {status} from {origin}"
        )))),
    }
}

/// The outcome of a success's complete body: its JSON, `null` for an empty body.
pub(super) fn judge_body(body: &[u8], origin: &str) -> LookupOutcome {
    if body.iter().all(u8::is_ascii_whitespace) {
        return LookupOutcome::Found(serde_json::Value::Null);
    }
    match serde_json::from_slice(body) {
        Ok(value) => LookupOutcome::Found(value),
        Err(_) => failed(format!("response from {origin} is not JSON")),
    }
}

/// The failure for a body over [`MAXIMUM_BODY_BYTES`].
pub(super) fn too_large(origin: &str) -> LookupOutcome {
    failed(format!("response from {origin} is larger than 1 MiB"))
}

/// A failure reason with the number of attempts made, when there were several.
pub(super) fn after_attempts(reason: String, attempts: u32) -> LookupOutcome {
    if attempts > 1 {
        failed(format!("{reason} ({attempts} attempts)"))
    } else {
        failed(reason)
    }
}

/// The reason for an attempt that took longer than `timeout`.
pub(super) fn timed_out(timeout: Duration) -> String {
    format!("timed out after {}", humantime::format_duration(timeout))
}

/// The pause after failed attempt number `attempt` (1-based).
pub(super) fn backoff(attempt: u32) -> Duration {
    let factor = 2u32.saturating_pow(attempt.saturating_sub(1));
    FIRST_BACKOFF.saturating_mul(factor).min(MAXIMUM_BACKOFF)
}

pub(super) fn failed(reason: String) -> LookupOutcome {
    LookupOutcome::Failed { reason }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const ORIGIN: &str = "127.0.0.1:8080";

    #[test]
    fn statuses_decide_what_follows() {
        assert_eq!(judge_status(200, ORIGIN), StatusVerdict::ReadBody);
        assert_eq!(judge_status(204, ORIGIN), StatusVerdict::ReadBody);
        assert_eq!(
            judge_status(404, ORIGIN),
            StatusVerdict::Ended(Attempt::Done(LookupOutcome::NotFound))
        );
        assert_eq!(
            judge_status(503, ORIGIN),
            StatusVerdict::Ended(Attempt::Retry("HTTP 503 from 127.0.0.1:8080".into()))
        );
        for status in [301, 400, 401, 409, 429] {
            assert_eq!(
                judge_status(status, ORIGIN),
                StatusVerdict::Ended(Attempt::Done(failed(format!(
                    "HTTP {status} from 127.0.0.1:8080"
                ))))
            );
        }
    }

    #[test]
    fn bodies_are_json_or_empty() {
        assert_eq!(
            judge_body(br#"{"status":"shipped"}"#, ORIGIN),
            LookupOutcome::Found(json!({"status": "shipped"}))
        );
        assert_eq!(
            judge_body(b"", ORIGIN),
            LookupOutcome::Found(serde_json::Value::Null)
        );
        assert_eq!(
            judge_body(b"<html>", ORIGIN),
            failed("response from 127.0.0.1:8080 is not JSON".into())
        );
    }

    #[test]
    fn reasons_count_attempts_and_pauses_double_up_to_a_second() {
        assert_eq!(
            after_attempts(timed_out(Duration::from_secs(2)), 2),
            failed("timed out after 2s (2 attempts)".into())
        );
        assert_eq!(
            after_attempts(timed_out(Duration::from_millis(300)), 1),
            failed("timed out after 300ms".into())
        );
        let pauses: Vec<u128> = (1..=6)
            .map(|attempt| backoff(attempt).as_millis())
            .collect();
        assert_eq!(pauses, [100, 200, 400, 800, 1000, 1000]);
        assert_eq!(backoff(u32::MAX), MAXIMUM_BACKOFF);
    }
}

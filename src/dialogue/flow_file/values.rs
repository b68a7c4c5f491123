//! Small value syntaxes used in flow files (durations and DTMF keys), and the flow-wide
//! settings steps fall back to.

use std::time::Duration;

use chrono_tz::Tz;

/// The keys a DTMF keypad can send.
pub const DTMF_KEYS: &str = "0123456789*#ABCD";

/// Parses a duration such as `5s`, `1500ms` or `2m`.
pub fn parse_duration(text: &str) -> Option<Duration> {
    let split = text.find(|character: char| !character.is_ascii_digit())?;
    let (number, unit) = text.split_at(split);
    if number.is_empty() {
        return None;
    }
    let number: u64 = number.parse().ok()?;
    match unit {
        "ms" => Some(Duration::from_millis(number)),
        "s" => Some(Duration::from_secs(number)),
        "m" => number.checked_mul(60).map(Duration::from_secs),
        _ => None,
    }
}

/// Parses a single DTMF key (`0`-`9`, `*`, `#`, `A`-`D`).
pub fn parse_dtmf_key(text: &str) -> Option<char> {
    let mut characters = text.chars();
    let key = characters.next()?;
    (characters.next().is_none() && DTMF_KEYS.contains(key)).then_some(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_durations() {
        assert_eq!(parse_duration("5s"), Some(Duration::from_secs(5)));
        assert_eq!(parse_duration("1500ms"), Some(Duration::from_millis(1500)));
        assert_eq!(parse_duration("2m"), Some(Duration::from_secs(120)));
        assert_eq!(parse_duration("5"), None);
        assert_eq!(parse_duration("s"), None);
        assert_eq!(parse_duration("5 s"), None);
        assert_eq!(parse_duration("1.5s"), None);
    }

    #[test]
    fn parses_dtmf_keys() {
        assert_eq!(parse_dtmf_key("#"), Some('#'));
        assert_eq!(parse_dtmf_key("7"), Some('7'));
        assert_eq!(parse_dtmf_key("12"), None);
        assert_eq!(parse_dtmf_key("x"), None);
        assert_eq!(parse_dtmf_key(""), None);
    }
}

/// Flow-wide settings that steps fall back to.
#[derive(Debug, Clone, Copy)]
pub(super) struct FlowDefaults {
    /// The flow's timezone, for `hours` steps without their own.
    pub timezone: Option<Tz>,
    /// The flow's `minimum_confidence`, for menu, collect and ask steps without their own.
    pub minimum_confidence: f32,
}

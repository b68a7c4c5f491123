//! Business hours: weekly opening windows in a timezone, minus closed dates.
//!
//! Evaluation is a pure function of the wall-clock instant handed in; nothing here reads the
//! clock. Windows are half-open (`from` inclusive, `to` exclusive) in local time, and `to` may be
//! `24:00` to mean the end of the day.

use chrono::{DateTime, Datelike, NaiveDate, Timelike, Utc, Weekday};
use chrono_tz::Tz;

/// Opening hours of a business.
#[derive(Debug, Clone, PartialEq)]
pub struct Hours {
    /// The timezone the windows and dates are expressed in.
    pub timezone: Tz,
    /// Weekly opening windows.
    pub windows: Vec<Window>,
    /// Local dates on which the business is closed all day.
    pub closed_dates: Vec<NaiveDate>,
}

/// One weekly opening window, e.g. Monday to Friday 09:00 to 17:00.
#[derive(Debug, Clone, PartialEq)]
pub struct Window {
    /// The days the window applies to.
    pub days: Vec<Weekday>,
    /// Opening time in minutes after local midnight (inclusive).
    pub from_minute: u32,
    /// Closing time in minutes after local midnight (exclusive, at most 24 * 60).
    pub to_minute: u32,
}

impl Hours {
    /// Whether the business is open at `wall`.
    pub fn is_open(&self, wall: DateTime<Utc>) -> bool {
        let local = wall.with_timezone(&self.timezone);
        if self.closed_dates.contains(&local.date_naive()) {
            return false;
        }
        let minute = local.hour() * 60 + local.minute();
        self.windows.iter().any(|window| {
            window.days.contains(&local.weekday())
                && window.from_minute <= minute
                && minute < window.to_minute
        })
    }
}

/// Parses a day name such as `mon` or `monday` (case-insensitive).
pub fn parse_day(text: &str) -> Option<Weekday> {
    let lower = text.to_ascii_lowercase();
    let day = match lower.get(..3)? {
        "mon" => Weekday::Mon,
        "tue" => Weekday::Tue,
        "wed" => Weekday::Wed,
        "thu" => Weekday::Thu,
        "fri" => Weekday::Fri,
        "sat" => Weekday::Sat,
        "sun" => Weekday::Sun,
        _ => return None,
    };
    let full = day_full_name(day);
    (lower.len() == 3 || lower == full).then_some(day)
}

fn day_full_name(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "monday",
        Weekday::Tue => "tuesday",
        Weekday::Wed => "wednesday",
        Weekday::Thu => "thursday",
        Weekday::Fri => "friday",
        Weekday::Sat => "saturday",
        Weekday::Sun => "sunday",
    }
}

/// Parses `HH:MM` (00:00 to 24:00) into minutes after midnight.
pub fn parse_clock_time(text: &str) -> Option<u32> {
    let (hours, minutes) = text.split_once(':')?;
    if hours.len() != 2 || minutes.len() != 2 {
        return None;
    }
    let hours: u32 = hours.parse().ok()?;
    let minutes: u32 = minutes.parse().ok()?;
    let total = hours * 60 + minutes;
    (minutes < 60 && total <= 24 * 60).then_some(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_days_and_times() {
        assert_eq!(parse_day("Mon"), Some(Weekday::Mon));
        assert_eq!(parse_day("saturday"), Some(Weekday::Sat));
        assert_eq!(parse_day("satur"), None);
        assert_eq!(parse_day("xyz"), None);
        assert_eq!(parse_clock_time("08:30"), Some(510));
        assert_eq!(parse_clock_time("24:00"), Some(1440));
        assert_eq!(parse_clock_time("24:01"), None);
        assert_eq!(parse_clock_time("8:30"), None);
        assert_eq!(parse_clock_time("08:60"), None);
    }
}

//! Times of day, normalised to 24-hour "HH:MM".
//!
//! Understood in English (any case, with or without punctuation, numbers as numerals or words):
//!
//! * an hour with "am" or "pm" ("a.m.", "p.m.", "10am"), or with "in the morning", "in the
//!   afternoon", "in the evening" or "at night": "10 am", "three pm", "10am";
//! * an hour and minutes: "3:30", "15:30", "3:30 pm", "three thirty pm", "ten oh five am" (said
//!   in words, only with am or pm);
//! * "ten o'clock", "half past three", "quarter past ten", "quarter to four", each with an
//!   optional am or pm;
//! * "noon", "midday" (12:00) and "midnight" (00:00).
//!
//! Chinese times are read as `chinese_times.rs` describes: 上午十点, 下午三点半, 晚上八点十五分,
//! 中午十二点, 三点一刻.
//!
//! Without am, pm or a Chinese word for the part of the day, the hour is taken as said: "3:30"
//! and "half past three" are 03:30, "15:30" is 15:30. With am, "12" is midnight (12 am is
//! 00:00); with pm, 1 to 11 are afternoon and evening hours. An hour or minute that cannot be
//! ("25:00", "13 am", "3:75") is [`SlotError::NoSuchTime`].

#[path = "chinese_times.rs"]
mod chinese;

use super::super::spoken_numbers::small_number_value;
use super::tokens::tokens;
use super::{SlotError, single};

/// The part of the day that a word says, which places a 12-hour clock hour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Period {
    /// am, 上午, 早上, 凌晨: 12 is midnight.
    BeforeNoon,
    /// 中午: 11 and 12 as said, 1 and 2 after noon.
    Noon,
    /// pm, 下午, 傍晚: 1 to 11 after noon.
    AfterNoon,
    /// at night, 晚上, 夜里: 5 to 11 in the evening, 12 midnight, 0 to 4 after midnight.
    Night,
}

/// A time, or why it is none, and how many tokens it took.
type Found = (Result<String, SlotError>, usize);

/// The one time in a whole answer (see the module docs).
pub fn normalise(answer: &str) -> Result<String, SlotError> {
    let found = times_in(answer, true);
    if let Some(time) = single(found.iter().filter_map(|time| time.clone().ok()))? {
        return Ok(time);
    }
    match found.into_iter().find_map(Result::err) {
        Some(error) => Err(error),
        None => Err(SlotError::NotATime),
    }
}

/// The one valid time in a longer `text`.
pub fn find(text: &str) -> Option<String> {
    single(times_in(text, false).into_iter().filter_map(Result::ok))
        .ok()
        .flatten()
}

/// Every time expression in `text`, in order; `whole_answer` when `text` answers the question
/// alone, so that a Chinese hour said alone ("一点") is a time and not "a bit".
fn times_in(text: &str, whole_answer: bool) -> Vec<Result<String, SlotError>> {
    let tokens = tokens(text);
    let mut found = Vec::new();
    let mut index = 0;
    while index < tokens.len() {
        let at = &tokens[index..];
        match english(at).or_else(|| chinese::time(at, whole_answer)) {
            Some((time, used)) => {
                found.push(time);
                index += used.max(1);
            }
            None => index += 1,
        }
    }
    found
}

/// "HH:MM" for an hour and minute as said, placed by `period`; [`SlotError::NoSuchTime`] when
/// the clock has no such time.
fn clock(hour: u64, minute: u64, period: Option<Period>) -> Result<String, SlotError> {
    let hour_of_day = match (period, hour) {
        (None, 0..=23) => Some(hour),
        (Some(Period::BeforeNoon), 12) => Some(0),
        (Some(Period::BeforeNoon), 0..=11) | (Some(Period::Noon), 11 | 12) => Some(hour),
        (Some(Period::Noon), 1 | 2) | (Some(Period::AfterNoon), 1..=11) => Some(hour + 12),
        (Some(Period::AfterNoon), 12..=23) => Some(hour),
        (Some(Period::Night), 12) => Some(0),
        (Some(Period::Night), 0..=4) => Some(hour),
        (Some(Period::Night), 5..=11) => Some(hour + 12),
        _ => None,
    };
    match hour_of_day {
        Some(hour) if minute < 60 => Ok(format!("{hour:02}:{minute:02}")),
        _ => Err(SlotError::NoSuchTime {
            time: format!("{hour}:{minute:02}"),
        }),
    }
}

/// An English time expression at the start of `tokens`.
fn english(tokens: &[String]) -> Option<Found> {
    let words: Vec<&str> = tokens.iter().take(3).map(String::as_str).collect();
    let (hour, minute, used) = match words.as_slice() {
        ["noon" | "midday", ..] => return Some((clock(12, 0, None), 1)),
        ["midnight", ..] => return Some((clock(0, 0, None), 1)),
        ["half", "past", hour, ..] => (hour_value(hour)?, 30, 3),
        ["quarter", "past", hour, ..] => (hour_value(hour)?, 15, 3),
        ["quarter", "to", hour, ..] => ((hour_value(hour)? + 10) % 12 + 1, 45, 3),
        _ => return hour_and_minutes(tokens),
    };
    let (period, more) = english_period(&tokens[used..]).unwrap_or((None, 0));
    Some((clock(hour, minute, period), used + more))
}

/// "3:30", "10 am", "10am", "ten o'clock", "three thirty pm" at the start of `tokens`.
fn hour_and_minutes(tokens: &[String]) -> Option<Found> {
    let first = tokens.first()?.as_str();
    if let Some((hour, minute)) = colon_time(first) {
        let (period, more) = english_period(&tokens[1..]).unwrap_or((None, 0));
        return Some((clock(hour, minute, period), 1 + more));
    }
    if let Some(hour) = first
        .strip_suffix("am")
        .or_else(|| first.strip_suffix("pm"))
        .filter(|hour| !hour.is_empty() && hour.chars().all(|c| c.is_ascii_digit()))
    {
        let period = if first.ends_with("am") {
            Period::BeforeNoon
        } else {
            Period::AfterNoon
        };
        return Some((clock(hour.parse().ok()?, 0, Some(period)), 1));
    }
    let hour = hour_value(first)?;
    if tokens.get(1).is_some_and(|word| word == "oclock") {
        let (period, more) = english_period(&tokens[2..]).unwrap_or((None, 0));
        return Some((clock(hour, 0, period), 2 + more));
    }
    let (minute, minute_words) = minutes(&tokens[1..]).unwrap_or((0, 0));
    let (period, more) = english_period(&tokens[1 + minute_words..])?;
    Some((clock(hour, minute, period), 1 + minute_words + more))
}

/// The hour and minute of "3:30" or "15:30".
fn colon_time(token: &str) -> Option<(u64, u64)> {
    let (hour, minute) = token.split_once(':')?;
    let digits = |part: &str| part.chars().all(|c| c.is_ascii_digit());
    let valid =
        (1..=2).contains(&hour.len()) && minute.len() == 2 && digits(hour) && digits(minute);
    valid.then(|| Some((hour.parse().ok()?, minute.parse().ok()?)))?
}

/// An hour said as a numeral of one or two digits or as a word ("three", "twelve").
fn hour_value(word: &str) -> Option<u64> {
    if (1..=2).contains(&word.len()) && word.chars().all(|c| c.is_ascii_digit()) {
        return word.parse().ok();
    }
    small_number_value(word).filter(|hour| *hour <= 12 && !matches!(word, "oh" | "o"))
}

/// Minutes after an hour: "30", "thirty", "forty five", "oh five", and how many tokens they
/// took.
fn minutes(tokens: &[String]) -> Option<(u64, usize)> {
    let first = tokens.first()?.as_str();
    if first.len() == 2 && first.chars().all(|c| c.is_ascii_digit()) {
        return Some((first.parse().ok()?, 1));
    }
    let unit = || {
        tokens
            .get(1)
            .and_then(|word| small_number_value(word))
            .filter(|unit| (1..10).contains(unit))
    };
    match (first, small_number_value(first)?) {
        ("oh" | "o" | "zero", _) => Some((unit()?, 2)),
        (_, tens) if tens >= 20 && tens % 10 == 0 => match unit() {
            Some(unit) => Some((tens + unit, 2)),
            None => Some((tens, 1)),
        },
        (_, value) if value >= 10 => Some((value, 1)),
        _ => None,
    }
}

/// am or pm ("a m", "p m" as "a.m." normalises), or "in the morning", "in the afternoon", "in
/// the evening", "at night", at the start of `tokens`, and how many tokens it took.
fn english_period(tokens: &[String]) -> Option<(Option<Period>, usize)> {
    let words: Vec<&str> = tokens.iter().take(3).map(String::as_str).collect();
    Some(match words.as_slice() {
        ["am", ..] => (Some(Period::BeforeNoon), 1),
        ["pm", ..] => (Some(Period::AfterNoon), 1),
        ["a", "m", ..] => (Some(Period::BeforeNoon), 2),
        ["p", "m", ..] => (Some(Period::AfterNoon), 2),
        ["in", "the", "morning"] => (Some(Period::BeforeNoon), 3),
        ["in", "the", "afternoon" | "evening"] => (Some(Period::AfterNoon), 3),
        ["at", "night", ..] => (Some(Period::Night), 2),
        _ => return None,
    })
}

#[cfg(test)]
#[path = "times_tests.rs"]
mod tests;

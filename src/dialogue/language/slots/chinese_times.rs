//! Times said or written in Chinese:
//!
//! * an optional part of the day: 凌晨, 半夜, 早上, 早晨, 上午 (before noon; 12 is midnight), 中午
//!   (11 and 12 as said, 1 and 2 after noon), 下午, 傍晚 (1 to 11 after noon), 晚上, 夜里 (5 to 11
//!   in the evening, 12 midnight);
//! * an hour, a Chinese number or a numeral, with 点, 点钟 or 时: 十点, 两点, 10点, 十五点;
//! * minutes after it: 半 (30), 一刻 (15), 三刻 (45), 整 (:00), 二十 or 二十分 (20), 零五 or 零五分
//!   (5), 15分;
//! * or, after a part of the day, a time with a colon: 下午3:30.
//!
//! Without a part of the day the hour is taken as said: 三点一刻 is 03:15, 十五点 15:00. In a
//! longer sentence 一点 alone usually means "a bit" ("快一点"), so there it is a time only with a
//! part of the day or minutes.

use super::super::super::chinese_numbers::read_number;
use super::super::tokens::{first_phrase, phrase_length};
use super::{Found, Period, clock, colon_time, english_period};

/// Words for parts of the day.
const PERIODS: [(&str, Period); 10] = [
    ("凌晨", Period::BeforeNoon),
    ("半夜", Period::BeforeNoon),
    ("早上", Period::BeforeNoon),
    ("早晨", Period::BeforeNoon),
    ("上午", Period::BeforeNoon),
    ("中午", Period::Noon),
    ("下午", Period::AfterNoon),
    ("傍晚", Period::AfterNoon),
    ("晚上", Period::Night),
    ("夜里", Period::Night),
];

/// Words after the hour; longer first.
const HOUR_MARKS: [&str; 3] = ["点钟", "点", "时"];

/// Minutes said as quarters or a half.
const PARTS_OF_AN_HOUR: [(&str, u64); 4] = [("一刻", 15), ("三刻", 45), ("半", 30), ("整", 0)];

/// A Chinese time expression at the start of `tokens`; `whole_answer` when the tokens answer the
/// question alone (see the module docs).
pub(super) fn time(tokens: &[String], whole_answer: bool) -> Option<Found> {
    let (period, mut used) = PERIODS
        .iter()
        .find_map(|&(phrase, period)| Some((Some(period), phrase_length(tokens, phrase)?)))
        .unwrap_or((None, 0));
    if period.is_some()
        && let Some((hour, minute)) = tokens.get(used).and_then(|token| colon_time(token))
    {
        return Some((clock(hour, minute, period), used + 1));
    }
    let (hour, length) = read_number(&tokens[used..])?;
    used += length;
    let (mark, length) = first_phrase(&tokens[used..], &HOUR_MARKS)?;
    used += length;
    let (minute, minute_words) = minutes(&tokens[used..]);
    let a_bit = hour == 1 && mark == "点" && period.is_none() && minute_words == 0;
    if a_bit && !whole_answer {
        return None;
    }
    Some((clock(hour, minute, period), used + minute_words))
}

/// The minutes at the start of `tokens`, and how many tokens they took (none: 0 minutes).
fn minutes(tokens: &[String]) -> (u64, usize) {
    if let Some((minute, used)) = PARTS_OF_AN_HOUR
        .iter()
        .find_map(|&(phrase, minute)| Some((minute, phrase_length(tokens, phrase)?)))
    {
        return (minute, used);
    }
    let zero = usize::from(phrase_length(tokens, "零").is_some());
    let Some((minute, length)) = read_number(&tokens[zero..]) else {
        return (0, 0);
    };
    let used = zero + length;
    if phrase_length(&tokens[used..], "分").is_some() {
        return (minute, used + 1);
    }
    // "三点 3 pm" is two times, not 3:03.
    if english_period(&tokens[used..]).is_some() {
        return (0, 0);
    }
    (minute, used)
}

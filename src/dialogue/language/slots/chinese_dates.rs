//! Dates said or written in Chinese, read by the date [`Reader`] on the same tokens as English
//! dates (a token per Chinese character; numerals may stand for Chinese numbers):
//!
//! * 今天, 今日 (today), 明天, 明日, 后天, 大后天, 昨天, 昨日, 前天, 大前天;
//! * weekdays: 周五, 星期五, 礼拜五 (一 to 六 for Monday to Saturday, 日 or 天 for Sunday) are the
//!   first such day after today, as "friday" is; 这周五, 这个星期五, 本周五 the one in this week
//!   (weeks start on Monday, so it may be past); 下周五, 下个星期五 the one in next week; 上周五
//!   the one in last week. A weekday next to a date ("周五十一月二十七号", "11月27日（周五）") is
//!   that date;
//! * a month and a day: 十一月二十七号, 十一月二十七日, 11月27日, 十一月二十七 (号 or 日 may be left
//!   out after a month), with an optional year before it: 2026年, 二零二六年, 今年, 明年, 去年
//!   (years 1900 to 2199); without a year, the next such date on or after today;
//! * a day in a month said relatively: 下个月三号, 下月三号, 这个月三号, 本月三号, 上个月三号;
//! * a day of the month alone, with 号 or 日: 三号, 27日 (the next such day on or after today).
//!
//! A day its month lacks (二月三十号) is [`SlotError::NoSuchDate`].

use chrono::{Datelike, Months, Weekday};

use super::super::super::chinese_numbers::{read_chinese_digits, read_number};
use super::super::tokens::{first_phrase, phrase_length};
use super::{Found, Reader, SlotError, on};

/// Relative days and how many days from today they are; longer phrases first.
const RELATIVE_DAYS: [(&str, i64); 10] = [
    ("大后天", 3),
    ("大前天", -3),
    ("今天", 0),
    ("今日", 0),
    ("明天", 1),
    ("明日", 1),
    ("后天", 2),
    ("昨天", -1),
    ("昨日", -1),
    ("前天", -2),
];

/// Words before a weekday, and how they place it (see `Reader::on_weekday`).
const WEEK_MODIFIERS: [(&str, &str); 7] = [
    ("下个", "next"),
    ("下", "next"),
    ("上个", "last week"),
    ("上", "last week"),
    ("这个", "this week"),
    ("这", "this week"),
    ("本", "this week"),
];

/// Words for "week" before a weekday number.
const WEEK_WORDS: [&str; 3] = ["星期", "礼拜", "周"];

/// Months said relatively, and how many months from this one they are.
const RELATIVE_MONTHS: [(&str, i32); 5] = [
    ("下个月", 1),
    ("下月", 1),
    ("这个月", 0),
    ("本月", 0),
    ("上个月", -1),
];

/// Years said relatively, and how many years from this one they are.
const RELATIVE_YEARS: [(&str, i32); 3] = [("今年", 0), ("明年", 1), ("去年", -1)];

/// Words after the day of the month.
const DAY_MARKS: [&str; 2] = ["号", "日"];

impl Reader {
    /// The Chinese date expression `tokens` start with.
    pub(super) fn chinese(&self, tokens: &[String]) -> Option<Found> {
        self.chinese_relative(tokens)
            .or_else(|| self.chinese_weekday(tokens))
            .or_else(|| {
                let (date, used) = self.chinese_explicit(tokens)?;
                let weekday_after = weekday_phrase(&tokens[used..]).map_or(0, |(_, _, more)| more);
                Some((date, used + weekday_after))
            })
    }

    fn chinese_relative(&self, tokens: &[String]) -> Option<Found> {
        RELATIVE_DAYS.iter().find_map(|&(phrase, days)| {
            let used = phrase_length(tokens, phrase)?;
            Some((Ok(self.shifted(days)?), used))
        })
    }

    fn chinese_weekday(&self, tokens: &[String]) -> Option<Found> {
        let (target, modifier, used) = weekday_phrase(tokens)?;
        if let Some((date, more)) = self.chinese_explicit(&tokens[used..]) {
            return Some((date, used + more));
        }
        Some((Ok(self.on_weekday(target, modifier)?), used))
    }

    /// A month and day, perhaps with a year, or a day of the month alone.
    fn chinese_explicit(&self, tokens: &[String]) -> Option<Found> {
        let (year, mut used) = match self.chinese_year(tokens) {
            Some((year, used)) => (Some(year), used),
            None => (None, 0),
        };
        let relative_month = RELATIVE_MONTHS
            .iter()
            .find_map(|&(phrase, months)| Some((months, phrase_length(&tokens[used..], phrase)?)));
        let month = match relative_month {
            Some((months, length)) if year.is_none() => {
                used += length;
                let first = self.today.with_day(1)?;
                let month = if months < 0 {
                    first.checked_sub_months(Months::new(months.unsigned_abs()))?
                } else {
                    first.checked_add_months(Months::new(months.unsigned_abs()))?
                };
                Some((Some(month.year()), month.month()))
            }
            Some(_) => return None,
            None => match read_number(&tokens[used..]) {
                Some((month, length))
                    if phrase_length(&tokens[used + length..], "月").is_some() =>
                {
                    used += length + 1;
                    match u32::try_from(month)
                        .ok()
                        .filter(|month| (1..=12).contains(month))
                    {
                        Some(month) => Some((year, month)),
                        // A number that is no month (十三月): the day after it is no date either.
                        None => {
                            let day = day_at(&tokens[used..]).map_or(0, |(_, length, _)| length);
                            return Some((Err(SlotError::NotADate), used + day));
                        }
                    }
                }
                _ if year.is_some() => return None,
                _ => None,
            },
        };
        let (day, length, marked) = day_at(&tokens[used..])?;
        used += length;
        let Some(day) = u32::try_from(day).ok().filter(|day| (1..=31).contains(day)) else {
            // A number that is no day is read whole, so no date starts inside it.
            return (marked || month.is_some()).then_some((Err(SlotError::NotADate), used));
        };
        let date = match month {
            Some((Some(year), month)) => on(year, month, day),
            Some((None, month)) => self.next(month, day),
            None if marked => self.next_day_of_month(day),
            None => return None,
        };
        Some((date, used))
    }

    /// A year before 年 (a numeral, Chinese digits) or 今年, 明年, 去年, and how many tokens it
    /// took, 年 included.
    fn chinese_year(&self, tokens: &[String]) -> Option<(i32, usize)> {
        if let Some((years, used)) = RELATIVE_YEARS
            .iter()
            .find_map(|&(phrase, years)| Some((years, phrase_length(tokens, phrase)?)))
        {
            return Some((self.today.year() + years, used));
        }
        let first = tokens.first()?;
        let (digits, used) = if first.chars().all(|character| character.is_ascii_digit()) {
            (Some(first.clone()), 1)
        } else {
            read_chinese_digits(tokens)
        };
        let digits = digits.filter(|digits| digits.len() == 4)?;
        let year: i32 = digits.parse().ok()?;
        let marked = phrase_length(&tokens[used..], "年").is_some();
        (marked && (1900..=2199).contains(&year)).then_some((year, used + 1))
    }
}

/// The number of a day at the start of `tokens`, how many tokens it took (号 or 日 after it
/// included) and whether 号 or 日 came after it.
fn day_at(tokens: &[String]) -> Option<(u64, usize, bool)> {
    let (day, length) = read_number(tokens)?;
    let marked = first_phrase(&tokens[length..], &DAY_MARKS).is_some();
    Some((day, length + usize::from(marked), marked))
}

/// A weekday phrase at the start of `tokens` (周五, 下个星期五...): the day, how it is placed and
/// how many tokens it took.
fn weekday_phrase(tokens: &[String]) -> Option<(Weekday, &'static str, usize)> {
    let (modifier, mut used) = WEEK_MODIFIERS
        .iter()
        .find_map(|&(phrase, modifier)| {
            let length = phrase_length(tokens, phrase)?;
            first_phrase(&tokens[length..], &WEEK_WORDS)?;
            Some((modifier, length))
        })
        .unwrap_or(("", 0));
    let (_, length) = first_phrase(&tokens[used..], &WEEK_WORDS)?;
    used += length;
    let day = match tokens.get(used)?.as_str() {
        "一" => Weekday::Mon,
        "二" => Weekday::Tue,
        "三" => Weekday::Wed,
        "四" => Weekday::Thu,
        "五" => Weekday::Fri,
        "六" => Weekday::Sat,
        "日" | "天" => Weekday::Sun,
        _ => return None,
    };
    Some((day, modifier, used + 1))
}

//! Dates, relative to today.
//!
//! Understood (in any case, with or without punctuation, numbers as numerals or words):
//!
//! * "today", "tonight", "tomorrow", "the day after tomorrow", "yesterday", "the day before
//!   yesterday", "in three days", "in 2 weeks", "in a week", "two weeks from now", "10 days from
//!   today";
//! * weekdays: "friday" and "this coming friday" are the first Friday after today (1 to 7 days
//!   ahead); "this friday" the first on or after today (today, if it is a Friday); "next friday"
//!   the Friday of next week (weeks start on Monday: said on a Wednesday, 9 days ahead; on a
//!   Saturday, 6); "last friday" the last Friday before today. A weekday followed by a date
//!   ("friday december first") is that date;
//! * a month and a day: "december first", "december 1st", "dec 1", "december the twenty first",
//!   "1st of december", "the first of december", "14 march", each with an optional year
//!   ("14 March 2027", "december first twenty twenty six"; years 1900 to 2199). Months may be
//!   abbreviated (jan, feb, mar, apr, jun, jul, aug, sep, sept, oct, nov, dec);
//! * a day of the month alone, as an ordinal: "the 14th", "the fourteenth" (the next such day
//!   on or after today; months without it are skipped). In a longer sentence ([`find`]) only
//!   with digits ("the 14th"), as "the first" there is rarely a date; never before "of" without a
//!   month ("first of all");
//! * numerals: "3/14" and "3-14" (US order: month/day), "3/14/2027", "3/14/27" (20xx), and ISO
//!   "2026-12-01".
//!
//! Without a year, a date is the next occurrence on or after today (February 29 in the next leap
//! year). A day its month lacks ("February 30", "2027-02-29") is [`SlotError::NoSuchDate`];
//! numbers that cannot be a month or day ("12-345") are no date at all.

#[path = "chinese_dates.rs"]
mod chinese;

use chrono::{Datelike, Days, Months, NaiveDate, Weekday};

use super::super::spoken_numbers::read_number_words;
use super::day_numbers::day_number;
use super::tokens::tokens;
use super::{SlotError, single};
use crate::text::MONTH_NAMES;

/// The one date in a whole answer (see the module docs).
pub fn normalise(answer: &str, today: NaiveDate) -> Result<String, SlotError> {
    let found = dates_in(answer, today, true);
    if let Some(date) = single(found.iter().filter_map(|date| date.clone().ok()))? {
        return Ok(date);
    }
    match found.into_iter().find_map(Result::err) {
        Some(error) => Err(error),
        None => Err(SlotError::NotADate),
    }
}

/// The one valid date in a longer `text`.
pub fn find(text: &str, today: NaiveDate) -> Option<String> {
    single(
        dates_in(text, today, false)
            .into_iter()
            .filter_map(Result::ok),
    )
    .ok()
    .flatten()
}

/// Every date expression in `text`, in order, as an ISO date or why it is no date.
fn dates_in(text: &str, today: NaiveDate, word_day_alone: bool) -> Vec<Result<String, SlotError>> {
    let tokens = tokens(text);
    let reader = Reader {
        today,
        word_day_alone,
    };
    let mut found = Vec::new();
    let mut index = 0;
    while index < tokens.len() {
        match reader.date_at(&tokens[index..]) {
            Some((date, used)) => {
                found.push(date.map(|date| date.to_string()));
                index += used.max(1);
            }
            None => index += 1,
        }
    }
    found
}

/// A date, or why it is none, and how many tokens it took.
type Found = (Result<NaiveDate, SlotError>, usize);

struct Reader {
    today: NaiveDate,
    /// Whether a day of the month alone may be written in words ("the fourteenth").
    word_day_alone: bool,
}

impl Reader {
    /// The date expression `tokens` start with.
    fn date_at(&self, tokens: &[String]) -> Option<Found> {
        self.relative(tokens)
            .or_else(|| self.weekday(tokens))
            .or_else(|| self.explicit(tokens, self.word_day_alone))
            .or_else(|| self.chinese(tokens))
    }

    fn relative(&self, tokens: &[String]) -> Option<Found> {
        let words: Vec<&str> = tokens.iter().take(4).map(String::as_str).collect();
        if words.first() == Some(&"in") {
            let (days, used) = days_counted(&tokens[1..])?;
            return Some((Ok(self.shifted(days)?), 1 + used));
        }
        if let Some((days, used)) = days_counted(tokens)
            && tokens.get(used).is_some_and(|word| word == "from")
            && tokens
                .get(used + 1)
                .is_some_and(|word| word == "now" || word == "today")
        {
            return Some((Ok(self.shifted(days)?), used + 2));
        }
        let after_the = usize::from(words.first() == Some(&"the"));
        let (offset, used): (i64, usize) = match &words[after_the..] {
            ["day", "after", "tomorrow", ..] => (2, 3),
            ["day", "before", "yesterday", ..] => (-2, 3),
            ["today" | "tonight", ..] => (0, 1),
            ["tomorrow", ..] => (1, 1),
            ["yesterday", ..] => (-1, 1),
            _ => return None,
        };
        Some((Ok(self.shifted(offset)?), after_the + used))
    }

    fn shifted(&self, days: i64) -> Option<NaiveDate> {
        let magnitude = Days::new(days.unsigned_abs());
        if days < 0 {
            self.today.checked_sub_days(magnitude)
        } else {
            self.today.checked_add_days(magnitude)
        }
    }

    fn weekday(&self, tokens: &[String]) -> Option<Found> {
        let words: Vec<&str> = tokens.iter().take(3).map(String::as_str).collect();
        let (modifier, used) = match words.as_slice() {
            ["this", "coming", day, ..] if weekday(day).is_some() => ("coming", 2),
            [modifier @ ("this" | "next" | "last" | "coming"), day, ..]
                if weekday(day).is_some() =>
            {
                (*modifier, 1)
            }
            _ => ("", 0),
        };
        let target = weekday(tokens.get(used)?)?;
        let after = &tokens[used + 1..];
        let after = after.strip_prefix(&["the".to_string()]).unwrap_or(after);
        if let Some((date, more)) = self.explicit(after, true) {
            return Some((date, tokens.len() - after.len() + more));
        }
        Some((Ok(self.on_weekday(target, modifier)?), used + 1))
    }

    /// The day `target` as `modifier` places it: "this" is the first on or after today, "this
    /// week" the one in this week (Monday to Sunday, perhaps past), "next" the one in next
    /// week, "last week" the one in last week, "last" the last before today; otherwise the first
    /// after today.
    fn on_weekday(&self, target: Weekday, modifier: &str) -> Option<NaiveDate> {
        let today = i64::from(self.today.weekday().num_days_from_monday());
        let target = i64::from(target.num_days_from_monday());
        let ahead = (target - today).rem_euclid(7);
        let behind = (today - target).rem_euclid(7);
        let offset = match modifier {
            "this" => ahead,
            "this week" => target - today,
            "next" => 7 - today + target,
            "last week" => target - today - 7,
            "last" if behind == 0 => -7,
            "last" => -behind,
            _ if ahead == 0 => 7,
            _ => ahead,
        };
        self.shifted(offset)
    }

    /// A month and day, a day of the month, or numerals.
    fn explicit(&self, tokens: &[String], word_day_alone: bool) -> Option<Found> {
        let first = tokens.first()?;
        if first.contains(['/', '-']) {
            return numeric_date(first).map(|(year, month, day)| {
                let date = match year {
                    Some(year) => on(year, month, day),
                    None => self.next(month, day),
                };
                (date, 1)
            });
        }
        if let Some(month) = month(first) {
            let rest = &tokens[1..];
            let skipped = usize::from(rest.first().is_some_and(|word| word == "the"));
            let day = day_number(&rest[skipped..])?;
            let used = 1 + skipped + day.used;
            return Some(self.with_year(month, day.value, &tokens[used..], used));
        }
        let skipped = usize::from(first == "the");
        let day = day_number(&tokens[skipped..])?;
        let mut used = skipped + day.used;
        used += usize::from(tokens.get(used).is_some_and(|word| word == "of"));
        if let Some(month) = tokens.get(used).and_then(|word| month(word))
            && (day.ordinal || day.with_digits)
        {
            return Some(self.with_year(month, day.value, &tokens[used + 1..], used + 1));
        }
        let used = skipped + day.used;
        let followed_by_of = tokens.get(used).is_some_and(|word| word == "of");
        (day.ordinal && (day.with_digits || word_day_alone) && !followed_by_of)
            .then(|| (self.next_day_of_month(day.value), used))
    }

    /// The date for `month` and `day`, in the year `tokens` start with or else the next one.
    fn with_year(&self, month: u32, day: u32, tokens: &[String], used: usize) -> Found {
        match year(tokens) {
            Some((year, year_used)) => (on(year, month, day), used + year_used),
            None => (self.next(month, day), used),
        }
    }

    /// The next `month` `day` on or after today.
    fn next(&self, month: u32, day: u32) -> Result<NaiveDate, SlotError> {
        if NaiveDate::from_ymd_opt(2000, month, day).is_none() {
            return Err(no_such_date(None, month, day));
        }
        (self.today.year()..=self.today.year() + 8)
            .filter_map(|year| NaiveDate::from_ymd_opt(year, month, day))
            .find(|date| *date >= self.today)
            .ok_or_else(|| no_such_date(None, month, day))
    }

    /// The next day numbered `day` on or after today.
    fn next_day_of_month(&self, day: u32) -> Result<NaiveDate, SlotError> {
        let first_of_month = self.today.with_day(1).unwrap_or(self.today);
        (0..12)
            .filter_map(|months| first_of_month.checked_add_months(Months::new(months)))
            .filter_map(|month| month.with_day(day))
            .find(|date| *date >= self.today)
            .ok_or(SlotError::NotADate)
    }
}

fn on(year: i32, month: u32, day: u32) -> Result<NaiveDate, SlotError> {
    NaiveDate::from_ymd_opt(year, month, day).ok_or_else(|| no_such_date(Some(year), month, day))
}

fn no_such_date(year: Option<i32>, month: u32, day: u32) -> SlotError {
    let month_name = MONTH_NAMES[(month as usize).saturating_sub(1) % 12];
    SlotError::NoSuchDate {
        date: match year {
            Some(year) => format!("{month_name} {day}, {year}"),
            None => format!("{month_name} {day}"),
        },
    }
}

/// Year, month and day of "3/14", "3/14/27", "3/14/2027" or "2026-12-01"; `None` when the
/// numbers cannot be a month and a day.
fn numeric_date(token: &str) -> Option<(Option<i32>, u32, u32)> {
    let parts: Vec<&str> = token.split(['/', '-']).collect();
    let (year, month, day) = match parts.as_slice() {
        [year, month, day] if year.len() == 4 => (Some(year.parse().ok()?), month, day),
        [month, day, year] if year.len() == 4 => (Some(year.parse().ok()?), month, day),
        [month, day, year] if year.len() == 2 => {
            (Some(2000 + year.parse::<i32>().ok()?), month, day)
        }
        [month, day] => (None, month, day),
        _ => return None,
    };
    let short = |part: &str| -> Option<u32> { (part.len() <= 2).then(|| part.parse().ok())? };
    let (month, day) = (short(month)?, short(day)?);
    ((1..=12).contains(&month) && (1..=31).contains(&day)).then_some((year, month, day))
}

/// "N days" or "N weeks" at the start of `tokens` (N a numeral, number words or "a"): the
/// number of days and how many tokens it took.
fn days_counted(tokens: &[String]) -> Option<(i64, usize)> {
    let (count, used) = match tokens.first()?.as_str() {
        "a" | "an" => (1, 1),
        _ => {
            let (digits, used) = numeral_or_words(tokens);
            (digits.parse::<i64>().ok()?, used)
        }
    };
    let unit = match tokens.get(used)?.as_str() {
        "day" | "days" => 1,
        "week" | "weeks" => 7,
        _ => return None,
    };
    Some((count.checked_mul(unit)?, used + 1))
}

/// A year from 1900 to 2199 at the start of `tokens`, as a numeral or in words ("twenty twenty
/// six", "two thousand twenty six"), and how many tokens it took.
fn year(tokens: &[String]) -> Option<(i32, usize)> {
    let (digits, used) = numeral_or_words(tokens);
    let year: i32 = digits.parse().ok()?;
    (digits.len() == 4 && (1900..=2199).contains(&year)).then_some((year, used))
}

/// The digits of a numeral, or of the number words, at the start of `tokens`.
fn numeral_or_words(tokens: &[String]) -> (String, usize) {
    match tokens.first() {
        Some(numeral) if !numeral.is_empty() && numeral.chars().all(|c| c.is_ascii_digit()) => {
            (numeral.clone(), 1)
        }
        _ => read_number_words(tokens),
    }
}

fn month(word: &str) -> Option<u32> {
    let number = match word {
        "january" | "jan" => 1,
        "february" | "feb" => 2,
        "march" | "mar" => 3,
        "april" | "apr" => 4,
        "may" => 5,
        "june" | "jun" => 6,
        "july" | "jul" => 7,
        "august" | "aug" => 8,
        "september" | "sep" | "sept" => 9,
        "october" | "oct" => 10,
        "november" | "nov" => 11,
        "december" | "dec" => 12,
        _ => return None,
    };
    Some(number)
}

fn weekday(word: &str) -> Option<Weekday> {
    Some(match word {
        "monday" => Weekday::Mon,
        "tuesday" => Weekday::Tue,
        "wednesday" => Weekday::Wed,
        "thursday" => Weekday::Thu,
        "friday" => Weekday::Fri,
        "saturday" => Weekday::Sat,
        "sunday" => Weekday::Sun,
        _ => return None,
    })
}

#[cfg(test)]
#[path = "dates_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "chinese_dates_tests.rs"]
mod chinese_tests;

//! Slots: values a flow collects from what a caller says or a chat user types — digit strings
//! such as order numbers, phone numbers, yes/no answers, dates, times and amounts of money —
//! normalised to one written form and validated, so a flow can store them and re-prompt with a
//! reason when they are invalid.
//!
//! A slot's [`SlotKind`] comes from a spec (see [`SlotKind::parse`]). [`normalise`] reads a whole
//! answer to the slot's question; [`find`] picks a value out of a longer sentence ("where is my
//! order one two three four five"). Both accept voice transcripts (any case, punctuation,
//! numerals or words, "oh" for zero, "double five") and typed text (a keyed-in "12345#"), in
//! English and in Chinese (Simplified characters, Arabic or full-width numerals, with or without
//! spaces and punctuation), and both mixed in one answer ("我的订单号是 1 2 3 4 5", "order
//! 一二三四五"). There is no language setting: the readers of both languages look at every
//! answer, and where the languages would read the same digits differently (an 11-digit phone
//! number starting with 1) an answer with Chinese characters in it gets the Chinese reading.
//!
//! | kind | normalised form | accepted |
//! |------|-----------------|----------|
//! | `digits` | the digits, "12345" | see `slots/numbers.rs` |
//! | `phone` | E.164, "+15550100001" | see `slots/numbers.rs` |
//! | `yes_no` | "yes" or "no" | see `slots/yes_no.rs` |
//! | `date` | ISO 8601, "2026-12-01" | see `slots/dates.rs`, `slots/chinese_dates.rs` |
//! | `time` | 24-hour "HH:MM", "15:30" | see `slots/times.rs`, `slots/chinese_times.rs` |
//! | `date_time` | "2026-12-01T15:30" | a date and a time in one answer, each as above |
//! | `amount` | two decimals, "350.50" | see `slots/amounts.rs` |
//!
//! An answer holding two different valid values ("12345, no, 12346") is [`SlotError::Ambiguous`]
//! for [`normalise`] and no value for [`find`]; the same value twice counts once.
//!
//! Pure: the current date comes in as an argument.

mod amounts;
mod dates;
mod day_numbers;
mod numbers;
#[cfg(test)]
mod test_tables;
mod times;
mod tokens;
mod yes_no;

use chrono::NaiveDate;

/// What kind of value a slot holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlotKind {
    /// A digit string of `min` to `max` digits (an order number); `max` is `usize::MAX` when the
    /// spec gave none.
    Digits {
        /// The fewest digits allowed (at least 1).
        min: usize,
        /// The most digits allowed.
        max: usize,
    },
    /// A phone number, stored in E.164 form.
    Phone,
    /// A yes or no answer.
    YesNo,
    /// A calendar date.
    Date,
    /// A time of day.
    Time,
    /// A calendar date with a time of day.
    DateTime,
    /// An amount of money, in any currency (the currency is not kept).
    Amount,
}

/// Why a slot spec or an answer is not valid.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SlotError {
    /// The spec names no known kind.
    #[error(
        "unknown slot kind \"{name}\": expected digits, phone, yes_no, date, time, date_time or amount"
    )]
    UnknownKind {
        /// The name as given.
        name: String,
    },
    /// A digits spec with `min = 0`.
    #[error("a digits slot needs min of at least 1")]
    ZeroMinimum,
    /// A digits spec whose minimum is above its maximum.
    #[error("a digits slot needs min no more than max, got min {min} and max {max}")]
    MinimumAboveMaximum {
        /// The minimum given (1 when none was).
        min: usize,
        /// The maximum given.
        max: usize,
    },
    /// `min` or `max` given for a kind other than `digits`.
    #[error("min and max apply only to digits slots, not to {kind}")]
    BoundsNotAllowed {
        /// The kind's name.
        kind: String,
    },
    /// The answer has no words at all.
    #[error("nothing was said")]
    NoAnswer,
    /// A digits or phone answer without any digits.
    #[error("no digits in the answer: expected {expected}")]
    NoDigits {
        /// The slot's description, e.g. "5 to 8 digits".
        expected: String,
    },
    /// Fewer digits than the slot allows.
    #[error("\"{digits}\" has too few digits: expected {expected}")]
    TooFewDigits {
        /// The digits heard.
        digits: String,
        /// The slot's description.
        expected: String,
    },
    /// More digits than the slot allows.
    #[error("\"{digits}\" has too many digits: expected {expected}")]
    TooManyDigits {
        /// The digits heard.
        digits: String,
        /// The slot's description.
        expected: String,
    },
    /// Digits that make no phone number.
    #[error(
        "\"{digits}\" is not a phone number: expected 10 digits, a Chinese mobile number (11 digits starting with 1), or + and a country code (7 to 15 digits in all)"
    )]
    NotAPhoneNumber {
        /// The digits heard, with a leading + when one was said or typed.
        digits: String,
    },
    /// No yes or no word in the answer.
    #[error("neither yes nor no")]
    NotYesOrNo,
    /// Both yes and no, or an unsure answer ("maybe", "not sure").
    #[error("unclear: both yes and no, or unsure")]
    UnclearYesOrNo,
    /// No date in the answer.
    #[error("no date in the answer")]
    NotADate,
    /// A date that does not exist, such as February 30.
    #[error("there is no {date}")]
    NoSuchDate {
        /// The date as understood, e.g. "February 30".
        date: String,
    },
    /// No time of day in the answer.
    #[error("no time in the answer")]
    NotATime,
    /// A time the clock does not have, such as 25:00.
    #[error("there is no {time}")]
    NoSuchTime {
        /// The hour and minute as understood, e.g. "25:00".
        time: String,
    },
    /// No amount of money in the answer.
    #[error("no amount in the answer")]
    NotAnAmount,
    /// Two different valid values in one answer.
    #[error("more than one value: {first} and {second}")]
    Ambiguous {
        /// The first value, normalised.
        first: String,
        /// The second, different value.
        second: String,
    },
}

impl SlotKind {
    /// The kind named by a spec: `digits` (with optional `min`, default 1, and `max`, default
    /// unlimited), `phone`, `yes_no`, `date`, `time`, `date_time` or `amount` (these take no
    /// bounds).
    pub fn parse(name: &str, min: Option<usize>, max: Option<usize>) -> Result<Self, SlotError> {
        let kind = match name {
            "digits" => {
                let (min, max) = (min.unwrap_or(1), max.unwrap_or(usize::MAX));
                return if min == 0 {
                    Err(SlotError::ZeroMinimum)
                } else if min > max {
                    Err(SlotError::MinimumAboveMaximum { min, max })
                } else {
                    Ok(Self::Digits { min, max })
                };
            }
            "phone" => Self::Phone,
            "yes_no" => Self::YesNo,
            "date" => Self::Date,
            "time" => Self::Time,
            "date_time" => Self::DateTime,
            "amount" => Self::Amount,
            _ => {
                return Err(SlotError::UnknownKind {
                    name: name.to_string(),
                });
            }
        };
        if min.is_some() || max.is_some() {
            return Err(SlotError::BoundsNotAllowed {
                kind: name.to_string(),
            });
        }
        Ok(kind)
    }

    /// What a valid value looks like, for messages: "5 to 8 digits", "5 digits", "at least 1
    /// digit", "a phone number", "yes or no", "a date", "a time", "a date and time", "an
    /// amount".
    pub fn description(&self) -> String {
        match *self {
            Self::Digits { min, max } if min == max => digits_count(min),
            Self::Digits {
                min,
                max: usize::MAX,
            } => format!("at least {}", digits_count(min)),
            Self::Digits { min, max } => format!("{min} to {max} digits"),
            Self::Phone => "a phone number".to_string(),
            Self::YesNo => "yes or no".to_string(),
            Self::Date => "a date".to_string(),
            Self::Time => "a time".to_string(),
            Self::DateTime => "a date and time".to_string(),
            Self::Amount => "an amount".to_string(),
        }
    }
}

fn digits_count(count: usize) -> String {
    if count == 1 {
        "1 digit".to_string()
    } else {
        format!("{count} digits")
    }
}

/// The caller's whole `answer` to the slot's question as a normalised value, or why it is not
/// valid. Words around the value are allowed ("it's 12345", "yes please", "on friday");
/// `today` anchors relative dates. A `date_time` answer needs both a date and a time.
pub fn normalise(kind: &SlotKind, answer: &str, today: NaiveDate) -> Result<String, SlotError> {
    if super::speech::normalise(answer).is_empty() {
        return Err(SlotError::NoAnswer);
    }
    match kind {
        SlotKind::Digits { .. } | SlotKind::Phone => numbers::normalise(kind, answer),
        SlotKind::YesNo => yes_no::normalise(answer),
        SlotKind::Date => dates::normalise(answer, today),
        SlotKind::Time => times::normalise(answer),
        SlotKind::DateTime => {
            let date = dates::normalise(answer, today)?;
            Ok(format!("{date}T{}", times::normalise(answer)?))
        }
        SlotKind::Amount => amounts::normalise(answer),
    }
}

/// A valid value of the slot inside a longer `text`, when there is exactly one: "where is my
/// order one two three four five" gives "12345" for 5 to 8 digits. `None` when there is none,
/// or two different ones.
pub fn find(kind: &SlotKind, text: &str, today: NaiveDate) -> Option<String> {
    match kind {
        SlotKind::Digits { .. } | SlotKind::Phone => numbers::find(kind, text),
        SlotKind::YesNo => yes_no::normalise(text).ok(),
        SlotKind::Date => dates::find(text, today),
        SlotKind::Time => times::find(text),
        SlotKind::DateTime => Some(format!(
            "{}T{}",
            dates::find(text, today)?,
            times::find(text)?
        )),
        SlotKind::Amount => amounts::find(text),
    }
}

/// The one value among `candidates` (the same value found twice counts once): `Ok(Some)` for
/// one, `Err(Ambiguous)` for two different ones, `Ok(None)` for none.
fn single<I>(candidates: I) -> Result<Option<String>, SlotError>
where
    I: IntoIterator<Item = String>,
{
    let mut found: Option<String> = None;
    for candidate in candidates {
        match &found {
            Some(first) if *first != candidate => {
                return Err(SlotError::Ambiguous {
                    first: first.clone(),
                    second: candidate,
                });
            }
            Some(_) => {}
            None => found = Some(candidate),
        }
    }
    Ok(found)
}

#[cfg(test)]
#[path = "slots_tests.rs"]
mod tests;

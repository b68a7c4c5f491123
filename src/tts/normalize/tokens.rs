//! Speaking one token: recognizes dates, times, prices, percentages, ordinals, decimals and
//! identifiers, and gives their words.
//!
//! Invariant: [`speak_token`] returns `None` only for tokens with nothing to rewrite (no ASCII
//! digit, not a time suffix); any token with digits gets words, so no digit reaches espeak.

use crate::text::MONTH_NAMES;
use crate::text::numbers::{MAX_CARDINAL, cardinal, digit_by_digit, ordinal, year};

/// What the words before a token say about it.
#[derive(Debug, Clone, Copy)]
pub struct TokenContext {
    /// The previous word names an identifier ("order", "account", ...).
    pub after_identifier_word: bool,
    /// The previous token was a time, so `am`/`pm` are its suffix.
    pub after_time: bool,
    /// The next token is `am`/`pm`, so a time on the hour drops "o'clock".
    pub before_meridiem: bool,
}

/// The words for one token.
#[derive(Debug)]
pub struct SpokenToken {
    pub words: String,
    /// The token was a time (so a following `am`/`pm` belongs to it).
    pub is_time: bool,
}

impl SpokenToken {
    fn words(words: String) -> Self {
        Self {
            words,
            is_time: false,
        }
    }
}

/// Words for `token`, or `None` when it needs no rewriting.
pub fn speak_token(token: &str, context: TokenContext) -> Option<SpokenToken> {
    if context.after_time
        && let Some(suffix) = meridiem(token)
    {
        return Some(SpokenToken::words(suffix.to_owned()));
    }
    if !token.chars().any(|character| character.is_ascii_digit()) {
        return None;
    }
    if let Some(words) = time(token, context.before_meridiem) {
        return Some(SpokenToken {
            words,
            is_time: true,
        });
    }
    let words = date(token)
        .or_else(|| price(token))
        .or_else(|| percentage(token))
        .or_else(|| ordinal_number(token))
        .or_else(|| {
            token
                .strip_prefix('#')
                .and_then(all_digits)
                .map(|digits| format!("number {}", digit_by_digit(digits)))
        })
        .or_else(|| decimal(token))
        .or_else(|| whole_number(token, context))
        .unwrap_or_else(|| mixed(token));
    Some(SpokenToken::words(words))
}

/// `token` if it is a non-empty run of ASCII digits.
fn all_digits(token: &str) -> Option<&str> {
    (!token.is_empty() && token.bytes().all(|byte| byte.is_ascii_digit())).then_some(token)
}

/// Parses digits with optional thousands commas (`1,234`); `None` for anything else.
fn quantity(token: &str) -> Option<u64> {
    let groups: Vec<&str> = token.split(',').collect();
    let well_grouped = groups.len() == 1
        || (groups[0].len() <= 3 && groups[1..].iter().all(|group| group.len() == 3));
    if !well_grouped || groups.iter().any(|group| all_digits(group).is_none()) {
        return None;
    }
    groups.concat().parse().ok()
}

/// Whether `token` is an `am`/`pm` suffix (with or without dots).
pub fn is_meridiem(token: &str) -> bool {
    meridiem(token).is_some()
}

/// "A M" / "P M" for an `am`/`pm` suffix (with or without dots).
fn meridiem(token: &str) -> Option<&'static str> {
    match token.to_ascii_lowercase().replace('.', "").as_str() {
        "am" => Some("A M"),
        "pm" => Some("P M"),
        _ => None,
    }
}

/// `H:MM` or `HH:MM`, optionally followed directly by `am`/`pm`; `before_meridiem` says a
/// separate `am`/`pm` token follows.
fn time(token: &str, before_meridiem: bool) -> Option<String> {
    let split = token
        .find(|character: char| character.is_ascii_alphabetic())
        .unwrap_or(token.len());
    let (clock, suffix) = token.split_at(split);
    let suffix = if suffix.is_empty() {
        None
    } else {
        Some(meridiem(suffix)?)
    };
    let (hour, minute) = clock.split_once(':')?;
    if !(1..=2).contains(&hour.len()) || minute.len() != 2 {
        return None;
    }
    let hour: u64 = all_digits(hour)?.parse().ok()?;
    let minute: u64 = all_digits(minute)?.parse().ok()?;
    if hour > 23 || minute > 59 {
        return None;
    }
    let hour_words = if hour == 0 {
        cardinal(12)
    } else {
        cardinal(hour)
    };
    let minute_words = match (minute, suffix.is_some() || before_meridiem) {
        (0, true) => String::new(),
        (0, false) => " o'clock".to_owned(),
        (1..=9, _) => format!(" oh {}", cardinal(minute)),
        _ => format!(" {}", cardinal(minute)),
    };
    let suffix_words = suffix
        .map(|suffix| format!(" {suffix}"))
        .unwrap_or_default();
    Some(format!("{hour_words}{minute_words}{suffix_words}"))
}

/// ISO `YYYY-MM-DD` with a real month and day.
fn date(token: &str) -> Option<String> {
    let mut parts = token.split('-');
    let (year_part, month_part, day_part) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some()
        || year_part.len() != 4
        || month_part.len() != 2
        || day_part.len() != 2
    {
        return None;
    }
    let year_value: u64 = all_digits(year_part)?.parse().ok()?;
    let month: usize = all_digits(month_part)?.parse().ok()?;
    let day: u64 = all_digits(day_part)?.parse().ok()?;
    if !(1..=days_in_month(year_value, month)?).contains(&day) {
        return None;
    }
    Some(format!(
        "{} {}, {}",
        MONTH_NAMES[month - 1],
        ordinal(day),
        year(year_value)
    ))
}

/// Days in `month` (1-based) of `year_value`; `None` for a month outside 1..=12.
fn days_in_month(year_value: u64, month: usize) -> Option<u64> {
    let leap = year_value.is_multiple_of(4)
        && (!year_value.is_multiple_of(100) || year_value.is_multiple_of(400));
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => Some(31),
        4 | 6 | 9 | 11 => Some(30),
        2 if leap => Some(29),
        2 => Some(28),
        _ => None,
    }
}

/// `$12`, `$12.50`, `$1,200.5`, `$0.99`.
fn price(token: &str) -> Option<String> {
    let amount = token.strip_prefix('$')?;
    let (whole, fraction) = match amount.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (amount, None),
    };
    let dollars = if whole.is_empty() {
        0
    } else {
        quantity(whole)?
    };
    let cents = match fraction {
        None => 0,
        Some(digits) if (1..=2).contains(&digits.len()) => {
            let value: u64 = all_digits(digits)?.parse().ok()?;
            if digits.len() == 1 { value * 10 } else { value }
        }
        Some(_) => return None,
    };
    if dollars > MAX_CARDINAL {
        return None;
    }
    let unit = |value: u64, singular: &str, plural: &str| {
        format!(
            "{} {}",
            cardinal(value),
            if value == 1 { singular } else { plural }
        )
    };
    Some(match (dollars, cents) {
        (0, 0) => "zero dollars".to_owned(),
        (_, 0) => unit(dollars, "dollar", "dollars"),
        (0, _) => unit(cents, "cent", "cents"),
        _ => format!(
            "{} and {}",
            unit(dollars, "dollar", "dollars"),
            unit(cents, "cent", "cents")
        ),
    })
}

/// `50%`, `2.5%`.
fn percentage(token: &str) -> Option<String> {
    let number = token.strip_suffix('%')?;
    let words = decimal(number).or_else(|| quantity(number).map(cardinal))?;
    Some(format!("{words} percent"))
}

/// `1st`, `2nd`, `23rd`, `11th` with the suffix that matches the number.
fn ordinal_number(token: &str) -> Option<String> {
    let split = token.len().checked_sub(2)?;
    let (digits, suffix) = (token.get(..split)?, token.get(split..)?);
    let value: u64 = all_digits(digits)?.parse().ok()?;
    let expected = match (value % 10, value % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    (suffix.eq_ignore_ascii_case(expected) && value <= MAX_CARDINAL).then(|| ordinal(value))
}

/// `2.5` → "two point five" (the fraction read digit by digit).
fn decimal(token: &str) -> Option<String> {
    let (whole, fraction) = token.split_once('.')?;
    let whole = quantity(whole).filter(|value| *value <= MAX_CARDINAL)?;
    Some(format!(
        "{} point {}",
        cardinal(whole),
        digit_by_digit(all_digits(fraction)?)
    ))
}

/// A plain number: digit by digit when it is an identifier, otherwise a quantity.
fn whole_number(token: &str, context: TokenContext) -> Option<String> {
    if let Some(digits) = all_digits(token) {
        let identifier = context.after_identifier_word
            || digits.len() >= 5
            || (digits.len() > 1 && digits.starts_with('0'));
        return Some(if identifier {
            digit_by_digit(digits)
        } else {
            cardinal(digits.parse().ok()?)
        });
    }
    quantity(token)
        .filter(|value| *value <= MAX_CARDINAL)
        .map(cardinal)
}

/// Anything else with digits (`AB12`, `555-0123`, `3x`): digit runs digit by digit, letter
/// runs of an identifier spelled out, separators as pauses.
fn mixed(token: &str) -> String {
    let spell_letters = token
        .chars()
        .all(|character| character.is_ascii_alphanumeric());
    let mut pieces = Vec::new();
    let mut run = String::new();
    let mut run_is_digits = false;
    let flush = |run: &mut String, run_is_digits: bool, pieces: &mut Vec<String>| {
        if run.is_empty() {
            return;
        }
        pieces.push(if run_is_digits {
            digit_by_digit(run)
        } else if spell_letters {
            run.to_uppercase()
                .chars()
                .map(String::from)
                .collect::<Vec<_>>()
                .join(" ")
        } else {
            run.clone()
        });
        run.clear();
    };
    for character in token.chars() {
        if character.is_ascii_digit() != run_is_digits || !character.is_alphanumeric() {
            flush(&mut run, run_is_digits, &mut pieces);
        }
        if character.is_alphanumeric() {
            run_is_digits = character.is_ascii_digit();
            run.push(character);
        } else if let Some(last) = pieces.last_mut().filter(|last| !last.ends_with(',')) {
            last.push(',');
        }
    }
    flush(&mut run, run_is_digits, &mut pieces);
    pieces.join(" ")
}

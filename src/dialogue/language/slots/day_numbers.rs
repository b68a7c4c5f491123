//! Days of the month in English, for date slots: "14", "14th", "fourteenth", "twenty first",
//! "twenty one" (1 to 31).

use super::super::spoken_numbers::small_number_value;

/// A day of the month at the start of `tokens`.
pub struct DayNumber {
    /// The day, 1 to 31.
    pub value: u32,
    /// How many tokens it took.
    pub used: usize,
    /// Said as an ordinal: "first", "1st".
    pub ordinal: bool,
    /// Written with digits: "1", "1st".
    pub with_digits: bool,
}

/// The day of the month `tokens` start with: a numeral, perhaps with "st", "nd", "rd" or
/// "th", an ordinal word, or number words.
pub fn day_number(tokens: &[String]) -> Option<DayNumber> {
    let first = tokens.first()?.as_str();
    let digits_end = first
        .find(|character: char| !character.is_ascii_digit())
        .unwrap_or(first.len());
    let day = if digits_end > 0 {
        let suffix = &first[digits_end..];
        if !matches!(suffix, "" | "st" | "nd" | "rd" | "th") || digits_end > 2 {
            return None;
        }
        DayNumber {
            value: first[..digits_end].parse().ok()?,
            used: 1,
            ordinal: !suffix.is_empty(),
            with_digits: true,
        }
    } else if let Some(value) = ordinal_value(first) {
        DayNumber {
            value,
            used: 1,
            ordinal: true,
            with_digits: false,
        }
    } else {
        let value = u32::try_from(small_number_value(first)?).ok()?;
        let next = tokens.get(1).map(String::as_str);
        let unit_ordinal = next.and_then(ordinal_value).filter(|unit| *unit < 10);
        let unit = next
            .and_then(small_number_value)
            .and_then(|unit| u32::try_from(unit).ok())
            .filter(|unit| (1..10).contains(unit));
        match (value % 10 == 0 && value >= 20, unit_ordinal, unit) {
            (true, Some(unit), _) => DayNumber {
                value: value + unit,
                used: 2,
                ordinal: true,
                with_digits: false,
            },
            (true, None, Some(unit)) => DayNumber {
                value: value + unit,
                used: 2,
                ordinal: false,
                with_digits: false,
            },
            _ => DayNumber {
                value,
                used: 1,
                ordinal: false,
                with_digits: false,
            },
        }
    };
    (1..=31).contains(&day.value).then_some(day)
}

fn ordinal_value(word: &str) -> Option<u32> {
    const ORDINALS: [&str; 19] = [
        "first",
        "second",
        "third",
        "fourth",
        "fifth",
        "sixth",
        "seventh",
        "eighth",
        "ninth",
        "tenth",
        "eleventh",
        "twelfth",
        "thirteenth",
        "fourteenth",
        "fifteenth",
        "sixteenth",
        "seventeenth",
        "eighteenth",
        "nineteenth",
    ];
    match word {
        "twentieth" => Some(20),
        "thirtieth" => Some(30),
        _ => ORDINALS
            .iter()
            .position(|ordinal| *ordinal == word)
            .and_then(|index| u32::try_from(index + 1).ok()),
    }
}

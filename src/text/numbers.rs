//! English words for numbers: cardinals, ordinals, years and digit-by-digit reading.
//!
//! Pure functions over integers; every input in range gives words, nothing panics. Cardinals
//! cover `0..=999_999_999_999` (larger values are read digit by digit by the caller).

/// The largest value [`cardinal`] reads as a quantity.
pub const MAX_CARDINAL: u64 = 999_999_999_999;

const ONES: [&str; 20] = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
];

const TENS: [&str; 10] = [
    "", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
];

const SCALES: [(u64, &str); 3] = [
    (1_000_000_000, "billion"),
    (1_000_000, "million"),
    (1_000, "thousand"),
];

/// Words for `0..100`, hyphenating compound tens ("twenty-three").
fn below_hundred(value: u64) -> String {
    match value {
        0..=19 => ONES[value as usize].to_owned(),
        _ => {
            let tens = TENS[(value / 10) as usize];
            match value % 10 {
                0 => tens.to_owned(),
                ones => format!("{tens}-{}", ONES[ones as usize]),
            }
        }
    }
}

/// Words for `0..1000`.
fn below_thousand(value: u64) -> String {
    let hundreds = value / 100;
    let rest = value % 100;
    match (hundreds, rest) {
        (0, _) => below_hundred(rest),
        (_, 0) => format!("{} hundred", ONES[hundreds as usize]),
        _ => format!(
            "{} hundred {}",
            ONES[hundreds as usize],
            below_hundred(rest)
        ),
    }
}

/// A quantity in words: `1234` → "one thousand two hundred thirty-four". Values above
/// [`MAX_CARDINAL`] are read digit by digit.
pub fn cardinal(value: u64) -> String {
    if value > MAX_CARDINAL {
        return digit_by_digit(&value.to_string());
    }
    if value < 1000 {
        return below_thousand(value);
    }
    let mut parts = Vec::new();
    let mut rest = value;
    for (scale, name) in SCALES {
        if rest >= scale {
            parts.push(format!("{} {name}", below_thousand(rest / scale)));
            rest %= scale;
        }
    }
    if rest > 0 {
        parts.push(below_thousand(rest));
    }
    parts.join(" ")
}

/// An ordinal in words: `23` → "twenty-third".
pub fn ordinal(value: u64) -> String {
    let words = cardinal(value);
    let split_at = words.rfind([' ', '-']).map_or(0, |index| index + 1);
    let (head, last) = words.split_at(split_at);
    let last = match last {
        "one" => "first".to_owned(),
        "two" => "second".to_owned(),
        "three" => "third".to_owned(),
        "five" => "fifth".to_owned(),
        "eight" => "eighth".to_owned(),
        "nine" => "ninth".to_owned(),
        "twelve" => "twelfth".to_owned(),
        other => match other.strip_suffix('y') {
            Some(stem) => format!("{stem}ieth"),
            None => format!("{other}th"),
        },
    };
    format!("{head}{last}")
}

/// A year as people say it: 2026 → "twenty twenty-six", 2005 → "two thousand five",
/// 1900 → "nineteen hundred", 1905 → "nineteen oh five".
pub fn year(value: u64) -> String {
    if !(1000..=9999).contains(&value) || (2000..=2009).contains(&value) {
        return cardinal(value);
    }
    let century = value / 100;
    let rest = value % 100;
    match rest {
        0 => format!("{} hundred", below_hundred(century)),
        1..=9 => format!("{} oh {}", below_hundred(century), ONES[rest as usize]),
        _ => format!("{} {}", below_hundred(century), below_hundred(rest)),
    }
}

/// Each ASCII digit of `digits` as a word, separated by spaces; other characters are skipped.
pub fn digit_by_digit(digits: &str) -> String {
    digits
        .chars()
        .filter_map(|character| character.to_digit(10))
        .map(|digit| ONES[digit as usize])
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cardinals() {
        let table = [
            (0, "zero"),
            (7, "seven"),
            (13, "thirteen"),
            (40, "forty"),
            (42, "forty-two"),
            (100, "one hundred"),
            (105, "one hundred five"),
            (999, "nine hundred ninety-nine"),
            (1000, "one thousand"),
            (1234, "one thousand two hundred thirty-four"),
            (20_000, "twenty thousand"),
            (1_000_001, "one million one"),
            (2_500_000_000, "two billion five hundred million"),
        ];
        for (value, words) in table {
            assert_eq!(cardinal(value), words, "{value}");
        }
        assert_eq!(
            cardinal(MAX_CARDINAL + 1),
            "one zero zero zero zero zero zero zero zero zero zero zero zero"
        );
    }

    #[test]
    fn ordinals() {
        let table = [
            (1, "first"),
            (2, "second"),
            (3, "third"),
            (4, "fourth"),
            (9, "ninth"),
            (12, "twelfth"),
            (20, "twentieth"),
            (21, "twenty-first"),
            (23, "twenty-third"),
            (31, "thirty-first"),
            (100, "one hundredth"),
        ];
        for (value, words) in table {
            assert_eq!(ordinal(value), words, "{value}");
        }
    }

    #[test]
    fn years() {
        let table = [
            (2026, "twenty twenty-six"),
            (2000, "two thousand"),
            (2005, "two thousand five"),
            (2010, "twenty ten"),
            (1999, "nineteen ninety-nine"),
            (1900, "nineteen hundred"),
            (1905, "nineteen oh five"),
            (800, "eight hundred"),
        ];
        for (value, words) in table {
            assert_eq!(year(value), words, "{value}");
        }
    }

    #[test]
    fn digits() {
        assert_eq!(digit_by_digit("12345"), "one two three four five");
        assert_eq!(digit_by_digit("007"), "zero zero seven");
        assert_eq!(digit_by_digit(""), "");
    }
}

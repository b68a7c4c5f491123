//! Digit strings and phone numbers.
//!
//! An answer is read as runs of digits: neighbouring words that say digits, as numerals ("12
//! 345", "12-345", "(555) 010-0001"; punctuation only separates words) or as words, which
//! [`spoken_digits`] reads ("one two three", "oh" for zero, "double five", "triple seven",
//! "twelve thousand three hundred forty five"). Any other word ends a run. Also:
//!
//! * "to"/"too", "for", "won" and "ate" between two digit words are heard as 2, 4, 1 and 8
//!   (recogniser errors: "one to three" is 1 2 3);
//! * "and" after "hundred" or "thousand" continues the number ("one hundred and five");
//! * a lone "oh" or "o" is an interjection, not a zero ("oh, it's 12345");
//! * "+" or the word "plus" starts a run and marks an international phone number;
//! * Chinese digits and numbers are digit words too ("一二三四五", "幺三八", "一万两千三百四十五";
//!   see [`chinese_numbers`](super::super::chinese_numbers)), and mix with numerals and English
//!   ("我的订单号是 1 2 3 4 5", "order 一二三四五"); a short Chinese number that counts something
//!   ("查一下", "两个") is no digits and ends a run.
//!
//! For a digits slot of `min` to `max` digits, [`find`] takes the one run whose length fits; the
//! whole answer ([`normalise`]) may also be split into several runs ("one two three, uh, four
//! five" is 12345). Phone numbers (normalised to E.164), in this order:
//!
//! * with a leading "+" (or "plus", or the international prefix "00"): the country code and
//!   number, 7 to 15 digits in all, not starting with 0; "+1" numbers must have 10 digits after
//!   the 1;
//! * in an answer with Chinese characters in it, a Chinese mobile number: 11 digits starting
//!   with 1 and then 3 to 9 ("13812345678") gets "+86";
//! * otherwise a North American number: 10 digits, the area code not starting with 0 or 1, gets
//!   "+1"; 11 digits starting with 1 get "+" (so without Chinese around it, 13812345678 is
//!   +13812345678).

use super::super::chinese_numbers::{is_chinese_number_word, read_chinese_digits};
use super::super::speech::{has_chinese, normalise as words_of, spoken_digits};
use super::super::spoken_numbers::is_number_word;
use super::{SlotError, SlotKind, single};
use crate::text::chinese::is_chinese_mobile_number;

/// One run of digits in a text.
#[derive(Debug)]
struct DigitRun {
    digits: String,
    /// Whether "+" or "plus" came right before the digits.
    plus: bool,
    /// Whether the text it is in has Chinese characters, which makes 11 digits starting with 13
    /// to 19 a Chinese mobile number.
    chinese: bool,
}

/// Reads a digits or phone answer (see the module docs): the one run that is a valid value, else
/// all the digits of the answer together.
pub fn normalise(kind: &SlotKind, answer: &str) -> Result<String, SlotError> {
    let runs = digit_runs(answer);
    if runs.is_empty() {
        return Err(SlotError::NoDigits {
            expected: kind.description(),
        });
    }
    if let Some(value) = single(runs.iter().filter_map(|run| validate(kind, run).ok()))? {
        return Ok(value);
    }
    let all = DigitRun {
        digits: runs.iter().map(|run| run.digits.as_str()).collect(),
        plus: runs.first().is_some_and(|run| run.plus),
        chinese: runs.first().is_some_and(|run| run.chinese),
    };
    validate(kind, &all)
}

/// The one valid digits or phone value among the runs of `text`.
pub fn find(kind: &SlotKind, text: &str) -> Option<String> {
    single(
        digit_runs(text)
            .iter()
            .filter_map(|run| validate(kind, run).ok()),
    )
    .ok()
    .flatten()
}

fn validate(kind: &SlotKind, run: &DigitRun) -> Result<String, SlotError> {
    match *kind {
        SlotKind::Digits { min, max } => {
            let count = run.digits.len();
            if count < min {
                Err(SlotError::TooFewDigits {
                    digits: run.digits.clone(),
                    expected: kind.description(),
                })
            } else if count > max {
                Err(SlotError::TooManyDigits {
                    digits: run.digits.clone(),
                    expected: kind.description(),
                })
            } else {
                Ok(run.digits.clone())
            }
        }
        _ => phone_number(run),
    }
}

fn phone_number(run: &DigitRun) -> Result<String, SlotError> {
    let digits = run.digits.as_str();
    let international = if run.plus {
        Some(digits)
    } else {
        digits.strip_prefix("00")
    };
    if international.is_none() && run.chinese && is_chinese_mobile_number(digits) {
        return Ok(format!("+86{digits}"));
    }
    let number = match international {
        Some(number) => number.to_string(),
        None if digits.len() == 10 => format!("1{digits}"),
        None => digits.to_string(),
    };
    let valid = if international.is_none() || number.starts_with('1') {
        is_north_american(&number)
    } else {
        (7..=15).contains(&number.len()) && !number.starts_with('0')
    };
    if valid {
        Ok(format!("+{number}"))
    } else {
        Err(SlotError::NotAPhoneNumber {
            digits: if run.plus {
                format!("+{digits}")
            } else {
                digits.to_string()
            },
        })
    }
}

/// "1" followed by a 10-digit North American number whose area code starts with 2 to 9.
fn is_north_american(digits: &str) -> bool {
    digits.len() == 11
        && digits.starts_with('1')
        && digits[1..].starts_with(|digit: char| ('2'..='9').contains(&digit))
}

/// The runs of digits in `text`, in order; runs that read as no digits are left out.
fn digit_runs(text: &str) -> Vec<DigitRun> {
    let words = words_of(&text.replace(['+', '＋'], " plus "));
    let chinese = has_chinese(&words);
    let mut runs = Vec::new();
    let mut current: Vec<String> = Vec::new();
    let mut plus = false;
    let close = |runs: &mut Vec<DigitRun>, current: &mut Vec<String>, plus: bool| {
        close_run(runs, current, plus, chinese);
    };
    let mut index = 0;
    while index < words.len() {
        let next_says_digits = words.get(index + 1).is_some_and(|next| says_digits(next));
        if words[index] == "plus" && next_says_digits {
            close(&mut runs, &mut current, plus);
            plus = true;
            index += 1;
            continue;
        }
        let word = match read_chinese_digits(&words[index..]) {
            (Some(_), used) => {
                current.extend_from_slice(&words[index..index + used]);
                index += used;
                continue;
            }
            (None, 0) => run_word(&words, index),
            (None, used) => {
                index += used - 1;
                None
            }
        };
        match word {
            Some(word) => current.push(word),
            None => {
                close(&mut runs, &mut current, plus);
                plus = false;
            }
        }
        index += 1;
    }
    close(&mut runs, &mut current, plus);
    runs
}

fn close_run(runs: &mut Vec<DigitRun>, words: &mut Vec<String>, plus: bool, chinese: bool) {
    let run = std::mem::take(words);
    if matches!(run.as_slice(), [only] if only == "oh" || only == "o") {
        return;
    }
    if let Some(digits) = spoken_digits(&run).filter(|digits| !digits.is_empty()) {
        runs.push(DigitRun {
            digits,
            plus,
            chinese,
        });
    }
}

/// The word at `index` as part of a run of digits (a misheard digit replaced), or `None` when it
/// ends the run.
fn run_word(words: &[String], index: usize) -> Option<String> {
    let word = words[index].as_str();
    let previous = index
        .checked_sub(1)
        .map(|previous| words[previous].as_str());
    let next = words.get(index + 1).map(String::as_str);
    if says_digits(word) {
        return Some(word.to_string());
    }
    let between_digits = previous.is_some_and(says_digits) && next.is_some_and(says_digits);
    let continues = match word {
        "double" | "triple" => next.is_some_and(says_digits),
        "and" => {
            matches!(previous, Some("hundred" | "thousand")) && next.is_some_and(is_number_word)
        }
        _ => false,
    };
    if continues {
        return Some(word.to_string());
    }
    let heard_as = match word {
        "to" | "too" => "two",
        "for" => "four",
        "won" => "one",
        "ate" => "eight",
        _ => return None,
    };
    between_digits.then(|| heard_as.to_string())
}

/// A numeral or a number word, English or Chinese.
fn says_digits(word: &str) -> bool {
    !word.is_empty() && word.chars().all(|character| character.is_ascii_digit())
        || is_number_word(word)
        || is_chinese_number_word(word)
}

#[cfg(test)]
#[path = "numbers_tests.rs"]
mod tests;

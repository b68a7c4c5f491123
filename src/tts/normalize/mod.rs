//! Text normalization for speech: turns digits, prices, dates and times into the words a
//! person would say, so the phonemizer never guesses.
//!
//! Rules, applied per whitespace-separated token (surrounding punctuation is kept):
//! - ISO dates `2026-11-23` → "November twenty-third, twenty twenty-six";
//! - times `9:30`, `9:30pm`, `9:30 a.m.` → "nine thirty", "nine thirty P M";
//! - prices `$12.50` → "twelve dollars and fifty cents";
//! - percentages, ordinals (`23rd`), decimals (`2.5`);
//! - identifiers are read digit by digit: numbers after a word such as "order" or "account",
//!   numbers of five or more digits or with a leading zero, `#123`, and letter/digit mixes
//!   (`AB12` → "A B one two"); other whole numbers are read as quantities.
//!
//! Invariants: pure and total — any input gives output, nothing panics, text without digits or
//! the symbols above passes through unchanged (apart from whitespace collapsing to one space).

mod tokens;

#[cfg(test)]
mod tests;

use tokens::{TokenContext, is_meridiem, speak_token};

/// Words after which a number is an identifier and is read digit by digit.
const IDENTIFIER_WORDS: [&str; 16] = [
    "order",
    "number",
    "no",
    "account",
    "reference",
    "ref",
    "confirmation",
    "code",
    "pin",
    "phone",
    "ticket",
    "case",
    "extension",
    "invoice",
    "tracking",
    "id",
];

/// Normalizes `text` for speech (see the module documentation for the rules).
pub fn normalize_for_speech(text: &str) -> String {
    let mut spoken = Vec::new();
    let mut previous_word = String::new();
    let mut previous_was_time = false;
    let tokens: Vec<&str> = text.split_whitespace().collect();
    for (index, token) in tokens.iter().enumerate() {
        let (leading, core, trailing) = split_punctuation(token);
        let next_core = tokens.get(index + 1).map(|next| split_punctuation(next).1);
        let context = TokenContext {
            after_identifier_word: IDENTIFIER_WORDS.contains(&previous_word.as_str()),
            after_time: previous_was_time,
            before_meridiem: next_core.is_some_and(is_meridiem),
        };
        let (words, is_time) = match speak_token(core, context) {
            Some(spoken_token) => (spoken_token.words, spoken_token.is_time),
            None => (core.to_owned(), false),
        };
        spoken.push(format!("{leading}{words}{trailing}"));
        previous_word = core.to_lowercase();
        previous_was_time = is_time;
    }
    spoken.join(" ")
}

/// Splits a token into leading punctuation, the core, and trailing punctuation. The core
/// starts at the first letter, digit, `$` or `#` and ends at the last letter, digit or `%`.
fn split_punctuation(token: &str) -> (&str, &str, &str) {
    let start = token
        .find(|character: char| character.is_alphanumeric() || matches!(character, '$' | '#'))
        .unwrap_or(token.len());
    let end = token
        .rfind(|character: char| character.is_alphanumeric() || character == '%')
        .map_or(start, |index| {
            index + token[index..].chars().next().map_or(0, char::len_utf8)
        })
        .max(start);
    (&token[..start], &token[start..end], &token[end..])
}

//! The tokens that date, time and amount slots read: the words of a text as
//! [`speech::normalise`](super::super::speech::normalise) gives them (each Chinese character a
//! word of its own), except that
//!
//! * numerals joined by "/", "-", ":", "." or "," stay one token ("3/14", "2026-12-01",
//!   "15:30", "12.50", "1,200"; also in full-width forms, "１５：３０");
//! * the currency signs $, €, £, ¥ and ￥ are tokens of their own ("$12.50" is "$" and "12.50").

use super::super::speech::normalise as words_of;
use crate::text::chinese::half_width;

/// Signs that mark an amount of money.
pub const CURRENCY_SIGNS: [char; 5] = ['$', '€', '£', '¥', '￥'];

/// What may join the digit groups of one numeral token.
const NUMERAL_JOINS: [char; 5] = ['/', '-', ':', '.', ','];

/// The tokens of `text` (see the module docs).
pub fn tokens(text: &str) -> Vec<String> {
    let characters: Vec<char> = text.chars().map(half_width).collect();
    let mut tokens = Vec::new();
    let mut plain = String::new();
    let mut index = 0;
    while index < characters.len() {
        let character = characters[index];
        let starts_word = index == 0 || !characters[index - 1].is_ascii_alphanumeric();
        let numeral_end = if character.is_ascii_digit() && starts_word {
            numeral_end(&characters, index)
        } else {
            index
        };
        let joined = characters[index..numeral_end]
            .iter()
            .any(|character| NUMERAL_JOINS.contains(character));
        if joined || CURRENCY_SIGNS.contains(&character) {
            tokens.extend(words_of(&std::mem::take(&mut plain)));
            let end = numeral_end.max(index + 1);
            tokens.push(characters[index..end].iter().collect());
            index = end;
        } else {
            plain.push(character);
            index += 1;
        }
    }
    tokens.extend(words_of(&plain));
    tokens
}

/// How many tokens `phrase`, written in Chinese characters, takes at the start of `tokens` (a
/// token per character), when `tokens` start with it.
pub fn phrase_length(tokens: &[String], phrase: &str) -> Option<usize> {
    let mut length = 0;
    for character in phrase.chars() {
        let mut token = tokens.get(length)?.chars();
        if token.next() != Some(character) || token.next().is_some() {
            return None;
        }
        length += 1;
    }
    Some(length)
}

/// The first of `phrases` (see [`phrase_length`]) that `tokens` start with, and its length;
/// list longer phrases before the phrases they start with.
pub fn first_phrase<'phrase>(
    tokens: &[String],
    phrases: &[&'phrase str],
) -> Option<(&'phrase str, usize)> {
    phrases
        .iter()
        .find_map(|&phrase| Some((phrase, phrase_length(tokens, phrase)?)))
}

/// Where the numeral starting at `start` ends: digits, each join followed by a digit.
fn numeral_end(characters: &[char], start: usize) -> usize {
    let mut end = start;
    while let Some(&character) = characters.get(end) {
        let joins_digit = NUMERAL_JOINS.contains(&character)
            && characters
                .get(end + 1)
                .is_some_and(|next| next.is_ascii_digit());
        if character.is_ascii_digit() {
            end += 1;
        } else if joins_digit && end > start {
            end += 2;
        } else {
            break;
        }
    }
    end
}

#[cfg(test)]
mod tests {
    use super::tokens;

    #[test]
    fn numerals_and_currency_signs_stay_whole() {
        let cases: [(&str, &[&str]); 9] = [
            ("On 3/14, please.", &["on", "3/14", "please"]),
            ("(2026-12-01)", &["2026-12-01"]),
            ("at 3:30pm", &["at", "3:30", "pm"]),
            ("$12.50 or ¥350", &["$", "12.50", "or", "¥", "350"]),
            ("12.5元", &["12.5", "元"]),
            ("下午３：３０", &["下", "午", "3:30"]),
            ("2026年11月27日", &["2026", "年", "11", "月", "27", "日"]),
            (
                "It's 12345. December 1st",
                &["its", "12345", "december", "1st"],
            ),
            ("12,345 and 1,200", &["12,345", "and", "1,200"]),
        ];
        for (text, expected) in cases {
            assert_eq!(tokens(text), expected, "{text}");
        }
    }
}

//! Understanding transcripts in flow steps: normalising what the caller said, matching it
//! against menu phrases, and reading spoken digits.
//!
//! Everything here is pure text handling. Normalisation lower-cases, drops apostrophes
//! ("that's" becomes "thats") and turns every other non-alphanumeric character into a word
//! break, so "Where's my ORDER?!" and "wheres my order" are the same words. Phrases written in
//! flow files are normalised the same way before they are compared.

use std::collections::BTreeMap;

use super::spoken_numbers::read_number_words;

/// The words a recogniser should expect while a caller speaks digits.
pub const DIGIT_WORDS: [&str; 13] = [
    "zero", "oh", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "double",
    "triple",
];

/// The words of `text`, lower-cased and without punctuation.
pub fn normalise(text: &str) -> Vec<String> {
    let cleaned: String = text
        .chars()
        .filter(|character| !matches!(character, '\'' | '\u{2019}'))
        .flat_map(char::to_lowercase)
        .map(|character| {
            if character.is_alphanumeric() {
                character
            } else {
                ' '
            }
        })
        .collect();
    cleaned.split_whitespace().map(str::to_string).collect()
}

/// The choice whose phrase occurs in `words` as a whole-word sequence. The longest matching
/// phrase wins (by words, then by characters); a remaining tie goes to the first choice in key
/// order.
pub fn match_choice(words: &[String], phrases: &BTreeMap<char, Vec<String>>) -> Option<char> {
    let mut best: Option<((usize, usize), char)> = None;
    for (&choice, choice_phrases) in phrases {
        for phrase in choice_phrases {
            let phrase_words = normalise(phrase);
            if !contains_sequence(words, &phrase_words) {
                continue;
            }
            let length = (phrase_words.len(), phrase_words.concat().len());
            if best.is_none_or(|(best_length, _)| length > best_length) {
                best = Some((length, choice));
            }
        }
    }
    best.map(|(_, choice)| choice)
}

/// The digits spoken in `words`: digit words or numerals ("one two three", "1 2 3", "123", "oh"
/// for 0, "double five"), and number words read as digits ("forty five", "twelve thousand three
/// hundred forty five"; see [`spoken_numbers`](super::spoken_numbers)). Words that are not about
/// digits are skipped; `None` when a "double"/"triple" is not followed by a digit.
pub fn spoken_digits(words: &[String]) -> Option<String> {
    let mut digits = String::new();
    let mut repeat = 1;
    let mut index = 0;
    while index < words.len() {
        let word = words[index].as_str();
        let (written, used) = if word.chars().all(|character| character.is_ascii_digit()) {
            (word.to_string(), 1)
        } else {
            read_number_words(&words[index..])
        };
        index += used.max(1);
        if used > 0 {
            let first = written.chars().next().unwrap_or_default();
            for _ in 1..repeat {
                digits.push(first);
            }
            digits.push_str(&written);
            repeat = 1;
            continue;
        }
        match word {
            _ if repeat > 1 => return None,
            "double" => repeat = 2,
            "triple" => repeat = 3,
            _ => {}
        }
    }
    (repeat == 1).then_some(digits)
}

/// The digits spoken in `text` (see [`spoken_digits`]), after normalising it.
pub fn spoken_digits_of(text: &str) -> Option<String> {
    spoken_digits(&normalise(text))
}

fn contains_sequence(words: &[String], sequence: &[String]) -> bool {
    !sequence.is_empty()
        && words
            .windows(sequence.len())
            .any(|window| window == sequence)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        normalise(text)
    }

    #[test]
    fn normalises_case_punctuation_and_apostrophes() {
        assert_eq!(words("Where's my ORDER?!"), ["wheres", "my", "order"]);
        assert_eq!(words("That's all, thanks."), ["thats", "all", "thanks"]);
        assert_eq!(words("12,345"), ["12", "345"]);
        assert!(words(" ... ").is_empty());
    }

    #[test]
    fn matches_whole_words_and_prefers_the_longest_phrase() {
        let phrases = BTreeMap::from([
            ('1', vec!["order".to_string(), "track".to_string()]),
            ('2', vec!["return".to_string()]),
            ('4', vec!["cancel my order".to_string()]),
        ]);
        assert_eq!(
            match_choice(&words("Track it, please"), &phrases),
            Some('1')
        );
        assert_eq!(
            match_choice(&words("I want to CANCEL my order."), &phrases),
            Some('4')
        );
        assert_eq!(
            match_choice(&words("returns"), &phrases),
            None,
            "whole words only"
        );
        assert_eq!(match_choice(&words("reorder"), &phrases), None);
    }

    #[test]
    fn reads_spoken_digits() {
        let cases = [
            ("one two three four five", Some("12345")),
            ("1 2 3 4 5", Some("12345")),
            ("12345.", Some("12345")),
            ("It's 12,345", Some("12345")),
            ("oh four double five nine", Some("04559")),
            ("triple 7", Some("777")),
            ("twelve three four five", Some("12345")),
            ("twelve thousand three hundred forty five", Some("12345")),
            ("one twenty three, forty five", Some("12345")),
            ("double five one hundred", Some("55100")),
            ("one double", None),
            ("I don't know", Some("")),
        ];
        for (text, expected) in cases {
            assert_eq!(spoken_digits(&words(text)).as_deref(), expected, "{text}");
        }
    }
}

//! Understanding transcripts in flow steps: normalising what the caller said, matching it
//! against menu phrases, and reading spoken digits.
//!
//! Everything here is pure text handling. Normalisation turns full-width forms into ASCII
//! ("１２３" is "123", "，" is ","), lower-cases, drops apostrophes ("that's" becomes "thats"),
//! turns every other non-alphanumeric character into a word break, so "Where's my ORDER?!" and
//! "wheres my order" are the same words, and makes every Chinese character a word of its own, as
//! Chinese is written without spaces: "我的订单12345" is the words 我, 的, 订, 单 and 12345.
//! Phrases written in flow files are normalised the same way before they are compared, so a
//! Chinese phrase is found inside a longer sentence.

use std::collections::BTreeMap;

use super::chinese_numbers::read_chinese_digits;
use super::spoken_numbers::read_number_words;
use crate::text::chinese::{half_width, is_chinese_character};

/// The words a recogniser should expect while a caller speaks digits.
pub const DIGIT_WORDS: [&str; 13] = [
    "zero", "oh", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "double",
    "triple",
];

/// Words that may come before a key said on its own: "press one", "按一", "请按1".
const KEY_LEADS: [&str; 4] = ["press", "please", "请", "按"];

/// The words of `text`, lower-cased and without punctuation, each Chinese character a word.
pub fn normalise(text: &str) -> Vec<String> {
    let mut cleaned = String::with_capacity(text.len());
    for character in text.chars().map(half_width) {
        if matches!(character, '\'' | '\u{2019}') {
            continue;
        }
        if is_chinese_character(character) {
            cleaned.extend([' ', character, ' ']);
        } else if character.is_alphanumeric() {
            cleaned.extend(character.to_lowercase());
        } else {
            cleaned.push(' ');
        }
    }
    cleaned.split_whitespace().map(str::to_string).collect()
}

/// Whether any of `words` is Chinese: the answer gets the Chinese reading where the languages
/// differ (see `slots`).
pub fn has_chinese(words: &[String]) -> bool {
    words
        .iter()
        .any(|word| word.chars().any(is_chinese_character))
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
/// for 0, "double five"), number words read as digits ("forty five", "twelve thousand three
/// hundred forty five"; see [`spoken_numbers`](super::spoken_numbers)), and Chinese digits and
/// numbers ("一二三", "幺三八", "一万两千三百四十五"; see
/// [`chinese_numbers`](super::chinese_numbers)). Words that are not about digits are skipped,
/// and so are Chinese numbers that count something ("一下", "两个"); `None` when a
/// "double"/"triple" is not followed by a digit.
pub fn spoken_digits(words: &[String]) -> Option<String> {
    let mut digits = String::new();
    let mut repeat = 1;
    let mut index = 0;
    while index < words.len() {
        let word = words[index].as_str();
        let (written, used) = if word.chars().all(|character| character.is_ascii_digit()) {
            (word.to_string(), 1)
        } else {
            match read_chinese_digits(&words[index..]) {
                (Some(written), used) => (written, used),
                (None, 0) => read_number_words(&words[index..]),
                (None, _) if repeat > 1 => return None,
                (None, used) => {
                    index += used;
                    continue;
                }
            }
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

/// The key a caller chose by typing or saying it alone: a single character as typed ("1",
/// "#" is no word and so no key), or one digit said as a word ("one", "一", "幺"; "oh" is an
/// interjection here, not zero), after any of "please", "press", 请 and 按 ("press one", "按一",
/// "请按1"). `None` for anything else.
pub fn spoken_key(words: &[String]) -> Option<char> {
    let leads = words
        .iter()
        .take_while(|word| KEY_LEADS.contains(&word.as_str()))
        .count();
    let [word] = &words[leads..] else {
        return None;
    };
    let mut characters = word.chars();
    let first = characters.next()?;
    if characters.next().is_none() && !is_chinese_character(first) {
        return Some(first);
    }
    if word == "oh" {
        return None;
    }
    let digits = spoken_digits(std::slice::from_ref(word))?;
    let mut digits = digits.chars();
    let key = digits.next()?;
    digits.next().is_none().then_some(key)
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
    fn chinese_characters_are_words_of_their_own() {
        assert_eq!(words("我的订单12345"), ["我", "的", "订", "单", "12345"]);
        assert_eq!(words("是的，Yes！"), ["是", "的", "yes"]);
        assert_eq!(words("１２３ＡＢＣ？"), ["123abc"]);
        assert!(has_chinese(&words("order 一二三")));
        assert!(!has_chinese(&words("order 123")));
    }

    #[test]
    fn chinese_phrases_match_inside_sentences() {
        let phrases = BTreeMap::from([
            ('1', vec!["查订单".to_string()]),
            ('2', vec!["退货".to_string(), "return".to_string()]),
        ]);
        assert_eq!(match_choice(&words("我想查订单。"), &phrases), Some('1'));
        assert_eq!(match_choice(&words("我要退货"), &phrases), Some('2'));
        assert_eq!(match_choice(&words("我要退"), &phrases), None);
    }

    #[test]
    fn keys_are_said_or_typed_alone() {
        let cases = [
            ("1", Some('1')),
            ("one", Some('1')),
            ("press one", Some('1')),
            ("Please press 2.", Some('2')),
            ("一", Some('1')),
            ("按一", Some('1')),
            ("请按二", Some('2')),
            ("幺", Some('1')),
            ("按 1", Some('1')),
            ("零", Some('0')),
            ("oh", None),
            ("十", None),
            ("按", None),
            ("一二", None),
            ("one two", None),
            ("I want one", None),
            ("好", None),
        ];
        for (text, key) in cases {
            assert_eq!(spoken_key(&words(text)), key, "{text}");
        }
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
            ("一二三四五", Some("12345")),
            ("我的订单号是 1 2 3 4 5", Some("12345")),
            ("order 一二三四五", Some("12345")),
            ("一万两千三百四十五", Some("12345")),
            ("幺三八洞洞七", Some("138007")),
            ("１２３", Some("123")),
            ("我想查一下订单一二三四五", Some("12345")),
            ("double 五", Some("55")),
            ("double 一下", None),
        ];
        for (text, expected) in cases {
            assert_eq!(spoken_digits(&words(text)).as_deref(), expected, "{text}");
        }
    }
}

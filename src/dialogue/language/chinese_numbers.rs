//! Chinese numbers in normalised words, where every Chinese character is a word of its own (see
//! [`normalise`](super::speech::normalise)).
//!
//! * Digits said one by one: 一 to 九 and 零 or 〇, with 幺 for one, 两 for two and 洞 for zero
//!   (see [`chinese_digit`]): "一三八" is 138.
//! * Numbers read as numbers, up to 99,999,999: 十 (ten), 百 (hundred), 千 (thousand) and 万
//!   (ten thousand) after the digit they multiply ("三十五" is 35, "一万两千三百四十五" 12345);
//!   十 alone starts a number as ten ("十五" is 15); 零 marks a skipped place ("一百零五" is 105,
//!   "两千零八" 2008); a single digit right after 百, 千 or 万 is the next place down, as people
//!   shorten numbers ("一百二" is 120, "三千五" 3500, "一万二" 12000), unless 零 came before it
//!   or another number word follows it.
//! * A run of number words is read as digits number by number, each as far as it continues like
//!   one: "一二三四十五" is 1, 2, 3 and 45, so 12345.
//! * A run of at most three number words right before a measure word or a word they are part of
//!   ("一下", "两个", "三天", "十分", "一样") counts something and says no digits.

use crate::text::chinese::chinese_digit;

/// Words after which a short run of number words counts something, or is part of a word,
/// instead of saying digits.
const COUNTED_BY: [&str; 25] = [
    "个", "下", "些", "次", "件", "位", "种", "点", "分", "天", "年", "月", "日", "号", "块", "元",
    "岁", "样", "起", "直", "定", "共", "般", "半", "会",
];

/// The longest run of number words that can still count something ("二十五天").
const MOST_COUNTING_WORDS: usize = 3;

/// 万, which multiplies everything before it.
const TEN_THOUSAND: &str = "万";

/// The only character of `word`, when it has exactly one.
fn only_character(word: &str) -> Option<char> {
    let mut characters = word.chars();
    let character = characters.next()?;
    characters.next().is_none().then_some(character)
}

/// The digit a one-character word says on its own.
fn digit_of(word: &str) -> Option<u64> {
    only_character(word).and_then(chinese_digit).map(u64::from)
}

/// The place value of 十, 百 and 千.
fn place_of(word: &str) -> Option<u64> {
    match word {
        "十" => Some(10),
        "百" => Some(100),
        "千" => Some(1000),
        _ => None,
    }
}

/// Whether `word` is a Chinese number word: a digit, 十, 百, 千 or 万.
pub fn is_chinese_number_word(word: &str) -> bool {
    digit_of(word).is_some() || place_of(word).is_some() || word == TEN_THOUSAND
}

/// The number that `words` start with, read as a number (see the module docs), and how many
/// words it took; `None` when `words` do not start with one.
pub fn read_chinese_cardinal(words: &[String]) -> Option<(u64, usize)> {
    // Everything before 万, already multiplied; the places below 万 so far.
    let (mut total, mut section) = (0u64, 0u64);
    // A digit not yet given a place; places must fall from left to right.
    let mut pending: Option<u64> = None;
    let mut last_place = 10_000;
    let (mut zero_since_place, mut any_place) = (false, false);
    // Words read, not counting the pending digit.
    let mut used = 0;
    let mut stopped_on_number = false;
    for word in words {
        if let Some(digit) = digit_of(word) {
            if pending.is_some() {
                stopped_on_number = true;
                break;
            }
            if digit == 0 && (section > 0 || total > 0) {
                zero_since_place = true;
                used += 1;
            } else {
                pending = Some(digit);
            }
            continue;
        }
        let multiplier = pending.unwrap_or(1);
        if let Some(place) = place_of(word) {
            if place >= last_place || multiplier == 0 || (pending.is_none() && place != 10) {
                stopped_on_number = true;
                break;
            }
            section += multiplier * place;
            last_place = place;
        } else if word == TEN_THOUSAND && total == 0 && section + pending.unwrap_or(0) > 0 {
            total = (section + pending.unwrap_or(0)) * 10_000;
            section = 0;
            last_place = 10_000;
        } else {
            stopped_on_number = is_chinese_number_word(word);
            break;
        }
        used += 1 + usize::from(pending.is_some());
        pending = None;
        zero_since_place = false;
        any_place = true;
    }
    if let Some(digit) = pending {
        if !any_place || zero_since_place || last_place == 10 {
            section += digit;
            used += 1;
        } else if !stopped_on_number {
            section += digit * last_place / 10;
            used += 1;
        }
    }
    (used > 0).then_some((total + section, used))
}

/// The number that `words` start with, a numeral ("27") or a Chinese number ("二十七"), and how
/// many words it took.
pub fn read_number(words: &[String]) -> Option<(u64, usize)> {
    let first = words.first()?;
    if !first.is_empty() && first.chars().all(|character| character.is_ascii_digit()) {
        return Some((first.parse().ok()?, 1));
    }
    read_chinese_cardinal(words)
}

/// The Chinese number words at the start of `words` read as digits (see the module docs): the
/// digits, or `None` when the words count something or say no digit, and how many words that
/// is (0 when `words` do not start with a Chinese number word).
pub fn read_chinese_digits(words: &[String]) -> (Option<String>, usize) {
    let length = words
        .iter()
        .take_while(|word| is_chinese_number_word(word))
        .count();
    let counts = length <= MOST_COUNTING_WORDS
        && words
            .get(length)
            .is_some_and(|next| COUNTED_BY.contains(&next.as_str()));
    if length == 0 || counts {
        return (None, length);
    }
    let mut digits = String::new();
    let mut rest = &words[..length];
    while !rest.is_empty() {
        match read_chinese_cardinal(rest) {
            Some((value, used)) => {
                digits.push_str(&value.to_string());
                rest = &rest[used..];
            }
            None => rest = &rest[1..],
        }
    }
    (Some(digits).filter(|digits| !digits.is_empty()), length)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One word per character, as normalisation gives them.
    fn words(text: &str) -> Vec<String> {
        text.chars().map(String::from).collect()
    }

    #[test]
    fn numbers_are_read_as_numbers() {
        let cases = [
            ("五", Some((5, 1))),
            ("零", Some((0, 1))),
            ("十", Some((10, 1))),
            ("十五", Some((15, 2))),
            ("三十五", Some((35, 3))),
            ("二十", Some((20, 2))),
            ("一百零五", Some((105, 4))),
            ("一百一十", Some((110, 4))),
            ("一百十", Some((110, 3))),
            ("两千零八", Some((2008, 4))),
            ("二千零八", Some((2008, 4))),
            ("一千零一十", Some((1010, 5))),
            ("一万两千三百四十五", Some((12345, 9))),
            ("一万零五百", Some((10500, 5))),
            ("十万", Some((100_000, 2))),
            ("三百五", Some((350, 3))),
            ("一百二", Some((120, 3))),
            ("三千五", Some((3500, 3))),
            ("一万二", Some((12000, 3))),
            ("三百五十块", Some((350, 4))),
            ("十二点", Some((12, 2))),
            ("一二三", Some((1, 1))),
            ("二十一二十二", Some((21, 3))),
            ("三百四五", Some((300, 2))),
            ("九千九百九十九万九千九百九十九", Some((99_999_999, 15))),
            ("百", None),
            ("万", None),
            ("块", None),
        ];
        for (text, expected) in cases {
            assert_eq!(read_chinese_cardinal(&words(text)), expected, "{text}");
        }
    }

    #[test]
    fn runs_are_read_as_digits() {
        let cases = [
            ("一二三四五", Some("12345"), 5),
            ("幺三八洞洞七", Some("138007"), 6),
            ("两两〇", Some("220"), 3),
            ("一二三四十五", Some("12345"), 6),
            ("一万两千三百四十五", Some("12345"), 9),
            ("二十一二十二", Some("2122"), 6),
            ("一二三四五号", Some("12345"), 5),
            ("一下", None, 1),
            ("两个", None, 1),
            ("二十五天", None, 3),
            ("十分", None, 1),
            ("一二三四个", Some("1234"), 4),
            ("万", None, 1),
            ("订单", None, 0),
        ];
        for (text, digits, used) in cases {
            let (read, read_used) = read_chinese_digits(&words(text));
            assert_eq!((read.as_deref(), read_used), (digits, used), "{text}");
        }
    }
}

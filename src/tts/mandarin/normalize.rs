//! Chinese text normalization for speech: what the Baker front end cannot read (Arabic
//! numbers, symbols, Latin letters) rewritten in Hanzi, punctuation kept for sentence and clause
//! breaks.
//!
//! Numbers read the Chinese way: amounts as numbers (350 → 三百五十), strings of five or more
//! digits (order and phone numbers) digit by digit, years before 年 digit by digit; dates
//! (2026-11-27, 2026年11月27日, 11月27日 → 十一月二十七日), times (10:30 → 十点三十分), money (¥12.50 or
//! 12.50元 → 十二元五角), percentages (35% → 百分之三十五) and decimals (3.14 → 三点一四). Latin
//! letters are spelt one by one with Chinese readings (the voice has no English phones).
//! Full-width digits, letters and signs are folded to ASCII first.

use std::sync::LazyLock;

use chinese_number::{ChineseCase, ChineseVariant, from_u64_to_chinese_ten_thousand};
use regex::{Captures, Regex};

/// Digit strings this long or longer are read digit by digit.
const DIGIT_BY_DIGIT_LENGTH: usize = 5;

const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];

/// Chinese readings of the Latin letters.
const LETTERS: [&str; 26] = [
    "诶",
    "比",
    "西",
    "迪",
    "伊",
    "艾弗",
    "吉",
    "艾尺",
    "艾",
    "杰",
    "开",
    "艾勒",
    "艾姆",
    "恩",
    "欧",
    "屁",
    "丘",
    "阿尔",
    "艾斯",
    "提",
    "优",
    "维",
    "达布溜",
    "艾克斯",
    "歪",
    "贼",
];

static PATTERN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)
        (?P<date>(?P<year>\d{4})[-/年](?P<month>\d{1,2})[-/月](?P<day>\d{1,2})日?)
        | (?P<month_day>(?P<month2>\d{1,2})月(?P<day2>\d{1,2})[日号])
        | (?P<time>(?P<hour>\d{1,2}):(?P<minute>\d{2}))
        | [¥$]\s*(?P<money_before>\d+(?:\.\d{1,2})?)
        | (?P<money_after>\d+(?:\.\d{1,2})?)\s*元
        | (?P<percent>\d+(?:\.\d+)?)%
        | (?P<year_only>\d{4})年
        | (?P<decimal>\d+\.\d+)
        | (?P<integer>\d+)
        | (?P<letters>[A-Za-z]+)
        ",
    )
    .expect("the normalization pattern is valid")
});

/// `text` with numbers, signs and letters in Hanzi.
pub fn normalize_chinese(text: &str) -> String {
    let folded = fold_full_width(text);
    PATTERN.replace_all(&folded, rewrite).into_owned()
}

fn rewrite(captures: &Captures) -> String {
    let text = |name: &str| captures.name(name).map_or("", |found| found.as_str());
    if captures.name("date").is_some() {
        format!(
            "{}年{}月{}日",
            digit_by_digit(text("year")),
            amount(text("month")),
            amount(text("day"))
        )
    } else if captures.name("month_day").is_some() {
        format!("{}月{}日", amount(text("month2")), amount(text("day2")))
    } else if captures.name("time").is_some() {
        let minute = text("minute");
        let minutes = match minute {
            "00" => String::new(),
            _ if minute.starts_with('0') => format!("零{}分", amount(minute)),
            _ => format!("{}分", amount(minute)),
        };
        format!("{}点{minutes}", amount(text("hour")))
    } else if let Some(money) = captures
        .name("money_before")
        .or_else(|| captures.name("money_after"))
    {
        yuan(money.as_str())
    } else if captures.name("percent").is_some() {
        format!("百分之{}", decimal(text("percent")))
    } else if captures.name("year_only").is_some() {
        format!("{}年", digit_by_digit(text("year_only")))
    } else if captures.name("decimal").is_some() {
        decimal(text("decimal"))
    } else if captures.name("integer").is_some() {
        integer(text("integer"))
    } else {
        text("letters")
            .bytes()
            .map(|letter| LETTERS[usize::from(letter.to_ascii_uppercase() - b'A')])
            .collect()
    }
}

/// An integer: digit by digit when long (order and phone numbers), else as an amount.
fn integer(digits: &str) -> String {
    if digits.len() >= DIGIT_BY_DIGIT_LENGTH {
        digit_by_digit(digits)
    } else {
        amount(digits)
    }
}

/// A number of at most a few digits as an amount (350 → 三百五十, 07 → 七).
fn amount(digits: &str) -> String {
    match digits.parse::<u64>() {
        Ok(value) => {
            from_u64_to_chinese_ten_thousand(ChineseVariant::Simple, ChineseCase::Lower, value)
        }
        Err(_) => digit_by_digit(digits),
    }
}

fn digit_by_digit(digits: &str) -> String {
    digits
        .bytes()
        .filter(u8::is_ascii_digit)
        .map(|digit| DIGITS[usize::from(digit - b'0')])
        .collect()
}

/// 3.14 → 三点一四.
fn decimal(number: &str) -> String {
    match number.split_once('.') {
        Some((whole, fraction)) => format!("{}点{}", amount(whole), digit_by_digit(fraction)),
        None => amount(number),
    }
}

/// 12.50 → 十二元五角, 12.05 → 十二元零五分, 350 → 三百五十元.
fn yuan(number: &str) -> String {
    let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
    let mut spoken = format!("{}元", amount(whole));
    let mut cents = fraction.bytes().map(|digit| usize::from(digit - b'0'));
    let jiao = cents.next().unwrap_or(0);
    let fen = cents.next().unwrap_or(0);
    if jiao > 0 {
        spoken.push_str(DIGITS[jiao]);
        spoken.push('角');
    } else if fen > 0 {
        spoken.push('零');
    }
    if fen > 0 {
        spoken.push_str(DIGITS[fen]);
        spoken.push('分');
    }
    spoken
}

/// Full-width digits, letters, ％ and ＄ as ASCII, ￥ as ¥, and ： as : between digits (a time);
/// the Chinese punctuation that marks breaks (，。！？；： elsewhere) is kept.
fn fold_full_width(text: &str) -> String {
    let characters: Vec<char> = text.chars().collect();
    characters
        .iter()
        .enumerate()
        .map(|(index, &character)| match character {
            '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ' | '％' | '＄' => {
                char::from_u32(u32::from(character) - 0xFEE0).unwrap_or(character)
            }
            '￥' => '¥',
            '：' if digit_around(&characters, index) => ':',
            _ => character,
        })
        .collect()
}

fn digit_around(characters: &[char], index: usize) -> bool {
    let digit = |character: Option<&char>| {
        character.is_some_and(|character| {
            character.is_ascii_digit() || ('０'..='９').contains(character)
        })
    };
    index > 0 && digit(characters.get(index - 1)) && digit(characters.get(index + 1))
}

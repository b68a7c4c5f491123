//! Amounts of money, normalised to a decimal with two places ("350.00", "12.50").
//!
//! There is no currency conversion: a currency word or sign shows that a number is an amount
//! and is not kept, so "$12.50", "12.50 euros" and "12.5元" are all "12.50". Understood:
//!
//! * a sign before a number: "$12.50", "$12", "€5", "£3.20", "¥350", "￥12.5";
//! * a number with a currency word: "350 dollars", "12.50 dollars", "350 bucks", "20 euros",
//!   "5 pounds", "100 yuan", "three hundred fifty dollars", and cents after dollars or alone:
//!   "three hundred fifty dollars and 20 cents" (350.20), "99 cents" (0.99);
//! * Chinese: a number with 块, 元, 圆, 美元, 欧元 or 英镑 (钱 may follow: "一百二十块钱"), then
//!   tenths with 毛 or 角 and hundredths with 分; a digit right after 块 is tenths and one right
//!   after 毛 hundredths: 三百五十块 (350.00), 三百五十块五 and 三百五十块五毛 (350.50), 三块五毛二
//!   (3.52), 两千零八元 (2008.00), 五毛 (0.50), 350元, 12.5元, 十二点五元 (12.50);
//! * numbers as numerals ("1,200.50"), English words or Chinese numbers.
//!
//! A number without a currency word or sign is an amount only when it is the whole answer's only
//! one ("350", "三百五十"); inside a sentence ([`find`]) an amount needs its currency. More than
//! two decimals ("12.505") make no amount.

use super::super::chinese_numbers::{read_chinese_cardinal, read_chinese_digits, read_number};
use super::super::spoken_numbers::read_number_words;
use super::tokens::{CURRENCY_SIGNS, first_phrase, phrase_length, tokens};
use super::{SlotError, single};

/// Currency words after a number in English.
const ENGLISH_CURRENCIES: [&str; 10] = [
    "dollar", "dollars", "buck", "bucks", "euro", "euros", "pound", "pounds", "yuan", "rmb",
];

/// Currency words after a number in Chinese; longer first.
const CHINESE_CURRENCIES: [&str; 6] = ["美元", "欧元", "英镑", "块", "元", "圆"];

/// Words for a tenth of the currency.
const TENTHS: [&str; 2] = ["毛", "角"];

/// The one amount in a whole answer (see the module docs).
pub fn normalise(answer: &str) -> Result<String, SlotError> {
    match single(amounts_in(answer, true))? {
        Some(amount) => Ok(amount),
        None => Err(SlotError::NotAnAmount),
    }
}

/// The one amount with its currency in a longer `text`.
pub fn find(text: &str) -> Option<String> {
    single(amounts_in(text, false)).ok().flatten()
}

/// The amounts in `text`, written with two decimals: those with a currency, else (for a
/// `whole_answer`) the bare numbers.
fn amounts_in(text: &str, whole_answer: bool) -> Vec<String> {
    let tokens = tokens(text);
    let (mut marked, mut bare) = (Vec::new(), Vec::new());
    let mut index = 0;
    while index < tokens.len() {
        match amount_at(&tokens[index..]) {
            Some((cents, used, with_currency)) => {
                let written = format!("{}.{:02}", cents / 100, cents % 100);
                if with_currency {
                    marked.push(written);
                } else {
                    bare.push(written);
                }
                index += used;
            }
            None => index += 1,
        }
    }
    if marked.is_empty() && whole_answer {
        bare
    } else {
        marked
    }
}

/// The amount `tokens` start with, in cents, how many tokens it took and whether it came with
/// a currency.
fn amount_at(tokens: &[String]) -> Option<(u64, usize, bool)> {
    let signed = tokens.first().is_some_and(|token| {
        token
            .chars()
            .all(|character| CURRENCY_SIGNS.contains(&character))
    });
    let start = usize::from(signed);
    if let Some((cents, used)) = chinese_small_change(&tokens[start..]) {
        return Some((cents, start + used, true));
    }
    let (cents, length) = number_in_cents(&tokens[start..])?;
    let mut used = start + length;
    let rest = &tokens[used..];
    if let Some((_, currency)) = first_phrase(rest, &CHINESE_CURRENCIES) {
        used += currency;
        let (change, more) = chinese_change(&tokens[used..], true);
        return Some((cents + change, used + more, true));
    }
    match rest.first().map(String::as_str) {
        Some(word) if ENGLISH_CURRENCIES.contains(&word) => {
            let after = &rest[1..];
            let and = usize::from(after.first().is_some_and(|word| word == "and"));
            let (change, more) =
                english_cents(&after[and..]).map_or((0, 0), |(change, more)| (change, and + more));
            Some((cents + change, used + 1 + more, true))
        }
        Some("cents" | "cent") if !signed && cents % 100 == 0 && cents < 10_000 => {
            Some((cents / 100, used + 1, true))
        }
        // A Chinese number that counts something ("一下", "两个") is no amount.
        _ if !signed && matches!(read_chinese_digits(tokens), (None, counted) if counted > 0) => {
            None
        }
        _ => Some((cents, used, signed)),
    }
}

/// "20 cents" at the start of `tokens`: the cents and how many tokens they took.
fn english_cents(tokens: &[String]) -> Option<(u64, usize)> {
    let (cents, used) = number_in_cents(tokens)?;
    let marked = tokens
        .get(used)
        .is_some_and(|word| word == "cents" || word == "cent");
    (marked && cents % 100 == 0 && cents < 10_000).then_some((cents / 100, used + 1))
}

/// A number at the start of `tokens` in cents: a numeral with up to two decimals, a Chinese
/// number (with 点 and decimals before a currency: 十二点五元) or English number words.
fn number_in_cents(tokens: &[String]) -> Option<(u64, usize)> {
    let first = tokens.first()?;
    if first.starts_with(|character: char| character.is_ascii_digit()) {
        return Some((numeral_in_cents(first)?, 1));
    }
    if let Some((whole, used)) = read_chinese_cardinal(tokens) {
        let decimals = phrase_length(&tokens[used..], "点").and_then(|point| {
            let (digits, length) = read_number(&tokens[used + point..])?;
            let currency = first_phrase(&tokens[used + point + length..], &CHINESE_CURRENCIES);
            let tenths = (length == 1 && digits < 10).then_some(digits * 10)?;
            currency.map(|_| (tenths, point + length))
        });
        let (decimal, more) = decimals.unwrap_or((0, 0));
        return Some((whole.checked_mul(100)? + decimal, used + more));
    }
    let (digits, used) = read_number_words(tokens);
    let whole: u64 = digits.parse().ok()?;
    Some((whole.checked_mul(100)?, used))
}

/// A numeral such as "350", "1,200", "12.5" or "12.50" in cents; `None` for other numerals
/// ("12.505", "3/14", "1,20").
fn numeral_in_cents(numeral: &str) -> Option<u64> {
    let (whole, decimals) = numeral.split_once('.').unwrap_or((numeral, ""));
    let mut groups = whole.split(',');
    let first = groups
        .next()
        .filter(|group| !whole.contains(',') || (1..=3).contains(&group.len()))?;
    let mut digits = first.to_string();
    for group in groups {
        if group.len() != 3 {
            return None;
        }
        digits.push_str(group);
    }
    let all_digits = |text: &str| text.chars().all(|character| character.is_ascii_digit());
    if digits.is_empty() || !all_digits(&digits) || !all_digits(decimals) || decimals.len() > 2 {
        return None;
    }
    let cents = format!("{decimals:0<2}").parse::<u64>().ok()?;
    digits
        .parse::<u64>()
        .ok()?
        .checked_mul(100)?
        .checked_add(cents)
}

/// 五毛, 五毛二, 三角: tenths (and hundredths) without a whole amount before them.
fn chinese_small_change(tokens: &[String]) -> Option<(u64, usize)> {
    let (tenths, length) = read_number(tokens).filter(|&(tenths, _)| tenths < 10)?;
    first_phrase(&tokens[length..], &TENTHS)?;
    let (hundredths, more) = chinese_change(&tokens[length + 1..], false);
    Some((tenths * 10 + hundredths, length + 1 + more))
}

/// The change after 块 (`after_whole`: a bare digit is tenths) or after 毛 (a bare digit is
/// hundredths), in cents, and how many tokens it took, a closing 钱 included.
fn chinese_change(tokens: &[String], after_whole: bool) -> (u64, usize) {
    let mut cents = 0;
    let mut tenths_open = after_whole;
    let mut used = usize::from(phrase_length(tokens, "零").is_some());
    while let Some((digit, length)) = read_number(&tokens[used..]).filter(|&(digit, _)| digit < 10)
    {
        let rest = &tokens[used + length..];
        if tenths_open && first_phrase(rest, &TENTHS).is_some() {
            cents += digit * 10;
            used += length + 1;
            tenths_open = false;
        } else if phrase_length(rest, "分").is_some() {
            cents += digit;
            used += length + 1;
            break;
        } else {
            cents += if tenths_open { digit * 10 } else { digit };
            used += length;
            break;
        }
    }
    used += usize::from(phrase_length(&tokens[used..], "钱").is_some());
    (cents, used)
}

#[cfg(test)]
#[path = "amounts_tests.rs"]
mod tests;

//! Masking of personal data in call transcripts (speech recognition output and typed chat)
//! before they are stored or shown.
//!
//! A [`Redactor`] owns the built-in rules (card numbers, phone numbers, Chinese identity card
//! numbers, e-mail addresses) and the configured [`RedactionPattern`]s. Masks keep a readable
//! shape: only letters and digits (Chinese digit characters included) become `*`; spaces,
//! dashes, dots and parentheses stay, so "**** **** **** 1111" still reads as a card.
//!
//! Invariants:
//! - every rule looks at the original text and a character is masked if any rule masks it, so
//!   overlapping rules only ever hide more;
//! - numbers count only as whole tokens: a run of digit groups next to a Latin letter, digit,
//!   `*` or currency sign, tied to one by a dash (letters, digits) or by `:` `,` `/` (digits),
//!   or a separator away from a `*`, is part of something else ("ABC123456789XYZ", UUIDs,
//!   "ORD-12345678", "10:30", "$49.99", an already redacted number) and is left alone; letters
//!   of scripts written without spaces do not tie ("电话13812345678" is a phone number);
//! - within a run, dates (2026-12-06, 06.12.2026) are set aside first, then Luhn-valid cards
//!   are found, and only the remaining digit groups can be phone numbers; each is the longest
//!   fitting window of groups, leftmost first;
//! - a Chinese identity card number (18 characters, see [`identity_card`](super::identity_card))
//!   counts only with a valid date of birth and check character, so other 18-digit numbers
//!   (order numbers) stay; it may be grouped by single spaces or dashes and may end in `X`, and
//!   all but its last 4 characters are masked, like a card's;
//! - digits spoken in Chinese characters (一一零一零五…, 幺三八…, with 零 〇 洞 for 0, 幺 for 1,
//!   两 for 2, 叉 or X for a final X, single spaces allowed between them) are masked as an identity
//!   card number when they make one, and as a phone number when they make a Chinese mobile
//!   number (11 digits, 13 to 19 first); digits written as numerals are phone numbers at 7 to 15
//!   digits, Chinese mobile numbers among them;
//! - the e-mail rule masks every character of the local part after the first, dots included;
//! - redacting redacted text changes nothing, for the built-in rules and for configured
//!   patterns that cannot match the mask character;
//! - building a redactor never panics: every problem is a [`RecordingError`].

use std::ops::Range;

use regex::Regex;

use super::RecordingError;
use super::identity_card::is_identity_card_number;
use crate::text::chinese::{chinese_digit, is_chinese_mobile_number};

/// The character that replaces masked letters and digits.
const MASK: char = '*';
/// Signs that make an adjacent number an amount.
const CURRENCY_SIGNS: &str = "$€£¥₹";
/// Digit groups joined by single separators, with an optional leading `+` or `(`.
const NUMBER_RUN: &str = r"\+?\(?[0-9]+(?:(?:[ .\-]\(?|\)[ .\-]?|\()[0-9]+)*";
/// An identity card number at the start of a text: 17 digits and a check character, with a
/// single space or dash allowed between any two.
const IDENTITY_NUMBER: &str = r"^[0-9](?:[ \-]?[0-9]){16}[ \-]?[0-9Xx]";
/// Digits spoken in Chinese characters, single spaces allowed between them, perhaps ending in
/// an X (叉).
const CHINESE_DIGITS: &str = "[零〇洞一幺二两三四五六七八九](?:[ \u{3000}]?[零〇洞一幺二两三四五六七八九])*(?:[ \u{3000}]?[Xx叉])?";
/// An address: local part, `@`, a domain with at least one dot.
const EMAIL_ADDRESS: &str = r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+";
const CARD_DIGITS: Range<usize> = 13..20;
const PHONE_DIGITS: Range<usize> = 7..16;
/// Digits of a card or phone number left visible at the end.
const VISIBLE_END_DIGITS: usize = 4;
/// Digits of a phone number left visible at the start, when at least three stay masked.
const PHONE_VISIBLE_START_DIGITS: usize = 3;

/// A configurable pattern (from config `[[recording.redact]]`), e.g. order numbers.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RedactionPattern {
    /// What the pattern finds, e.g. "order number"; names it in errors.
    pub name: String,
    /// A regular expression (Rust `regex` syntax); it must not match empty text.
    pub pattern: String,
    /// Letters and digits of a match kept visible at its start.
    #[serde(default)]
    pub keep_start: usize,
    /// Letters and digits of a match kept visible at its end.
    #[serde(default)]
    pub keep_end: usize,
}

#[derive(Debug, Clone)]
struct CompiledPattern {
    regex: Regex,
    keep_start: usize,
    keep_end: usize,
}

/// Masks personal data in transcript text; see the module documentation for the rules.
#[derive(Debug, Clone)]
pub struct Redactor {
    email_address: Regex,
    number_run: Regex,
    digit_group: Regex,
    identity_number: Regex,
    chinese_digits: Regex,
    patterns: Vec<CompiledPattern>,
}

impl Redactor {
    /// The built-in rules (card numbers, phone numbers, Chinese identity card numbers, e-mail
    /// addresses) plus `patterns`.
    ///
    /// Fails on a pattern with an empty name, an invalid regex or one that matches empty text.
    pub fn new(patterns: &[RedactionPattern]) -> Result<Redactor, RecordingError> {
        let patterns = patterns
            .iter()
            .map(|pattern| {
                let regex = compile(&pattern.name, &pattern.pattern)?;
                if regex.is_match("") {
                    return Err(invalid(&pattern.name, "the pattern matches empty text"));
                }
                Ok(CompiledPattern {
                    regex,
                    keep_start: pattern.keep_start,
                    keep_end: pattern.keep_end,
                })
            })
            .collect::<Result<_, _>>()?;
        Ok(Redactor {
            email_address: compile("e-mail address", EMAIL_ADDRESS)?,
            number_run: compile("number run", NUMBER_RUN)?,
            digit_group: compile("digit group", "[0-9]+")?,
            identity_number: compile("identity card number", IDENTITY_NUMBER)?,
            chinese_digits: compile("Chinese digits", CHINESE_DIGITS)?,
            patterns,
        })
    }

    /// `text` with every match masked.
    pub fn redact(&self, text: &str) -> String {
        // Indexed by byte offset; only offsets that start a character are ever set.
        let mut masked = vec![false; text.len()];
        for address in self.email_address.find_iter(text) {
            let local_length = address
                .as_str()
                .bytes()
                .take_while(|&byte| byte != b'@')
                .count();
            let local_part = &text[address.start()..address.start() + local_length];
            for (offset, _) in local_part.char_indices().skip(1) {
                masked[address.start() + offset] = true;
            }
        }
        for run in self.number_run.find_iter(text) {
            if !is_part_of_token(text, run.range()) {
                self.mask_number_run(text, run.range(), &mut masked);
            }
        }
        self.mask_identity_numbers(text, &mut masked);
        self.mask_chinese_digits(text, &mut masked);
        for pattern in &self.patterns {
            for found in pattern.regex.find_iter(text) {
                let (keep_start, keep_end) = (pattern.keep_start, pattern.keep_end);
                mask_alphanumerics(text, found.range(), keep_start, keep_end, &mut masked);
            }
        }
        if !masked.contains(&true) {
            return text.to_owned();
        }
        text.char_indices()
            .map(|(offset, character)| if masked[offset] { MASK } else { character })
            .collect()
    }

    /// Masks the identity card numbers written with numerals, each starting at a digit group.
    fn mask_identity_numbers(&self, text: &str, masked: &mut [bool]) {
        for group in self.digit_group.find_iter(text) {
            let Some(found) = self.identity_number.find(&text[group.start()..]) else {
                continue;
            };
            let number = group.start()..group.start() + found.end();
            let characters: String = found
                .as_str()
                .chars()
                .filter(char::is_ascii_alphanumeric)
                .collect();
            if !is_part_of_token(text, number.clone()) && is_identity_card_number(&characters) {
                mask_alphanumerics(text, number, 0, VISIBLE_END_DIGITS, masked);
            }
        }
    }

    /// Masks identity card and mobile numbers spoken as Chinese digit characters.
    fn mask_chinese_digits(&self, text: &str, masked: &mut [bool]) {
        for run in self.chinese_digits.find_iter(text) {
            let characters: String = run
                .as_str()
                .chars()
                .filter_map(|character| match character {
                    'X' | 'x' | '叉' => Some('X'),
                    _ => chinese_digit(character).map(|digit| char::from(b'0' + digit)),
                })
                .collect();
            if is_identity_card_number(&characters) {
                mask_alphanumerics(text, run.range(), 0, VISIBLE_END_DIGITS, masked);
            } else if is_chinese_mobile_number(&characters) {
                let visible_start = PHONE_VISIBLE_START_DIGITS;
                mask_alphanumerics(text, run.range(), visible_start, VISIBLE_END_DIGITS, masked);
            }
        }
    }

    /// Masks the cards and phone numbers among the digit groups of the run `text[run]`.
    fn mask_number_run(&self, text: &str, run: Range<usize>, masked: &mut [bool]) {
        let groups: Vec<Range<usize>> = self
            .digit_group
            .find_iter(&text[run.clone()])
            .map(|group| run.start + group.start()..run.start + group.end())
            .collect();
        let mut claimed = vec![false; groups.len()];
        claim_windows(text, &groups, &mut claimed, is_date);
        for card in claim_windows(text, &groups, &mut claimed, is_card) {
            mask_alphanumerics(text, span(&groups[card]), 0, VISIBLE_END_DIGITS, masked);
        }
        for phone in claim_windows(text, &groups, &mut claimed, is_phone) {
            let phone = &groups[phone];
            let extra_digits = digit_count(phone) - PHONE_DIGITS.start;
            let visible_start = PHONE_VISIBLE_START_DIGITS.min(extra_digits);
            mask_alphanumerics(text, span(phone), visible_start, VISIBLE_END_DIGITS, masked);
        }
    }
}

fn invalid(name: &str, message: impl Into<String>) -> RecordingError {
    RecordingError::InvalidRedactionPattern {
        name: name.to_owned(),
        message: message.into(),
    }
}

fn compile(name: &str, pattern: &str) -> Result<Regex, RecordingError> {
    if name.trim().is_empty() {
        return Err(invalid(name, "the name is empty"));
    }
    Regex::new(pattern).map_err(|error| invalid(name, error.to_string()))
}

/// Whether the number run `text[run]` belongs to a longer token (see the module invariants).
fn is_part_of_token(text: &str, run: Range<usize>) -> bool {
    ties(text[..run.start].chars().rev()) || ties(text[run.end..].chars())
}

/// Whether the characters on one side of a number run, nearest first, tie it to a longer token.
fn ties(mut side: impl Iterator<Item = char>) -> bool {
    let Some(neighbour) = side.next() else {
        return false;
    };
    let beyond = side.next();
    match neighbour {
        _ if is_token_character(neighbour) || CURRENCY_SIGNS.contains(neighbour) => true,
        '-' => beyond.is_some_and(is_token_character),
        ':' | ',' | '/' => beyond.is_some_and(|character| character.is_ascii_digit()),
        // Across a one- or two-character separator, a mask means an already redacted number.
        ' ' | '.' | '(' | ')' => {
            let mut rest = beyond.into_iter().chain(side).take(2);
            rest.find(|&character| !" .-()".contains(character)) == Some(MASK)
        }
        _ => false,
    }
}

/// Latin letters, digits and the mask continue a token; letters of scripts written without
/// spaces (Chinese, Japanese) do not, as numbers follow words directly there.
fn is_token_character(character: char) -> bool {
    character.is_ascii_alphanumeric() || character.is_numeric() || character == MASK
}

/// Claims, left to right, the longest window of consecutive unclaimed digit groups that `fits`
/// accepts at each starting group, and returns the claimed windows as ranges of group indices.
fn claim_windows(
    text: &str,
    groups: &[Range<usize>],
    claimed: &mut [bool],
    fits: fn(&str, &[Range<usize>]) -> bool,
) -> Vec<Range<usize>> {
    let mut windows = Vec::new();
    let mut first = 0;
    while first < groups.len() {
        let unclaimed = claimed[first..].iter().take_while(|&&taken| !taken).count();
        let end = (first + 1..=first + unclaimed)
            .rev()
            .find(|&end| fits(text, &groups[first..end]));
        match end {
            Some(end) => {
                claimed[first..end].fill(true);
                windows.push(first..end);
                first = end;
            }
            None => first += 1,
        }
    }
    windows
}

/// The bytes from the first digit of a non-empty window of groups to its last.
fn span(window: &[Range<usize>]) -> Range<usize> {
    window[0].start..window[window.len() - 1].end
}

/// The separators between consecutive groups of `window`.
fn separators<'text>(
    text: &'text str,
    window: &[Range<usize>],
) -> impl Iterator<Item = &'text str> {
    window
        .windows(2)
        .map(move |pair| &text[pair[0].end..pair[1].start])
}

fn digit_count(window: &[Range<usize>]) -> usize {
    window.iter().map(|group| group.len()).sum()
}

/// Year-month-day or day-month-year with the same `-` or `.` twice.
fn is_date(text: &str, window: &[Range<usize>]) -> bool {
    let lengths: Vec<usize> = window.iter().map(|group| group.len()).collect();
    let separators: Vec<&str> = separators(text, window).collect();
    let short = |length: usize| (1..=2).contains(&length);
    let shaped = match lengths.as_slice() {
        [4, month, day] => short(*month) && short(*day),
        [day, month, 4] => short(*day) && short(*month),
        _ => false,
    };
    shaped && separators[0] == separators[1] && matches!(separators[0], "-" | ".")
}

/// 13–19 digits grouped by single spaces or dashes, passing the Luhn check.
fn is_card(text: &str, window: &[Range<usize>]) -> bool {
    CARD_DIGITS.contains(&digit_count(window))
        && separators(text, window).all(|separator| matches!(separator, " " | "-"))
        && passes_luhn(window.iter().flat_map(|group| text[group.clone()].bytes()))
}

fn is_phone(_text: &str, window: &[Range<usize>]) -> bool {
    PHONE_DIGITS.contains(&digit_count(window))
}

/// The Luhn checksum of ASCII digits, as printed on payment cards.
fn passes_luhn(digits: impl DoubleEndedIterator<Item = u8>) -> bool {
    let sum: u32 = digits
        .rev()
        .map(|digit| u32::from(digit - b'0'))
        .enumerate()
        .map(|(index, value)| match (index % 2, value * 2) {
            (0, _) => value,
            (_, doubled) if doubled > 9 => doubled - 9,
            (_, doubled) => doubled,
        })
        .sum();
    sum.is_multiple_of(10)
}

/// Marks the letters and digits of `text[span]` as masked, except the first `keep_start` and the
/// last `keep_end` of them.
fn mask_alphanumerics(
    text: &str,
    span: Range<usize>,
    keep_start: usize,
    keep_end: usize,
    masked: &mut [bool],
) {
    let positions: Vec<usize> = text[span.clone()]
        .char_indices()
        .filter(|(_, character)| character.is_alphanumeric())
        .map(|(offset, _)| span.start + offset)
        .collect();
    let hidden_end = positions.len().saturating_sub(keep_end);
    for &position in positions.iter().take(hidden_end).skip(keep_start) {
        masked[position] = true;
    }
}

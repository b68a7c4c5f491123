//! Tests for `Redactor`: each built-in rule, numbers that must stay visible, mixed and
//! speech-recognition-like sentences, configured patterns, pattern validation and idempotence.

use super::{RecordingError, RedactionPattern, Redactor};

/// Input -> expected output, with the built-in rules and `order_number()` configured.
const CASES: &[(&str, &str)] = &[
    // Cards: Luhn-valid, contiguous or grouped by spaces or dashes; the last 4 digits stay.
    ("4111 1111 1111 1111", "**** **** **** 1111"),
    ("4111-1111-1111-1111", "****-****-****-1111"),
    ("4111111111111111", "************1111"),
    ("Amex 3782 822463 10005.", "Amex **** ****** *0005."),
    (
        "card 4111 1111 1111 1111 12 27",
        "card **** **** **** 1111 12 27",
    ),
    // Not Luhn-valid, so no card; the longest phone-sized prefix is still hidden as a phone.
    ("4111 1111 1111 1112", "411* **** 1111 1112"),
    // Phones: 7-15 digits; the first 3 (fewer for short numbers, so at least 3 are masked) and
    // the last 4 stay.
    ("13812345678", "138****5678"),
    ("+1 415 555 0123", "+1 41* *** 0123"),
    ("+14155550123", "+141****0123"),
    ("(415) 555-0123", "(415) ***-0123"),
    ("020 7946 0958", "020 **** 0958"),
    ("call 555-0123 now", "call ***-0123 now"),
    ("12345678", "1***5678"),
    ("My number is 138-1234-5678.", "My number is 138-****-5678."),
    (
        " My number is 138 1234 5678.",
        " My number is 138 **** 5678.",
    ),
    ("我的电话是13812345678。", "我的电话是138****5678。"),
    ("13812345678 13912345678", "138****5678 139****5678"),
    ("on 2026-12-06 13812345678", "on 2026-12-06 138****5678"),
    // Numbers that are not phones: short, years, times, amounts, dates, parts of tokens.
    ("order 12345 shipped", "order 12345 shipped"),
    ("since 1998 and in 2026", "since 1998 and in 2026"),
    (
        "at 10:30 or 2026-12-06 10:30",
        "at 10:30 or 2026-12-06 10:30",
    ),
    (
        "$49.99 or $1234567.89 or 1,234,567",
        "$49.99 or $1234567.89 or 1,234,567",
    ),
    ("2026-12-06 and 06.12.2026", "2026-12-06 and 06.12.2026"),
    ("ABC123456789XYZ", "ABC123456789XYZ"),
    (
        "id 550e8400-e29b-41d4-a716-446655440000",
        "id 550e8400-e29b-41d4-a716-446655440000",
    ),
    // Chinese identity card numbers: valid date of birth and check character; the last 4 stay.
    ("身份证11010519491231002X", "身份证**************002X"),
    (
        "身份证号：11010519491231002x。",
        "身份证号：**************002x。",
    ),
    ("ID 110105 19491231 002X", "ID ****** ******** 002X"),
    ("440304-19900101-1233", "******-********-1233"),
    ("440304199001011233", "**************1233"),
    // Wrong check character, impossible date, order numbers: not identity numbers, and too
    // long for phones.
    ("110105194912310021", "110105194912310021"),
    ("110105194902300020", "110105194902300020"),
    ("order 123456789012345678", "order 123456789012345678"),
    ("ABC11010519491231002X", "ABC11010519491231002X"),
    // Spoken in Chinese digits: identity card and mobile numbers.
    (
        "我的身份证号是一一零一零五一九四九一二三一零零二叉",
        "我的身份证号是**************零零二叉",
    ),
    (
        "四四零三零四 一九九零零一零一 一二三三",
        "****** ******** 一二三三",
    ),
    ("电话一三八一二三四五六七八", "电话一三八****五六七八"),
    ("幺三八 幺二三四 五六七八", "幺三八 **** 五六七八"),
    ("订单一二三四五", "订单一二三四五"),
    ("一二八一二三四五六七八", "一二八一二三四五六七八"),
    (
        "一一零一零五一九四九一二三一零零二一",
        "一一零一零五一九四九一二三一零零二一",
    ),
    // E-mail: the first character of the local part and the domain stay.
    ("john.smith@example.com", "j*********@example.com"),
    (
        "Write to jane.doe@example.org.",
        "Write to j*******@example.org.",
    ),
    ("邮箱是john@example.com", "邮箱是j***@example.com"),
    // Mixed.
    (
        "my card is 4111 1111 1111 1111 and my email is jane.doe@example.org",
        "my card is **** **** **** 1111 and my email is j*******@example.org",
    ),
    (
        "Call +1 415 555 0123 about ORD-123478, or mail a.b@shop.example.",
        "Call +1 41* *** 0123 about ***-****78, or mail a**@shop.example.",
    ),
    // Configured pattern: letters count as alphanumerics, separators stay.
    ("order ORD-123478 shipped", "order ***-****78 shipped"),
    (
        "ORD-1234567 is not an order number",
        "ORD-1234567 is not an order number",
    ),
    ("nothing to hide here", "nothing to hide here"),
    ("", ""),
];

fn order_number() -> RedactionPattern {
    RedactionPattern {
        name: "order number".to_owned(),
        pattern: r"\bORD-\d{6}\b".to_owned(),
        keep_start: 0,
        keep_end: 2,
    }
}

fn redactor() -> Redactor {
    Redactor::new(&[order_number()]).expect("valid patterns")
}

#[test]
fn every_case_is_redacted_as_expected() {
    let redactor = redactor();
    for (input, expected) in CASES {
        assert_eq!(&redactor.redact(input), expected, "input {input:?}");
    }
}

#[test]
fn redacting_redacted_text_changes_nothing() {
    let redactor = redactor();
    for (input, expected) in CASES {
        assert_eq!(&redactor.redact(expected), expected, "input {input:?}");
    }
}

#[test]
fn keep_start_keeps_leading_alphanumerics() {
    let pattern = RedactionPattern {
        keep_start: 3,
        keep_end: 0,
        ..order_number()
    };
    let redactor = Redactor::new(&[pattern]).expect("valid pattern");
    assert_eq!(redactor.redact("ORD-123478"), "ORD-******");
}

#[test]
fn built_in_rules_work_without_configured_patterns() {
    let redactor = Redactor::new(&[]).expect("built-in rules");
    assert_eq!(
        redactor.redact("ORD-123478 for 13812345678"),
        "ORD-123478 for 138****5678"
    );
}

#[test]
fn unusable_patterns_are_rejected_with_their_name() {
    let cases = [
        ("bad regex", r"ORD-(\d{6}", "bad regex"),
        ("empty match", r"\d*", "empty match"),
        ("", r"ORD-\d{6}", ""),
        ("   ", r"ORD-\d{6}", "   "),
    ];
    for (name, pattern, expected_name) in cases {
        let pattern = RedactionPattern {
            name: name.to_owned(),
            pattern: pattern.to_owned(),
            keep_start: 0,
            keep_end: 0,
        };
        match Redactor::new(&[order_number(), pattern]) {
            Err(RecordingError::InvalidRedactionPattern { name, message }) => {
                assert_eq!(name, expected_name, "pattern {name:?}");
                assert!(!message.is_empty(), "pattern {name:?}");
            }
            other => panic!("pattern {name:?}: expected InvalidRedactionPattern, got {other:?}"),
        }
    }
}

#[test]
fn patterns_deserialize_from_config() {
    let table: toml::Table = toml::from_str(
        r#"
        [[redact]]
        name = "order number"
        pattern = 'ORD-\d{6}'
        keep_end = 2
        "#,
    )
    .expect("toml");
    let patterns: Vec<RedactionPattern> = table["redact"].clone().try_into().expect("patterns");
    assert_eq!(patterns.len(), 1);
    assert_eq!((patterns[0].keep_start, patterns[0].keep_end), (0, 2));

    let unknown: Result<RedactionPattern, _> =
        toml::from_str("name = \"x\"\npattern = 'x'\nkeep = 1\n");
    assert!(unknown.is_err(), "unknown fields are rejected");
}

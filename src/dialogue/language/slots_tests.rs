//! Normalisation tables for digit and phone slots, and slot specs.

use super::test_tables::{check_find, check_normalise};
use super::*;

const ORDER_NUMBER: SlotKind = SlotKind::Digits { min: 5, max: 8 };

fn too_few(digits: &str) -> SlotError {
    SlotError::TooFewDigits {
        digits: digits.to_string(),
        expected: "5 to 8 digits".to_string(),
    }
}

fn too_many(digits: &str) -> SlotError {
    SlotError::TooManyDigits {
        digits: digits.to_string(),
        expected: "5 to 8 digits".to_string(),
    }
}

fn not_a_phone_number(digits: &str) -> SlotError {
    SlotError::NotAPhoneNumber {
        digits: digits.to_string(),
    }
}

fn ambiguous(first: &str, second: &str) -> SlotError {
    SlotError::Ambiguous {
        first: first.to_string(),
        second: second.to_string(),
    }
}

#[test]
fn kinds_are_parsed_from_specs() {
    let rows = [
        (("digits", Some(5), Some(8)), Ok(ORDER_NUMBER)),
        (
            ("digits", None, None),
            Ok(SlotKind::Digits {
                min: 1,
                max: usize::MAX,
            }),
        ),
        (
            ("digits", Some(6), None),
            Ok(SlotKind::Digits {
                min: 6,
                max: usize::MAX,
            }),
        ),
        (
            ("digits", None, Some(4)),
            Ok(SlotKind::Digits { min: 1, max: 4 }),
        ),
        (("phone", None, None), Ok(SlotKind::Phone)),
        (("yes_no", None, None), Ok(SlotKind::YesNo)),
        (("date", None, None), Ok(SlotKind::Date)),
        (("time", None, None), Ok(SlotKind::Time)),
        (("date_time", None, None), Ok(SlotKind::DateTime)),
        (("amount", None, None), Ok(SlotKind::Amount)),
        (("digits", Some(0), Some(8)), Err(SlotError::ZeroMinimum)),
        (
            ("digits", Some(9), Some(8)),
            Err(SlotError::MinimumAboveMaximum { min: 9, max: 8 }),
        ),
        (
            ("digits", Some(5), Some(0)),
            Err(SlotError::MinimumAboveMaximum { min: 5, max: 0 }),
        ),
        (
            ("phone", Some(10), None),
            Err(SlotError::BoundsNotAllowed {
                kind: "phone".to_string(),
            }),
        ),
        (
            ("date", None, Some(3)),
            Err(SlotError::BoundsNotAllowed {
                kind: "date".to_string(),
            }),
        ),
        (
            ("email", None, None),
            Err(SlotError::UnknownKind {
                name: "email".to_string(),
            }),
        ),
        (
            ("Digits", None, None),
            Err(SlotError::UnknownKind {
                name: "Digits".to_string(),
            }),
        ),
    ];
    for ((name, min, max), kind) in rows {
        assert_eq!(
            SlotKind::parse(name, min, max),
            kind,
            "{name} {min:?} {max:?}"
        );
    }
}

#[test]
fn kinds_describe_their_values() {
    let rows = [
        (ORDER_NUMBER, "5 to 8 digits"),
        (SlotKind::Digits { min: 5, max: 5 }, "5 digits"),
        (SlotKind::Digits { min: 1, max: 1 }, "1 digit"),
        (
            SlotKind::Digits {
                min: 1,
                max: usize::MAX,
            },
            "at least 1 digit",
        ),
        (
            SlotKind::Digits {
                min: 4,
                max: usize::MAX,
            },
            "at least 4 digits",
        ),
        (SlotKind::Phone, "a phone number"),
        (SlotKind::YesNo, "yes or no"),
        (SlotKind::Date, "a date"),
        (SlotKind::Time, "a time"),
        (SlotKind::DateTime, "a date and time"),
        (SlotKind::Amount, "an amount"),
    ];
    for (kind, description) in rows {
        assert_eq!(kind.description(), description);
    }
}

#[test]
fn errors_explain_themselves() {
    let rows = [
        (
            too_few("1234"),
            "\"1234\" has too few digits: expected 5 to 8 digits",
        ),
        (
            not_a_phone_number("12345"),
            "\"12345\" is not a phone number: expected 10 digits, a Chinese mobile number (11 digits starting with 1), or + and a country code (7 to 15 digits in all)",
        ),
        (
            ambiguous("12345", "12346"),
            "more than one value: 12345 and 12346",
        ),
        (
            SlotError::NoSuchDate {
                date: "February 30".to_string(),
            },
            "there is no February 30",
        ),
        (
            SlotError::UnclearYesOrNo,
            "unclear: both yes and no, or unsure",
        ),
        (
            SlotError::UnknownKind {
                name: "email".to_string(),
            },
            "unknown slot kind \"email\": expected digits, phone, yes_no, date, time, date_time or amount",
        ),
        (
            SlotError::NoSuchTime {
                time: "25:00".to_string(),
            },
            "there is no 25:00",
        ),
    ];
    for (error, message) in rows {
        assert_eq!(error.to_string(), message);
    }
}

#[test]
fn digit_answers_normalise() {
    check_normalise(
        ORDER_NUMBER,
        &[
            ("12345", Ok("12345")),
            ("12 345", Ok("12345")),
            ("12-345", Ok("12345")),
            ("12,345.", Ok("12345")),
            ("12345#", Ok("12345")),
            ("12345678", Ok("12345678")),
            ("one two three four five", Ok("12345")),
            ("One, two, three, four, five.", Ok("12345")),
            ("ONE TWO THREE FOUR FIVE", Ok("12345")),
            ("1 2 3 4 5", Ok("12345")),
            ("oh four double five nine", Ok("04559")),
            ("o four five five nine", Ok("04559")),
            ("triple seven one two", Ok("77712")),
            ("twelve thousand three hundred forty five", Ok("12345")),
            ("twelve thousand three hundred and forty five", Ok("12345")),
            ("one twenty three forty five", Ok("12345")),
            ("It's 12345.", Ok("12345")),
            ("my order number is one two three four five", Ok("12345")),
            ("oh, it's 12345", Ok("12345")),
            ("one to three four five", Ok("12345")),
            ("one two three for five", Ok("12345")),
            ("one two three, uh, four five", Ok("12345")),
            ("I want to return one item, order 12345", Ok("12345")),
            ("12345, yes, 12345", Ok("12345")),
            ("1234", Err(too_few("1234"))),
            ("one two three four", Err(too_few("1234"))),
            ("123456789", Err(too_many("123456789"))),
            ("12345 or 12346", Err(ambiguous("12345", "12346"))),
            (
                "I don't know",
                Err(SlotError::NoDigits {
                    expected: "5 to 8 digits".to_string(),
                }),
            ),
            (
                "double",
                Err(SlotError::NoDigits {
                    expected: "5 to 8 digits".to_string(),
                }),
            ),
            ("", Err(SlotError::NoAnswer)),
            ("#", Err(SlotError::NoAnswer)),
            ("  ...  ", Err(SlotError::NoAnswer)),
        ],
    );
    check_normalise(
        SlotKind::Digits { min: 4, max: 4 },
        &[
            ("1 2 3 4", Ok("1234")),
            (
                "123",
                Err(SlotError::TooFewDigits {
                    digits: "123".to_string(),
                    expected: "4 digits".to_string(),
                }),
            ),
        ],
    );
}

#[test]
fn digits_are_found_in_sentences() {
    check_find(
        ORDER_NUMBER,
        &[
            ("where is my order one two three four five", Some("12345")),
            ("Where is my order 12345?", Some("12345")),
            ("track order 12-345 please", Some("12345")),
            (
                "my order is twelve thousand three hundred forty five thanks",
                Some("12345"),
            ),
            ("I'm calling for one two three four five", Some("12345")),
            ("I ordered 2 things, order 12345", Some("12345")),
            ("order 12345, yes 12345", Some("12345")),
            ("where is my order", None),
            ("order 1234", None),
            ("order 123456789", None),
            ("orders 12345 and 67890", None),
        ],
    );
}

#[test]
fn phone_answers_normalise() {
    check_normalise(
        SlotKind::Phone,
        &[
            ("(555) 010-0001", Ok("+15550100001")),
            ("555-010-0001", Ok("+15550100001")),
            ("5550100001", Ok("+15550100001")),
            ("555.010.0001", Ok("+15550100001")),
            ("+1 555 010 0001", Ok("+15550100001")),
            ("1 555 010 0001", Ok("+15550100001")),
            ("1-800-555-0199", Ok("+18005550199")),
            ("+44 20 7946 0958", Ok("+442079460958")),
            ("0044 20 7946 0958", Ok("+442079460958")),
            ("+49 30 123456", Ok("+4930123456")),
            (
                "plus four four two zero seven nine four six zero nine five eight",
                Ok("+442079460958"),
            ),
            (
                "five five five zero one zero zero zero zero one",
                Ok("+15550100001"),
            ),
            ("five five five oh one oh oh oh oh one", Ok("+15550100001")),
            (
                "double five five, oh one oh, triple oh one",
                Ok("+15550100001"),
            ),
            ("my number is 555 010 0001", Ok("+15550100001")),
            ("it's 555 010 0001, order 12345", Ok("+15550100001")),
            ("12345", Err(not_a_phone_number("12345"))),
            ("555 0100", Err(not_a_phone_number("5550100"))),
            ("0123456789", Err(not_a_phone_number("0123456789"))),
            ("1 155 010 0001", Err(not_a_phone_number("11550100001"))),
            ("+1 555 010 000", Err(not_a_phone_number("+1555010000"))),
            ("+123 456", Err(not_a_phone_number("+123456"))),
            ("+0 20 7946 0958", Err(not_a_phone_number("+02079460958"))),
            (
                "+44 1234 5678 9012 34",
                Err(not_a_phone_number("+4412345678901234")),
            ),
            (
                "no idea",
                Err(SlotError::NoDigits {
                    expected: "a phone number".to_string(),
                }),
            ),
            ("", Err(SlotError::NoAnswer)),
        ],
    );
}

#[test]
fn phone_numbers_are_found_in_sentences() {
    check_find(
        SlotKind::Phone,
        &[
            (
                "my number is five five five zero one zero zero zero zero one",
                Some("+15550100001"),
            ),
            (
                "call me back on +44 20 7946 0958 please",
                Some("+442079460958"),
            ),
            (
                "my order is 12345 and my number is (555) 010-0001",
                Some("+15550100001"),
            ),
            ("my number is 555", None),
            ("I don't have a phone", None),
        ],
    );
}

//! Tables for [`normalize_for_speech`](super::normalize_for_speech).

use super::normalize_for_speech;

fn check(table: &[(&str, &str)]) {
    for (input, expected) in table {
        assert_eq!(normalize_for_speech(input), *expected, "input: {input:?}");
    }
}

#[test]
fn identifiers_are_read_digit_by_digit() {
    check(&[
        ("order 12345", "order one two three four five"),
        ("Order 42 has shipped.", "Order four two has shipped."),
        (
            "your account number is 0042.",
            "your account number is zero zero four two.",
        ),
        ("ticket #981", "ticket number nine eight one"),
        (
            "call 555-0123 now",
            "call five five five, zero one two three now",
        ),
        ("reference AB12", "reference A B one two"),
        ("code 7", "code seven"),
    ]);
}

#[test]
fn quantities_are_read_as_numbers() {
    check(&[
        ("you have 3 new messages", "you have three new messages"),
        ("press 1 for sales", "press one for sales"),
        (
            "about 1,200 callers",
            "about one thousand two hundred callers",
        ),
        ("wait 15 minutes", "wait fifteen minutes"),
        ("2.5 kilograms", "two point five kilograms"),
        ("a 50% discount", "a fifty percent discount"),
        ("the 23rd caller", "the twenty-third caller"),
        ("your 1st visit", "your first visit"),
    ]);
}

#[test]
fn prices_are_read_naturally() {
    check(&[
        ("$12.50", "twelve dollars and fifty cents"),
        ("It costs $1.", "It costs one dollar."),
        ("$0.99", "ninety-nine cents"),
        ("$12.00", "twelve dollars"),
        (
            "$1,250.01",
            "one thousand two hundred fifty dollars and one cent",
        ),
        ("($5.5)", "(five dollars and fifty cents)"),
    ]);
}

#[test]
fn dates_are_read_naturally() {
    check(&[
        ("2026-11-23", "November twenty-third, twenty twenty-six"),
        ("Due 2025-01-01.", "Due January first, twenty twenty-five."),
        ("2000-02-29", "February twenty-ninth, two thousand"),
        ("2026-02-30", "two zero two six, zero two, three zero"),
        ("2026-13-01", "two zero two six, one three, zero one"),
    ]);
}

#[test]
fn times_are_read_naturally() {
    check(&[
        ("9:30", "nine thirty"),
        ("open at 9:00.", "open at nine o'clock."),
        ("9:05", "nine oh five"),
        ("17:45", "seventeen forty-five"),
        ("9:30pm", "nine thirty P M"),
        (
            "from 8:00 a.m. to 6:15 PM",
            "from eight A M. to six fifteen P M",
        ),
        ("25:00", "two five, zero zero"),
    ]);
}

#[test]
fn text_without_numbers_is_unchanged() {
    check(&[
        ("Thank you for calling.", "Thank you for calling."),
        ("I am here", "I am here"),
        ("  spaced   out  ", "spaced out"),
        ("", ""),
        ("Ünïcode: café, naïve!", "Ünïcode: café, naïve!"),
    ]);
}

//! Amount answers in English, Chinese and both.

use super::super::test_tables::{check_find, check_normalise};
use super::super::{SlotError, SlotKind};

fn check(rows: &[(&str, Result<&str, SlotError>)]) {
    check_normalise(SlotKind::Amount, rows);
}

#[test]
fn chinese_amounts() {
    check(&[
        ("三百五十块", Ok("350.00")),
        ("三百五十块五", Ok("350.50")),
        ("三百五十块五毛", Ok("350.50")),
        ("三百五十块五毛钱", Ok("350.50")),
        ("三块五毛二", Ok("3.52")),
        ("三块五毛二分", Ok("3.52")),
        ("三块零五分", Ok("3.05")),
        ("两千零八元", Ok("2008.00")),
        ("一百二十块钱", Ok("120.00")),
        ("五毛", Ok("0.50")),
        ("三角", Ok("0.30")),
        ("¥350", Ok("350.00")),
        ("￥12.5", Ok("12.50")),
        ("350元", Ok("350.00")),
        ("12.5元", Ok("12.50")),
        ("１２.５元", Ok("12.50")),
        ("十二点五元", Ok("12.50")),
        ("100美元", Ok("100.00")),
        ("退款是三百五十块", Ok("350.00")),
        ("三百五十", Ok("350.00")),
        ("十五", Ok("15.00")),
        ("订单12345，退了350元", Ok("350.00")),
        ("我想查一下", Err(SlotError::NotAnAmount)),
        ("不知道", Err(SlotError::NotAnAmount)),
        (
            "三百五十块还是三百六十块",
            Err(SlotError::Ambiguous {
                first: "350.00".to_string(),
                second: "360.00".to_string(),
            }),
        ),
    ]);
}

#[test]
fn english_amounts() {
    check(&[
        ("350 dollars", Ok("350.00")),
        ("three hundred fifty dollars", Ok("350.00")),
        ("three hundred fifty dollars and 20 cents", Ok("350.20")),
        ("three hundred fifty dollars and twenty cents", Ok("350.20")),
        ("12 dollars 50 cents", Ok("12.50")),
        ("$12.50", Ok("12.50")),
        ("$12.5", Ok("12.50")),
        ("$12", Ok("12.00")),
        ("It was $1,200.50.", Ok("1200.50")),
        ("99 cents", Ok("0.99")),
        ("20 euros", Ok("20.00")),
        ("€5", Ok("5.00")),
        ("£3.20", Ok("3.20")),
        ("350 bucks", Ok("350.00")),
        ("350", Ok("350.00")),
        ("about 350 dollars for order 12345", Ok("350.00")),
        ("$12.505", Err(SlotError::NotAnAmount)),
        ("no idea", Err(SlotError::NotAnAmount)),
        ("", Err(SlotError::NoAnswer)),
        (
            "$10 or $20",
            Err(SlotError::Ambiguous {
                first: "10.00".to_string(),
                second: "20.00".to_string(),
            }),
        ),
    ]);
}

#[test]
fn mixed_amounts() {
    check(&[
        ("refund 三百五十块", Ok("350.00")),
        ("三百五十 dollars", Ok("350.00")),
        ("350 块", Ok("350.00")),
    ]);
}

#[test]
fn amounts_are_found_in_sentences() {
    check_find(
        SlotKind::Amount,
        &[
            ("我的退款三百五十块五到了吗", Some("350.50")),
            ("I was charged $12.50 twice", Some("12.50")),
            ("order 12345 cost 350", None),
            ("我想查一下订单12345", None),
            ("$10 or $20", None),
        ],
    );
}

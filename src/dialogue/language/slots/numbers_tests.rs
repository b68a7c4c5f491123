//! Chinese and mixed digit and phone answers (the English ones are in `slots_tests.rs`).

use super::super::test_tables::{check_find, check_normalise};
use super::super::{SlotError, SlotKind};

const ORDER_NUMBER: SlotKind = SlotKind::Digits { min: 5, max: 8 };

fn not_a_phone_number(digits: &str) -> SlotError {
    SlotError::NotAPhoneNumber {
        digits: digits.to_string(),
    }
}

#[test]
fn chinese_digit_answers_normalise() {
    check_normalise(
        ORDER_NUMBER,
        &[
            ("一二三四五", Ok("12345")),
            ("一 二 三 四 五。", Ok("12345")),
            ("幺二三四五", Ok("12345")),
            ("洞幺两三四", Ok("01234")),
            ("〇一二三四", Ok("01234")),
            ("１２３４５", Ok("12345")),
            ("我的订单号是 1 2 3 4 5", Ok("12345")),
            ("我的订单号是12345。", Ok("12345")),
            ("order 一二三四五", Ok("12345")),
            ("一二三 4 5", Ok("12345")),
            ("一万两千三百四十五", Ok("12345")),
            ("一二三四十五", Ok("12345")),
            ("订单号一百零五六七", Ok("10567")),
            ("我查一下订单一二三四五", Ok("12345")),
            ("两个订单：一二三四五", Ok("12345")),
            (
                "一二三四",
                Err(SlotError::TooFewDigits {
                    digits: "1234".to_string(),
                    expected: "5 to 8 digits".to_string(),
                }),
            ),
            (
                "一二三四五，不对，一二三四六",
                Err(SlotError::Ambiguous {
                    first: "12345".to_string(),
                    second: "12346".to_string(),
                }),
            ),
            (
                "我不知道",
                Err(SlotError::NoDigits {
                    expected: "5 to 8 digits".to_string(),
                }),
            ),
            ("。", Err(SlotError::NoAnswer)),
        ],
    );
    check_normalise(
        SlotKind::Digits {
            min: 1,
            max: usize::MAX,
        },
        &[
            ("三十五", Ok("35")),
            ("十五", Ok("15")),
            ("我要查一下订单12345", Ok("12345")),
        ],
    );
}

#[test]
fn chinese_digits_are_found_in_sentences() {
    check_find(
        ORDER_NUMBER,
        &[
            ("我想查一下订单一二三四五到哪了", Some("12345")),
            ("我想查一下订单12345到哪了", Some("12345")),
            ("订单一万两千三百四十五什么时候到", Some("12345")),
            ("我买了两个东西，订单号幺二三四五六", Some("123456")),
            ("where is order 一二三四五", Some("12345")),
            ("我的订单到哪了", None),
            ("订单一二三四", None),
            ("订单一二三四五和一二三四六", None),
        ],
    );
}

#[test]
fn chinese_phone_answers_normalise() {
    check_normalise(
        SlotKind::Phone,
        &[
            ("我的电话是13812345678", Ok("+8613812345678")),
            ("电话 138 1234 5678", Ok("+8613812345678")),
            ("幺三八幺二三四五六七八", Ok("+8613812345678")),
            ("一三八 一二三四 五六七八", Ok("+8613812345678")),
            ("手机号是１３８１２３４５６７８。", Ok("+8613812345678")),
            ("+86 138 1234 5678", Ok("+8613812345678")),
            ("加 86", Err(not_a_phone_number("86"))),
            ("＋86 13812345678", Ok("+8613812345678")),
            ("0086 13812345678", Ok("+8613812345678")),
            ("我的电话是 555 010 0001", Ok("+15550100001")),
            ("13812345678", Ok("+13812345678")),
            ("电话是12812345678", Ok("+12812345678")),
            ("电话是1381234567", Err(not_a_phone_number("1381234567"))),
        ],
    );
}

#[test]
fn chinese_phone_numbers_are_found_in_sentences() {
    check_find(
        SlotKind::Phone,
        &[
            (
                "麻烦打我手机一三八一二三四五六七八，谢谢",
                Some("+8613812345678"),
            ),
            ("订单12345，电话13812345678", Some("+8613812345678")),
            ("我没有电话", None),
        ],
    );
}

//! Chinese and mixed date answers, on a fixed today (Wednesday 13 May 2026).

use super::super::test_tables::{check_find, check_normalise};
use super::super::{SlotError, SlotKind};

fn no_such_date(date: &str) -> SlotError {
    SlotError::NoSuchDate {
        date: date.to_string(),
    }
}

fn check(rows: &[(&str, Result<&str, SlotError>)]) {
    check_normalise(SlotKind::Date, rows);
}

#[test]
fn chinese_relative_days() {
    check(&[
        ("今天", Ok("2026-05-13")),
        ("明天。", Ok("2026-05-14")),
        ("明天吧", Ok("2026-05-14")),
        ("后天", Ok("2026-05-15")),
        ("大后天", Ok("2026-05-16")),
        ("昨天", Ok("2026-05-12")),
        ("前天", Ok("2026-05-11")),
        ("明日", Ok("2026-05-14")),
        ("delivery 明天", Ok("2026-05-14")),
    ]);
}

#[test]
fn chinese_weekdays() {
    check(&[
        ("周五", Ok("2026-05-15")),
        ("星期五", Ok("2026-05-15")),
        ("礼拜五", Ok("2026-05-15")),
        ("周三", Ok("2026-05-20")),
        ("周日", Ok("2026-05-17")),
        ("星期天", Ok("2026-05-17")),
        ("这周五", Ok("2026-05-15")),
        ("本周五", Ok("2026-05-15")),
        ("这个星期五", Ok("2026-05-15")),
        ("这周一", Ok("2026-05-11")),
        ("下周五", Ok("2026-05-22")),
        ("下星期五", Ok("2026-05-22")),
        ("下个星期五", Ok("2026-05-22")),
        ("下个礼拜一", Ok("2026-05-18")),
        ("上周五", Ok("2026-05-08")),
        ("周五十一月二十七号", Ok("2026-11-27")),
        ("11月27日（周五）", Ok("2026-11-27")),
        ("下周", Err(SlotError::NotADate)),
        ("周末", Err(SlotError::NotADate)),
    ]);
}

#[test]
fn chinese_months_and_days() {
    check(&[
        ("十一月二十七号", Ok("2026-11-27")),
        ("十一月二十七日", Ok("2026-11-27")),
        ("11月27日", Ok("2026-11-27")),
        ("１１月２７日", Ok("2026-11-27")),
        ("十一月二十七", Ok("2026-11-27")),
        ("2026年11月27日", Ok("2026-11-27")),
        ("二零二六年十一月二十七日", Ok("2026-11-27")),
        ("二〇二七年一月五号", Ok("2027-01-05")),
        ("明年三月一号", Ok("2027-03-01")),
        ("去年十二月一号", Ok("2025-12-01")),
        ("五月一号", Ok("2027-05-01")),
        ("五月十三号", Ok("2026-05-13")),
        ("二月二十九号", Ok("2028-02-29")),
        ("十二月", Err(SlotError::NotADate)),
        ("2026年", Err(SlotError::NotADate)),
        ("三个月", Err(SlotError::NotADate)),
        ("二月三十号", Err(no_such_date("February 30"))),
        ("2027年2月29日", Err(no_such_date("February 29, 2027"))),
        ("四月三十一号", Err(no_such_date("April 31"))),
    ]);
}

#[test]
fn chinese_days_of_the_month() {
    check(&[
        ("下个月三号", Ok("2026-06-03")),
        ("下月三号", Ok("2026-06-03")),
        ("这个月二十号", Ok("2026-05-20")),
        ("本月三号", Ok("2026-05-03")),
        ("上个月三号", Ok("2026-04-03")),
        ("三号", Ok("2026-06-03")),
        ("十三号", Ok("2026-05-13")),
        ("27日", Ok("2026-05-27")),
        ("三十一号", Ok("2026-05-31")),
        ("下个月三十一号", Err(no_such_date("June 31, 2026"))),
        ("三十二号", Err(SlotError::NotADate)),
        ("十三月五号", Err(SlotError::NotADate)),
        (
            "明天或者后天",
            Err(SlotError::Ambiguous {
                first: "2026-05-14".to_string(),
                second: "2026-05-15".to_string(),
            }),
        ),
    ]);
}

#[test]
fn chinese_dates_are_found_in_sentences() {
    check_find(
        SlotKind::Date,
        &[
            ("我想下周五送到", Some("2026-05-22")),
            ("订单12345明天能到吗", Some("2026-05-14")),
            ("能不能十一月二十七号送过来", Some("2026-11-27")),
            ("我的订单号是12345", None),
            ("我昨天下单的，明天能到吗", None),
        ],
    );
}

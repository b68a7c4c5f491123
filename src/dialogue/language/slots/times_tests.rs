//! Time answers in English, Chinese and both.

use super::super::test_tables::{check_find, check_normalise, today};
use super::super::{SlotError, SlotKind, find};

fn no_such_time(time: &str) -> SlotError {
    SlotError::NoSuchTime {
        time: time.to_string(),
    }
}

#[test]
fn english_times() {
    check_normalise(
        SlotKind::Time,
        &[
            ("10 am", Ok("10:00")),
            ("10am", Ok("10:00")),
            ("10 a.m.", Ok("10:00")),
            ("ten AM", Ok("10:00")),
            ("3 pm", Ok("15:00")),
            ("3pm please", Ok("15:00")),
            ("3:30 pm", Ok("15:30")),
            ("3:30pm", Ok("15:30")),
            ("3:30", Ok("03:30")),
            ("15:30", Ok("15:30")),
            ("at 09:05", Ok("09:05")),
            ("three thirty pm", Ok("15:30")),
            ("ten oh five am", Ok("10:05")),
            ("four forty five p.m.", Ok("16:45")),
            ("half past three pm", Ok("15:30")),
            ("half past three", Ok("03:30")),
            ("quarter past ten in the morning", Ok("10:15")),
            ("quarter to four in the afternoon", Ok("15:45")),
            ("quarter to one pm", Ok("12:45")),
            ("ten o'clock", Ok("10:00")),
            ("eight at night", Ok("20:00")),
            ("12 am", Ok("00:00")),
            ("12 pm", Ok("12:00")),
            ("noon", Ok("12:00")),
            ("midnight", Ok("00:00")),
            ("25:00", Err(no_such_time("25:00"))),
            ("3:75", Err(no_such_time("3:75"))),
            ("13 am", Err(no_such_time("13:00"))),
            ("three", Err(SlotError::NotATime)),
            ("order 12345", Err(SlotError::NotATime)),
            ("", Err(SlotError::NoAnswer)),
            (
                "10 am or 3 pm",
                Err(SlotError::Ambiguous {
                    first: "10:00".to_string(),
                    second: "15:00".to_string(),
                }),
            ),
        ],
    );
}

#[test]
fn chinese_times() {
    check_normalise(
        SlotKind::Time,
        &[
            ("上午十点", Ok("10:00")),
            ("下午三点半", Ok("15:30")),
            ("晚上八点十五分", Ok("20:15")),
            ("中午十二点", Ok("12:00")),
            ("中午一点", Ok("13:00")),
            ("三点一刻", Ok("03:15")),
            ("下午三点一刻", Ok("15:15")),
            ("三点三刻", Ok("03:45")),
            ("两点", Ok("02:00")),
            ("下午两点整", Ok("14:00")),
            ("十点钟", Ok("10:00")),
            ("十五点", Ok("15:00")),
            ("三点二十", Ok("03:20")),
            ("三点零五分", Ok("03:05")),
            ("10点30分", Ok("10:30")),
            ("下午3:30", Ok("15:30")),
            ("下午３点", Ok("15:00")),
            ("凌晨十二点", Ok("00:00")),
            ("晚上十二点", Ok("00:00")),
            ("早上七点", Ok("07:00")),
            ("一点", Ok("01:00")),
            ("二十五点", Err(no_such_time("25:00"))),
            ("三点六十分", Err(no_such_time("3:60"))),
            ("下午", Err(SlotError::NotATime)),
            ("三个小时", Err(SlotError::NotATime)),
            ("下午三点 3 pm", Ok("15:00")),
        ],
    );
}

#[test]
fn times_are_found_in_sentences() {
    check_find(
        SlotKind::Time,
        &[
            ("我想改到下午三点半", Some("15:30")),
            ("can you call me at 3:30 pm tomorrow", Some("15:30")),
            ("快一点好吗", None),
            ("我一点都不知道", None),
            ("call me at three", None),
        ],
    );
}

#[test]
fn dates_with_times() {
    check_normalise(
        SlotKind::DateTime,
        &[
            ("下周五上午十点", Ok("2026-05-22T10:00")),
            ("明天下午三点半", Ok("2026-05-14T15:30")),
            ("十一月二十七号晚上八点", Ok("2026-11-27T20:00")),
            ("friday at 3 pm", Ok("2026-05-15T15:00")),
            ("December 1st, 10:30 am", Ok("2026-12-01T10:30")),
            ("tomorrow 9am", Ok("2026-05-14T09:00")),
            ("明天", Err(SlotError::NotATime)),
            ("下午三点", Err(SlotError::NotADate)),
            ("", Err(SlotError::NoAnswer)),
        ],
    );
    assert_eq!(
        find(&SlotKind::DateTime, "能不能下周五上午十点送到", today()).as_deref(),
        Some("2026-05-22T10:00")
    );
    assert_eq!(find(&SlotKind::DateTime, "能不能下周五送到", today()), None);
}

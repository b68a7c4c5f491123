//! Normalisation tables for date slots, on a fixed today (Wednesday 13 May 2026).

use chrono::NaiveDate;

use super::super::{SlotError, SlotKind, find, normalise};

fn date(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).unwrap_or_default()
}

/// A Wednesday.
fn today() -> NaiveDate {
    date(2026, 5, 13)
}

fn no_such_date(date: &str) -> SlotError {
    SlotError::NoSuchDate {
        date: date.to_string(),
    }
}

fn check(today: NaiveDate, rows: &[(&str, Result<&str, SlotError>)]) {
    for (answer, expected) in rows {
        assert_eq!(
            normalise(&SlotKind::Date, answer, today),
            expected.clone().map(str::to_string),
            "{answer:?} on {today}"
        );
    }
}

#[test]
fn relative_days() {
    check(
        today(),
        &[
            ("today", Ok("2026-05-13")),
            ("Tonight.", Ok("2026-05-13")),
            ("Tomorrow.", Ok("2026-05-14")),
            ("tomorrow please", Ok("2026-05-14")),
            ("the day after tomorrow", Ok("2026-05-15")),
            ("day after tomorrow", Ok("2026-05-15")),
            ("yesterday", Ok("2026-05-12")),
            ("the day before yesterday", Ok("2026-05-11")),
            ("in three days", Ok("2026-05-16")),
            ("in 10 days", Ok("2026-05-23")),
            ("in a week", Ok("2026-05-20")),
            ("in two weeks", Ok("2026-05-27")),
            ("two weeks from now", Ok("2026-05-27")),
            ("10 days from today", Ok("2026-05-23")),
            ("in a while", Err(SlotError::NotADate)),
            ("next week", Err(SlotError::NotADate)),
        ],
    );
}

#[test]
fn weekdays() {
    check(
        today(),
        &[
            ("friday", Ok("2026-05-15")),
            ("Friday?", Ok("2026-05-15")),
            ("on friday", Ok("2026-05-15")),
            ("this friday", Ok("2026-05-15")),
            ("this coming friday", Ok("2026-05-15")),
            ("next friday", Ok("2026-05-22")),
            ("last friday", Ok("2026-05-08")),
            ("thursday", Ok("2026-05-14")),
            ("monday", Ok("2026-05-18")),
            ("next monday", Ok("2026-05-18")),
            ("tuesday", Ok("2026-05-19")),
            ("this tuesday", Ok("2026-05-19")),
            ("next tuesday", Ok("2026-05-19")),
            ("wednesday", Ok("2026-05-20")),
            ("this wednesday", Ok("2026-05-13")),
            ("next wednesday", Ok("2026-05-20")),
            ("last wednesday", Ok("2026-05-06")),
            ("sunday", Ok("2026-05-17")),
            ("next sunday", Ok("2026-05-24")),
            ("friday december first", Ok("2026-12-01")),
            ("friday the 15th", Ok("2026-05-15")),
        ],
    );
    // On a Saturday, next week's Friday is the first Friday to come.
    check(
        date(2026, 5, 16),
        &[
            ("friday", Ok("2026-05-22")),
            ("next friday", Ok("2026-05-22")),
            ("this saturday", Ok("2026-05-16")),
            ("saturday", Ok("2026-05-23")),
        ],
    );
}

#[test]
fn months_and_days() {
    check(
        today(),
        &[
            ("december first", Ok("2026-12-01")),
            ("December 25th, 2026", Ok("2026-12-25")),
            ("The 4th of July.", Ok("2026-07-04")),
            ("Monday the 18th of May", Ok("2026-05-18")),
            ("may 5", Ok("2027-05-05")),
            ("5 may", Ok("2027-05-05")),
            ("December 1st", Ok("2026-12-01")),
            ("december 1", Ok("2026-12-01")),
            ("Dec. 1", Ok("2026-12-01")),
            ("1st of december", Ok("2026-12-01")),
            ("the first of December", Ok("2026-12-01")),
            ("1 december", Ok("2026-12-01")),
            ("december the twenty first", Ok("2026-12-21")),
            ("december twenty-first", Ok("2026-12-21")),
            ("December 21st.", Ok("2026-12-21")),
            ("december twenty one", Ok("2026-12-21")),
            ("december thirty first", Ok("2026-12-31")),
            ("twenty first of june", Ok("2026-06-21")),
            ("the thirtieth of june", Ok("2026-06-30")),
            ("june fifteen", Ok("2026-06-15")),
            ("may first", Ok("2027-05-01")),
            ("may thirteenth", Ok("2026-05-13")),
            ("may twelfth", Ok("2027-05-12")),
            ("on sept 3rd", Ok("2026-09-03")),
            ("14 March 2027", Ok("2027-03-14")),
            ("March 14, 2027", Ok("2027-03-14")),
            ("march 14th 2025", Ok("2025-03-14")),
            ("december first twenty twenty six", Ok("2026-12-01")),
            ("december first two thousand twenty seven", Ok("2027-12-01")),
            ("march third nineteen eighty four", Ok("1984-03-03")),
            ("february twenty ninth", Ok("2028-02-29")),
            ("Feb 29 2027", Err(no_such_date("February 29, 2027"))),
            ("february thirtieth", Err(no_such_date("February 30"))),
            ("30th of february", Err(no_such_date("February 30"))),
            ("april 31st", Err(no_such_date("April 31"))),
            ("december", Err(SlotError::NotADate)),
            ("december 2026", Err(SlotError::NotADate)),
            ("may I ask something", Err(SlotError::NotADate)),
        ],
    );
}

#[test]
fn days_of_the_month() {
    check(
        today(),
        &[
            ("the 14th", Ok("2026-05-14")),
            ("on the 14th", Ok("2026-05-14")),
            ("14th", Ok("2026-05-14")),
            ("the fourteenth", Ok("2026-05-14")),
            ("the 13th", Ok("2026-05-13")),
            ("the 12th", Ok("2026-06-12")),
            ("the thirty first", Ok("2026-05-31")),
            ("the twenty first", Ok("2026-05-21")),
            ("the 1st", Ok("2026-06-01")),
            ("How about the 3rd?", Ok("2026-06-03")),
            ("twenty fifth", Ok("2026-05-25")),
            ("the 45th", Err(SlotError::NotADate)),
            ("first of all, where is my order", Err(SlotError::NotADate)),
            ("the 14", Err(SlotError::NotADate)),
            ("14", Err(SlotError::NotADate)),
        ],
    );
    // June has no 31st: the next 31st is in July.
    check(date(2026, 6, 15), &[("the 31st", Ok("2026-07-31"))]);
}

#[test]
fn numerals() {
    check(
        today(),
        &[
            ("3/14", Ok("2027-03-14")),
            ("12/25", Ok("2026-12-25")),
            ("5/13", Ok("2026-05-13")),
            ("3-14", Ok("2027-03-14")),
            ("3/14/2027", Ok("2027-03-14")),
            ("3/14/27", Ok("2027-03-14")),
            ("12/01/2026", Ok("2026-12-01")),
            ("2026-12-01", Ok("2026-12-01")),
            ("2026-12-01.", Ok("2026-12-01")),
            ("(2026-12-01)", Ok("2026-12-01")),
            ("on 2027-01-05 please", Ok("2027-01-05")),
            ("2/30", Err(no_such_date("February 30"))),
            ("2027-02-29", Err(no_such_date("February 29, 2027"))),
            ("13/14", Err(SlotError::NotADate)),
            ("12-345", Err(SlotError::NotADate)),
            ("2026-13-01", Err(SlotError::NotADate)),
        ],
    );
}

#[test]
fn other_answers() {
    check(
        today(),
        &[
            ("whenever", Err(SlotError::NotADate)),
            ("where is my order", Err(SlotError::NotADate)),
            ("", Err(SlotError::NoAnswer)),
            (
                "tomorrow or friday",
                Err(SlotError::Ambiguous {
                    first: "2026-05-14".to_string(),
                    second: "2026-05-15".to_string(),
                }),
            ),
            ("friday, I mean the 15th", Ok("2026-05-15")),
            ("february thirtieth, no, march first", Ok("2027-03-01")),
        ],
    );
}

#[test]
fn dates_are_found_in_sentences() {
    let rows = [
        ("can it come next friday", Some("2026-05-22")),
        ("Can it come next Friday?", Some("2026-05-22")),
        ("I want it delivered on the 14th please", Some("2026-05-14")),
        (
            "my order 12345 should arrive on december first",
            Some("2026-12-01"),
        ),
        ("is it coming tomorrow", Some("2026-05-14")),
        ("deliver it on the fourteenth", None),
        ("the first thing I want to know is where my order is", None),
        ("where is my order", None),
        ("I ordered it yesterday, can it come friday", None),
        ("february thirtieth", None),
    ];
    for (text, expected) in rows {
        assert_eq!(
            find(&SlotKind::Date, text, today()).as_deref(),
            expected,
            "{text:?}"
        );
    }
}

//! What the slot tests share: a fixed today and checks of tables of answers.

use chrono::NaiveDate;

use super::{SlotError, SlotKind, find, normalise};

/// A Wednesday: 13 May 2026.
pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 5, 13).unwrap_or_default()
}

/// Checks that each answer normalises, on [`today`], to its value or error.
pub fn check_normalise(kind: SlotKind, rows: &[(&str, Result<&str, SlotError>)]) {
    for (answer, expected) in rows {
        assert_eq!(
            normalise(&kind, answer, today()),
            expected.clone().map(str::to_string),
            "{kind:?}: {answer:?}"
        );
    }
}

/// Checks that each text holds its value (or none), found on [`today`].
pub fn check_find(kind: SlotKind, rows: &[(&str, Option<&str>)]) {
    for &(text, expected) in rows {
        assert_eq!(
            find(&kind, text, today()).as_deref(),
            expected,
            "{kind:?}: {text:?}"
        );
    }
}

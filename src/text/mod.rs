//! Plain-text helpers shared across the crate: English number words (speech synthesis and
//! recognition scoring), month names (speech synthesis and date slots), Chinese characters and
//! digits (slots and redaction), Traditional to Simplified Chinese (speech recognition) and line
//! numbers of positions in file text (config, flow and intents errors). Pure functions; depends
//! on nothing else in the crate.

pub mod chinese;
pub mod lines;
pub mod numbers;
pub mod simplified;

/// The English month names, January first.
pub const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

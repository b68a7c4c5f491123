//! Language understanding: what the caller's words mean, with no flow and no I/O.
//!
//! * `speech`, `spoken_numbers` and `chinese_numbers` read transcripts (spoken digits, numbers,
//!   in English and Chinese);
//! * `slots` recognise typed answers (numbers, yes/no, dates, times, amounts);
//! * `intents` and `knowledge` match words to an intent or an article, `understander` does
//!   both for one flow and `meaning` is its answer;
//! * `sentiment` scores a turn with `lexicon`.

pub(super) mod chinese_numbers;
pub mod intents;
pub mod knowledge;
pub(super) mod lexicon;
pub(super) mod meaning;
pub mod sentiment;
pub mod slots;
pub(super) mod speech;
pub(super) mod spoken_numbers;
pub(super) mod understander;

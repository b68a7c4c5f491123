//! Language understanding: what the caller's words mean, with no flow and no I/O.
//!
//! * `speech` and `spoken_numbers` read transcripts (spoken digits, numbers);
//! * `slots` recognise typed answers (dates, numbers, yes/no);
//! * `intents` and `knowledge` match words to an intent or an article, `understander` does
//!   both for one flow and `meaning` is its answer;
//! * `sentiment` scores a turn with `lexicon`.

pub mod intents;
pub mod knowledge;
pub(super) mod lexicon;
pub(super) mod meaning;
pub mod sentiment;
pub mod slots;
pub(super) mod speech;
pub(super) mod spoken_numbers;
pub(super) mod understander;

//! Plain-text helpers shared across the crate: English number words (speech synthesis and
//! recognition scoring) and line numbers of positions in file text (config, flow and intents
//! errors). Pure functions; depends on nothing else in the crate.

pub mod lines;
pub mod numbers;

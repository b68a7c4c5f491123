//! Plain-text helpers shared by speech synthesis and recognition scoring: English number words.
//! Pure functions; depends on nothing else in the crate.

pub mod numbers;

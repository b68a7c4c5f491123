//! The flow-file format: `*.flow.toml` text turned into a validated [`Flow`], every problem
//! reported as `file:line: message`.
//!
//! * `parse` reads one file; `steps`, `ask`, `intent_step`, `lookup_step`, `transfer_step` and
//!   `speech_keys` convert each step table, `template` the texts with placeholders, `graph`
//!   checks the steps' references, `context` keeps the bookkeeping of one file;
//! * `model` is what a file becomes, `published` the versions in service;
//! * nothing here reads files: the loader hands in the text.

pub(super) mod ask;
pub(super) mod context;
pub(super) mod error;
pub(super) mod graph;
pub(super) mod hours;
pub(super) mod intent_step;
pub mod lookup;
pub(super) mod lookup_step;
pub(super) mod messages;
pub(super) mod model;
pub(super) mod parse;
pub(super) mod published;
pub(super) mod speech_keys;
pub(super) mod steps;
pub(super) mod template;
pub(super) mod transfer_step;
pub(super) mod values;

#[cfg(test)]
mod ask_check_tests;
#[cfg(test)]
mod conversation_check_tests;

//! The engine's memory of the conversation, kept for escalation: both sides of the transcript,
//! the intents understood, lookups, what did not work, not-understood turns in a row and a
//! pending escalation.

use super::summary::{LookupNote, Party, SummaryLine};
use crate::dialogue::flow_file::model::Priority;

/// An escalation trigger that fired; the transfer step it leads to uses it.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct PendingEscalation {
    /// Why, in words.
    pub reason: String,
    /// How urgent the trigger makes it.
    pub priority: Priority,
}

/// What happened so far.
#[derive(Debug, Default)]
pub(super) struct Conversation {
    pub transcript: Vec<SummaryLine>,
    pub intents: Vec<String>,
    /// The last intent understood that says what the conversation is about.
    pub topic: Option<String>,
    pub lookups: Vec<LookupNote>,
    pub tried: Vec<String>,
    /// Not-understood turns in a row.
    pub no_matches: u32,
    pub pending: Option<PendingEscalation>,
    /// Variables the customer gave (slots, entries, answers), in order, for the brief.
    pub stated: Vec<String>,
}

impl Conversation {
    pub fn customer_said(&mut self, text: &str) {
        if !text.trim().is_empty() {
            self.transcript.push(SummaryLine {
                party: Party::Customer,
                text: text.trim().to_string(),
            });
        }
    }

    pub fn hotline_said(&mut self, text: &str) {
        self.transcript.push(SummaryLine {
            party: Party::Hotline,
            text: text.to_string(),
        });
    }

    /// Notes a failed attempt in `step`; `invalid` is input that was not understood (else no
    /// input at all).
    pub fn failed(&mut self, step: &str, invalid: bool, heard: &str) {
        if invalid {
            self.tried
                .push(format!("not understood in '{step}': \"{}\"", heard.trim()));
        } else {
            self.tried.push(format!("no input in '{step}'"));
        }
    }

    /// Notes a variable the customer gave.
    pub fn stated(&mut self, variable: &str) {
        if !self.stated.iter().any(|name| name == variable) {
            self.stated.push(variable.to_string());
        }
    }

    /// The last thing the customer said.
    pub fn last_said(&self) -> Option<&str> {
        self.transcript
            .iter()
            .rev()
            .find(|line| line.party == Party::Customer)
            .map(|line| line.text.as_str())
    }
}

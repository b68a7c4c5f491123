//! Whether the meaning of a speculative transcript already settles the step: the pure
//! decision behind ending a caller's turn before its trailing silence has passed in an intent
//! step, made by the same logic as the final turn's (`spoken`), so an early end never
//! decides differently from the turn it cut short.
//!
//! Only the step's own routing counts (a key said alone, an intent the step routes) and the
//! escalation policy's person and complaint intents; an intent step does not route on
//! knowledge articles (an `answer` step after it reads them), so an article alone never ends
//! a turn early.

use chrono::DateTime;

use super::prompt::interruptible;
use super::spoken::Understood;
use super::{Failure, FlowEngine, kind_of};
use crate::dialogue::flow_file::model::StepKind;
use crate::dialogue::language::meaning::Meaning;

impl FlowEngine {
    /// Whether the current step routes on what the caller's words mean (an intent step that
    /// listens now): only there is a speculative transcript worth understanding before the
    /// turn ends.
    pub fn routes_by_meaning(&self) -> bool {
        !self.finished
            && matches!(
                kind_of(&self.flow, self.step.as_ref()),
                Some(kind @ StepKind::Intent(_)) if !self.playing || interruptible(kind)
            )
    }

    /// Whether `text`, meaning `meaning`, settles the current step as the same transcript
    /// would if the turn ended now: a choice or complete entry, an intent the step routes, or
    /// an intent the escalation policy hands to a person. The driver uses this to end a turn
    /// early on the meaning of a speculative transcript; a no-match, a transcript below the
    /// step's `minimum_confidence`, or an utterance that is only reported never counts.
    pub fn meaning_answers_step(&self, text: &str, confidence: f32, meaning: &Meaning) -> bool {
        if self.finished {
            return false;
        }
        let Some(kind) = kind_of(&self.flow, self.step.as_ref()) else {
            return false;
        };
        match self.understand(kind, text, confidence, Some(meaning), DateTime::UNIX_EPOCH) {
            Some(Understood::Choice(..) | Understood::Entry(_) | Understood::Intent(..)) => true,
            Some(Understood::Failed(Failure::Invalid)) => {
                let escalation = self.flow.escalation.as_ref();
                let intent = meaning.intent.as_ref();
                escalation.zip(intent).is_some_and(|(policy, intent)| {
                    policy.human_intents.contains(intent)
                        || policy.complaint_intents.contains(intent)
                })
            }
            _ => false,
        }
    }
}

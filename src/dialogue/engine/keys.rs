//! What the engine does with keys, and the outcomes keys share with speech: stopping prompts
//! (barge-in), ending a collect entry, and taking a choice.
//!
//! A key during a menu, collect or ask prompt stops it and counts, unless the step has
//! `barge_in = false`, in which case keys are ignored until its prompts finished. An ask only
//! takes keys when its `input` allows them. A key during a `play` or `say` step that allows
//! barge-in stops it and the flow continues at `next`. Every key is recorded in `digits()`.

use std::sync::Arc;
use std::time::Instant;

use chrono::{DateTime, Utc};

use super::prompt::interruptible;
use super::{Failure, FlowAction, FlowEngine, kind_of};
use crate::dialogue::flow_file::model::{Answers, StepKind};

impl FlowEngine {
    /// Handles one key while the flow runs.
    pub(super) fn digit(&mut self, now: Instant, wall: DateTime<Utc>, digit: char) {
        self.digits.push(digit);
        let flow = Arc::clone(&self.flow);
        let Some(kind) = kind_of(&flow, self.step.as_ref()) else {
            return;
        };
        if !self.takes_keys(kind) {
            return;
        }
        self.barge_in();
        match kind {
            StepKind::Play { next, .. }
            | StepKind::Say { next, .. }
            | StepKind::Answer { next, .. } => {
                self.go_to(next.clone(), wall);
            }
            StepKind::Menu(menu) => match menu.choices.get(&digit) {
                Some(target) => self.go_to(target.clone(), wall),
                None => self.fail(wall, Failure::Invalid),
            },
            StepKind::Intent(step) => match step.choices.get(&digit) {
                Some(target) => self.go_to(target.clone(), wall),
                None => self.fail(wall, Failure::Invalid),
            },
            StepKind::Ask(ask) => match &ask.answers {
                Answers::Choices { choices, .. } => match choices.get(&digit) {
                    Some(target) => self.choose(digit, target.clone(), wall),
                    None => self.fail(wall, Failure::Invalid),
                },
                Answers::Free { .. } => self.fail(wall, Failure::Invalid),
            },
            StepKind::Collect(collect) => {
                if Some(digit) == collect.terminator {
                    self.finish_entry(wall);
                } else if !digit.is_ascii_digit() {
                    self.fail(wall, Failure::Invalid);
                } else {
                    self.entry.push(digit);
                    if self.entry.len() >= collect.max_digits {
                        self.finish_entry(wall);
                    } else {
                        self.deadline = Some(now + collect.inter_digit_timeout);
                    }
                }
            }
            StepKind::Goto { .. }
            | StepKind::Record { .. }
            | StepKind::Hours { .. }
            | StepKind::Hangup { .. }
            | StepKind::Lookup(_)
            | StepKind::Branch { .. }
            | StepKind::Transfer(_) => {}
        }
    }

    /// Whether a key counts in the current step now.
    fn takes_keys(&self, kind: &StepKind) -> bool {
        // A key skips a `play`, `say` or `answer` only where barge-in is allowed; the steps
        // that wait for input take keys (an ask only when its `input` allows them).
        let listens = match kind {
            StepKind::Play { barge_in, .. }
            | StepKind::Say { barge_in, .. }
            | StepKind::Answer { barge_in, .. } => *barge_in,
            StepKind::Ask(ask) => ask.accepts.keys(),
            other => other.input_barge_in().is_some(),
        };
        listens && (!self.playing || interruptible(kind))
    }

    /// Input arrived that the step acts on: stops its prompts and its timer.
    pub(super) fn barge_in(&mut self) {
        if self.playing {
            self.playing = false;
            self.queued_prompts.clear();
            self.actions.push_back(FlowAction::StopPlayback);
        }
        self.deadline = None;
    }

    /// Ends a collect entry: stores it when long enough, otherwise counts an invalid attempt.
    pub(super) fn finish_entry(&mut self, wall: DateTime<Utc>) {
        let flow = Arc::clone(&self.flow);
        let Some(StepKind::Collect(collect)) = kind_of(&flow, self.step.as_ref()) else {
            return;
        };
        if self.entry.len() < collect.min_digits {
            self.fail(wall, Failure::Invalid);
            return;
        }
        let value = std::mem::take(&mut self.entry);
        self.conversation.stated(&collect.variable);
        self.store(&collect.variable, value);
        self.go_to(collect.next.clone(), wall);
    }

    /// Takes the choice `key` of a menu or ask step, storing it in an ask's variable, and
    /// continues at `target`.
    pub(super) fn choose(&mut self, key: char, target: String, wall: DateTime<Utc>) {
        let flow = Arc::clone(&self.flow);
        if let Some(StepKind::Ask(ask)) = kind_of(&flow, self.step.as_ref())
            && let Some(variable) = &ask.variable
        {
            self.store(variable, key.to_string());
        }
        self.go_to(target, wall);
    }

    /// Stores `value` in `variable` and reports it.
    pub(super) fn store(&mut self, variable: &str, value: String) {
        self.variables.insert(variable.to_string(), value.clone());
        self.actions.push_back(FlowAction::Collected {
            variable: variable.to_string(),
            value,
        });
    }
}

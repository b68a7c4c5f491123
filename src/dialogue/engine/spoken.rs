//! What the engine does with speech: the caller starting to speak over a prompt, transcripts,
//! and the phrases the recogniser should expect in the current step.
//!
//! In a menu, or an ask with choices, a key said or typed alone ("1", "one", "按一") or else the
//! choice whose phrase occurs in the transcript (longest phrase first) is taken; in a collect
//! step the spoken digits ("one two three", "一二三"), appended to any keyed before, end the
//! entry, which must hold `min_digits` to `max_digits` digits (no terminator is needed); an ask
//! without choices takes the transcript itself. An empty transcript is no input; a
//! transcript below the step's `minimum_confidence`, or one that matches nothing, is invalid
//! input. In a `play` or `say` step that allows barge-in, an utterance stops the prompt and the
//! flow continues at `next`. While a prompt that cannot be interrupted plays, and in steps that
//! do not listen, speech is only reported.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};

use super::prompt::{interruptible, listens_to_speech};
use super::{Failure, FlowAction, FlowEngine, kind_of};
use crate::dialogue::flow_file::model::{Answers, InputPolicy, StepKind};
use crate::dialogue::language::meaning::Meaning;
use crate::dialogue::language::slots::{find, normalise as normalise_slot};
use crate::dialogue::language::speech::{
    DIGIT_WORDS, match_choice, normalise, spoken_digits, spoken_key,
};

/// How a step understood one utterance.
pub(super) enum Understood {
    /// A choice of a menu or ask, with the step it leads to.
    Choice(char, String),
    /// A complete collect entry.
    Entry(String),
    /// The free answer to an ask, with the step after it.
    Answer(String, String),
    /// An intent an intent step routes, with the step it leads to.
    Intent(String, String),
    /// The utterance interrupted a `play` or `say`; the flow continues at this step.
    Interrupted(String),
    /// A failed attempt.
    Failed(Failure),
}

impl FlowEngine {
    /// The phrases a recogniser should expect in the current step: the phrases of a menu or of
    /// an ask with choices, or the digit words in a collect step; empty where the flow does not
    /// listen for particular words.
    pub fn expected_phrases(&self) -> Vec<String> {
        if self.finished {
            return Vec::new();
        }
        match kind_of(&self.flow, self.step.as_ref()) {
            Some(StepKind::Menu(menu)) => menu.phrases.values().flatten().cloned().collect(),
            Some(StepKind::Collect(_)) => DIGIT_WORDS.iter().map(ToString::to_string).collect(),
            Some(StepKind::Ask(ask)) if ask.accepts.speech() => match &ask.answers {
                Answers::Choices { phrases, .. } => phrases.values().flatten().cloned().collect(),
                Answers::Free { .. } => Vec::new(),
            },
            // What callers may ask about, in words: the intents' names ("refund status"), so
            // the recogniser expects "refund" rather than "reasons".
            Some(StepKind::Intent(step)) => {
                let escalation = self.flow.escalation.as_ref();
                let asked = escalation.into_iter().flat_map(|policy| {
                    policy.human_intents.iter().chain(&policy.complaint_intents)
                });
                step.intents
                    .keys()
                    .chain(asked)
                    .map(|name| name.replace('_', " "))
                    .collect()
            }
            _ => Vec::new(),
        }
    }

    /// Whether `text`, heard in the current step, answers it (a choice of a menu or ask, or a
    /// complete entry; a free answer never counts, as the caller may say more). The driver
    /// uses this to end a caller's turn early when a speculative transcript of the audio so far
    /// already answers, instead of waiting out the trailing silence. Words alone do not route
    /// an intent step (only a key said alone does): see [`FlowEngine::meaning_answers_step`].
    pub fn answers_step(&self, text: &str, confidence: f32) -> bool {
        !self.finished
            && matches!(
                kind_of(&self.flow, self.step.as_ref()).and_then(|kind| {
                    // Only choices and entries count, and neither depends on the date.
                    self.understand(kind, text, confidence, None, DateTime::UNIX_EPOCH)
                }),
                Some(Understood::Choice(..) | Understood::Entry(_))
            )
    }

    /// The caller started speaking over a prompt: stops it when the step allows that.
    pub(super) fn speech_started(&mut self) {
        let flow = Arc::clone(&self.flow);
        let Some(kind) = kind_of(&flow, self.step.as_ref()) else {
            return;
        };
        if self.playing && interruptible(kind) && listens_to_speech(kind) {
            self.barge_in();
        }
    }

    /// Handles one transcript while the flow runs.
    pub(super) fn speech(&mut self, wall: DateTime<Utc>, text: String, confidence: f32) {
        let step = self.step.clone().unwrap_or_default();
        let flow = Arc::clone(&self.flow);
        let understood = kind_of(&flow, self.step.as_ref())
            .and_then(|kind| self.understand(kind, &text, confidence, self.meaning.as_ref(), wall));
        let matched = match &understood {
            Some(Understood::Choice(choice, _)) => Some(choice.to_string()),
            Some(Understood::Entry(entry)) => Some(entry.clone()),
            Some(Understood::Answer(answer, _)) => Some(answer.clone()),
            Some(Understood::Intent(intent, _)) => Some(intent.clone()),
            Some(Understood::Interrupted(_) | Understood::Failed(_)) | None => None,
        };
        self.actions.push_back(FlowAction::Heard {
            text,
            step,
            matched,
        });
        let Some(understood) = understood else {
            return;
        };
        let not_understood = matches!(understood, Understood::Failed(Failure::Invalid));
        if not_understood || matches!(understood, Understood::Interrupted(_)) {
            if let Some(trigger) = self.escalation_trigger(not_understood) {
                self.note_intent();
                self.escalate(wall, trigger);
                return;
            }
        } else if !matches!(understood, Understood::Failed(_)) {
            self.conversation.no_matches = 0;
        }
        self.barge_in();
        match understood {
            Understood::Choice(choice, target) => self.choose(choice, target, wall),
            Understood::Intent(intent, target) => {
                self.note_intent();
                let today = self.today(wall);
                let found: Vec<(String, String)> = flow
                    .slots
                    .iter()
                    .filter_map(|(slot, kind)| {
                        Some((slot.clone(), find(kind, &self.heard, today)?))
                    })
                    .collect();
                for (slot, value) in found {
                    self.conversation.stated(&slot);
                    self.store(&slot, value);
                }
                self.store("intent", intent.clone());
                self.go_to(target, wall);
            }
            Understood::Entry(entry) => {
                self.entry = entry;
                self.finish_entry(wall);
            }
            Understood::Answer(answer, next) => {
                if let Some(StepKind::Ask(ask)) = kind_of(&flow, self.step.as_ref())
                    && let Some(variable) = &ask.variable
                {
                    self.conversation.stated(variable);
                    self.store(variable, answer);
                }
                self.go_to(next, wall);
            }
            Understood::Interrupted(next) => self.go_to(next, wall),
            Understood::Failed(failure) => self.fail(wall, failure),
        }
    }

    /// The caller's date today, in the flow's timezone.
    fn today(&self, wall: DateTime<Utc>) -> NaiveDate {
        match self.flow.timezone {
            Some(timezone) => wall.with_timezone(&timezone).date_naive(),
            None => wall.date_naive(),
        }
    }

    /// What an utterance, meaning `meaning`, means in a step of this kind now; `None` when it
    /// is only reported.
    pub(super) fn understand(
        &self,
        kind: &StepKind,
        text: &str,
        confidence: f32,
        meaning: Option<&Meaning>,
        wall: DateTime<Utc>,
    ) -> Option<Understood> {
        if !listens_to_speech(kind) || (self.playing && !interruptible(kind)) {
            return None;
        }
        match kind {
            StepKind::Play { next, .. }
            | StepKind::Say { next, .. }
            | StepKind::Answer { next, .. } => {
                // Silence does not interrupt, but ends an interruption already under way.
                let interrupts = !self.playing || !normalise(text).is_empty();
                interrupts.then(|| Understood::Interrupted(next.clone()))
            }
            StepKind::Menu(menu) => Some(judge(text, confidence, &menu.input, |words| {
                if let Some(choice) = typed_key(words, &menu.choices) {
                    return Some(choice);
                }
                let choice = match_choice(words, &menu.phrases)?;
                Some(Understood::Choice(
                    choice,
                    menu.choices.get(&choice)?.clone(),
                ))
            })),
            StepKind::Collect(collect) => Some(judge(text, confidence, &collect.input, |words| {
                let digits = spoken_digits(words).filter(|digits| !digits.is_empty())?;
                let entry = format!("{}{digits}", self.entry);
                let length = entry.len();
                (collect.min_digits..=collect.max_digits)
                    .contains(&length)
                    .then_some(Understood::Entry(entry))
            })),
            StepKind::Ask(ask) => Some(judge(text, confidence, &ask.input, |words| {
                match &ask.answers {
                    Answers::Choices { choices, phrases } => {
                        if let Some(choice) = typed_key(words, choices) {
                            return Some(choice);
                        }
                        let choice = match_choice(words, phrases)?;
                        Some(Understood::Choice(choice, choices.get(&choice)?.clone()))
                    }
                    Answers::Free { next } => {
                        let answer =
                            match ask.slot.as_ref().and_then(|slot| self.flow.slots.get(slot)) {
                                Some(kind) => normalise_slot(kind, text, self.today(wall)).ok()?,
                                None => text.trim().to_string(),
                            };
                        Some(Understood::Answer(answer, next.clone()))
                    }
                }
            })),
            StepKind::Intent(step) => Some(judge(text, confidence, &step.input, |words| {
                if let Some(choice) = typed_key(words, &step.choices) {
                    return Some(choice);
                }
                let intent = meaning?.intent.as_ref()?;
                let target = step.intents.get(intent)?;
                Some(Understood::Intent(intent.clone(), target.clone()))
            })),
            StepKind::Goto { .. }
            | StepKind::Record { .. }
            | StepKind::Hours { .. }
            | StepKind::Hangup { .. }
            | StepKind::Lookup(_)
            | StepKind::Branch { .. }
            | StepKind::Transfer(_) => None,
        }
    }
}

/// A key typed or said as a whole message ("1" in a menu, "one", "按一"; see [`spoken_key`]),
/// as that choice.
fn typed_key(words: &[String], choices: &BTreeMap<char, String>) -> Option<Understood> {
    let key = spoken_key(words)?;
    let target = choices.get(&key)?;
    Some(Understood::Choice(key, target.clone()))
}

/// Applies the checks shared by menu, collect and ask steps, then `accept` to the words.
fn judge(
    text: &str,
    confidence: f32,
    input: &InputPolicy,
    accept: impl FnOnce(&[String]) -> Option<Understood>,
) -> Understood {
    let words = normalise(text);
    if words.is_empty() {
        return Understood::Failed(Failure::NoInput);
    }
    if confidence.is_nan() || confidence < input.minimum_confidence {
        return Understood::Failed(Failure::Invalid);
    }
    accept(&words).unwrap_or(Understood::Failed(Failure::Invalid))
}

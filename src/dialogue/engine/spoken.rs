//! What the engine does with speech: transcripts in menu and collect steps, and the phrases the
//! recogniser should expect in the current step.
//!
//! In a menu the choice whose phrase occurs in the transcript (longest phrase first) is taken;
//! in a collect step the spoken digits, appended to any keyed before, end the entry, which must
//! hold `min_digits` to `max_digits` digits (no terminator is needed). An empty transcript is no
//! input; a transcript below the step's `minimum_confidence`, or one that matches nothing, is
//! invalid input. Speech in any other step is only reported.

use chrono::{DateTime, Utc};

use super::{Failure, FlowAction, FlowEngine, kind_of};
use crate::dialogue::model::{InputPolicy, StepKind};
use crate::dialogue::speech::{DIGIT_WORDS, match_choice, normalise, spoken_digits};

/// How a menu or collect step understood one utterance.
enum Understood {
    /// A menu choice, with the step it leads to.
    Choice(char, String),
    /// A complete collect entry.
    Entry(String),
    /// A failed attempt.
    Failed(Failure),
}

impl FlowEngine {
    /// The phrases a recogniser should expect in the current step: the menu's phrases, or the
    /// digit words in a collect step; empty where the flow does not listen.
    pub fn expected_phrases(&self) -> Vec<String> {
        if self.finished {
            return Vec::new();
        }
        match kind_of(&self.flow, self.step.as_ref()) {
            Some(StepKind::Menu(menu)) => menu.phrases.values().flatten().cloned().collect(),
            Some(StepKind::Collect(_)) => DIGIT_WORDS.iter().map(ToString::to_string).collect(),
            _ => Vec::new(),
        }
    }

    /// Whether `text`, heard in the current step, answers it (a menu choice or a complete
    /// entry). The driver uses this to end a caller's turn early when a speculative transcript
    /// of the audio so far already answers, instead of waiting out the trailing silence.
    pub fn answers_step(&self, text: &str, confidence: f32) -> bool {
        !self.finished
            && matches!(
                self.understand_speech(text, confidence),
                Some(Understood::Choice(..) | Understood::Entry(_))
            )
    }

    /// Handles one transcript while the flow runs.
    pub(super) fn speech(&mut self, wall: DateTime<Utc>, text: String, confidence: f32) {
        let step = self.step.clone().unwrap_or_default();
        let understood = self.understand_speech(&text, confidence);
        let matched = match &understood {
            Some(Understood::Choice(choice, _)) => Some(choice.to_string()),
            Some(Understood::Entry(entry)) => Some(entry.clone()),
            Some(Understood::Failed(_)) | None => None,
        };
        self.actions.push_back(FlowAction::Heard {
            text,
            step,
            matched,
        });
        let Some(understood) = understood else {
            return;
        };
        self.barge_in();
        match understood {
            Understood::Choice(_, target) => self.go_to(target, wall),
            Understood::Entry(entry) => {
                self.entry = entry;
                self.finish_entry(wall);
            }
            Understood::Failed(failure) => self.fail(wall, failure),
        }
    }

    /// How the current step understands one transcript; `None` where the step does not listen.
    fn understand_speech(&self, text: &str, confidence: f32) -> Option<Understood> {
        match kind_of(&self.flow, self.step.as_ref()) {
            Some(StepKind::Menu(menu)) => {
                Some(understand(text, confidence, &menu.input, |words| {
                    let choice = match_choice(words, &menu.phrases)?;
                    Some(Understood::Choice(
                        choice,
                        menu.choices.get(&choice)?.clone(),
                    ))
                }))
            }
            Some(StepKind::Collect(collect)) => {
                Some(understand(&text, confidence, &collect.input, |words| {
                    let digits = spoken_digits(words).filter(|digits| !digits.is_empty())?;
                    let entry = format!("{}{digits}", self.entry);
                    let length = entry.len();
                    (collect.min_digits..=collect.max_digits)
                        .contains(&length)
                        .then_some(Understood::Entry(entry))
                }))
            }
            _ => None,
        }
    }
}

/// Applies the checks shared by menu and collect steps, then `accept` to the words.
fn understand(
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

//! The `intent` and `answer` steps as written in flow files.
//!
//! An `intent` step asks an open question (a recorded `prompt` or a `text`) and branches on what
//! the caller wants: `intents` maps intent names (from the flow's intents file) to steps, and
//! `choices` maps keys to steps for callers who press instead. Something understood that the
//! step does not route is no match: the `invalid` message plays and the question is asked again,
//! `retries` times (default 1), then the flow continues at `on_failure`. Defaults as for menus
//! otherwise.
//!
//! An `answer` step speaks the knowledge-base article that answers what the caller last said,
//! then continues at `next`; without an article that answers it, at `on_no_answer`.

use std::collections::BTreeMap;
use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;

use super::context::Context;
use super::messages::{FailureMessages, message};
use super::model::{InputPolicy, IntentStep, StepKind};
use super::speech_keys::minimum_confidence;
use super::steps::{DEFAULT_BARGE_IN, DEFAULT_TIMEOUT, convert_choices};
use super::values::FlowDefaults;

/// How many more attempts an intent step allows when it does not say: re-prompt once.
const DEFAULT_INTENT_RETRIES: u32 = 1;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawIntent {
    prompt: Option<Spanned<String>>,
    text: Option<Spanned<String>>,
    intents: BTreeMap<Spanned<String>, Spanned<String>>,
    #[serde(default)]
    choices: BTreeMap<Spanned<String>, Spanned<String>>,
    minimum_confidence: Option<Spanned<f64>>,
    timeout: Option<Spanned<String>>,
    retries: Option<u32>,
    no_input_prompt: Option<Spanned<String>>,
    invalid_prompt: Option<Spanned<String>>,
    no_input_text: Option<Spanned<String>>,
    invalid_text: Option<Spanned<String>>,
    barge_in: Option<bool>,
    on_failure: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawAnswer {
    next: Spanned<String>,
    on_no_answer: Spanned<String>,
    barge_in: Option<bool>,
}

impl RawIntent {
    /// Converts the step declared at `span`; `None` when its question is missing or broken.
    pub(super) fn convert(
        self,
        context: &mut Context<'_>,
        step: &str,
        span: Range<usize>,
        defaults: FlowDefaults,
    ) -> Option<StepKind> {
        let prompt = message(context, step, span, &self.prompt, &self.text);
        let failures = FailureMessages {
            no_input_prompt: &self.no_input_prompt,
            no_input_text: &self.no_input_text,
            invalid_prompt: &self.invalid_prompt,
            invalid_text: &self.invalid_text,
        };
        let (no_input, invalid) = failures.convert(context, step)?;
        let mut intents = BTreeMap::new();
        for (intent, target) in &self.intents {
            let key = format!("intents.{}", intent.get_ref());
            let target = context.reference(step, &key, target);
            intents.insert(intent.get_ref().clone(), target);
        }
        let choices = convert_choices(context, step, &self.choices);
        let input = InputPolicy {
            timeout: context.duration(&self.timeout, DEFAULT_TIMEOUT),
            retries: self.retries.unwrap_or(DEFAULT_INTENT_RETRIES),
            no_input,
            invalid,
            on_failure: context.reference(step, "on_failure", &self.on_failure),
            minimum_confidence: minimum_confidence(context, &self.minimum_confidence, defaults),
        };
        Some(StepKind::Intent(IntentStep {
            prompt: prompt?,
            intents,
            choices,
            barge_in: self.barge_in.unwrap_or(DEFAULT_BARGE_IN),
            input,
        }))
    }
}

impl RawAnswer {
    pub(super) fn convert(self, context: &mut Context<'_>, step: &str) -> StepKind {
        StepKind::Answer {
            next: context.reference(step, "next", &self.next),
            on_no_answer: context.reference(step, "on_no_answer", &self.on_no_answer),
            barge_in: self.barge_in.unwrap_or(DEFAULT_BARGE_IN),
        }
    }
}

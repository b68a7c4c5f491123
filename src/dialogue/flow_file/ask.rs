//! The `ask` step as written in flow files, and its checks.
//!
//! An ask speaks a question (a text with placeholders) and takes the caller's answer: one of its
//! `choices`, by key or by one of the choice's `phrases`, or, without choices, whatever the
//! caller says, stored in `variable` before the flow continues at `next`; with `slot` (a slot
//! of the flow's `[slots]`) only an answer of that kind counts, stored normalised (a date as
//! YYYY-MM-DD, a phone number as +15550100001). Defaults: `input`
//! "speech_and_dtmf" with choices and "speech" without, `timeout` 5s, `retries` 2,
//! `minimum_confidence` the flow's, `barge_in` true, no failure texts.
//!
//! Every combination that could never be answered is an error at its line: neither or both of
//! `choices` and `next`, a free answer without `variable`, keys without choices, phrases that
//! are never heard, and a speech-only choice without phrases.

use std::collections::BTreeMap;
use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;

use super::context::Context;
use super::error::{FlowError, invalid};
use super::model::{Answers, Ask, AskInput, InputPolicy, Message, StepKind};
use super::speech_keys::{convert_phrases, minimum_confidence};
use super::steps::{DEFAULT_BARGE_IN, DEFAULT_RETRIES, DEFAULT_TIMEOUT, convert_choices};
use super::template::parse_text;
use super::values::{FlowDefaults, parse_dtmf_key};

type RawChoices = BTreeMap<Spanned<String>, Spanned<String>>;
type RawPhrases = BTreeMap<Spanned<String>, Vec<Spanned<String>>>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawAsk {
    text: Spanned<String>,
    variable: Option<String>,
    choices: Option<RawChoices>,
    phrases: Option<RawPhrases>,
    input: Option<Spanned<String>>,
    minimum_confidence: Option<Spanned<f64>>,
    timeout: Option<Spanned<String>>,
    retries: Option<u32>,
    no_input_text: Option<Spanned<String>>,
    invalid_text: Option<Spanned<String>>,
    barge_in: Option<bool>,
    next: Option<Spanned<String>>,
    slot: Option<Spanned<String>>,
    on_failure: Spanned<String>,
}

impl RawAsk {
    /// Converts the step declared at `span`; `None` when it could never be answered or a text
    /// is malformed (every problem is recorded).
    pub(super) fn convert(
        self,
        context: &mut Context<'_>,
        step: &str,
        span: Range<usize>,
        defaults: FlowDefaults,
    ) -> Option<StepKind> {
        let text = parse_text(context, "text", &self.text);
        let no_input = failure_text(context, "no_input_text", &self.no_input_text);
        let invalid_message = failure_text(context, "invalid_text", &self.invalid_text);
        let timeout = context.duration(&self.timeout, DEFAULT_TIMEOUT);
        let on_failure = context.reference(step, "on_failure", &self.on_failure);
        let confidence = minimum_confidence(context, &self.minimum_confidence, defaults);
        let accepts = self.input.as_ref().map(|value| parse_input(context, value));
        let answers = self.answers(context, step, span, accepts.flatten());
        let (Some(text), Ok(no_input), Ok(invalid), Some(answers)) =
            (text, no_input, invalid_message, answers)
        else {
            return None;
        };
        let accepts = match accepts {
            Some(written) => written?,
            None => match answers {
                Answers::Choices { .. } => AskInput::SpeechAndDtmf,
                Answers::Free { .. } => AskInput::Speech,
            },
        };
        let slot = match &self.slot {
            None => None,
            Some(slot) if !context.slots.contains(slot.get_ref()) => {
                let message = format!(
                    "`slot` names '{}', which is not in the flow's `[slots]`",
                    slot.get_ref()
                );
                context.error(slot.span(), FlowError::Field { message });
                return None;
            }
            Some(slot) if matches!(answers, Answers::Choices { .. }) => {
                let message = "`slot` applies to free answers, not to `choices`".into();
                context.error(slot.span(), FlowError::Field { message });
                return None;
            }
            Some(slot) => Some(slot.get_ref().clone()),
        };
        Some(StepKind::Ask(Ask {
            text,
            variable: self.variable,
            answers,
            accepts,
            slot,
            barge_in: self.barge_in.unwrap_or(DEFAULT_BARGE_IN),
            input: InputPolicy {
                timeout,
                retries: self.retries.unwrap_or(DEFAULT_RETRIES),
                no_input,
                invalid,
                on_failure,
                minimum_confidence: confidence,
            },
        }))
    }

    /// Reads `choices`, `phrases` and `next` together with the `input` written in the step;
    /// `None` when the answers are unusable (the problems are recorded).
    fn answers(
        &self,
        context: &mut Context<'_>,
        step: &str,
        span: Range<usize>,
        accepts: Option<AskInput>,
    ) -> Option<Answers> {
        let step_name = step.to_string();
        match (&self.choices, &self.next) {
            (Some(raw_choices), None) => {
                let choices = convert_choices(context, step, raw_choices);
                let phrases = self.phrases.as_ref().map_or_else(BTreeMap::new, |phrases| {
                    convert_phrases(context, phrases, &choices)
                });
                if raw_choices.is_empty() {
                    let message = "`choices` must offer at least one answer".into();
                    context.error(span, FlowError::Field { message });
                    return None;
                }
                let mut usable = true;
                if let (Some(input), Some(AskInput::Dtmf), Some(_)) =
                    (&self.input, accepts, &self.phrases)
                {
                    context.error(input.span(), FlowError::PhrasesWithoutSpeech);
                    usable = false;
                }
                if accepts == Some(AskInput::Speech) {
                    for key in raw_choices.keys() {
                        let Some(choice) = parse_dtmf_key(key.get_ref()) else {
                            continue;
                        };
                        if !phrases.contains_key(&choice) {
                            let error = FlowError::ChoiceWithoutPhrases { key: choice };
                            context.error(key.span(), error);
                            usable = false;
                        }
                    }
                }
                usable.then_some(Answers::Choices { choices, phrases })
            }
            (None, Some(next)) => {
                let next = context.reference(step, "next", next);
                if let Some(phrases) = &self.phrases {
                    convert_phrases(context, phrases, &BTreeMap::new());
                }
                let mut usable = true;
                if self.variable.is_none() {
                    let error = FlowError::FreeAnswerWithoutVariable { step: step_name };
                    context.error(span, error);
                    usable = false;
                }
                if let (Some(input), Some(AskInput::Dtmf | AskInput::SpeechAndDtmf)) =
                    (&self.input, accepts)
                {
                    let error = FlowError::KeysWithoutChoices {
                        input: input.get_ref().clone(),
                    };
                    context.error(input.span(), error);
                    usable = false;
                }
                usable.then_some(Answers::Free { next })
            }
            (Some(raw_choices), Some(next)) => {
                convert_choices(context, step, raw_choices);
                context.reference(step, "next", next);
                let error = FlowError::AskWithChoicesAndNext { step: step_name };
                context.error(next.span(), error);
                None
            }
            (None, None) => {
                context.error(span, FlowError::AskWithoutAnswers { step: step_name });
                None
            }
        }
    }
}

/// Reads an optional failure text; `Err` when it is malformed (the problem is recorded).
fn failure_text(
    context: &mut Context<'_>,
    key: &'static str,
    source: &Option<Spanned<String>>,
) -> Result<Option<Message>, ()> {
    match source {
        Some(source) => parse_text(context, key, source)
            .map(|text| Some(Message::Text(text)))
            .ok_or(()),
        None => Ok(None),
    }
}

/// Reads `input`, reporting a value that is not one of the three modes.
fn parse_input(context: &mut Context<'_>, value: &Spanned<String>) -> Option<AskInput> {
    let parsed = match value.get_ref().as_str() {
        "speech" => Some(AskInput::Speech),
        "dtmf" => Some(AskInput::Dtmf),
        "speech_and_dtmf" => Some(AskInput::SpeechAndDtmf),
        _ => None,
    };
    if parsed.is_none() {
        let expected = "expected \"speech\", \"dtmf\" or \"speech_and_dtmf\"";
        context.error(value.span(), invalid("input", value.get_ref(), expected));
    }
    parsed
}

//! Step tables as written in flow files, and their conversion into the validated model.
//!
//! Each step type has its own raw struct with `deny_unknown_fields`; the `type` key is read and
//! removed before the rest of the table is deserialized, so one bad step never hides problems in
//! the others. Defaults: menu and collect `timeout` 5s, `retries` 2, `minimum_confidence` the
//! flow's (else 0.3); menu `phrases` none; collect `min_digits` 1, `inter_digit_timeout` 3s;
//! `barge_in` true for play, say, menu and collect; hangup `reason` "flow ended". The `ask`
//! step has its own module.

use std::collections::BTreeMap;
use std::ops::Range;
use std::time::Duration;

use chrono::NaiveDate;
use chrono_tz::Tz;
use serde::Deserialize;
use toml::Spanned;

use super::context::Context;
use super::error::{FlowError, invalid};
use super::hours::{Hours, Window, parse_clock_time, parse_day};
use super::messages::{FailureMessages, message};
use super::model::{Collect, InputPolicy, Menu, StepKind};
use super::speech_keys::{convert_phrases, minimum_confidence};
use super::template::parse_text;
use super::values::{DTMF_KEYS, FlowDefaults, parse_dtmf_key};

/// The step types a flow file may use.
pub const STEP_TYPES: &str = "play, say, menu, collect, ask, intent, answer, lookup, branch, transfer, goto, hours, record, hangup";

/// How long menu, collect and ask steps wait for input when the step does not say.
pub(super) const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5);
const DEFAULT_INTER_DIGIT_TIMEOUT: Duration = Duration::from_secs(3);
/// How many more attempts menu, collect and ask steps allow when the step does not say.
pub(super) const DEFAULT_RETRIES: u32 = 2;
/// Whether caller input may interrupt a step's prompts when the step does not say.
pub(super) const DEFAULT_BARGE_IN: bool = true;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawPlay {
    prompt: Spanned<String>,
    next: Spanned<String>,
    barge_in: Option<bool>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSay {
    text: Spanned<String>,
    next: Spanned<String>,
    barge_in: Option<bool>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawMenu {
    prompt: Option<Spanned<String>>,
    text: Option<Spanned<String>>,
    choices: BTreeMap<Spanned<String>, Spanned<String>>,
    phrases: Option<BTreeMap<Spanned<String>, Vec<Spanned<String>>>>,
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
pub(super) struct RawCollect {
    prompt: Option<Spanned<String>>,
    text: Option<Spanned<String>>,
    variable: String,
    min_digits: Option<Spanned<usize>>,
    max_digits: Spanned<usize>,
    terminator: Option<Spanned<String>>,
    minimum_confidence: Option<Spanned<f64>>,
    timeout: Option<Spanned<String>>,
    inter_digit_timeout: Option<Spanned<String>>,
    retries: Option<u32>,
    no_input_prompt: Option<Spanned<String>>,
    invalid_prompt: Option<Spanned<String>>,
    no_input_text: Option<Spanned<String>>,
    invalid_text: Option<Spanned<String>>,
    barge_in: Option<bool>,
    #[serde(default)]
    reuse: bool,
    next: Spanned<String>,
    on_failure: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawGoto {
    target: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawRecord {
    action: Spanned<String>,
    next: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawHours {
    timezone: Option<Spanned<String>>,
    windows: Vec<Spanned<RawWindow>>,
    #[serde(default)]
    closed_dates: Vec<Spanned<String>>,
    open: Spanned<String>,
    closed: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawWindow {
    days: Vec<Spanned<String>>,
    from: Spanned<String>,
    to: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawHangup {
    prompt: Option<Spanned<String>>,
    reason: Option<String>,
}

/// Parses a timezone name, reporting it when unknown.
pub(super) fn timezone(context: &mut Context<'_>, name: &Spanned<String>) -> Option<Tz> {
    let parsed = name.get_ref().parse::<Tz>().ok();
    if parsed.is_none() {
        context.error(
            name.span(),
            FlowError::InvalidValue {
                what: "timezone",
                value: name.get_ref().clone(),
                expected: "expected an IANA name such as \"America/New_York\"".into(),
            },
        );
    }
    parsed
}

impl RawPlay {
    pub(super) fn convert(self, context: &mut Context<'_>, step: &str) -> StepKind {
        StepKind::Play {
            prompt: context.prompt(&self.prompt),
            next: context.reference(step, "next", &self.next),
            barge_in: self.barge_in.unwrap_or(DEFAULT_BARGE_IN),
        }
    }
}

impl RawSay {
    /// Converts the step; `None` when the text is empty or malformed (the problem is recorded).
    pub(super) fn convert(self, context: &mut Context<'_>, step: &str) -> Option<StepKind> {
        let next = context.reference(step, "next", &self.next);
        let text = parse_text(context, "text", &self.text)?;
        Some(StepKind::Say {
            text,
            next,
            barge_in: self.barge_in.unwrap_or(DEFAULT_BARGE_IN),
        })
    }
}

impl RawMenu {
    /// Converts the step declared at `span`; `None` when its prompt is missing or broken.
    pub(super) fn convert(
        self,
        context: &mut Context<'_>,
        step: &str,
        span: Range<usize>,
        defaults: FlowDefaults,
    ) -> Option<StepKind> {
        let prompt = message(context, step, span, &self.prompt, &self.text);
        let choices = convert_choices(context, step, &self.choices);
        let failures = FailureMessages {
            no_input_prompt: &self.no_input_prompt,
            no_input_text: &self.no_input_text,
            invalid_prompt: &self.invalid_prompt,
            invalid_text: &self.invalid_text,
        };
        let (no_input, invalid) = failures.convert(context, step)?;
        let input = InputPolicy {
            timeout: context.duration(&self.timeout, DEFAULT_TIMEOUT),
            retries: self.retries.unwrap_or(DEFAULT_RETRIES),
            no_input,
            invalid,
            on_failure: context.reference(step, "on_failure", &self.on_failure),
            minimum_confidence: minimum_confidence(context, &self.minimum_confidence, defaults),
        };
        let phrases = self.phrases.as_ref().map_or_else(BTreeMap::new, |phrases| {
            convert_phrases(context, phrases, &choices)
        });
        Some(StepKind::Menu(Menu {
            prompt: prompt?,
            choices,
            phrases,
            barge_in: self.barge_in.unwrap_or(DEFAULT_BARGE_IN),
            input,
        }))
    }
}

/// Reads `choices`: each key must be a DTMF key, and each target is a step reference.
pub(super) fn convert_choices(
    context: &mut Context<'_>,
    step: &str,
    raw: &BTreeMap<Spanned<String>, Spanned<String>>,
) -> BTreeMap<char, String> {
    let mut choices = BTreeMap::new();
    for (key, target) in raw {
        let target = context.reference(step, &format!("choices.\"{}\"", key.get_ref()), target);
        match parse_dtmf_key(key.get_ref()) {
            Some(key) => {
                choices.insert(key, target);
            }
            None => context.error(key.span(), invalid_key(key.get_ref())),
        }
    }
    choices
}

impl RawCollect {
    /// Converts the step declared at `span`; `None` when its prompt is missing or broken.
    pub(super) fn convert(
        self,
        context: &mut Context<'_>,
        step: &str,
        span: Range<usize>,
        defaults: FlowDefaults,
    ) -> Option<StepKind> {
        let prompt = message(context, step, span, &self.prompt, &self.text);
        let min_digits = self.min_digits.as_ref().map_or(1, |min| *min.get_ref());
        let max_digits = *self.max_digits.get_ref();
        if min_digits > max_digits || max_digits == 0 {
            let span = self
                .min_digits
                .as_ref()
                .map_or(self.max_digits.span(), Spanned::span);
            context.error(
                span,
                FlowError::DigitBounds {
                    min: min_digits,
                    max: max_digits,
                },
            );
        }
        let terminator = self.terminator.as_ref().and_then(|terminator| {
            let key = parse_dtmf_key(terminator.get_ref()).filter(|key| !key.is_ascii_digit());
            if key.is_none() {
                context.error(terminator.span(), invalid_terminator(terminator.get_ref()));
            }
            key
        });
        let failures = FailureMessages {
            no_input_prompt: &self.no_input_prompt,
            no_input_text: &self.no_input_text,
            invalid_prompt: &self.invalid_prompt,
            invalid_text: &self.invalid_text,
        };
        let (no_input, invalid) = failures.convert(context, step)?;
        let input = InputPolicy {
            timeout: context.duration(&self.timeout, DEFAULT_TIMEOUT),
            retries: self.retries.unwrap_or(DEFAULT_RETRIES),
            no_input,
            invalid,
            on_failure: context.reference(step, "on_failure", &self.on_failure),
            minimum_confidence: minimum_confidence(context, &self.minimum_confidence, defaults),
        };
        Some(StepKind::Collect(Collect {
            prompt: prompt?,
            variable: self.variable,
            min_digits,
            max_digits,
            terminator,
            inter_digit_timeout: context
                .duration(&self.inter_digit_timeout, DEFAULT_INTER_DIGIT_TIMEOUT),
            next: context.reference(step, "next", &self.next),
            barge_in: self.barge_in.unwrap_or(DEFAULT_BARGE_IN),
            input,
            reuse: self.reuse,
        }))
    }
}

impl RawGoto {
    pub(super) fn convert(self, context: &mut Context<'_>, step: &str) -> StepKind {
        StepKind::Goto {
            target: context.reference(step, "target", &self.target),
        }
    }
}

impl RawRecord {
    pub(super) fn convert(self, context: &mut Context<'_>, step: &str) -> StepKind {
        let pause = match self.action.get_ref().as_str() {
            "pause" => true,
            "resume" => false,
            other => {
                context.error(
                    self.action.span(),
                    FlowError::InvalidValue {
                        what: "record action",
                        value: other.to_string(),
                        expected: "expected \"pause\" or \"resume\"".into(),
                    },
                );
                false
            }
        };
        StepKind::Record {
            pause,
            next: context.reference(step, "next", &self.next),
        }
    }
}

impl RawHours {
    /// Converts the step; `flow_timezone` is used when the step names none. Returns `None` when
    /// no usable timezone exists (the problem is already recorded).
    pub(super) fn convert(
        self,
        context: &mut Context<'_>,
        step: &str,
        step_span: std::ops::Range<usize>,
        flow_timezone: Option<Tz>,
    ) -> Option<StepKind> {
        let open = context.reference(step, "open", &self.open);
        let closed = context.reference(step, "closed", &self.closed);
        let windows = self
            .windows
            .iter()
            .filter_map(|window| convert_window(context, window));
        let windows: Vec<Window> = windows.collect();
        let closed_dates = self.closed_dates.iter().filter_map(|date| {
            let parsed = NaiveDate::parse_from_str(date.get_ref(), "%Y-%m-%d").ok();
            if parsed.is_none() {
                context.error(
                    date.span(),
                    invalid("date", date.get_ref(), "expected YYYY-MM-DD"),
                );
            }
            parsed
        });
        let closed_dates: Vec<NaiveDate> = closed_dates.collect();
        let timezone = match &self.timezone {
            Some(name) => timezone(context, name)?,
            None => {
                let Some(timezone) = flow_timezone else {
                    context.error(step_span, FlowError::MissingTimezone { step: step.into() });
                    return None;
                };
                timezone
            }
        };
        let hours = Hours {
            timezone,
            windows,
            closed_dates,
        };
        Some(StepKind::Hours {
            hours,
            open,
            closed,
        })
    }
}

fn convert_window(context: &mut Context<'_>, window: &Spanned<RawWindow>) -> Option<Window> {
    let raw = window.get_ref();
    let mut valid = true;
    let mut days = Vec::new();
    for day in &raw.days {
        match parse_day(day.get_ref()) {
            Some(parsed) => days.push(parsed),
            None => {
                valid = false;
                let expected = "expected mon, tue, wed, thu, fri, sat or sun";
                context.error(day.span(), invalid("day", day.get_ref(), expected));
            }
        }
    }
    let mut clock = |time: &Spanned<String>| {
        let parsed = parse_clock_time(time.get_ref());
        if parsed.is_none() {
            let expected = "expected HH:MM between 00:00 and 24:00";
            context.error(time.span(), invalid("time", time.get_ref(), expected));
        }
        parsed
    };
    let (from, to) = (clock(&raw.from), clock(&raw.to));
    let (Some(from_minute), Some(to_minute)) = (from, to) else {
        return None;
    };
    if from_minute >= to_minute {
        let (from, to) = (raw.from.get_ref().clone(), raw.to.get_ref().clone());
        context.error(raw.from.span(), FlowError::EmptyWindow { from, to });
        valid = false;
    }
    valid.then_some(Window {
        days,
        from_minute,
        to_minute,
    })
}

impl RawHangup {
    pub(super) fn convert(self, context: &mut Context<'_>) -> StepKind {
        StepKind::Hangup {
            prompt: context.optional_prompt(&self.prompt),
            reason: self.reason.unwrap_or_else(|| "flow ended".into()),
        }
    }
}

fn invalid_key(value: &str) -> FlowError {
    invalid("DTMF key", value, &format!("expected one of {DTMF_KEYS}"))
}

fn invalid_terminator(value: &str) -> FlowError {
    invalid("terminator", value, "expected one of * # A B C D")
}

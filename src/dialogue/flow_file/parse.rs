//! Turns the text of one flow file into a `Flow`, without touching the file system.
//!
//! Parsing continues past problems wherever it can: TOML syntax errors are all reported (with
//! best-effort recovery), the header and each step are deserialized separately, and graph checks
//! run over whatever steps parsed. The result carries the prompt files still to be checked by the
//! loader, which owns all I/O.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;

use serde::Deserialize;
use toml::Spanned;
use toml::de::{DeTable, DeValue, ValueDeserializer};

use super::ask::RawAsk;
use super::context::{Context, PromptReference, Reference};
use super::error::{FlowError, Problem};
use super::graph::check_graph;
use super::intent_step::{RawAnswer, RawIntent};
use super::lookup_step::{RawBranch, RawLookup};
use super::model::{Flow, Step, StepKind};
use super::speech_keys::{DEFAULT_MINIMUM_CONFIDENCE, confidence};
use super::steps::{
    RawCollect, RawGoto, RawHangup, RawHours, RawMenu, RawPlay, RawRecord, RawSay, STEP_TYPES,
    timezone,
};
use super::template::check_variables;
use super::transfer_step::{RawEscalation, RawTransfer};
use super::values::FlowDefaults;
use crate::dialogue::language::slots::SlotKind;
use crate::language::Language;

/// The flow file schema version this build understands.
pub const SCHEMA_VERSION: i64 = 1;

/// The outcome of parsing one flow file.
pub struct ParsedFlow {
    /// The flow, when its header was usable (it may still have problems).
    pub flow: Option<Flow>,
    /// Line of the `name` key, for duplicate-name reports.
    pub name_line: usize,
    /// Prompt files the flow names, to be checked for readability.
    pub prompts: Vec<PromptReference>,
    /// Every place that names a step: the flow's transitions.
    pub references: Vec<Reference>,
    /// Problems found.
    pub problems: Vec<Problem>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHeader {
    name: Spanned<String>,
    start: Spanned<String>,
    timezone: Option<Spanned<String>>,
    language: Option<Spanned<String>>,
    minimum_confidence: Option<Spanned<f64>>,
}

/// Parses `source`, the content of `file`; prompt paths resolve against `file`'s directory.
pub fn parse_flow(source: &str, file: &Path) -> ParsedFlow {
    let directory = file.parent().unwrap_or(Path::new(""));
    let mut context = Context::new(source, file, directory);
    let (document, syntax_errors) = DeTable::parse_recoverable(source);
    for error in &syntax_errors {
        let span = error.span().unwrap_or(0..0);
        let message = error.message().trim().to_string();
        context.error(span, FlowError::Syntax { message });
    }
    if !syntax_errors.is_empty() || !check_schema(&mut context, document.get_ref()) {
        return finish(context, None, 0);
    }
    let document_span = document.span();
    let mut table = document.into_inner();
    table.remove("schema");
    let steps = table.remove("steps");
    let escalation = table.remove("escalation");
    let slots = table.remove("slots");
    let header = deserialize::<RawHeader>(
        &mut context,
        table,
        document_span.start..document_span.start,
    );
    let defaults = FlowDefaults {
        timezone: header.as_ref().and_then(|header| {
            let name = header.timezone.as_ref()?;
            timezone(&mut context, name)
        }),
        minimum_confidence: header
            .as_ref()
            .and_then(|header| header.minimum_confidence.as_ref())
            .and_then(|value| confidence(&mut context, value))
            .unwrap_or(DEFAULT_MINIMUM_CONFIDENCE),
    };
    let slots = slots.map_or_else(BTreeMap::new, |slots| parse_slots(&mut context, slots));
    context.declared_variables.extend(slots.keys().cloned());
    context.slots = slots.keys().cloned().collect();
    let steps = match steps {
        Some(steps) => parse_steps(&mut context, steps, defaults),
        None => {
            context.error(
                0..0,
                FlowError::Field {
                    message: "missing `[steps]`".into(),
                },
            );
            BTreeMap::new()
        }
    };
    let escalation = escalation.and_then(|value| {
        let span = value.span();
        let DeValue::Table(escalation) = value.into_inner() else {
            let message = "`escalation` must be a table".into();
            context.error(span, FlowError::Field { message });
            return None;
        };
        deserialize::<RawEscalation>(&mut context, escalation, span.clone())?
            .convert(&mut context, span)
    });
    check_variables(&mut context);
    let Some(header) = header else {
        return finish(context, None, 0);
    };
    let name_line = context.line(header.name.span());
    let start = context.reference("", "start", &header.start);
    let language = header
        .language
        .as_ref()
        .map_or(Some(Language::default()), |code| {
            code.get_ref().parse::<Language>().map_or_else(
                |message| {
                    context.error(code.span(), FlowError::Field { message });
                    None
                },
                Some,
            )
        })
        .unwrap_or_default();
    let name = header.name.into_inner();
    let flow = Flow {
        understanding: name.clone(),
        name,
        file: file.to_path_buf(),
        start,
        steps,
        escalation,
        slots,
        timezone: defaults.timezone,
        language,
        captions: BTreeMap::new(),
    };
    check_escalation(&mut context, &flow);
    check_graph(&mut context, &flow);
    finish(context, Some(flow), name_line)
}

fn finish(context: Context<'_>, flow: Option<Flow>, name_line: usize) -> ParsedFlow {
    ParsedFlow {
        flow,
        name_line,
        prompts: context.prompts,
        references: context.references,
        problems: context.problems,
    }
}

fn check_schema(context: &mut Context<'_>, document: &DeTable<'_>) -> bool {
    let Some(schema) = document.get("schema") else {
        context.error(
            0..0,
            FlowError::MissingSchema {
                supported: SCHEMA_VERSION,
            },
        );
        return false;
    };
    let version = schema
        .get_ref()
        .as_integer()
        .and_then(|integer| integer.as_str().parse().ok());
    if version == Some(SCHEMA_VERSION) {
        return true;
    }
    let found = match schema.get_ref() {
        DeValue::String(text) => format!("\"{text}\""),
        DeValue::Integer(integer) => integer.as_str().to_string(),
        other => format!("of type {}", other.type_str()),
    };
    let error = FlowError::UnknownSchema {
        found,
        supported: SCHEMA_VERSION,
    };
    context.error(schema.span(), error);
    false
}

fn parse_steps(
    context: &mut Context<'_>,
    steps: Spanned<DeValue<'_>>,
    defaults: FlowDefaults,
) -> BTreeMap<String, Step> {
    let span = steps.span();
    let DeValue::Table(table) = steps.into_inner() else {
        let message = "`steps` must be a table of step tables".into();
        context.error(span, FlowError::Field { message });
        return BTreeMap::new();
    };
    let mut parsed = BTreeMap::new();
    for (name, value) in table {
        let name_span = name.span();
        let name = name.into_inner().into_owned();
        context.declared_steps.insert(name.clone());
        if let Some(kind) = parse_step(context, &name, value, defaults) {
            let line = context.line(name_span);
            parsed.insert(name, Step { line, kind });
        }
    }
    parsed
}

fn parse_step(
    context: &mut Context<'_>,
    name: &str,
    value: Spanned<DeValue<'_>>,
    defaults: FlowDefaults,
) -> Option<StepKind> {
    let span = value.span();
    let DeValue::Table(mut table) = value.into_inner() else {
        let message = format!("step '{name}' must be a table");
        context.error(span, FlowError::Field { message });
        return None;
    };
    let Some(step_type) = table.remove("type") else {
        context.error(span, FlowError::MissingStepType { step: name.into() });
        return None;
    };
    let type_span = step_type.span();
    let step_type = step_type.get_ref().as_str().unwrap_or_default().to_string();
    match step_type.as_str() {
        "play" => Some(deserialize::<RawPlay>(context, table, span)?.convert(context, name)),
        "say" => deserialize::<RawSay>(context, table, span)?.convert(context, name),
        "menu" => {
            let raw = deserialize::<RawMenu>(context, table, span.clone())?;
            raw.convert(context, name, span, defaults)
        }
        "collect" => {
            declare_variable(context, &table);
            let raw = deserialize::<RawCollect>(context, table, span.clone())?;
            raw.convert(context, name, span, defaults)
        }
        "ask" => {
            declare_variable(context, &table);
            let raw = deserialize::<RawAsk>(context, table, span.clone())?;
            raw.convert(context, name, span, defaults)
        }
        "intent" => deserialize::<RawIntent>(context, table, span.clone())?
            .convert(context, name, span, defaults),
        "answer" => Some(deserialize::<RawAnswer>(context, table, span)?.convert(context, name)),
        "lookup" => deserialize::<RawLookup>(context, table, span)?.convert(context, name),
        "branch" => Some(deserialize::<RawBranch>(context, table, span)?.convert(context, name)),
        "transfer" => deserialize::<RawTransfer>(context, table, span)?.convert(context, name),
        "goto" => Some(deserialize::<RawGoto>(context, table, span)?.convert(context, name)),
        "record" => Some(deserialize::<RawRecord>(context, table, span)?.convert(context, name)),
        "hangup" => Some(deserialize::<RawHangup>(context, table, span)?.convert(context)),
        "hours" => deserialize::<RawHours>(context, table, span.clone())?.convert(
            context,
            name,
            span,
            defaults.timezone,
        ),
        _ => {
            let error = FlowError::UnknownStepType {
                step: name.into(),
                found: step_type,
                expected: STEP_TYPES,
            };
            context.error(type_span, error);
            None
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSlot {
    kind: Spanned<String>,
    min: Option<usize>,
    max: Option<usize>,
}

/// Reads the `[slots]` table: `NAME = { kind = "digits", min = 5, max = 8 }`, kinds `digits`,
/// `phone`, `yes_no`, `date`, `time`, `date_time` and `amount` (see `SlotKind::parse`).
fn parse_slots(
    context: &mut Context<'_>,
    value: Spanned<DeValue<'_>>,
) -> BTreeMap<String, SlotKind> {
    let span = value.span();
    let DeValue::Table(table) = value.into_inner() else {
        let message = "`slots` must be a table of slot tables".into();
        context.error(span, FlowError::Field { message });
        return BTreeMap::new();
    };
    let mut slots = BTreeMap::new();
    for (name, value) in table {
        let value_span = value.span();
        let name = name.into_inner().into_owned();
        let DeValue::Table(slot) = value.into_inner() else {
            let message = format!("slot '{name}' must be a table such as {{ kind = \"date\" }}");
            context.error(value_span, FlowError::Field { message });
            continue;
        };
        let Some(raw) = deserialize::<RawSlot>(context, slot, value_span) else {
            continue;
        };
        match SlotKind::parse(raw.kind.get_ref(), raw.min, raw.max) {
            Ok(kind) => {
                slots.insert(name, kind);
            }
            Err(error) => {
                let message = format!("slot '{name}': {error}");
                context.error(raw.kind.span(), FlowError::Field { message });
            }
        }
    }
    slots
}

/// Reports an escalation policy whose `step` is not a transfer step, and transfer steps
/// without a `group` in a flow without a policy to choose one.
fn check_escalation(context: &mut Context<'_>, flow: &Flow) {
    let Some(escalation) = &flow.escalation else {
        for (name, step) in &flow.steps {
            if let StepKind::Transfer(transfer) = &step.kind
                && transfer.group.is_none()
            {
                let message = format!(
                    "transfer step '{name}' needs a `group`, or an `[escalation]` table with a `default_group`"
                );
                context.error_at_line(step.line, FlowError::Field { message });
            }
        }
        return;
    };
    if let Some(step) = flow.steps.get(&escalation.step)
        && !matches!(step.kind, StepKind::Transfer(_))
    {
        let message = format!(
            "`escalation.step` must name a transfer step, and '{}' is not one",
            escalation.step
        );
        context.error_at_line(step.line, FlowError::Field { message });
    }
}

/// Remembers the step's `variable`, if it has one, even when the step turns out to be broken,
/// so texts using it are not reported as well.
fn declare_variable(context: &mut Context<'_>, table: &DeTable<'_>) {
    let variable = table
        .get("variable")
        .and_then(|value| value.get_ref().as_str());
    context
        .declared_variables
        .extend(variable.map(str::to_string));
}

/// Deserializes a table into `T`, recording the error (located by its span) on failure.
fn deserialize<'de, T: Deserialize<'de>>(
    context: &mut Context<'_>,
    table: DeTable<'de>,
    span: Range<usize>,
) -> Option<T> {
    let value = Spanned::new(span.clone(), DeValue::Table(table));
    T::deserialize(ValueDeserializer::from(value))
        .map_err(|error| context.toml_error(&error, span))
        .ok()
}

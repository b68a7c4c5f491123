//! The engine's side of `lookup` steps: building the request from the step's templates, and
//! taking the backend's answer into variables (or to `on_not_found` / `on_error`).
//!
//! The request goes out when the step is entered, together with its wait message. An answer that
//! arrives while the wait message still plays is kept until it finished, so the caller hears it
//! whole. The step's timer (every attempt timing out, plus a margin) guards against a driver that
//! never answers.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use super::summary::LookupNote;
use super::{FlowAction, FlowEngine, kind_of};
use crate::dialogue::flow_file::lookup::{LookupOutcome, LookupRequest, map_response};
use crate::dialogue::flow_file::model::{Lookup, StepKind};

/// The placeholder for Hotline's own HTTP origin, filled in as is.
const SERVER: &str = "server";

impl FlowEngine {
    /// Sends the lookup of the step being entered, and plays its wait message.
    pub(super) fn start_lookup(&mut self, lookup: &Lookup) {
        let url = lookup.url.render_with(|name| {
            let value = self.variables.get(name).map(String::as_str)?;
            Some(if name == SERVER {
                value.to_string()
            } else {
                percent_encode(value)
            })
        });
        let render = |text: &crate::dialogue::flow_file::template::Text| {
            text.render(|name| self.variables.get(name).map(String::as_str))
        };
        let request = LookupRequest {
            method: lookup.method,
            url,
            headers: lookup
                .headers
                .iter()
                .map(|(name, value)| (name.clone(), render(value)))
                .collect(),
            body: lookup.body.as_ref().map(|body| {
                body.render_with(|name| {
                    let value = self.variables.get(name)?;
                    Some(json_escaped(value))
                })
            }),
            timeout: lookup.timeout,
            retries: lookup.retries,
        };
        self.deadline = self.now.map(|now| now + lookup.deadline());
        self.lookup_request = format!("{} {}", request.method.name(), request.url);
        self.actions.push_back(FlowAction::Lookup(request));
        if let Some(message) = &lookup.wait {
            let prompt = self.prompt_for(message);
            self.play(prompt);
        }
    }

    /// The backend answered (or the step's timer gave up on it).
    pub(super) fn lookup_finished(&mut self, wall: DateTime<Utc>, outcome: LookupOutcome) {
        if !matches!(
            kind_of(&self.flow, self.step.as_ref()),
            Some(StepKind::Lookup(_))
        ) || self.deadline.is_none()
        {
            return;
        }
        self.deadline = None;
        self.deliver_lookup(wall, outcome);
    }

    /// Takes `outcome` now, or once the wait message finished playing.
    pub(super) fn deliver_lookup(&mut self, wall: DateTime<Utc>, outcome: LookupOutcome) {
        if self.playing {
            self.lookup_outcome = Some(outcome);
        } else {
            self.apply_lookup(wall, outcome);
        }
    }

    /// Stores what the backend said and moves on.
    pub(super) fn apply_lookup(&mut self, wall: DateTime<Utc>, outcome: LookupOutcome) {
        let flow = Arc::clone(&self.flow);
        let Some(StepKind::Lookup(lookup)) = kind_of(&flow, self.step.as_ref()) else {
            return;
        };
        let step = self.step.clone().unwrap_or_default();
        let request = std::mem::take(&mut self.lookup_request);
        let (note, next) = match outcome {
            LookupOutcome::Found(value) => {
                for (variable, value) in map_response(&value, &lookup.map) {
                    self.store(&variable, value);
                }
                ("found".to_string(), lookup.next.clone())
            }
            LookupOutcome::NotFound => ("not found".to_string(), lookup.on_not_found.clone()),
            LookupOutcome::Failed { reason } => {
                self.conversation
                    .tried
                    .push(format!("lookup '{step}' failed: {reason}"));
                (format!("failed: {reason}"), lookup.on_error.clone())
            }
        };
        self.conversation.lookups.push(LookupNote {
            step,
            request,
            outcome: note,
        });
        self.go_to(next, wall);
    }
}

/// `value` escaped for use inside a JSON string (the body template holds the quotes).
fn json_escaped(value: &str) -> String {
    let quoted = serde_json::Value::String(value.to_string()).to_string();
    quoted[1..quoted.len() - 1].to_string()
}

/// Characters kept as they are in filled-in URL values: RFC 3986's unreserved ones.
const URL_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// `value` percent-encoded for a URL path segment or query value.
fn percent_encode(value: &str) -> String {
    utf8_percent_encode(value, URL_VALUE).to_string()
}

//! The `lookup` and `branch` steps as written in flow files.
//!
//! A `lookup` asks a business backend over HTTP: `url` (placeholders are filled in
//! percent-encoded, except `{server}`, Hotline's own HTTP origin), `method` (default GET),
//! `headers` and a JSON `body` (both with placeholders; in the body they are filled in
//! JSON-escaped, so write them inside quotes), `timeout` per attempt (default 3s) and
//! `retries` (default 1). `map` copies values from the JSON answer into variables by RFC 6901
//! pointer (`order_status = "/status"`). `wait_text` or `wait_prompt` plays while the backend
//! is asked. The flow continues at `next`, at `on_not_found` on HTTP 404, and at `on_error` when
//! the backend fails or is too slow.
//!
//! A `branch` continues at once at `cases[value of variable]`, else at `default`.

use std::collections::BTreeMap;
use std::time::Duration;

use serde::Deserialize;
use toml::Spanned;

use super::context::Context;
use super::error::invalid;
use super::lookup::LookupMethod;
use super::messages::optional_message;
use super::model::{Lookup, StepKind};
use super::template::parse_text;

const DEFAULT_LOOKUP_TIMEOUT: Duration = Duration::from_secs(3);
const DEFAULT_LOOKUP_RETRIES: u32 = 1;
/// The most retries a lookup may ask for, so a dead backend cannot hold a caller for long.
const MAXIMUM_LOOKUP_RETRIES: u32 = 5;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawLookup {
    url: Spanned<String>,
    method: Option<Spanned<String>>,
    #[serde(default)]
    headers: BTreeMap<String, Spanned<String>>,
    body: Option<Spanned<String>>,
    timeout: Option<Spanned<String>>,
    retries: Option<Spanned<u32>>,
    #[serde(default)]
    map: BTreeMap<Spanned<String>, Spanned<String>>,
    wait_prompt: Option<Spanned<String>>,
    wait_text: Option<Spanned<String>>,
    next: Spanned<String>,
    on_not_found: Spanned<String>,
    on_error: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawBranch {
    variable: Spanned<String>,
    cases: BTreeMap<String, Spanned<String>>,
    default: Spanned<String>,
}

impl RawLookup {
    /// Converts the step; `None` when a value is unusable (every problem is recorded).
    pub(super) fn convert(self, context: &mut Context<'_>, step: &str) -> Option<StepKind> {
        let next = context.reference(step, "next", &self.next);
        let on_not_found = context.reference(step, "on_not_found", &self.on_not_found);
        let on_error = context.reference(step, "on_error", &self.on_error);
        let url = parse_text(context, "url", &self.url);
        if let Some(url) = &url {
            check_url(context, &self.url, url);
        }
        let method = match &self.method {
            None => Some(LookupMethod::Get),
            Some(name) => {
                let method = LookupMethod::from_name(name.get_ref());
                if method.is_none() {
                    let expected = "expected GET, POST, PUT, PATCH or DELETE";
                    context.error(name.span(), invalid("method", name.get_ref(), expected));
                }
                method
            }
        };
        let mut headers = Vec::new();
        let mut headers_valid = true;
        for (name, value) in &self.headers {
            match parse_text(context, "headers", value) {
                Some(text) => headers.push((name.clone(), text)),
                None => headers_valid = false,
            }
        }
        let body = match &self.body {
            Some(body) => Some(parse_text(context, "body", body)?),
            None => None,
        };
        let retries = self
            .retries
            .as_ref()
            .map_or(DEFAULT_LOOKUP_RETRIES, |retries| {
                let count = *retries.get_ref();
                if count > MAXIMUM_LOOKUP_RETRIES {
                    let expected = format!("expected at most {MAXIMUM_LOOKUP_RETRIES}");
                    context.error(
                        retries.span(),
                        invalid("retries", &count.to_string(), &expected),
                    );
                }
                count.min(MAXIMUM_LOOKUP_RETRIES)
            });
        let mut map = Vec::new();
        for (variable, pointer) in &self.map {
            if !pointer.get_ref().is_empty() && !pointer.get_ref().starts_with('/') {
                let expected = "expected a JSON pointer such as \"/status\"";
                context.error(
                    pointer.span(),
                    invalid("pointer", pointer.get_ref(), expected),
                );
            }
            context
                .declared_variables
                .insert(variable.get_ref().clone());
            map.push((variable.get_ref().clone(), pointer.get_ref().clone()));
        }
        let wait = optional_message(context, step, &self.wait_prompt, &self.wait_text, "wait");
        let timeout = context.duration(&self.timeout, DEFAULT_LOOKUP_TIMEOUT);
        if !headers_valid {
            return None;
        }
        Some(StepKind::Lookup(Lookup {
            method: method?,
            url: url?,
            headers,
            body,
            timeout,
            retries,
            map,
            wait: wait.ok()?,
            next,
            on_not_found,
            on_error,
        }))
    }
}

/// Reports a URL that is not http(s) once filled in.
fn check_url(context: &mut Context<'_>, source: &Spanned<String>, url: &super::template::Text) {
    let sample = url.render(|name| (name == "server").then_some("http://127.0.0.1"));
    if !(sample.starts_with("http://") || sample.starts_with("https://")) {
        let expected = "expected an http:// or https:// URL, or one starting with {server}";
        context.error(source.span(), invalid("url", source.get_ref(), expected));
    }
}

impl RawBranch {
    pub(super) fn convert(self, context: &mut Context<'_>, step: &str) -> StepKind {
        let line = context.line(self.variable.span());
        context
            .placeholders
            .push((self.variable.get_ref().clone(), line));
        let mut cases = BTreeMap::new();
        for (value, target) in &self.cases {
            let target = context.reference(step, &format!("cases.{value}"), target);
            cases.insert(value.clone(), target);
        }
        StepKind::Branch {
            variable: self.variable.into_inner(),
            cases,
            default: context.reference(step, "default", &self.default),
        }
    }
}

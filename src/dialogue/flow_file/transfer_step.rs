//! The `transfer` step and the flow's `[escalation]` table as written in flow files.
//!
//! A `transfer` hands the caller to a person: `group` names the skill group (without it, the
//! group comes from the escalation policy's `groups` by what the conversation was about),
//! `reason` says why (a text with placeholders; an escalation trigger's own reason wins),
//! `priority` is "normal" (default), "raised" or "vip", `prompt` or `text` plays first, and the
//! flow continues at `on_unavailable` when no agent can take the call. After the agent hangs up
//! it continues at `next` (a survey, say) or the call ends; a waiting caller who asks to be
//! called back continues at `on_callback`; an agent sending the caller back into the IVR lands
//! at `on_return` (default: the flow's start).
//!
//! ```toml
//! [escalation]
//! step = "transfer"                    # a transfer step without a fixed group
//! human_intents = ["speak_to_agent"]   # honoured in every step that listens
//! complaint_intents = ["complaint"]    # escalated with raised priority
//! negative_sentiment = -0.5            # an utterance this negative counts as a complaint
//! no_matches = 3                       # not-understood turns in a row before escalating
//! vip_variable = "customer_vip"        # "true" for VIP callers: VIP priority
//! name_variable = "customer_name"      # the customer's name, for the agent's brief
//! default_group = "support"
//! groups = { order_status = "orders", billing_issue = "billing" }
//! ```

use std::collections::BTreeMap;
use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;

use super::context::Context;
use super::error::invalid;
use super::messages::optional_message;
use super::model::{Escalation, Priority, StepKind, Transfer};
use super::template::parse_text;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawTransfer {
    group: Option<String>,
    reason: Spanned<String>,
    priority: Option<Spanned<String>>,
    prompt: Option<Spanned<String>>,
    text: Option<Spanned<String>>,
    on_unavailable: Spanned<String>,
    next: Option<Spanned<String>>,
    on_callback: Option<Spanned<String>>,
    on_return: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawEscalation {
    step: Spanned<String>,
    #[serde(default)]
    human_intents: Vec<String>,
    #[serde(default)]
    complaint_intents: Vec<String>,
    negative_sentiment: Option<Spanned<f64>>,
    #[serde(default)]
    no_matches: u32,
    vip_variable: Option<String>,
    name_variable: Option<String>,
    #[serde(default)]
    groups: BTreeMap<String, String>,
    default_group: String,
}

impl RawTransfer {
    /// Converts the step; `None` when a text or the priority is unusable (recorded).
    pub(super) fn convert(self, context: &mut Context<'_>, step: &str) -> Option<StepKind> {
        let on_unavailable = context.reference(step, "on_unavailable", &self.on_unavailable);
        let mut optional = |key: &str, target: &Option<Spanned<String>>| {
            target
                .as_ref()
                .map(|target| context.reference(step, key, target))
        };
        let next = optional("next", &self.next);
        let on_callback = optional("on_callback", &self.on_callback);
        let on_return = optional("on_return", &self.on_return);
        let reason = parse_text(context, "reason", &self.reason);
        let priority = match &self.priority {
            None => Some(Priority::Normal),
            Some(name) => {
                let priority = parse_priority(name.get_ref());
                if priority.is_none() {
                    let expected = "expected normal, raised or vip";
                    context.error(name.span(), invalid("priority", name.get_ref(), expected));
                }
                priority
            }
        };
        let message = optional_message(context, step, &self.prompt, &self.text, "message");
        Some(StepKind::Transfer(Transfer {
            group: self.group,
            reason: reason?,
            priority: priority?,
            message: message.ok()?,
            on_unavailable,
            next,
            on_callback,
            on_return,
        }))
    }
}

fn parse_priority(name: &str) -> Option<Priority> {
    match name {
        "normal" => Some(Priority::Normal),
        "raised" => Some(Priority::Raised),
        "vip" => Some(Priority::Vip),
        _ => None,
    }
}

impl RawEscalation {
    /// Converts the table found at `span`; `None` when a value is unusable (recorded).
    pub(super) fn convert(
        self,
        context: &mut Context<'_>,
        span: Range<usize>,
    ) -> Option<Escalation> {
        let step = context.reference("", "escalation.step", &self.step);
        let negative_sentiment = match &self.negative_sentiment {
            None => None,
            Some(value) => {
                let number = *value.get_ref();
                if !(-1.0..=0.0).contains(&number) {
                    let expected = "expected a number from -1 to 0";
                    context.error(
                        value.span(),
                        invalid("negative_sentiment", &number.to_string(), expected),
                    );
                    return None;
                }
                // Sentiment scores are f32; narrowing drops nothing meaningful.
                Some(number as f32)
            }
        };
        if self.default_group.trim().is_empty() {
            let expected = "expected a skill group name";
            context.error(
                span,
                invalid("default_group", &self.default_group, expected),
            );
            return None;
        }
        Some(Escalation {
            step,
            human_intents: self.human_intents,
            complaint_intents: self.complaint_intents,
            negative_sentiment,
            no_matches: self.no_matches,
            vip_variable: self.vip_variable,
            name_variable: self.name_variable,
            groups: self.groups,
            default_group: self.default_group,
        })
    }
}

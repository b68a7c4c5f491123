//! What a step says: a recorded prompt file or a text spoken with the flow's voice, read from a
//! step's `prompt`/`text` pair (or `NAME_prompt`/`NAME_text` for its failure messages).

use std::ops::Range;

use toml::Spanned;

use super::context::Context;
use super::error::FlowError;
use super::model::Message;
use super::template::parse_text;

/// Exactly one of a prompt file and a text, as a message; reports neither or both.
pub(super) fn message(
    context: &mut Context<'_>,
    step: &str,
    span: Range<usize>,
    prompt: &Option<Spanned<String>>,
    text: &Option<Spanned<String>>,
) -> Option<Message> {
    match (prompt, text) {
        (Some(prompt), None) => Some(Message::Prompt(context.prompt(prompt))),
        (None, Some(text)) => parse_text(context, "text", text).map(Message::Text),
        (None, None) => {
            let message = format!("step '{step}' needs `prompt` or `text`");
            context.error(span, FlowError::Field { message });
            None
        }
        (Some(_), Some(text)) => {
            let message = format!("step '{step}' has both `prompt` and `text`; keep one");
            context.error(text.span(), FlowError::Field { message });
            None
        }
    }
}

/// At most one of `NAME_prompt` and `NAME_text`; `Err` when both are given or the text is
/// broken (reported).
pub(super) fn optional_message(
    context: &mut Context<'_>,
    step: &str,
    prompt: &Option<Spanned<String>>,
    text: &Option<Spanned<String>>,
    name: &str,
) -> Result<Option<Message>, ()> {
    match (prompt, text) {
        (None, None) => Ok(None),
        (Some(prompt), None) => Ok(Some(Message::Prompt(context.prompt(prompt)))),
        (None, Some(text)) => parse_text(context, "text", text)
            .map(|text| Some(Message::Text(text)))
            .ok_or(()),
        (Some(_), Some(text)) => {
            let message =
                format!("step '{step}' has both `{name}_prompt` and `{name}_text`; keep one");
            context.error(text.span(), FlowError::Field { message });
            Err(())
        }
    }
}

/// The `no_input_*` and `invalid_*` messages of a step: each a prompt file or a text, or none.
pub(super) struct FailureMessages<'raw> {
    pub no_input_prompt: &'raw Option<Spanned<String>>,
    pub no_input_text: &'raw Option<Spanned<String>>,
    pub invalid_prompt: &'raw Option<Spanned<String>>,
    pub invalid_text: &'raw Option<Spanned<String>>,
}

impl FailureMessages<'_> {
    /// The no-input and invalid-input messages; `None` when one is broken (reported).
    pub fn convert(
        &self,
        context: &mut Context<'_>,
        step: &str,
    ) -> Option<(Option<Message>, Option<Message>)> {
        let no_input = optional_message(
            context,
            step,
            self.no_input_prompt,
            self.no_input_text,
            "no_input",
        );
        let invalid = optional_message(
            context,
            step,
            self.invalid_prompt,
            self.invalid_text,
            "invalid",
        );
        Some((no_input.ok()?, invalid.ok()?))
    }
}

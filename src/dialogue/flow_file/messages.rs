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
    prompt_key: &str,
    text_key: &'static str,
) -> Option<Message> {
    match (prompt, text) {
        (Some(prompt), None) => Some(Message::Prompt(context.prompt(prompt))),
        (None, Some(text)) => parse_text(context, text_key, text).map(Message::Text),
        (None, None) => {
            let message = format!("step '{step}' needs `{prompt_key}` or `{text_key}`");
            context.error(span, FlowError::Field { message });
            None
        }
        (Some(_), Some(text)) => {
            let message =
                format!("step '{step}' has both `{prompt_key}` and `{text_key}`; keep one");
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

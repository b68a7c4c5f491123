//! Text that `say` and `ask` steps speak: literal text with `{name}` placeholders filled in at
//! call time.
//!
//! `{name}` stands for the flow variable `name` (stored by a collect or ask step) and `{heard}`
//! for the last transcript of what the caller said; `{{` and `}}` are literal braces. A
//! placeholder whose value is not set yet is spoken as nothing. Parsing reports syntax problems;
//! whether each name exists is checked once every step of the flow is known (`check_variables`).

use toml::Spanned;

use super::context::Context;
use super::error::{FlowError, invalid};

/// The built-in placeholder for the last transcript of what the caller said.
pub const HEARD: &str = "heard";

/// Variables every flow has without declaring them: `heard`; the caller's and the dialled
/// number (`caller`, `dialled`; empty in chat), the channel (`voice` or `chat`), Hotline's own
/// HTTP origin (`server`, for lookups of the built-in demo order system), and the intent last
/// understood (`intent`).
pub const BUILT_IN_VARIABLES: [&str; 6] =
    [HEARD, "caller", "dialled", "channel", "server", "intent"];

/// Text with placeholders, as written in a `say` step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    parts: Vec<Part>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Literal(String),
    Placeholder(String),
}

impl Text {
    /// Parses `source`, failing on an unclosed `{`, a lone `}` or an empty `{}`.
    pub fn parse(source: &str) -> Result<Self, FlowError> {
        let mut parts = Vec::new();
        let mut literal = String::new();
        let mut characters = source.chars().peekable();
        while let Some(character) = characters.next() {
            match character {
                '{' if characters.next_if_eq(&'{').is_some() => literal.push('{'),
                '}' if characters.next_if_eq(&'}').is_some() => literal.push('}'),
                '}' => return Err(syntax("`}` without `{` (write `}}` for a literal brace)")),
                '{' => {
                    let mut name = String::new();
                    loop {
                        match characters.next() {
                            Some('}') => break,
                            Some('{') | None => {
                                return Err(syntax(
                                    "unclosed `{` (write `{{` for a literal brace)",
                                ));
                            }
                            Some(character) => name.push(character),
                        }
                    }
                    if name.is_empty() {
                        return Err(syntax("empty placeholder `{}`"));
                    }
                    if !literal.is_empty() {
                        parts.push(Part::Literal(std::mem::take(&mut literal)));
                    }
                    parts.push(Part::Placeholder(name));
                }
                character => literal.push(character),
            }
        }
        if !literal.is_empty() {
            parts.push(Part::Literal(literal));
        }
        Ok(Self { parts })
    }

    /// The placeholder names, in order of appearance.
    pub fn placeholders(&self) -> impl Iterator<Item = &str> {
        self.parts.iter().filter_map(|part| match part {
            Part::Placeholder(name) => Some(name.as_str()),
            Part::Literal(_) => None,
        })
    }

    /// The text with every placeholder replaced by `value(name)`, or by nothing when unset.
    pub fn render<'value>(&self, value: impl Fn(&str) -> Option<&'value str>) -> String {
        self.render_with(|name| value(name).map(str::to_string))
    }

    /// Like `render`, with values computed for the occasion (e.g. percent-encoded).
    pub fn render_with(&self, value: impl Fn(&str) -> Option<String>) -> String {
        let mut rendered = String::new();
        for part in &self.parts {
            match part {
                Part::Literal(text) => rendered.push_str(text),
                Part::Placeholder(name) => rendered.push_str(&value(name).unwrap_or_default()),
            }
        }
        rendered
    }
}

fn syntax(problem: &'static str) -> FlowError {
    FlowError::TextSyntax { problem }
}

/// Reads the text under key `key`, reporting an empty text or bad braces at its line; its
/// placeholders are remembered for `check_variables`.
pub(super) fn parse_text(
    context: &mut Context<'_>,
    key: &'static str,
    source: &Spanned<String>,
) -> Option<Text> {
    let line = context.line(source.span());
    if source.get_ref().trim().is_empty() {
        let error = invalid(key, source.get_ref(), "expected words to speak");
        context.error_at_line(line, error);
        return None;
    }
    let text = Text::parse(source.get_ref())
        .map_err(|error| context.error_at_line(line, error))
        .ok()?;
    let placeholders = text.placeholders().map(|name| (name.to_string(), line));
    context.placeholders.extend(placeholders);
    Some(text)
}

/// Reports every placeholder that is neither built in nor a variable the flow stores (the
/// `variable` of a collect or ask step, or a lookup's `map`).
pub fn check_variables(context: &mut Context<'_>) {
    let unknown: Vec<_> = context
        .placeholders
        .iter()
        .filter(|(name, _)| {
            !BUILT_IN_VARIABLES.contains(&name.as_str())
                && !context.declared_variables.contains(name)
        })
        .cloned()
        .collect();
    for (name, line) in unknown {
        context.error_at_line(line, FlowError::UnknownVariable { name });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(source: &str) -> String {
        let text = Text::parse(source).expect("text parses");
        text.render(|name| (name == "account").then_some("12345"))
    }

    #[test]
    fn fills_placeholders_and_keeps_literal_braces() {
        assert_eq!(render("Account {account}."), "Account 12345.");
        assert_eq!(render("{{account}} {account}"), "{account} 12345");
        assert_eq!(render("You said {unset}!"), "You said !");
        assert_eq!(render(""), "");
    }

    #[test]
    fn rejects_bad_braces() {
        for source in ["{account", "a { b", "{a{b}", "}", "a } b", "{}"] {
            assert!(
                matches!(Text::parse(source), Err(FlowError::TextSyntax { .. })),
                "{source}"
            );
        }
    }
}

//! Shared bookkeeping while one flow file is parsed: problems, prompt references and step
//! references, each located by line.

use std::collections::BTreeSet;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::time::Duration;

use toml::Spanned;

use super::error::{FlowError, Problem};
use super::values::parse_duration;

/// A place in the flow file that names another step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// The step holding the reference.
    pub from: String,
    /// The key holding the reference, e.g. `next` or `choices."1"`.
    pub key: String,
    /// The referenced step name.
    pub target: String,
    /// Line of the reference.
    pub line: usize,
}

/// A prompt file named by the flow, resolved against the flow file's directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PromptReference {
    /// The resolved path.
    pub path: PathBuf,
    /// Line of the prompt key.
    pub line: usize,
}

/// Collects everything learnt about one flow file while it is parsed.
pub struct Context<'a> {
    source: &'a str,
    file: &'a Path,
    directory: &'a Path,
    /// Problems found so far.
    pub problems: Vec<Problem>,
    /// Prompt files named so far.
    pub prompts: Vec<PromptReference>,
    /// Step references found so far.
    pub references: Vec<Reference>,
    /// Every step name declared in the file, including steps that failed to parse.
    pub declared_steps: BTreeSet<String>,
    /// The `variable` of every collect and ask step, including steps that failed to parse.
    pub declared_variables: BTreeSet<String>,
    /// Placeholders used in `say` and `ask` texts, with their line.
    pub placeholders: Vec<(String, usize)>,
    /// The names of the flow's slots.
    pub slots: BTreeSet<String>,
}

impl<'a> Context<'a> {
    /// Starts parsing `source`, read from `file`; prompts resolve against `directory`.
    pub fn new(source: &'a str, file: &'a Path, directory: &'a Path) -> Self {
        Self {
            source,
            file,
            directory,
            problems: Vec::new(),
            prompts: Vec::new(),
            references: Vec::new(),
            declared_steps: BTreeSet::new(),
            declared_variables: BTreeSet::new(),
            placeholders: Vec::new(),
            slots: BTreeSet::new(),
        }
    }

    /// The 1-based line containing byte `span.start`.
    pub fn line(&self, span: Range<usize>) -> usize {
        crate::text::lines::line_of(self.source, span.start)
    }

    /// Records an error at `span`.
    pub fn error(&mut self, span: Range<usize>, error: FlowError) {
        let line = self.line(span);
        self.error_at_line(line, error);
    }

    /// Records an error at 1-based `line`.
    pub fn error_at_line(&mut self, line: usize, error: FlowError) {
        self.problems.push(Problem::error(self.file, line, error));
    }

    /// Records a deserialization error, located by its span when it has one.
    pub fn toml_error(&mut self, error: &toml::de::Error, fallback: Range<usize>) {
        let span = error.span().unwrap_or(fallback);
        let message = error.message().trim().to_string();
        self.error(span, FlowError::Field { message });
    }

    /// Resolves a prompt path and remembers it for the readability check.
    pub fn prompt(&mut self, prompt: &Spanned<String>) -> PathBuf {
        let path = self.directory.join(prompt.get_ref());
        let line = self.line(prompt.span());
        self.prompts.push(PromptReference {
            path: path.clone(),
            line,
        });
        path
    }

    /// Resolves an optional prompt path.
    pub fn optional_prompt(&mut self, prompt: &Option<Spanned<String>>) -> Option<PathBuf> {
        prompt.as_ref().map(|prompt| self.prompt(prompt))
    }

    /// Remembers that step `from` names `target` under `key`, and returns the target.
    pub fn reference(&mut self, from: &str, key: &str, target: &Spanned<String>) -> String {
        let line = self.line(target.span());
        self.references.push(Reference {
            from: from.to_string(),
            key: key.to_string(),
            target: target.get_ref().clone(),
            line,
        });
        target.get_ref().clone()
    }

    /// Parses an optional duration, reporting bad syntax and falling back to `default`.
    pub fn duration(&mut self, value: &Option<Spanned<String>>, default: Duration) -> Duration {
        let Some(value) = value else { return default };
        parse_duration(value.get_ref()).unwrap_or_else(|| {
            self.error(
                value.span(),
                FlowError::InvalidValue {
                    what: "duration",
                    value: value.get_ref().clone(),
                    expected:
                        "expected a whole number followed by ms, s or m, e.g. \"5s\" or \"1500ms\""
                            .into(),
                },
            );
            default
        })
    }
}

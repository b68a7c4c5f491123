//! Errors and problems reported while loading flow files.
//!
//! `FlowError` names every kind of problem a flow file can have; `Problem` attaches it to the
//! file and 1-based line it was found at, with a severity. Flow files are user input, so every
//! defect is reported this way and nothing in the loader panics on bad input.

use std::fmt;
use std::path::PathBuf;

/// Everything that can be wrong with a flow file or a flow directory.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FlowError {
    /// The directory of flows could not be listed.
    #[error("cannot read directory: {reason}")]
    UnreadableDirectory {
        /// The operating system's explanation.
        reason: String,
    },
    /// A flow file could not be read.
    #[error("cannot read flow file: {reason}")]
    UnreadableFile {
        /// The operating system's explanation.
        reason: String,
    },
    /// The TOML parser rejected the file.
    #[error("TOML syntax error: {message}")]
    Syntax {
        /// The parser's message.
        message: String,
    },
    /// A field has the wrong shape, is missing or is not allowed here.
    #[error("{message}")]
    Field {
        /// The deserializer's message.
        message: String,
    },
    /// The `schema` key is missing.
    #[error("missing `schema` (this version understands schema = {supported})")]
    MissingSchema {
        /// The schema version this build understands.
        supported: i64,
    },
    /// The `schema` key names a version this build does not understand.
    #[error("unknown schema version {found} (this version understands schema = {supported})")]
    UnknownSchema {
        /// The version in the file.
        found: String,
        /// The schema version this build understands.
        supported: i64,
    },
    /// A step has no `type` key.
    #[error("step '{step}' has no `type`")]
    MissingStepType {
        /// The step's name.
        step: String,
    },
    /// A step's `type` is not one of the known step types.
    #[error("step '{step}' has unknown type '{found}' (expected one of: {expected})")]
    UnknownStepType {
        /// The step's name.
        step: String,
        /// The type in the file.
        found: String,
        /// The known step types.
        expected: &'static str,
    },
    /// A step reference names a step that does not exist.
    #[error("`{key}` refers to unknown step '{target}'")]
    UnknownTarget {
        /// The key holding the reference.
        key: String,
        /// The missing step name.
        target: String,
    },
    /// No step can lead to this step from the start step.
    #[error("step '{step}' is unreachable from the start step")]
    Unreachable {
        /// The step's name.
        step: String,
    },
    /// Steps that never wait for the caller form a cycle.
    #[error("steps loop without ever waiting for the caller: {cycle}")]
    InstantLoop {
        /// The cycle, as `a -> b -> a`.
        cycle: String,
    },
    /// A prompt file is missing or unreadable.
    #[error("prompt file {path} cannot be read: {reason}")]
    UnreadablePrompt {
        /// The resolved prompt path.
        path: PathBuf,
        /// The operating system's explanation.
        reason: String,
    },
    /// A value does not have the expected syntax (duration, time, date, day, key, ...).
    #[error("invalid {what} '{value}': {expected}")]
    InvalidValue {
        /// What kind of value this is.
        what: &'static str,
        /// The value as written.
        value: String,
        /// What a valid value looks like.
        expected: String,
    },
    /// An hours window closes before (or when) it opens.
    #[error("hours window opens at {from} but closes at {to}; `from` must be before `to`")]
    EmptyWindow {
        /// Opening time as written.
        from: String,
        /// Closing time as written.
        to: String,
    },
    /// A collect step's digit bounds are inconsistent.
    #[error("min_digits ({min}) is greater than max_digits ({max})")]
    DigitBounds {
        /// Minimum number of digits.
        min: usize,
        /// Maximum number of digits.
        max: usize,
    },
    /// A menu's `phrases` names a key that is not one of its `choices`.
    #[error("`phrases` key '{key}' is not a key of `choices`")]
    PhraseKeyNotAChoice {
        /// The key as written.
        key: String,
    },
    /// Two choices of one menu list the same phrase, so saying it would be ambiguous.
    #[error("phrase '{phrase}' is listed for both choice '{first}' and choice '{second}'")]
    DuplicatePhrase {
        /// The phrase as written the second time.
        phrase: String,
        /// The choice that listed it first.
        first: char,
        /// The choice that listed it again.
        second: char,
    },
    /// An hours step has no timezone of its own and the flow has none either.
    #[error("hours step '{step}' needs a `timezone` (on the step or on the flow)")]
    MissingTimezone {
        /// The step's name.
        step: String,
    },
    /// A `say` or `ask` text has a malformed placeholder.
    #[error("invalid text: {problem}")]
    TextSyntax {
        /// What is wrong with the braces.
        problem: &'static str,
    },
    /// A text names a variable that is not built in and that no step stores.
    #[error(
        "text uses `{{{name}}}`, which is neither built in (heard, caller, dialled, channel, server, intent) nor stored by a collect or ask `variable` or a lookup `map`"
    )]
    UnknownVariable {
        /// The placeholder name as written.
        name: String,
    },
    /// An ask step has neither `choices` nor `next`.
    #[error(
        "ask step '{step}' needs `choices` (answers to pick from) or `next` (the step after a free answer)"
    )]
    AskWithoutAnswers {
        /// The step's name.
        step: String,
    },
    /// An ask step has both `choices` and `next`.
    #[error(
        "ask step '{step}' has both `choices` and `next`; `next` is only for free answers, without `choices`"
    )]
    AskWithChoicesAndNext {
        /// The step's name.
        step: String,
    },
    /// An ask step without choices has no variable for the free answer.
    #[error("ask step '{step}' has no `choices`, so it needs a `variable` to store the answer in")]
    FreeAnswerWithoutVariable {
        /// The step's name.
        step: String,
    },
    /// An ask step takes keys but has no choices for them to pick.
    #[error(
        "`input = \"{input}\"` takes keys, which need `choices`; a free answer is spoken (`input = \"speech\"`)"
    )]
    KeysWithoutChoices {
        /// The `input` value as written.
        input: String,
    },
    /// An ask step lists phrases but takes no speech.
    #[error("`phrases` are never heard with `input = \"dtmf\"`")]
    PhrasesWithoutSpeech,
    /// An ask step takes only speech, and one of its choices has no phrase to say.
    #[error("choice '{key}' has no `phrases`, so with `input = \"speech\"` it can never be chosen")]
    ChoiceWithoutPhrases {
        /// The choice's key.
        key: char,
    },
    /// Two flow files declare the same flow name.
    #[error("flow name '{name}' is already used by {other}")]
    DuplicateFlow {
        /// The flow name.
        name: String,
        /// The file that declared it first.
        other: PathBuf,
    },
}

/// How serious a problem is: errors stop a flow from loading, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Worth fixing, but the flow still works.
    Warning,
    /// The flow cannot be used.
    Error,
}

/// One problem found in a flow file, located at `file:line`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The flow file (or directory) the problem is in.
    pub file: PathBuf,
    /// 1-based line number; 0 when the problem is not tied to a line.
    pub line: usize,
    /// Whether the problem prevents loading.
    pub severity: Severity,
    /// What is wrong.
    pub error: FlowError,
}

/// The error of a value of `what` that is not what it should be.
pub(super) fn invalid(what: &'static str, value: &str, expected: &str) -> FlowError {
    FlowError::InvalidValue {
        what,
        value: value.into(),
        expected: expected.into(),
    }
}

impl Problem {
    /// An error-level problem.
    pub fn error(file: impl Into<PathBuf>, line: usize, error: FlowError) -> Self {
        Self {
            file: file.into(),
            line,
            severity: Severity::Error,
            error,
        }
    }

    /// A warning-level problem.
    pub fn warning(file: impl Into<PathBuf>, line: usize, error: FlowError) -> Self {
        Self {
            file: file.into(),
            line,
            severity: Severity::Warning,
            error,
        }
    }

    /// The human-readable message, without location.
    pub fn message(&self) -> String {
        self.error.to_string()
    }

    /// Whether this problem prevents the flow from loading.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "{}:{}: ", self.file.display(), self.line)?;
        if self.severity == Severity::Warning {
            formatter.write_str("warning: ")?;
        }
        write!(formatter, "{}", self.error)
    }
}

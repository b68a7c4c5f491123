//! The validated, in-memory form of a flow.
//!
//! Invariants for flows produced by the loader: every step reference (`next`, `target`,
//! `choices`, `on_failure`, `open`, `closed`, `start`) names an existing step, prompt paths are
//! absolute and were readable at load time, `min_digits <= max_digits`, every key of a menu's
//! `phrases` is a key of its `choices` and no phrase belongs to two choices, every placeholder
//! of a `say` text is `heard` or a collect step's variable,
//! `minimum_confidence` lies in 0..=1, and no cycle consists only of steps that never wait for
//! the caller. The engine still defends against flows built by hand that break these rules.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use super::hours::Hours;
use super::template::Text;

/// One call flow: a named graph of steps.
#[derive(Debug, Clone, PartialEq)]
pub struct Flow {
    /// The flow's name, used by routing to select it.
    pub name: String,
    /// The file the flow was loaded from.
    pub file: PathBuf,
    /// The step a call starts in.
    pub start: String,
    /// Steps by name.
    pub steps: BTreeMap<String, Step>,
}

impl Flow {
    /// Every prompt file the flow can play, as absolute paths.
    pub fn prompt_paths(&self) -> BTreeSet<PathBuf> {
        self.steps
            .values()
            .flat_map(|step| step.kind.prompts())
            .cloned()
            .collect()
    }
}

/// One step of a flow.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    /// The line of the step's table header in the flow file.
    pub line: usize,
    /// What the step does.
    pub kind: StepKind,
}

/// The behaviour of a step.
#[derive(Debug, Clone, PartialEq)]
pub enum StepKind {
    /// Play a prompt, then continue at `next`.
    Play {
        /// Absolute prompt path.
        prompt: PathBuf,
        /// The step after the prompt finished.
        next: String,
    },
    /// Speak text composed at call time, then continue at `next`.
    Say {
        /// The text, with placeholders for variables.
        text: Text,
        /// The step after the text was spoken.
        next: String,
    },
    /// Play a prompt and branch on a single key.
    Menu(Menu),
    /// Play a prompt and collect a multi-digit entry into a variable.
    Collect(Collect),
    /// Continue at another step at once.
    Goto {
        /// The step to continue at.
        target: String,
    },
    /// Branch on business hours at once.
    Hours {
        /// The opening hours.
        hours: Hours,
        /// The step when open.
        open: String,
        /// The step when closed.
        closed: String,
    },
    /// Optionally play a prompt, then end the call.
    Hangup {
        /// Absolute path of the prompt played before hanging up.
        prompt: Option<PathBuf>,
        /// Why the call ends, for logs and call records.
        reason: String,
    },
}

impl StepKind {
    /// The prompt files this step can play.
    pub fn prompts(&self) -> Vec<&PathBuf> {
        match self {
            StepKind::Play { prompt, .. } => vec![prompt],
            StepKind::Menu(menu) => {
                let mut prompts = vec![&menu.prompt];
                prompts.extend(menu.input.no_input_prompt.as_ref());
                prompts.extend(menu.input.invalid_prompt.as_ref());
                prompts
            }
            StepKind::Collect(collect) => {
                let mut prompts = vec![&collect.prompt];
                prompts.extend(collect.input.no_input_prompt.as_ref());
                prompts.extend(collect.input.invalid_prompt.as_ref());
                prompts
            }
            StepKind::Hangup { prompt, .. } => prompt.iter().collect(),
            StepKind::Say { .. } | StepKind::Goto { .. } | StepKind::Hours { .. } => Vec::new(),
        }
    }
}

/// Retry behaviour shared by menu and collect steps.
#[derive(Debug, Clone, PartialEq)]
pub struct InputPolicy {
    /// How long to wait for the first key once the prompt finished.
    pub timeout: Duration,
    /// How many more attempts after the first one failed (no input and invalid input share it).
    pub retries: u32,
    /// Played when the caller pressed nothing, before the step prompt is repeated.
    pub no_input_prompt: Option<PathBuf>,
    /// Played when the entry was invalid, before the step prompt is repeated.
    pub invalid_prompt: Option<PathBuf>,
    /// The step after the last attempt failed.
    pub on_failure: String,
    /// Transcripts recognised with less confidence than this count as invalid input.
    pub minimum_confidence: f32,
}

/// A single-key menu.
#[derive(Debug, Clone, PartialEq)]
pub struct Menu {
    /// Absolute prompt path.
    pub prompt: PathBuf,
    /// Target step by DTMF key.
    pub choices: BTreeMap<char, String>,
    /// Phrases a caller may say instead of pressing a key, as written, by key of `choices`.
    pub phrases: BTreeMap<char, Vec<String>>,
    /// Timeouts, retries and failure handling.
    pub input: InputPolicy,
}

/// A multi-digit entry stored into a variable.
#[derive(Debug, Clone, PartialEq)]
pub struct Collect {
    /// Absolute prompt path.
    pub prompt: PathBuf,
    /// The variable the entry is stored in.
    pub variable: String,
    /// Fewest digits accepted.
    pub min_digits: usize,
    /// The entry ends as soon as this many digits were pressed.
    pub max_digits: usize,
    /// A key that ends the entry early (not part of the value).
    pub terminator: Option<char>,
    /// How long to wait for the next digit once one was pressed.
    pub inter_digit_timeout: Duration,
    /// The step after a valid entry.
    pub next: String,
    /// Timeouts, retries and failure handling.
    pub input: InputPolicy,
}

/// All loaded flows, by name.
#[derive(Debug, Clone, Default)]
pub struct FlowSet {
    /// Flows by name.
    pub flows: BTreeMap<String, Arc<Flow>>,
}

impl FlowSet {
    /// The flow called `name`.
    pub fn get(&self, name: &str) -> Option<Arc<Flow>> {
        self.flows.get(name).cloned()
    }

    /// Every prompt file of every flow (absolute, sorted, without duplicates).
    pub fn prompt_paths(&self) -> Vec<PathBuf> {
        let all: BTreeSet<PathBuf> = self
            .flows
            .values()
            .flat_map(|flow| flow.prompt_paths())
            .collect();
        all.into_iter().collect()
    }
}

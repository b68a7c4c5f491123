//! The validated, in-memory form of a flow.
//!
//! Invariants for flows produced by the loader: every step reference (`next`, `target`,
//! `choices`, `on_failure`, `open`, `closed`, `start`) names an existing step, prompt paths are
//! absolute and were readable at load time, `min_digits <= max_digits`, every key of a menu's
//! or ask's `phrases` is a key of its `choices` and no phrase belongs to two choices, every
//! placeholder of a text is `heard` or the variable of a collect or ask step, an ask has either
//! choices or a `next` and a `variable` for a free answer, an ask that takes keys has choices,
//! `minimum_confidence` lies in 0..=1, and no cycle consists only of steps that never wait for
//! the caller. The engine still defends against flows built by hand that break these rules.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use super::hours::Hours;
use super::template::Text;
use crate::dialogue::language::slots::SlotKind;

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
    /// When the flow hands callers to a person on its own initiative.
    pub escalation: Option<Escalation>,
    /// Slots by name: values an intent step picks out of what the caller says (into the
    /// variable of the same name), and kinds an ask step's answer must have.
    pub slots: BTreeMap<String, SlotKind>,
    /// The flow's timezone, for dates callers say ("tomorrow"); UTC when it has none.
    pub timezone: Option<chrono_tz::Tz>,
    /// The language the flow speaks and listens in (`language = "zh"`; English unless it says).
    pub language: crate::language::Language,
    /// What each prompt file says, by absolute path, for text channels and transcripts (from
    /// `prompts.tsv` beside the prompts; filled in by the loader).
    pub captions: BTreeMap<PathBuf, String>,
    /// What the flow's intents and knowledge are known by to the understanding service: its
    /// name, or its name and version once a version is published while the server runs (so
    /// calls in progress keep understanding with the version they started with).
    pub understanding: String,
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
        /// The step after the prompt finished (or was interrupted).
        next: String,
        /// Whether caller speech or a key may stop the prompt.
        barge_in: bool,
    },
    /// Speak text composed at call time, then continue at `next`.
    Say {
        /// The text, with placeholders for variables.
        text: Text,
        /// The step after the text was spoken (or interrupted).
        next: String,
        /// Whether caller speech or a key may stop the speech.
        barge_in: bool,
    },
    /// Play a prompt and branch on a single key.
    Menu(Menu),
    /// Play a prompt and collect a multi-digit entry into a variable.
    Collect(Collect),
    /// Speak a question and take the caller's answer, spoken or keyed.
    Ask(Ask),
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
    /// Ask what the caller wants and branch on the intent understood (or a key).
    Intent(IntentStep),
    /// Speak the knowledge-base answer to what the caller last said.
    Answer {
        /// The step after the answer was spoken (or interrupted).
        next: String,
        /// The step when no article answers it.
        on_no_answer: String,
        /// Whether caller input may stop the answer.
        barge_in: bool,
    },
    /// Ask a business backend over HTTP and store its answer in variables.
    Lookup(Lookup),
    /// Branch at once on a variable's value.
    Branch {
        /// The variable compared.
        variable: String,
        /// Target step by value.
        cases: BTreeMap<String, String>,
        /// The step when the value matches no case or is not set.
        default: String,
    },
    /// Hand the caller to a person in a skill group, with the conversation so far.
    Transfer(Transfer),
    /// Pause the call's recording (silence is recorded, say while a card number is given) or
    /// resume it, then continue at `next` at once.
    Record {
        /// True to pause, false to resume.
        pause: bool,
        /// The step after.
        next: String,
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
                let mut prompts: Vec<&PathBuf> = menu.prompt.path().into_iter().collect();
                prompts.extend(menu.input.prompts());
                prompts
            }
            StepKind::Collect(collect) => {
                let mut prompts: Vec<&PathBuf> = collect.prompt.path().into_iter().collect();
                prompts.extend(collect.input.prompts());
                prompts
            }
            StepKind::Ask(ask) => ask.input.prompts().collect(),
            StepKind::Intent(step) => {
                let mut prompts: Vec<&PathBuf> = step.prompt.path().into_iter().collect();
                prompts.extend(step.input.prompts());
                prompts
            }
            StepKind::Lookup(lookup) => lookup.wait.iter().filter_map(Message::path).collect(),
            StepKind::Transfer(transfer) => {
                transfer.message.iter().filter_map(Message::path).collect()
            }
            StepKind::Hangup { prompt, .. } => prompt.iter().collect(),
            StepKind::Say { .. }
            | StepKind::Goto { .. }
            | StepKind::Record { .. }
            | StepKind::Hours { .. }
            | StepKind::Answer { .. }
            | StepKind::Branch { .. } => Vec::new(),
        }
    }
}

impl StepKind {
    /// For a step that takes caller input (keys or speech, during or after its prompts),
    /// whether that input may stop its prompts; `None` for a step that takes none.
    pub fn input_barge_in(&self) -> Option<bool> {
        match self {
            StepKind::Play { barge_in, .. }
            | StepKind::Say { barge_in, .. }
            | StepKind::Answer { barge_in, .. } => Some(*barge_in),
            StepKind::Menu(menu) => Some(menu.barge_in),
            StepKind::Collect(collect) => Some(collect.barge_in),
            StepKind::Ask(ask) => Some(ask.barge_in),
            StepKind::Intent(step) => Some(step.barge_in),
            StepKind::Goto { .. }
            | StepKind::Record { .. }
            | StepKind::Hours { .. }
            | StepKind::Hangup { .. }
            | StepKind::Lookup(_)
            | StepKind::Branch { .. }
            | StepKind::Transfer(_) => None,
        }
    }
}

/// Something a step plays to the caller: a recorded prompt or text spoken with the server's
/// voice.
#[derive(Debug, Clone, PartialEq)]
pub enum Message {
    /// Absolute path of a prompt file.
    Prompt(PathBuf),
    /// Text with placeholders, composed when it is played.
    Text(Text),
}

impl Message {
    /// The prompt file, when the message is one.
    pub fn path(&self) -> Option<&PathBuf> {
        match self {
            Message::Prompt(path) => Some(path),
            Message::Text(_) => None,
        }
    }
}

/// Retry behaviour shared by menu, collect and ask steps.
#[derive(Debug, Clone, PartialEq)]
pub struct InputPolicy {
    /// How long to wait for the first key once the prompt finished.
    pub timeout: Duration,
    /// How many more attempts after the first one failed (no input and invalid input share it).
    pub retries: u32,
    /// Played when the caller gave no input, before the step's prompt is repeated.
    pub no_input: Option<Message>,
    /// Played when the input was invalid, before the step's prompt is repeated.
    pub invalid: Option<Message>,
    /// The step after the last attempt failed.
    pub on_failure: String,
    /// Transcripts recognised with less confidence than this count as invalid input.
    pub minimum_confidence: f32,
}

impl InputPolicy {
    /// The prompt files of the failure messages.
    fn prompts(&self) -> impl Iterator<Item = &PathBuf> {
        [&self.no_input, &self.invalid]
            .into_iter()
            .filter_map(|message| message.as_ref().and_then(Message::path))
    }
}

/// A single-key menu.
#[derive(Debug, Clone, PartialEq)]
pub struct Menu {
    /// What the menu plays.
    pub prompt: Message,
    /// Target step by DTMF key.
    pub choices: BTreeMap<char, String>,
    /// Phrases a caller may say instead of pressing a key, as written, by key of `choices`.
    pub phrases: BTreeMap<char, Vec<String>>,
    /// Whether caller speech or a key may stop the step's prompts.
    pub barge_in: bool,
    /// Timeouts, retries and failure handling.
    pub input: InputPolicy,
}

/// A multi-digit entry stored into a variable.
#[derive(Debug, Clone, PartialEq)]
pub struct Collect {
    /// What the step plays.
    pub prompt: Message,
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
    /// Whether caller speech or a key may stop the step's prompts.
    pub barge_in: bool,
    /// Timeouts, retries and failure handling.
    pub input: InputPolicy,
    /// Whether a value the variable already holds (said earlier, e.g. "where is order 12345")
    /// is used without asking again.
    pub reuse: bool,
}

/// A spoken question whose answer is a choice or free text.
#[derive(Debug, Clone, PartialEq)]
pub struct Ask {
    /// The question, with placeholders for variables.
    pub text: Text,
    /// The variable the answer is stored in: the choice's key, or the words heard.
    pub variable: Option<String>,
    /// What counts as an answer, and where the flow goes with it.
    pub answers: Answers,
    /// Whether the caller answers by speech, by key, or either.
    pub accepts: AskInput,
    /// The flow slot whose kind a free answer must have (normalised, e.g. a date as
    /// YYYY-MM-DD); other answers are invalid input.
    pub slot: Option<String>,
    /// Whether caller input may stop the question (and the failure texts before it).
    pub barge_in: bool,
    /// Timeouts, retries and failure handling; the failure messages are texts.
    pub input: InputPolicy,
}

/// The answers an ask step accepts.
#[derive(Debug, Clone, PartialEq)]
pub enum Answers {
    /// One of a set of choices, by key or by phrase.
    Choices {
        /// Target step by key.
        choices: BTreeMap<char, String>,
        /// Phrases for each key of `choices`, as written.
        phrases: BTreeMap<char, Vec<String>>,
    },
    /// Whatever the caller says, recognised with enough confidence.
    Free {
        /// The step after the answer.
        next: String,
    },
}

/// How the caller may answer an ask step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AskInput {
    /// Only by speaking.
    Speech,
    /// Only by pressing keys.
    Dtmf,
    /// By speaking or by pressing keys.
    SpeechAndDtmf,
}

impl AskInput {
    /// Whether spoken answers count.
    pub fn speech(self) -> bool {
        matches!(self, AskInput::Speech | AskInput::SpeechAndDtmf)
    }

    /// Whether keyed answers count.
    pub fn keys(self) -> bool {
        matches!(self, AskInput::Dtmf | AskInput::SpeechAndDtmf)
    }
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

/// A step that asks what the caller wants and branches on the intent understood.
#[derive(Debug, Clone, PartialEq)]
pub struct IntentStep {
    /// The question.
    pub prompt: Message,
    /// Target step by intent name.
    pub intents: BTreeMap<String, String>,
    /// Target step by DTMF key.
    pub choices: BTreeMap<char, String>,
    /// Whether caller input may stop the step's prompts.
    pub barge_in: bool,
    /// Timeouts, retries (no match counts as invalid input) and failure handling.
    pub input: InputPolicy,
}

/// A request to a business backend whose JSON answer lands in variables.
#[derive(Debug, Clone, PartialEq)]
pub struct Lookup {
    /// The HTTP method.
    pub method: super::lookup::LookupMethod,
    /// The URL, with placeholders (filled in percent-encoded, except `server`).
    pub url: Text,
    /// Headers, with placeholders in their values.
    pub headers: Vec<(String, Text)>,
    /// A JSON body with placeholders.
    pub body: Option<Text>,
    /// How long one attempt may take.
    pub timeout: Duration,
    /// How many more attempts after a failed one.
    pub retries: u32,
    /// (variable, JSON pointer) pairs copied from the response.
    pub map: Vec<(String, String)>,
    /// Played while the backend is asked, so the caller never hears dead air.
    pub wait: Option<Message>,
    /// The step after a successful answer.
    pub next: String,
    /// The step when the backend says the thing looked up does not exist (HTTP 404).
    pub on_not_found: String,
    /// The step when the backend fails or is too slow.
    pub on_error: String,
}

impl Lookup {
    /// The longest the driver may take to answer: every attempt timing out, plus a margin for
    /// the pauses between attempts.
    pub fn deadline(&self) -> Duration {
        (self.timeout + Duration::from_secs(1)) * (self.retries + 1)
    }
}

/// How urgently a transferred caller is served.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    /// In order of waiting.
    Normal,
    /// Complaints: ahead of normal callers.
    Raised,
    /// VIP customers: first in any queue.
    Vip,
}

/// A hand-over to a skill group.
#[derive(Debug, Clone, PartialEq)]
pub struct Transfer {
    /// The skill group; `None` picks it from the conversation (see [`Escalation::groups`]).
    pub group: Option<String>,
    /// Why, for the agent (used when no escalation trigger gave a reason).
    pub reason: Text,
    /// How urgent, at least; VIP callers and complaints raise it.
    pub priority: Priority,
    /// Played before the transfer starts.
    pub message: Option<Message>,
    /// The step when no agent can take the call.
    pub on_unavailable: String,
    /// The step after the agent hangs up (e.g. a survey); without it the call ends then.
    pub next: Option<String>,
    /// The step when the waiting caller asks to be called back instead; without it the
    /// callback key does nothing.
    pub on_callback: Option<String>,
    /// The step an agent sends the caller back to in the IVR; without it, the flow's start.
    pub on_return: Option<String>,
}

/// The flow's escalation policy: when Hotline hands a caller to a person without the flow
/// routing there itself.
#[derive(Debug, Clone, PartialEq)]
pub struct Escalation {
    /// The transfer step escalations go to.
    pub step: String,
    /// Intents that mean "let me talk to a person", honoured in every listening step.
    pub human_intents: Vec<String>,
    /// Intents that are complaints: escalated with raised priority.
    pub complaint_intents: Vec<String>,
    /// Sentiment at or below which an utterance counts as a complaint (-1..=0), if any.
    pub negative_sentiment: Option<f32>,
    /// Not-understood turns in a row after which the caller is escalated (0: never).
    pub no_matches: u32,
    /// The variable that is "true" for VIP callers.
    pub vip_variable: Option<String>,
    /// The variable holding the customer's name, for the agent's brief and screen.
    pub name_variable: Option<String>,
    /// Skill group by the intent the conversation was about.
    pub groups: BTreeMap<String, String>,
    /// The skill group when no intent decides.
    pub default_group: String,
}

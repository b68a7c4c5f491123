//! The sans-IO flow engine: runs one flow for one call.
//!
//! The call actor drives it: `start`, then `handle_event` for playback completions, DTMF
//! digits, caller speech starting over a prompt and transcripts of what the caller said, and
//! `handle_timeout` once the instant from `poll_timeout` has passed, draining `poll_action`
//! after each call. The engine never reads the clock or does I/O.
//!
//! Contract with the driver: at most one prompt plays at a time, either a file (`Play`) or text
//! to speak (`Say`). Either is only emitted when nothing is playing; `PlaybackFinished` refers to
//! the most recent one, and must not be sent for a playback that `StopPlayback` cancelled (a stray
//! one is ignored when nothing plays). The driver never stops a prompt by itself: when it hears
//! the caller start speaking over a prompt whose `barge_in` is true it sends `SpeechStarted`, and
//! the engine answers with `StopPlayback` if the prompt may be interrupted.
//!
//! Semantics:
//! * `menu`, `collect` and `ask` play their prompt, then wait; their timer starts when the prompt
//!   (and any no-input/invalid message before it) finished. Input while one of their prompts
//!   plays stops playback and is processed at once, so callers can type ahead.
//! * No input and invalid input share one attempt counter: the failure message plays, then the
//!   step's prompt again; after `retries` extra attempts the flow continues at `on_failure`.
//! * `collect` ends on its terminator, on `max_digits`, or when `inter_digit_timeout` passes
//!   after a digit; shorter than `min_digits` counts as invalid input. Other non-digit keys are
//!   invalid input.
//! * `ask` speaks its question and takes a choice (by key or phrase, as its `input` allows) or,
//!   without choices, the words heard; the answer is stored in its `variable` (`Collected`).
//! * Speech (see `spoken`) is handled in menu, collect and ask steps like keys: it barges in, a
//!   spoken choice, digit entry or free answer counts, anything else is invalid input, an empty
//!   transcript is no input. Every transcript received while the flow runs is reported as `Heard`.
//! * `say` behaves like `play`, speaking its text with placeholders filled in from the variables
//!   and the last transcript (`{heard}`) as they are when the step is entered.
//! * A key or speech during a `play` or `say` step stops it and the flow continues at `next`;
//!   the key or utterance is used for nothing else.
//! * A step with `barge_in = false` cannot be interrupted: keys and speech while its prompts
//!   play are ignored (keys still appear in `digits()`, speech in `Heard`). `hangup` prompts are
//!   never interrupted.
//! * At most `STEP_BUDGET` steps may be entered while handling one call into the engine; beyond
//!   that the call is hung up, so a cyclic flow can never spin.

use std::collections::{BTreeMap, VecDeque};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use chrono::{DateTime, Utc};

use self::summary::Handover;
use crate::dialogue::flow_file::lookup::{LookupOutcome, LookupRequest};
use crate::dialogue::flow_file::model::{Flow, StepKind};
use crate::dialogue::language::meaning::Meaning;
use conversation::Conversation;
use prompt::Prompt;

mod conversation;
mod handover;
mod keys;
mod lookups;
mod meaning_answers;
mod prompt;
mod spoken;
pub(super) mod summary;

#[cfg(test)]
mod ask_tests;
#[cfg(test)]
mod barge_in_tests;
#[cfg(test)]
mod conversation_tests;
#[cfg(test)]
mod demo_tests;
#[cfg(test)]
mod engine_tests;
#[cfg(test)]
mod meaning_answers_tests;
#[cfg(test)]
mod say_tests;
#[cfg(test)]
mod simulated_call;
#[cfg(test)]
mod speech_tests;
#[cfg(test)]
mod translation_tests;

/// How many steps may be entered while handling a single event, start or timeout.
pub const STEP_BUDGET: usize = 64;

/// Something that happened on the call.
#[derive(Debug, Clone, PartialEq)]
pub enum FlowEvent {
    /// The most recent `Play` or `Say` finished playing.
    PlaybackFinished,
    /// The caller started speaking over a prompt that allows barge-in; the transcript follows
    /// as `Speech` once the turn ends.
    SpeechStarted,
    /// The caller pressed a DTMF key.
    Digit(char),
    /// The caller finished a turn of speech and the recogniser transcribed it.
    Speech {
        /// What the recogniser heard; empty when it heard no words.
        text: String,
        /// The recogniser's confidence in the transcript, from 0 to 1.
        confidence: f32,
        /// What the words mean (intent, slots, answering article, sentiment), when the flow
        /// has intents or knowledge and the driver could work it out.
        meaning: Option<Meaning>,
    },
    /// The lookup the engine asked for (`FlowAction::Lookup`) ended.
    LookupFinished(LookupOutcome),
    /// No person could take the transfer the engine asked for (`FlowAction::Transfer`).
    TransferFailed {
        /// Why, for logs and the conversation summary.
        reason: String,
    },
    /// The transfer the engine asked for is over and the caller is still there.
    TransferEnded(TransferOutcome),
}

/// How a transfer that reached the queue ended for a caller who is still on the line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TransferOutcome {
    /// The agent hung up after talking to the caller: the flow goes on at the step's `next`.
    Completed,
    /// The caller asked to be called back instead of waiting: `on_callback`.
    Callback,
    /// An agent sent the caller back into the IVR: `step` if given, else `on_return`.
    Returned {
        /// The step the agent chose.
        step: Option<String>,
    },
}

/// Something the call actor must do.
#[derive(Debug, Clone, PartialEq)]
pub enum FlowAction {
    /// Play a prompt file (absolute path).
    Play {
        /// The prompt file.
        path: PathBuf,
        /// Whether caller speech may interrupt it: only then should the driver watch for
        /// speech over it and send `SpeechStarted`.
        barge_in: bool,
    },
    /// Speak text (already composed; the call actor synthesizes it).
    Say {
        /// The text to speak.
        text: String,
        /// Whether caller speech may interrupt it, as for `Play`.
        barge_in: bool,
    },
    /// Stop the prompt or speech that is playing (barge-in).
    StopPlayback,
    /// Pause the call's recording, or resume it.
    Recording {
        /// True to pause, false to resume.
        pause: bool,
    },
    /// End the call.
    Hangup {
        /// Why the call ends.
        reason: String,
    },
    /// Ask a business backend; answer with `LookupFinished`.
    Lookup(LookupRequest),
    /// Hand the caller to a person; answer with `TransferFailed` when nobody can take them.
    Transfer(Box<Handover>),
    /// A collect or ask step stored a value.
    Collected {
        /// The variable name.
        variable: String,
        /// The digits entered, the key of the choice taken, or the words of a free answer.
        value: String,
    },
    /// The flow entered a step.
    StepEntered {
        /// The step's name.
        step: String,
    },
    /// The caller said something (for the call's transcript).
    Heard {
        /// The transcript as the recogniser delivered it.
        text: String,
        /// The step the flow was in.
        step: String,
        /// What the step understood: the key of the choice taken, the digits collected or the
        /// free answer; `None` when the utterance was not accepted or the step does not listen.
        matched: Option<String>,
    },
}

/// Why an input attempt failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Failure {
    NoInput,
    Invalid,
}

/// Runs one flow for one call.
#[derive(Debug)]
pub struct FlowEngine {
    flow: Arc<Flow>,
    step: Option<String>,
    playing: bool,
    queued_prompts: VecDeque<Prompt>,
    deadline: Option<Instant>,
    failed_attempts: u32,
    entry: String,
    actions: VecDeque<FlowAction>,
    variables: BTreeMap<String, String>,
    digits: String,
    heard: String,
    finished: bool,
    /// The meaning of the last utterance.
    meaning: Option<Meaning>,
    /// The instant of the latest call into the engine.
    now: Option<Instant>,
    /// The answer of a lookup that arrived while its wait message still played.
    lookup_outcome: Option<LookupOutcome>,
    /// Method and URL of the lookup under way, as sent, for the conversation summary.
    lookup_request: String,
    conversation: Conversation,
}

impl FlowEngine {
    /// An engine for `flow`; nothing happens until `start`.
    pub fn new(flow: Arc<Flow>) -> Self {
        Self {
            flow,
            step: None,
            playing: false,
            queued_prompts: VecDeque::new(),
            deadline: None,
            failed_attempts: 0,
            entry: String::new(),
            actions: VecDeque::new(),
            variables: BTreeMap::new(),
            digits: String::new(),
            heard: String::new(),
            finished: false,
            meaning: None,
            now: None,
            lookup_outcome: None,
            lookup_request: String::new(),
            conversation: Conversation::default(),
        }
    }

    /// The step the flow is in; `None` before the start and after the end.
    pub fn step(&self) -> Option<&str> {
        self.step.as_deref()
    }

    /// The language of the flow being run.
    pub fn language(&self) -> crate::language::Language {
        self.flow.language
    }

    /// What the flow being run is known by to the understanding service.
    pub fn understanding(&self) -> &str {
        &self.flow.understanding
    }

    /// Goes on in `translation`, the same flow in another language: in the step of the same
    /// name, with the variables, the conversation so far and the attempt under way, but none of
    /// the prompts still queued in the old language. Returns `false`, changing nothing, when
    /// the translation has no step of that name and type.
    pub fn translate(&mut self, translation: Arc<Flow>) -> bool {
        let same_step = |flow: &Flow| {
            self.step
                .as_ref()
                .and_then(|step| flow.steps.get(step))
                .map(|step| std::mem::discriminant(&step.kind))
        };
        if same_step(&translation).is_none() || same_step(&translation) != same_step(&self.flow) {
            return false;
        }
        self.flow = translation;
        self.queued_prompts.clear();
        true
    }

    /// Sets a variable before the flow starts, e.g. the built-in `caller`, `dialled`,
    /// `channel` and `server`.
    pub fn set_variable(&mut self, name: &str, value: &str) {
        self.variables.insert(name.to_string(), value.to_string());
    }

    /// Enters the flow's start step. Calling it again has no effect.
    pub fn start(&mut self, now: Instant, wall: DateTime<Utc>) {
        self.now = Some(now);
        if self.step.is_none() && !self.finished {
            let start = self.flow.start.clone();
            self.go_to(start, wall);
        }
    }

    /// Feeds an event from the call.
    pub fn handle_event(&mut self, now: Instant, wall: DateTime<Utc>, event: FlowEvent) {
        if self.finished || self.step.is_none() {
            return;
        }
        self.now = Some(now);
        match event {
            FlowEvent::PlaybackFinished => self.playback_finished(now, wall),
            FlowEvent::SpeechStarted => self.speech_started(),
            FlowEvent::Digit(digit) => self.digit(now, wall, digit),
            FlowEvent::Speech {
                text,
                confidence,
                meaning,
            } => {
                self.heard.clone_from(&text);
                self.conversation.customer_said(&text);
                self.meaning = meaning;
                self.speech(wall, text, confidence);
            }
            FlowEvent::LookupFinished(outcome) => self.lookup_finished(wall, outcome),
            FlowEvent::TransferFailed { reason } => self.transfer_failed(wall, reason),
            FlowEvent::TransferEnded(outcome) => self.transfer_ended(wall, outcome),
        }
    }

    /// Handles the expiry of the timer announced by `poll_timeout`; early calls are ignored.
    pub fn handle_timeout(&mut self, now: Instant, wall: DateTime<Utc>) {
        if self.finished || self.deadline.is_none_or(|deadline| now < deadline) {
            return;
        }
        self.now = Some(now);
        self.deadline = None;
        let flow = Arc::clone(&self.flow);
        match kind_of(&flow, self.step.as_ref()) {
            Some(StepKind::Collect(_)) if !self.entry.is_empty() => self.finish_entry(wall),
            Some(
                StepKind::Menu(_) | StepKind::Collect(_) | StepKind::Ask(_) | StepKind::Intent(_),
            ) => {
                self.fail(wall, Failure::NoInput);
            }
            Some(StepKind::Lookup(lookup)) => {
                let reason = format!("no answer within {:?}", lookup.deadline());
                self.deliver_lookup(wall, LookupOutcome::Failed { reason });
            }
            _ => {}
        }
    }

    /// When `handle_timeout` should next be called, if a timer runs.
    pub fn poll_timeout(&self) -> Option<Instant> {
        if self.finished { None } else { self.deadline }
    }

    /// The next action for the call actor to execute.
    pub fn poll_action(&mut self) -> Option<FlowAction> {
        self.actions.pop_front()
    }

    /// Variables stored by collect and ask steps.
    pub fn variables(&self) -> &BTreeMap<String, String> {
        &self.variables
    }

    /// Every DTMF key the caller pressed while the flow ran, in order.
    pub fn digits(&self) -> &str {
        &self.digits
    }

    /// Whether the flow hung up.
    pub fn is_finished(&self) -> bool {
        self.finished
    }

    fn playback_finished(&mut self, now: Instant, wall: DateTime<Utc>) {
        if !self.playing {
            return;
        }
        self.playing = false;
        if let Some(prompt) = self.queued_prompts.pop_front() {
            self.play(prompt);
            return;
        }
        let flow = Arc::clone(&self.flow);
        match kind_of(&flow, self.step.as_ref()) {
            Some(
                StepKind::Play { next, .. }
                | StepKind::Say { next, .. }
                | StepKind::Answer { next, .. },
            ) => {
                self.go_to(next.clone(), wall);
            }
            Some(StepKind::Hangup { reason, .. }) => self.hang_up(reason.clone()),
            Some(StepKind::Menu(menu)) => self.deadline = Some(now + menu.input.timeout),
            Some(StepKind::Collect(collect)) => self.deadline = Some(now + collect.input.timeout),
            Some(StepKind::Ask(ask)) => self.deadline = Some(now + ask.input.timeout),
            Some(StepKind::Intent(step)) => self.deadline = Some(now + step.input.timeout),
            Some(StepKind::Lookup(_)) => {
                if let Some(outcome) = self.lookup_outcome.take() {
                    self.apply_lookup(wall, outcome);
                }
            }
            Some(StepKind::Transfer(_)) => self.request_transfer(),
            Some(
                StepKind::Goto { .. }
                | StepKind::Record { .. }
                | StepKind::Hours { .. }
                | StepKind::Branch { .. },
            )
            | None => {}
        }
    }

    /// Counts a failed attempt: replays the step with its failure message, or gives up.
    fn fail(&mut self, wall: DateTime<Utc>, failure: Failure) {
        let flow = Arc::clone(&self.flow);
        let (prompt, input) = match kind_of(&flow, self.step.as_ref()) {
            Some(StepKind::Menu(menu)) => (self.prompt_for(&menu.prompt), &menu.input),
            Some(StepKind::Collect(collect)) => (self.prompt_for(&collect.prompt), &collect.input),
            Some(StepKind::Ask(ask)) => (self.compose(&ask.text), &ask.input),
            Some(StepKind::Intent(step)) => (self.prompt_for(&step.prompt), &step.input),
            _ => return,
        };
        let step_name = self.step.clone().unwrap_or_default();
        self.conversation
            .failed(&step_name, failure == Failure::Invalid, &self.heard);
        self.entry.clear();
        self.deadline = None;
        self.failed_attempts += 1;
        if self.failed_attempts > input.retries {
            self.go_to(input.on_failure.clone(), wall);
            return;
        }
        let message = match failure {
            Failure::NoInput => &input.no_input,
            Failure::Invalid => &input.invalid,
        };
        let message = message.as_ref().map(|message| self.prompt_for(message));
        self.queued_prompts.extend(message);
        self.queued_prompts.push_back(prompt);
        if let Some(first) = self.queued_prompts.pop_front() {
            self.play(first);
        }
    }

    /// Enters `target` and follows steps that continue at once, within the step budget.
    fn go_to(&mut self, target: String, wall: DateTime<Utc>) {
        let flow = Arc::clone(&self.flow);
        let mut next = Some(target);
        let mut entered = 0;
        while let Some(name) = next.take() {
            if entered == STEP_BUDGET {
                let reason = format!(
                    "flow '{}' entered {STEP_BUDGET} steps without waiting for the caller (at step '{name}')",
                    flow.name
                );
                self.hang_up(reason);
                return;
            }
            entered += 1;
            let Some(step) = flow.steps.get(&name) else {
                self.hang_up(format!("flow '{}' has no step '{name}'", flow.name));
                return;
            };
            self.step = Some(name.clone());
            self.failed_attempts = 0;
            self.entry.clear();
            self.deadline = None;
            self.queued_prompts.clear();
            self.lookup_outcome = None;
            self.actions
                .push_back(FlowAction::StepEntered { step: name });
            match &step.kind {
                StepKind::Play { prompt, .. } => self.play(Prompt::File(prompt.clone())),
                StepKind::Say { text, .. } => self.play(self.compose(text)),
                StepKind::Menu(menu) => self.play(self.prompt_for(&menu.prompt)),
                StepKind::Collect(collect)
                    if collect.reuse && self.variables.contains_key(&collect.variable) =>
                {
                    next = Some(collect.next.clone());
                }
                StepKind::Collect(collect) => self.play(self.prompt_for(&collect.prompt)),
                StepKind::Ask(ask) => self.play(self.compose(&ask.text)),
                StepKind::Intent(step) => self.play(self.prompt_for(&step.prompt)),
                StepKind::Answer { on_no_answer, .. } => {
                    match self
                        .meaning
                        .as_ref()
                        .and_then(|meaning| meaning.article.clone())
                    {
                        Some(article) => self.play(Prompt::Text(article.answer)),
                        None => next = Some(on_no_answer.clone()),
                    }
                }
                StepKind::Lookup(lookup) => self.start_lookup(lookup),
                StepKind::Branch {
                    variable,
                    cases,
                    default,
                } => {
                    let value = self.variables.get(variable);
                    let target = value.and_then(|value| cases.get(value));
                    next = Some(target.unwrap_or(default).clone());
                }
                StepKind::Transfer(transfer) => match &transfer.message {
                    Some(message) => self.play(self.prompt_for(message)),
                    None => self.request_transfer(),
                },
                StepKind::Goto { target } => next = Some(target.clone()),
                StepKind::Record {
                    pause,
                    next: target,
                } => {
                    self.actions
                        .push_back(FlowAction::Recording { pause: *pause });
                    next = Some(target.clone());
                }
                StepKind::Hours {
                    hours,
                    open,
                    closed,
                } => {
                    next = Some(if hours.is_open(wall) {
                        open.clone()
                    } else {
                        closed.clone()
                    });
                }
                StepKind::Hangup {
                    prompt: Some(prompt),
                    ..
                } => self.play(Prompt::File(prompt.clone())),
                StepKind::Hangup {
                    prompt: None,
                    reason,
                } => self.hang_up(reason.clone()),
            }
        }
    }

    fn hang_up(&mut self, reason: String) {
        if self.playing {
            self.playing = false;
            self.actions.push_back(FlowAction::StopPlayback);
        }
        self.finished = true;
        self.deadline = None;
        self.queued_prompts.clear();
        self.actions.push_back(FlowAction::Hangup { reason });
    }
}

/// The kind of the step called `step` in `flow`.
fn kind_of<'flow>(flow: &'flow Flow, step: Option<&String>) -> Option<&'flow StepKind> {
    flow.steps.get(step?).map(|step| &step.kind)
}

//! The sans-IO flow engine: runs one flow for one call.
//!
//! The call actor drives it: `start`, then `handle_event` for playback completions, DTMF
//! digits and transcripts of what the caller said, and `handle_timeout` once the instant from `poll_timeout` has passed, draining
//! `poll_action` after each call. The engine never reads the clock or does I/O.
//!
//! Contract with the driver: at most one prompt plays at a time, either a file (`Play`) or text
//! to speak (`Say`). Either is only emitted when nothing is playing; `PlaybackFinished` refers to
//! the most recent one, and must not be sent for a playback that `StopPlayback` cancelled (a stray
//! one is ignored when nothing plays).
//!
//! Semantics:
//! * `menu` and `collect` play their prompt, then wait; their timer starts when the prompt (and
//!   any no-input/invalid prompt before it) finished. A digit while one of their prompts plays
//!   stops playback and is processed at once, so callers can type ahead.
//! * No input and invalid input share one attempt counter: the failure prompt plays, then the
//!   step prompt again; after `retries` extra attempts the flow continues at `on_failure`.
//! * `collect` ends on its terminator, on `max_digits`, or when `inter_digit_timeout` passes
//!   after a digit; shorter than `min_digits` counts as invalid input. Other non-digit keys are
//!   invalid input.
//! * Speech (see `spoken`) is handled in menu and collect steps like keys: it barges in, a
//!   spoken choice or digit entry counts, anything else is invalid input, an empty transcript is
//!   no input. Every transcript received while the flow runs is reported as `Heard`.
//! * `say` behaves like `play`, speaking its text with placeholders filled in from the variables
//!   and the last transcript (`{heard}`) as they are when the step is entered.
//! * Digits pressed during `play`, `say` and `hangup` steps are recorded in `digits()` but
//!   otherwise ignored.
//! * At most `STEP_BUDGET` steps may be entered while handling one call into the engine; beyond
//!   that the call is hung up, so a cyclic flow can never spin.

use std::collections::{BTreeMap, VecDeque};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use chrono::{DateTime, Utc};

use super::model::{Flow, InputPolicy, StepKind};
use prompt::Prompt;

mod prompt;
mod spoken;

/// How many steps may be entered while handling a single event, start or timeout.
pub const STEP_BUDGET: usize = 64;

/// Something that happened on the call.
#[derive(Debug, Clone, PartialEq)]
pub enum FlowEvent {
    /// The most recent `Play` or `Say` finished playing.
    PlaybackFinished,
    /// The caller pressed a DTMF key.
    Digit(char),
    /// The caller finished a turn of speech and the recogniser transcribed it.
    Speech {
        /// What the recogniser heard; empty when it heard no words.
        text: String,
        /// The recogniser's confidence in the transcript, from 0 to 1.
        confidence: f32,
    },
}

/// Something the call actor must do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FlowAction {
    /// Play a prompt file (absolute path).
    Play {
        /// The prompt file.
        path: PathBuf,
    },
    /// Speak text (already composed; the call actor synthesizes it).
    Say {
        /// The text to speak.
        text: String,
    },
    /// Stop the prompt or speech that is playing (barge-in).
    StopPlayback,
    /// End the call.
    Hangup {
        /// Why the call ends.
        reason: String,
    },
    /// A collect step stored a value.
    Collected {
        /// The variable name.
        variable: String,
        /// The digits entered.
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
        /// What the step understood: the menu key chosen or the digits collected; `None` when
        /// the utterance was not accepted or the step does not listen.
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
        }
    }

    /// Enters the flow's start step. Calling it again has no effect. Entering steps never
    /// starts a timer (timers start when prompts finish), so `_now` is unused today.
    pub fn start(&mut self, _now: Instant, wall: DateTime<Utc>) {
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
        match event {
            FlowEvent::PlaybackFinished => self.playback_finished(now, wall),
            FlowEvent::Digit(digit) => self.digit(now, wall, digit),
            FlowEvent::Speech { text, confidence } => {
                self.heard.clone_from(&text);
                self.speech(wall, text, confidence);
            }
        }
    }

    /// Handles the expiry of the timer announced by `poll_timeout`; early calls are ignored.
    pub fn handle_timeout(&mut self, now: Instant, wall: DateTime<Utc>) {
        if self.finished || self.deadline.is_none_or(|deadline| now < deadline) {
            return;
        }
        self.deadline = None;
        let flow = Arc::clone(&self.flow);
        match kind_of(&flow, self.step.as_ref()) {
            Some(StepKind::Collect(_)) if !self.entry.is_empty() => self.finish_entry(wall),
            Some(StepKind::Menu(_) | StepKind::Collect(_)) => self.fail(wall, Failure::NoInput),
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

    /// Variables stored by collect steps.
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
            Some(StepKind::Play { next, .. } | StepKind::Say { next, .. }) => {
                self.go_to(next.clone(), wall);
            }
            Some(StepKind::Hangup { reason, .. }) => self.hang_up(reason.clone()),
            Some(StepKind::Menu(menu)) => self.deadline = Some(now + menu.input.timeout),
            Some(StepKind::Collect(collect)) => self.deadline = Some(now + collect.input.timeout),
            Some(StepKind::Goto { .. } | StepKind::Hours { .. }) | None => {}
        }
    }

    fn digit(&mut self, now: Instant, wall: DateTime<Utc>, digit: char) {
        self.digits.push(digit);
        let flow = Arc::clone(&self.flow);
        let Some(kind) = kind_of(&flow, self.step.as_ref()) else {
            return;
        };
        if !matches!(kind, StepKind::Menu(_) | StepKind::Collect(_)) {
            return;
        }
        self.barge_in();
        match kind {
            StepKind::Menu(menu) => match menu.choices.get(&digit) {
                Some(target) => self.go_to(target.clone(), wall),
                None => self.fail(wall, Failure::Invalid),
            },
            StepKind::Collect(collect) => {
                if Some(digit) == collect.terminator {
                    self.finish_entry(wall);
                } else if !digit.is_ascii_digit() {
                    self.fail(wall, Failure::Invalid);
                } else {
                    self.entry.push(digit);
                    if self.entry.len() >= collect.max_digits {
                        self.finish_entry(wall);
                    } else {
                        self.deadline = Some(now + collect.inter_digit_timeout);
                    }
                }
            }
            _ => {}
        }
    }

    /// Input arrived in a menu or collect step: stops its prompts and its timer.
    fn barge_in(&mut self) {
        if self.playing {
            self.playing = false;
            self.queued_prompts.clear();
            self.actions.push_back(FlowAction::StopPlayback);
        }
        self.deadline = None;
    }

    /// Ends a collect entry: stores it when long enough, otherwise counts an invalid attempt.
    fn finish_entry(&mut self, wall: DateTime<Utc>) {
        let flow = Arc::clone(&self.flow);
        let Some(StepKind::Collect(collect)) = kind_of(&flow, self.step.as_ref()) else {
            return;
        };
        if self.entry.len() < collect.min_digits {
            self.fail(wall, Failure::Invalid);
            return;
        }
        let value = std::mem::take(&mut self.entry);
        self.variables
            .insert(collect.variable.clone(), value.clone());
        let variable = collect.variable.clone();
        let next = collect.next.clone();
        self.actions
            .push_back(FlowAction::Collected { variable, value });
        self.go_to(next, wall);
    }

    /// Counts a failed attempt: replays the step with its failure prompt, or gives up.
    fn fail(&mut self, wall: DateTime<Utc>, failure: Failure) {
        let flow = Arc::clone(&self.flow);
        let (prompt, input): (&PathBuf, &InputPolicy) = match kind_of(&flow, self.step.as_ref()) {
            Some(StepKind::Menu(menu)) => (&menu.prompt, &menu.input),
            Some(StepKind::Collect(collect)) => (&collect.prompt, &collect.input),
            _ => return,
        };
        self.entry.clear();
        self.deadline = None;
        self.failed_attempts += 1;
        if self.failed_attempts > input.retries {
            self.go_to(input.on_failure.clone(), wall);
            return;
        }
        let failure_prompt = match failure {
            Failure::NoInput => &input.no_input_prompt,
            Failure::Invalid => &input.invalid_prompt,
        };
        let failure_prompt = failure_prompt.iter().cloned().map(Prompt::File);
        self.queued_prompts.extend(failure_prompt);
        self.queued_prompts.push_back(Prompt::File(prompt.clone()));
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
            self.actions
                .push_back(FlowAction::StepEntered { step: name });
            match &step.kind {
                StepKind::Play { prompt, .. } => self.play(Prompt::File(prompt.clone())),
                StepKind::Say { text, .. } => {
                    let text = text.render(|name| self.value_of(name));
                    self.play(Prompt::Text(text));
                }
                StepKind::Menu(menu) => self.play(Prompt::File(menu.prompt.clone())),
                StepKind::Collect(collect) => self.play(Prompt::File(collect.prompt.clone())),
                StepKind::Goto { target } => next = Some(target.clone()),
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

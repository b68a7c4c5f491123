//! A simulated call for engine tests: owns the engine, a made-up monotonic clock and a fixed
//! wall clock, and turns keys, speech, playback completions and waiting into engine calls; and
//! the actions tests expect, built in one place.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};

use super::{Flow, FlowAction, FlowEngine, FlowEvent, Meaning};
use crate::dialogue::flow_file::lookup::LookupOutcome;
use crate::dialogue::flow_file::parse::parse_flow;

/// Parses a flow that must have no errors; prompts resolve under `/flows`.
pub fn parse(source: &str) -> Flow {
    let parsed = parse_flow(source, Path::new("/flows/test.flow.toml"));
    parsed.flow.expect("flow parses")
}

/// A simulated call: owns the engine, the monotonic clock and the wall clock.
pub struct Call {
    pub engine: FlowEngine,
    pub now: Instant,
    pub wall: DateTime<Utc>,
}

impl Call {
    /// Starts the flow at wall-clock time `wall`.
    pub fn start_at(flow: Flow, wall: DateTime<Utc>) -> Self {
        let mut call = Self {
            engine: FlowEngine::new(Arc::new(flow)),
            now: Instant::now(),
            wall,
        };
        call.engine.start(call.now, call.wall);
        call
    }

    /// Drains the engine's actions.
    pub fn actions(&mut self) -> Vec<FlowAction> {
        std::iter::from_fn(|| self.engine.poll_action()).collect()
    }

    /// The prompt that was playing finished.
    pub fn finished_playing(&mut self) -> Vec<FlowAction> {
        self.engine
            .handle_event(self.now, self.wall, FlowEvent::PlaybackFinished);
        self.actions()
    }

    /// The caller presses `keys`, one after the other.
    pub fn press(&mut self, keys: &str) -> Vec<FlowAction> {
        for key in keys.chars() {
            self.engine
                .handle_event(self.now, self.wall, FlowEvent::Digit(key));
        }
        self.actions()
    }

    /// The caller starts speaking over the prompt (the driver's barge-in detector fired).
    pub fn start_speaking(&mut self) -> Vec<FlowAction> {
        self.engine
            .handle_event(self.now, self.wall, FlowEvent::SpeechStarted);
        self.actions()
    }

    /// The caller says `text`, recognised with `confidence`.
    pub fn say(&mut self, text: &str, confidence: f32) -> Vec<FlowAction> {
        self.say_meaning(text, confidence, None)
    }

    /// The caller says `text`, understood as `meaning`.
    pub fn say_meaning(
        &mut self,
        text: &str,
        confidence: f32,
        meaning: Option<Meaning>,
    ) -> Vec<FlowAction> {
        let event = FlowEvent::Speech {
            text: text.into(),
            confidence,
            meaning,
        };
        self.engine.handle_event(self.now, self.wall, event);
        self.actions()
    }

    /// The backend answered the lookup the engine asked for.
    pub fn lookup_answered(&mut self, outcome: LookupOutcome) -> Vec<FlowAction> {
        self.engine
            .handle_event(self.now, self.wall, FlowEvent::LookupFinished(outcome));
        self.actions()
    }

    /// Nobody could take the transfer the engine asked for.
    pub fn transfer_failed(&mut self, reason: &str) -> Vec<FlowAction> {
        let event = FlowEvent::TransferFailed {
            reason: reason.into(),
        };
        self.engine.handle_event(self.now, self.wall, event);
        self.actions()
    }

    /// Advances the clock, firing the engine's timer if it is due.
    pub fn wait(&mut self, seconds: u64) -> Vec<FlowAction> {
        self.now += Duration::from_secs(seconds);
        if self
            .engine
            .poll_timeout()
            .is_some_and(|deadline| deadline <= self.now)
        {
            self.engine.handle_timeout(self.now, self.wall);
        }
        self.actions()
    }
}

/// The action playing the prompt `name` under `/flows`, which caller speech may interrupt.
pub fn play(name: &str) -> FlowAction {
    FlowAction::Play {
        path: PathBuf::from("/flows").join(name),
        barge_in: true,
    }
}

/// The action playing the prompt `name` under `/flows`, which nothing may interrupt.
pub fn play_to_the_end(name: &str) -> FlowAction {
    FlowAction::Play {
        path: PathBuf::from("/flows").join(name),
        barge_in: false,
    }
}

/// The action speaking `text`, which caller speech may interrupt.
pub fn say(text: &str) -> FlowAction {
    FlowAction::Say {
        text: text.into(),
        barge_in: true,
    }
}

/// The action speaking `text`, which nothing may interrupt.
pub fn say_to_the_end(text: &str) -> FlowAction {
    FlowAction::Say {
        text: text.into(),
        barge_in: false,
    }
}

/// The report of the caller saying `text` in `step`, understood as `matched`.
pub fn heard(text: &str, step: &str, matched: Option<&str>) -> FlowAction {
    FlowAction::Heard {
        text: text.into(),
        step: step.into(),
        matched: matched.map(String::from),
    }
}

/// The action storing `value` in `variable`.
pub fn collected(variable: &str, value: &str) -> FlowAction {
    FlowAction::Collected {
        variable: variable.into(),
        value: value.into(),
    }
}

/// The action entering `step`.
pub fn entered(step: &str) -> FlowAction {
    FlowAction::StepEntered { step: step.into() }
}

/// The action hanging up for `reason`.
pub fn hangup(reason: &str) -> FlowAction {
    FlowAction::Hangup {
        reason: reason.into(),
    }
}

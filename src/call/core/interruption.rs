//! Barge-in on one call, between the speech detector and the flow: which prompt caller speech
//! may interrupt, and what a detected interruption becomes.
//!
//! The flow says, for every prompt it starts (`barge_in` on `FlowAction::Play` and `Say`),
//! whether caller speech may interrupt it. Barge-in detection only watches the caller while such
//! a prompt plays, and a detection becomes `FlowEvent::SpeechStarted`: the flow, not the call,
//! decides to stop the prompt (with `StopPlayback`), so the flow always knows what plays.
//!
//! Invariant: nothing here stops playback; a prompt the flow made uninterruptible plays to its
//! end whatever the caller says.

use std::time::Instant;

use chrono::{DateTime, Utc};

use crate::dialogue::{FlowEngine, FlowEvent};

/// Whether caller speech may interrupt the prompt that plays now.
#[derive(Debug, Default)]
pub(super) struct Interruption {
    allowed: bool,
}

impl Interruption {
    /// The flow started a prompt; `barge_in` is what it allowed for it.
    pub(super) fn prompt_started(&mut self, barge_in: bool) {
        self.allowed = barge_in;
    }

    /// Whether barge-in detection should watch the caller now.
    pub(super) fn watching(&self, prompt_playing: bool) -> bool {
        prompt_playing && self.allowed
    }

    /// Barge-in detection heard the caller speak over the prompt: tells the flow.
    pub(super) fn detected(&self, flow: &mut FlowEngine, now: Instant, wall: DateTime<Utc>) {
        flow.handle_event(now, wall, FlowEvent::SpeechStarted);
    }
}

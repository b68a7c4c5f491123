//! What the core's parts share while they handle one input: the queue of outputs, what the
//! caller hears now, the call record, and the recording's state.
//!
//! Invariants: the caller's playback state follows only from what was asked (`Play`,
//! `StopPlayback`, `Say`) and what the driver reported (`PlaybackFinished`, `PlaybackFailed`,
//! the answer's last sentence), so it never needs the media session. Record changes are
//! collected and leave as one `SaveRecord` after the outputs of the same input, as a shared
//! snapshot rather than a copy.

use super::output::{CallOutput, Sound};
use crate::recording::{MarkEvent, Redactor};
use crate::storage::CallRecord;
use std::collections::VecDeque;
use std::sync::Arc;

/// What the caller's playback is doing, as far as the core asked for it.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Playback {
    /// Queued audio remains to be played.
    pub playing: bool,
    /// An answer is still being synthesized.
    pub speaking: bool,
    /// What was playing before the last `Play`, restored if that sound fails.
    before_last_play: bool,
}

/// The shared state of one call's core.
#[derive(Debug)]
pub(super) struct Effects {
    outputs: VecDeque<CallOutput>,
    pub playback: Playback,
    /// Shared with the record writer until it has written it: a change after that is made
    /// in place, and only a change before that copies it.
    record: Arc<CallRecord>,
    record_changed: bool,
    recording: bool,
    paused: bool,
    redactor: Redactor,
}

impl Effects {
    pub fn new(record: CallRecord, recording: bool, redactor: Redactor) -> Effects {
        Effects {
            outputs: VecDeque::new(),
            playback: Playback::default(),
            record: Arc::new(record),
            record_changed: false,
            recording,
            paused: false,
            redactor,
        }
    }

    pub fn emit(&mut self, output: CallOutput) {
        self.outputs.push_back(output);
    }

    /// The next output; a changed record leaves last, as one snapshot.
    pub fn poll(&mut self) -> Option<CallOutput> {
        if let Some(output) = self.outputs.pop_front() {
            return Some(output);
        }
        if self.record_changed {
            self.record_changed = false;
            return Some(CallOutput::SaveRecord(Arc::clone(&self.record)));
        }
        None
    }

    /// Queues audio for the caller.
    pub fn play(&mut self, sound: Sound) {
        self.playback.before_last_play = self.playback.playing;
        self.playback.playing = true;
        self.emit(CallOutput::Play(sound));
    }

    /// The last sound could not be played.
    pub fn play_failed(&mut self) {
        self.playback.playing = self.playback.before_last_play;
    }

    /// Stops what the caller hears, and the answer being synthesized.
    pub fn stop_playback(&mut self) {
        self.playback.playing = false;
        self.playback.speaking = false;
        self.emit(CallOutput::StopPlayback);
    }

    /// Starts synthesizing an answer for the caller.
    pub fn say(&mut self, text: String) {
        self.playback.speaking = true;
        self.emit(CallOutput::Say(text));
    }

    /// Marks an event in the recording, if it is recorded.
    pub fn mark(&mut self, event: MarkEvent) {
        if !self.recording {
            return;
        }
        match event {
            MarkEvent::Paused => self.paused = true,
            MarkEvent::Resumed => self.paused = false,
            _ => {}
        }
        self.emit(CallOutput::Mark(event));
    }

    /// The recording failed: nothing more is marked, and nothing counts as paused.
    pub fn recording_stopped(&mut self) {
        self.recording = false;
        self.paused = false;
    }

    /// Whether the recording is paused now (what the caller says or keys is then not kept).
    pub fn recording_paused(&self) -> bool {
        self.paused
    }

    pub fn record(&self) -> &CallRecord {
        &self.record
    }

    /// The record, to change; it is saved after this input.
    pub fn record_mut(&mut self) -> &mut CallRecord {
        self.record_changed = true;
        Arc::make_mut(&mut self.record)
    }

    pub fn redactor(&self) -> &Redactor {
        &self.redactor
    }
}

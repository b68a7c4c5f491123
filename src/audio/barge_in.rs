//! Barge-in detection: decides when caller speech should stop the prompt that is playing.
//!
//! Owns [`BargeInDetector`], a sans-IO decision core fed the caller's 20 ms frames while a prompt
//! plays. It fires once sustained speech reaches the configured minimum, so a cough, a click or
//! line noise never stops a prompt, and reports both the onset frame and the frame it fired at
//! so the caller can compute the stop latency. A prompt that may not be interrupted simply isn't
//! fed to a detector.
//!
//! Invariants: it fires at most once between resets; the firing frame is the frame that
//! completed the minimum speech, never later; time is the frame index, nothing reads a clock.

use super::AudioError;
use super::onset::OnsetTracker;
use super::speech_config::BargeInConfig;
use super::vad::{VoiceActivity, frames_covering};

/// The decision to stop playback.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BargeIn {
    /// First voiced frame of the speech that interrupted the prompt.
    pub onset_frame_index: u64,
    /// The frame whose arrival completed the minimum speech; playback should stop now.
    pub frame_index: u64,
}

/// Watches caller audio during a prompt for speech that should interrupt it.
#[derive(Debug)]
pub struct BargeInDetector {
    voice_activity: VoiceActivity,
    onset: OnsetTracker,
    next_frame_index: u64,
    fired: bool,
}

impl BargeInDetector {
    /// Builds a detector for 20 ms frames at `sample_rate`, validating `config`.
    pub fn new(sample_rate: u32, config: &BargeInConfig) -> Result<Self, AudioError> {
        config.validate()?;
        Ok(Self {
            voice_activity: VoiceActivity::new(sample_rate, &config.voice_activity)?,
            onset: OnsetTracker::new(frames_covering(config.minimum_speech)),
            next_frame_index: 0,
            fired: false,
        })
    }

    /// Samples in one 20 ms frame.
    pub fn frame_samples(&self) -> usize {
        self.voice_activity.frame_samples()
    }

    /// Feeds the next 20 ms frame of caller audio; returns the barge-in the first time sustained
    /// speech reaches the minimum, and `None` otherwise (also on every frame after it fired).
    pub fn handle_frame(&mut self, frame: &[i16]) -> Result<Option<BargeIn>, AudioError> {
        let is_speech = self.voice_activity.is_speech(frame)?;
        let frame_index = self.next_frame_index;
        self.next_frame_index += 1;
        if self.fired {
            return Ok(None);
        }
        let Some(onset_frame_index) = self.onset.observe(frame_index, is_speech) else {
            return Ok(None);
        };
        self.fired = true;
        Ok(Some(BargeIn {
            onset_frame_index,
            frame_index,
        }))
    }

    /// Arms the detector for the next prompt. Frame indices keep counting from where they were;
    /// libfvad keeps its noise estimate.
    pub fn reset(&mut self) {
        self.onset.reset();
        self.fired = false;
    }
}

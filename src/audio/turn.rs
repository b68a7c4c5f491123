//! End-of-turn detection: cuts a caller's audio into utterances for speech recognition.
//!
//! Owns [`TurnDetector`], a sans-IO state machine: feed it consecutive 20 ms frames with
//! [`TurnDetector::handle_frame`], then drain [`TurnEvent`]s with [`TurnDetector::poll_event`].
//! Time is the frame index (frame `n` starts at `n × 20 ms` of the stream); nothing here reads a
//! clock.
//!
//! Invariants: events come in the order `SpeechStarted`, then any number of
//! `SpeechPaused`/`SpeechResumed` pairs, then exactly one `SpeechEnded`; an utterance holds at
//! most `pre_roll + maximum_utterance` of audio and starts at most `pre_roll` before the onset;
//! the audio kept while nobody speaks is bounded by the pre-roll plus one candidate onset.

use std::collections::VecDeque;
use std::time::Duration;

use super::AudioError;
use super::onset::OnsetTracker;
use super::speech_config::TurnConfig;
use super::vad::{VoiceActivity, frames_covering, frames_duration};

/// Consecutive voiced frames needed to resume a turn after it paused, so one noisy frame in the
/// trailing silence does not extend the turn.
const RESUME_FRAMES: u64 = 3;

/// Why an utterance ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EndReason {
    /// The caller was silent for the configured trailing silence.
    TrailingSilence,
    /// The utterance reached the configured maximum length while the caller kept talking.
    MaximumLength,
    /// The driver ended the turn during a pause because what was said so far already answers
    /// the step (see [`TurnDetector::end_paused_turn`]).
    Answered,
    /// The audio stream ended (the call hung up) while the caller was speaking.
    EndOfStream,
}

/// What the detector noticed.
#[derive(Debug, Clone, PartialEq)]
pub enum TurnEvent {
    /// Speech began at `frame_index` (reported once the minimum speech has been heard).
    SpeechStarted {
        /// First voiced frame of the utterance.
        frame_index: u64,
    },
    /// Trailing silence began at `frame_index`: the turn may be ending, so recognition can start
    /// speculatively on the audio so far.
    SpeechPaused {
        /// First silent frame after the last voiced one.
        frame_index: u64,
        /// The utterance so far: exactly what `SpeechEnded` will carry if the caller stays
        /// silent.
        utterance: Vec<i16>,
    },
    /// The caller spoke again after a `SpeechPaused`: any speculative result is stale.
    SpeechResumed {
        /// The voiced frame that resumed the turn.
        frame_index: u64,
    },
    /// The turn is over.
    SpeechEnded {
        /// The utterance audio: up to `pre_roll` before the onset, through the last voiced frame
        /// (or the cut frame, for [`EndReason::MaximumLength`]).
        utterance: Vec<i16>,
        /// From the onset to the end of the last voiced or cut frame.
        speech_duration: Duration,
        /// First frame after the speech (the onset index plus the speech duration in frames).
        end_frame_index: u64,
        /// Why the turn ended.
        reason: EndReason,
    },
}

/// An utterance in progress.
#[derive(Debug)]
struct Utterance {
    onset: u64,
    last_voiced: u64,
    voiced_streak: u64,
    paused: bool,
    /// Samples from the start of the pre-roll through the latest frame.
    samples: Vec<i16>,
    /// Index in `samples` of the onset frame's first sample.
    onset_offset: usize,
}

/// Frame-count limits derived from a [`TurnConfig`].
#[derive(Debug, Clone, Copy)]
struct Limits {
    pause_frames: u64,
    trailing_frames: u64,
    maximum_frames: u64,
    pre_roll_samples: usize,
}

/// Detects where a caller's turns start and end.
#[derive(Debug)]
pub struct TurnDetector {
    voice_activity: VoiceActivity,
    onset: OnsetTracker,
    limits: Limits,
    next_frame_index: u64,
    /// Recent audio while nobody speaks: the pre-roll plus any candidate onset.
    recent: VecDeque<i16>,
    utterance: Option<Utterance>,
    events: VecDeque<TurnEvent>,
}

impl TurnDetector {
    /// Builds a detector for 20 ms frames at `sample_rate`, validating `config`.
    pub fn new(sample_rate: u32, config: &TurnConfig) -> Result<Self, AudioError> {
        config.validate()?;
        let voice_activity = VoiceActivity::new(sample_rate, &config.voice_activity)?;
        let pre_roll_frames = usize::try_from(frames_covering(config.pre_roll)).unwrap_or(0);
        let limits = Limits {
            pause_frames: frames_covering(config.pause_after),
            trailing_frames: frames_covering(config.trailing_silence),
            maximum_frames: frames_covering(config.maximum_utterance),
            pre_roll_samples: pre_roll_frames * voice_activity.frame_samples(),
        };
        Ok(Self {
            voice_activity,
            onset: OnsetTracker::new(frames_covering(config.minimum_speech)),
            limits,
            next_frame_index: 0,
            recent: VecDeque::with_capacity(limits.pre_roll_samples),
            utterance: None,
            events: VecDeque::new(),
        })
    }

    /// Samples in one 20 ms frame.
    pub fn frame_samples(&self) -> usize {
        self.voice_activity.frame_samples()
    }

    /// Feeds the next 20 ms frame of caller audio.
    pub fn handle_frame(&mut self, frame: &[i16]) -> Result<(), AudioError> {
        let is_speech = self.voice_activity.is_speech(frame)?;
        let frame_index = self.next_frame_index;
        self.next_frame_index += 1;
        match self.utterance.take() {
            None => self.handle_idle_frame(frame_index, frame, is_speech),
            Some(mut utterance) => {
                utterance.samples.extend_from_slice(frame);
                if let Some(ended) = self.advance_utterance(&mut utterance, frame_index, is_speech)
                {
                    self.finish(utterance, ended);
                } else {
                    self.utterance = Some(utterance);
                }
            }
        }
        Ok(())
    }

    /// The next event, oldest first.
    pub fn poll_event(&mut self) -> Option<TurnEvent> {
        self.events.pop_front()
    }

    fn handle_idle_frame(&mut self, frame_index: u64, frame: &[i16], is_speech: bool) {
        self.recent.extend(frame);
        let Some(onset) = self.onset.observe(frame_index, is_speech) else {
            if !self.onset.has_candidate() {
                let excess = self
                    .recent
                    .len()
                    .saturating_sub(self.limits.pre_roll_samples);
                self.recent.drain(..excess);
            }
            return;
        };
        let speech_frames = usize::try_from(frame_index - onset + 1).unwrap_or(usize::MAX);
        let speech_samples = speech_frames.saturating_mul(self.frame_samples());
        let samples: Vec<i16> = self.recent.drain(..).collect();
        self.events
            .push_back(TurnEvent::SpeechStarted { frame_index: onset });
        self.utterance = Some(Utterance {
            onset,
            last_voiced: frame_index,
            voiced_streak: 1,
            paused: false,
            onset_offset: samples.len().saturating_sub(speech_samples),
            samples,
        });
    }

    /// Updates `utterance` with frame `frame_index`; returns why it ended, if it did.
    fn advance_utterance(
        &mut self,
        utterance: &mut Utterance,
        frame_index: u64,
        is_speech: bool,
    ) -> Option<EndReason> {
        if is_speech {
            utterance.voiced_streak += 1;
            if frame_index == utterance.last_voiced + 1 || utterance.voiced_streak >= RESUME_FRAMES
            {
                utterance.last_voiced = frame_index;
                if utterance.paused {
                    utterance.paused = false;
                    self.events
                        .push_back(TurnEvent::SpeechResumed { frame_index });
                }
            }
        } else {
            utterance.voiced_streak = 0;
        }
        let silent_frames = frame_index - utterance.last_voiced;
        if silent_frames >= self.limits.trailing_frames {
            return Some(EndReason::TrailingSilence);
        }
        if silent_frames >= self.limits.pause_frames && !utterance.paused {
            utterance.paused = true;
            let end = self.speech_end(utterance, utterance.last_voiced + 1);
            self.events.push_back(TurnEvent::SpeechPaused {
                frame_index: utterance.last_voiced + 1,
                utterance: utterance.samples[..end].to_vec(),
            });
        }
        if frame_index - utterance.onset + 1 >= self.limits.maximum_frames {
            return Some(EndReason::MaximumLength);
        }
        None
    }

    /// Ends the current turn now if it is paused (the caller has been silent since the last
    /// `SpeechPaused` with no `SpeechResumed`), as if its trailing silence had run out: emits
    /// `SpeechEnded` with [`EndReason::Answered`] and returns true. Does nothing and returns
    /// false when no turn is paused.
    pub fn end_paused_turn(&mut self) -> bool {
        match self.utterance.take() {
            Some(utterance) if utterance.paused => {
                self.finish(utterance, EndReason::Answered);
                true
            }
            other => {
                self.utterance = other;
                false
            }
        }
    }

    /// Ends the turn in progress because no more audio will come, emitting `SpeechEnded` with
    /// [`EndReason::EndOfStream`]; speech too short to have started a turn is discarded.
    pub fn end_of_stream(&mut self) {
        if let Some(utterance) = self.utterance.take() {
            self.finish(utterance, EndReason::EndOfStream);
        }
    }

    /// Index in the utterance's samples just past frame `end_frame_index - 1`.
    fn speech_end(&self, utterance: &Utterance, end_frame_index: u64) -> usize {
        let speech_frames = end_frame_index.saturating_sub(utterance.onset);
        let speech_samples = usize::try_from(speech_frames)
            .unwrap_or(usize::MAX)
            .saturating_mul(self.frame_samples());
        utterance
            .onset_offset
            .saturating_add(speech_samples)
            .min(utterance.samples.len())
    }

    /// Emits `SpeechEnded` for `utterance` and returns to waiting for the next onset.
    fn finish(&mut self, mut utterance: Utterance, reason: EndReason) {
        let end_frame_index = match reason {
            EndReason::TrailingSilence | EndReason::Answered => utterance.last_voiced + 1,
            EndReason::MaximumLength | EndReason::EndOfStream => self.next_frame_index,
        };
        let speech_frames = end_frame_index - utterance.onset;
        let end = self.speech_end(&utterance, end_frame_index);
        // The trailing silence after a finished turn is the next turn's pre-roll; after a cut
        // there is none, so the next utterance never repeats audio of this one.
        let tail = utterance.samples.split_off(end);
        self.recent.clear();
        let keep_from = tail.len().saturating_sub(self.limits.pre_roll_samples);
        self.recent.extend(&tail[keep_from..]);
        self.events.push_back(TurnEvent::SpeechEnded {
            utterance: utterance.samples,
            speech_duration: frames_duration(speech_frames),
            end_frame_index,
            reason,
        });
    }
}

//! The speech side of one speech-mode call: end-of-turn and barge-in detection on the caller's
//! 20 ms frames, and recognition of each finished turn on the shared worker pool.
//!
//! Invariants: detection runs inline on the call's frames (cheap, sans-IO); recognition never
//! runs here — utterances go to the [`TranscriberPool`] without blocking, and transcripts come
//! back in the order the turns ended. A full pool drops the turn (logged), never the call.

use super::CallError;
use crate::asr::{ASR_SAMPLE_RATE, AsrError, TranscriberPool, Transcript, TranscriptionRequest};
use crate::audio::{self, AudioError, BargeInDetector, TurnDetector, TurnEvent};
use crate::config::SpeechConfig;
use crate::media::SAMPLE_RATE;
use std::collections::VecDeque;
use std::sync::Arc;
use tokio::sync::oneshot;

type PendingTranscript = oneshot::Receiver<Result<Transcript, AsrError>>;

/// What one frame of caller audio led to.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct FrameOutcome {
    /// Caller speech went on long enough to stop the prompt.
    pub barge_in: bool,
    /// A turn ended and was queued for recognition.
    pub turn_ended: bool,
}

pub(super) struct CallSpeech {
    turns: TurnDetector,
    barge_in: BargeInDetector,
    armed: bool,
    transcriber: Arc<TranscriberPool>,
    pending: VecDeque<PendingTranscript>,
}

impl CallSpeech {
    pub(super) fn new(
        config: &SpeechConfig,
        transcriber: Arc<TranscriberPool>,
    ) -> Result<CallSpeech, AudioError> {
        Ok(CallSpeech {
            turns: TurnDetector::new(SAMPLE_RATE, &config.turn)?,
            barge_in: BargeInDetector::new(SAMPLE_RATE, &config.barge_in)?,
            armed: false,
            transcriber,
            pending: VecDeque::new(),
        })
    }

    /// Feeds one caller frame. `prompt_playing` arms barge-in; `expected` gives the words the
    /// current step expects, used to bias recognition when a turn ends.
    pub(super) fn handle_frame(
        &mut self,
        frame: &[i16],
        prompt_playing: bool,
        expected: impl FnOnce() -> Vec<String>,
    ) -> Result<FrameOutcome, CallError> {
        let mut outcome = FrameOutcome::default();
        if prompt_playing {
            self.armed = true;
            outcome.barge_in = self.barge_in.handle_frame(frame)?.is_some();
        } else if self.armed {
            self.armed = false;
            self.barge_in.reset();
        }
        self.turns.handle_frame(frame)?;
        let mut expected = Some(expected);
        while let Some(event) = self.turns.poll_event() {
            if let TurnEvent::SpeechEnded { utterance, .. } = event {
                let prompt = expected.take().map(|words| words()).unwrap_or_default();
                self.recognise(&utterance, prompt)?;
                outcome.turn_ended = true;
            }
        }
        Ok(outcome)
    }

    fn recognise(&mut self, utterance: &[i16], expected: Vec<String>) -> Result<(), CallError> {
        let samples = audio::resample(&audio::i16_to_f32(utterance), SAMPLE_RATE, ASR_SAMPLE_RATE)?;
        let request = TranscriptionRequest {
            audio: samples,
            prompt: (!expected.is_empty()).then(|| expected.join(", ")),
        };
        let pending = self.transcriber.try_submit(request)?;
        self.pending.push_back(pending);
        Ok(())
    }

    /// The next transcript, in turn order; never resolves while nothing is being recognised.
    pub(super) async fn next_transcript(&mut self) -> Result<Transcript, AsrError> {
        match self.pending.front_mut() {
            Some(pending) => {
                let result = pending.await.unwrap_or(Err(AsrError::Stopped));
                self.pending.pop_front();
                result
            }
            None => std::future::pending().await,
        }
    }
}

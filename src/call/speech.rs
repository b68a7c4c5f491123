//! The speech side of one speech-mode call: end-of-turn and barge-in detection on the caller's
//! 20 ms frames, and recognition of each turn on the shared worker pool.
//!
//! Recognition starts speculatively when the caller pauses: the audio so far goes to the pool
//! at once, so by the time the trailing silence ends the turn its transcript is usually ready.
//! If the caller speaks again the speculative request is dropped (a worker skips it if it has
//! not started). A speculative transcript that already answers the step can end the turn
//! without waiting for the rest of the trailing silence ([`CallSpeech::end_turn_with`]).
//!
//! Invariants: detection runs inline on the call's frames (cheap, sans-IO); recognition never
//! runs here — utterances go to the [`TranscriberPool`] without blocking, and final transcripts
//! come back in the order the turns ended. A full pool drops the turn (logged), never the call.

use super::core::Recognised;
use super::error::CallError;
use crate::asr::{ASR_SAMPLE_RATE, AsrError, Transcript, TranscriptionRequest};
use crate::audio::{self, AudioError, BargeInDetector, TurnDetector, TurnEvent};
use crate::config::SpeechConfig;
use crate::media::SAMPLE_RATE;
use crate::speech_services::Recognition;
use std::collections::VecDeque;
use tokio::sync::oneshot;

type PendingTranscript = oneshot::Receiver<Result<Transcript, AsrError>>;

/// A finished turn waiting for its transcript.
enum PendingTurn {
    Recognising(PendingTranscript),
    Recognised(Result<Transcript, AsrError>),
}

/// Speculative recognition of the paused current turn.
enum Speculation {
    Recognising(PendingTranscript),
    Recognised(Transcript),
}

pub(super) struct CallSpeech {
    turns: TurnDetector,
    barge_in: BargeInDetector,
    armed: bool,
    recognition: Recognition,
    pending: VecDeque<PendingTurn>,
    speculation: Option<Speculation>,
}

impl CallSpeech {
    pub(super) fn new(
        config: &SpeechConfig,
        recognition: Recognition,
    ) -> Result<CallSpeech, AudioError> {
        Ok(CallSpeech {
            turns: TurnDetector::new(SAMPLE_RATE, &config.turn)?,
            barge_in: BargeInDetector::new(SAMPLE_RATE, &config.barge_in)?,
            armed: false,
            recognition,
            pending: VecDeque::new(),
            speculation: None,
        })
    }

    /// Feeds one caller frame. `prompt_playing` arms barge-in; `expected` gives the words the
    /// current step expects, used to bias recognition when a turn ends. Returns whether caller
    /// speech went on long enough to stop the prompt.
    pub(super) fn handle_frame(
        &mut self,
        frame: &[i16],
        prompt_playing: bool,
        expected: impl FnOnce() -> Vec<String>,
    ) -> Result<bool, CallError> {
        let mut barge_in = false;
        if prompt_playing {
            self.armed = true;
            barge_in = self.barge_in.handle_frame(frame)?.is_some();
        } else if self.armed {
            self.armed = false;
            self.barge_in.reset();
        }
        self.turns.handle_frame(frame)?;
        self.take_turn_events(expected)?;
        Ok(barge_in)
    }

    /// Acts on the detector's events: speculative recognition on a pause, dropping it when the
    /// caller resumes, and queueing each finished turn.
    fn take_turn_events(
        &mut self,
        expected: impl FnOnce() -> Vec<String>,
    ) -> Result<(), CallError> {
        let mut expected = Some(expected);
        let mut expected_words = || expected.take().map(|words| words()).unwrap_or_default();
        while let Some(event) = self.turns.poll_event() {
            match event {
                TurnEvent::SpeechPaused { utterance, .. } => {
                    tracing::debug!(samples = utterance.len(), "caller paused");
                    // A busy pool just means no head start: the turn is recognised when it ends.
                    self.speculation = self
                        .submit(&utterance, expected_words())
                        .ok()
                        .map(Speculation::Recognising);
                }
                TurnEvent::SpeechResumed { .. } => self.speculation = None,
                TurnEvent::SpeechEnded {
                    utterance, reason, ..
                } => {
                    tracing::debug!(samples = utterance.len(), ?reason, "turn ended");
                    let pending = match self.speculation.take() {
                        Some(Speculation::Recognising(pending)) => {
                            PendingTurn::Recognising(pending)
                        }
                        Some(Speculation::Recognised(transcript)) => {
                            PendingTurn::Recognised(Ok(transcript))
                        }
                        None => {
                            PendingTurn::Recognising(self.submit(&utterance, expected_words())?)
                        }
                    };
                    self.pending.push_back(pending);
                }
                TurnEvent::SpeechStarted { .. } => {}
            }
        }
        Ok(())
    }

    /// The call is over: ends the caller's turn in progress and waits, until `deadline`, for the
    /// transcripts of every turn not yet recognised, in turn order, so the caller's last words
    /// still reach the call's transcript.
    pub(super) async fn finish(mut self, deadline: tokio::time::Instant) -> Vec<Transcript> {
        self.turns.end_of_stream();
        if let Err(error) = self.take_turn_events(Vec::new) {
            tracing::warn!(%error, "the caller's last turn was not recognised");
        }
        let mut transcripts = Vec::new();
        let waiting = async {
            while let Some(pending) = self.pending.pop_front() {
                let result = match pending {
                    PendingTurn::Recognising(receiver) => {
                        receiver.await.unwrap_or(Err(AsrError::Stopped))
                    }
                    PendingTurn::Recognised(result) => result,
                };
                match result {
                    Ok(transcript) => transcripts.push(transcript),
                    Err(error) => tracing::warn!(%error, "a last turn was not recognised"),
                }
            }
        };
        if tokio::time::timeout_at(deadline, waiting).await.is_err() {
            tracing::warn!("gave up waiting for the recognition of the caller's last turns");
        }
        transcripts
    }

    /// Ends the paused current turn with its speculative `transcript` (which the driver judged
    /// to answer the step), without waiting for the rest of the trailing silence. Returns the
    /// transcript to act on, or `None` if the caller has spoken again meanwhile (even if they
    /// paused again since).
    pub(super) fn end_turn_with(&mut self, transcript: Transcript) -> Option<Transcript> {
        // A transcript of audio the caller has since added to is stale.
        if !matches!(&self.speculation,
            Some(Speculation::Recognised(current)) if current.text == transcript.text)
        {
            return None;
        }
        self.speculation = None;
        self.turns.end_paused_turn().then_some(())?;
        // The detector queued `SpeechEnded` for the turn just taken; drop it.
        while self.turns.poll_event().is_some() {}
        Some(transcript)
    }

    fn submit(
        &self,
        utterance: &[i16],
        expected: Vec<String>,
    ) -> Result<PendingTranscript, CallError> {
        let samples = audio::resample(&audio::i16_to_f32(utterance), SAMPLE_RATE, ASR_SAMPLE_RATE)?;
        let request = TranscriptionRequest {
            audio: samples,
            prompt: (!expected.is_empty()).then(|| expected.join(", ")),
            language: Some(self.recognition.language),
        };
        Ok(self.recognition.pool.try_submit(request)?)
    }

    /// Recognises the turns that end from now on with `recognition` (the call settled on a
    /// language); turns already submitted finish where they are.
    pub(super) fn listen_with(&mut self, recognition: Recognition) {
        self.recognition = recognition;
    }

    /// The next recognition result: finished turns in turn order, then a speculative result for
    /// the paused turn. Never resolves while nothing is being recognised.
    pub(super) async fn next_recognised(&mut self) -> Recognised {
        if let Some(front) = self.pending.front_mut() {
            let result = match front {
                PendingTurn::Recognising(pending) => {
                    pending.await.unwrap_or(Err(AsrError::Stopped))
                }
                PendingTurn::Recognised(result) => {
                    std::mem::replace(result, Err(AsrError::Stopped))
                }
            };
            self.pending.pop_front();
            return Recognised::Turn(result);
        }
        match self.speculation.as_mut() {
            Some(Speculation::Recognising(pending)) => match pending.await {
                Ok(Ok(transcript)) => {
                    tracing::debug!(text = %transcript.text, "recognised the turn so far");
                    self.speculation = Some(Speculation::Recognised(transcript.clone()));
                    Recognised::Tentative(transcript)
                }
                // A failed speculation is retried when the turn ends.
                Ok(Err(_)) | Err(_) => {
                    self.speculation = None;
                    std::future::pending().await
                }
            },
            _ => std::future::pending().await,
        }
    }
}

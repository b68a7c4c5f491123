//! Speculative understanding of a paused turn in an intent step: the tentative transcript's
//! meaning is asked for while the caller pauses, so the turn can end as soon as that meaning
//! settles the step, and the final turn of the same words reuses it instead of embedding them
//! again.
//!
//! Invariants: one speculation at a time (a newer tentative transcript replaces it, so an older
//! meaning arriving late is stale); a meaning only ends a turn in the step it was asked in; every
//! `UnderstandTentative` the core emits is answered by exactly one `TentativeMeaning`, so a
//! final turn waiting for it is never left waiting.

use super::{CallCore, CallOutput, Now};
use crate::asr::Transcript;
use crate::dialogue::{FlowEvent, Meaning};
use tracing::debug;

/// What became of a finished turn's words.
pub(super) enum FinalMeaning {
    /// Nothing speculative is known of these words: understand them.
    Unknown,
    /// Their meaning is known already.
    Known(Meaning),
    /// Their meaning is on its way; it is delivered when it arrives.
    Awaited,
}

/// What to do with a tentative meaning that arrived.
pub(super) enum Arrived {
    /// Stale or of no use: nothing.
    Ignore,
    /// The finished turn of these words waited for it: deliver it as the turn's meaning (or
    /// understand the words afresh if the speculative attempt found none).
    Deliver {
        /// The turn's transcript.
        transcript: Transcript,
        /// Its meaning, if the understanding service answered.
        meaning: Option<Meaning>,
    },
    /// The turn is still paused in the step the meaning was asked in: the core decides
    /// whether it ends the turn.
    Judge {
        /// The tentative transcript.
        transcript: Transcript,
        /// Its meaning.
        meaning: Meaning,
    },
}

/// The speculation under way, if any.
#[derive(Default)]
pub(super) struct Speculation {
    current: Option<Attempt>,
}

struct Attempt {
    transcript: Transcript,
    /// The step the caller paused in.
    step: String,
    meaning: Progress,
}

enum Progress {
    Asked,
    /// The meaning arrived while the turn was still paused.
    Known(Meaning),
    /// The turn ended with these words before their meaning arrived.
    Awaited(Transcript),
}

impl Speculation {
    /// The caller paused in `step` and was heard as `transcript`: whether its meaning may be
    /// asked for now (not while an earlier turn still waits for its own). Any earlier
    /// speculation is stale from now on.
    pub(super) fn ask(&mut self, transcript: Transcript, step: String) -> bool {
        if let Some(Attempt {
            meaning: Progress::Awaited(_),
            ..
        }) = self.current
        {
            return false;
        }
        self.current = Some(Attempt {
            transcript,
            step,
            meaning: Progress::Asked,
        });
        true
    }

    /// The meaning of `text` arrived, with the flow now in `step`.
    pub(super) fn arrived(
        &mut self,
        text: &str,
        meaning: Option<Meaning>,
        step: Option<&str>,
    ) -> Arrived {
        let Some(attempt) = self.current.take() else {
            return Arrived::Ignore;
        };
        if attempt.transcript.text != text {
            self.current = Some(attempt);
            return Arrived::Ignore;
        }
        match attempt.meaning {
            Progress::Awaited(transcript) => Arrived::Deliver {
                transcript,
                meaning,
            },
            Progress::Asked if step == Some(attempt.step.as_str()) => match meaning {
                Some(meaning) => {
                    self.current = Some(Attempt {
                        transcript: attempt.transcript.clone(),
                        step: attempt.step,
                        meaning: Progress::Known(meaning.clone()),
                    });
                    Arrived::Judge {
                        transcript: attempt.transcript,
                        meaning,
                    }
                }
                // Nothing to reuse: the final turn understands its words afresh.
                None => Arrived::Ignore,
            },
            // The step changed since the caller paused: stale.
            Progress::Asked => Arrived::Ignore,
            Progress::Known(_) => {
                self.current = Some(attempt);
                Arrived::Ignore
            }
        }
    }

    /// A turn ended with `transcript`: what is known of its meaning. A speculation of other
    /// words is dropped, unless an earlier turn still waits for it.
    pub(super) fn turn_ended(&mut self, transcript: &Transcript) -> FinalMeaning {
        let Some(attempt) = self.current.take() else {
            return FinalMeaning::Unknown;
        };
        match attempt.meaning {
            Progress::Awaited(_) => {
                self.current = Some(attempt);
                FinalMeaning::Unknown
            }
            _ if attempt.transcript.text != transcript.text => FinalMeaning::Unknown,
            Progress::Known(meaning) => FinalMeaning::Known(meaning),
            Progress::Asked => {
                self.current = Some(Attempt {
                    meaning: Progress::Awaited(transcript.clone()),
                    ..attempt
                });
                FinalMeaning::Awaited
            }
        }
    }
}

impl CallCore {
    /// A turn ended with `transcript`: its meaning is asked for, unless a speculation already
    /// knows it (then the flow hears the turn at once) or is about to.
    pub(super) fn understand_turn(&mut self, now: Now, transcript: Transcript) {
        match self.speculation.turn_ended(&transcript) {
            FinalMeaning::Unknown => self.fx.emit(CallOutput::Understand {
                text: transcript.text,
                confidence: transcript.confidence,
            }),
            FinalMeaning::Known(meaning) => self.flow_event(
                now,
                FlowEvent::Speech {
                    text: transcript.text,
                    confidence: transcript.confidence,
                    meaning: Some(meaning),
                },
            ),
            FinalMeaning::Awaited => {
                debug!(call = %self.id, "the turn's meaning is on its way already");
            }
        }
    }

    /// The caller paused, heard as `transcript`, and the words alone do not answer the step:
    /// in a step that routes on meaning, the meaning is asked for before the turn ends.
    pub(super) fn speculate(&mut self, transcript: Transcript) {
        if !self.flow.routes_by_meaning() {
            return;
        }
        let Some(step) = self.flow.step().map(str::to_string) else {
            return;
        };
        let text = transcript.text.clone();
        if self.speculation.ask(transcript, step) {
            self.fx.emit(CallOutput::UnderstandTentative { text });
        }
    }

    /// The meaning of a tentative transcript arrived: it ends the paused turn when it settles
    /// the step as the final turn would, or it is the meaning a finished turn waited for.
    pub(super) fn tentative_meaning(&mut self, now: Now, text: &str, meaning: Option<Meaning>) {
        match self.speculation.arrived(text, meaning, self.flow.step()) {
            Arrived::Ignore => {}
            Arrived::Deliver {
                transcript,
                meaning: None,
            } => self.fx.emit(CallOutput::Understand {
                text: transcript.text,
                confidence: transcript.confidence,
            }),
            Arrived::Deliver {
                transcript,
                meaning,
            } => self.flow_event(
                now,
                FlowEvent::Speech {
                    text: transcript.text,
                    confidence: transcript.confidence,
                    meaning,
                },
            ),
            Arrived::Judge {
                transcript,
                meaning,
            } => {
                let settles = self.transfer.is_none()
                    && self.flow.meaning_answers_step(
                        &transcript.text,
                        transcript.confidence,
                        &meaning,
                    );
                if settles {
                    debug!(call = %self.id, intent = ?meaning.intent, "the caller's pause already answers the step");
                    self.fx.emit(CallOutput::EndTurnWith(transcript));
                }
            }
        }
    }
}

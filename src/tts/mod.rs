//! Speech synthesis: Piper voices through piper-rs and the Mandarin FastSpeech2 voice
//! (`mandarin`, with its Chinese front end) through `ort`, run off the async runtime.
//!
//! Owns text preparation for speech (`normalize`, `sentences`), the [`Synthesizer`] seam and
//! its implementations (`piper`, with model files found through the model registry by
//! `models`, ONNX Runtime loaded by `runtime` and espeak-ng driven by `phonemizer`; `mandarin`),
//! the engine a registered voice needs (`load`), the phrase
//! cache (`cache`) and the synthesis thread with its async handle (`service`). Which voice
//! speaks, and how, comes from `[speech.voice]` ([`crate::config::VoiceConfig`]).
//!
//! Invariants: model inference happens only on the synthesis thread, never on an async worker;
//! requests wait in a bounded queue (back-pressure), and speech streams sentence by sentence so
//! the first sentence can play while the rest is synthesized; unknown voices and missing model,
//! runtime or espeak-ng files are reported by name before anything is loaded.

mod cache;
mod error;
mod load;
mod mandarin;
mod models;
mod normalize;
mod phonemizer;
mod piper;
mod runtime;
mod sentences;
mod service;

#[cfg(test)]
mod service_tests;
#[cfg(test)]
mod synthesis_tests;

pub use error::TtsError;
pub use load::load_synthesizer;
pub use mandarin::{
    MandarinSynthesizer, MandarinVoiceFiles, normalize_chinese, split_chinese_sentences,
};
pub use models::{ONNX_RUNTIME, VoiceFiles};
pub use normalize::normalize_for_speech;
pub use phonemizer::default_espeak_data_directory;
pub use piper::PiperSynthesizer;
pub use sentences::split_sentences;
pub use service::{ServiceOptions, SpeechChunk, SpeechService, SpeechStream};

use crate::audio::{f32_to_i16, resample};

/// A text-to-speech engine: turns one sentence of normalized text into audio.
///
/// Implementations may be slow (model inference) and are driven from one dedicated thread by
/// [`SpeechService`]; tests implement it with cheap fakes.
pub trait Synthesizer: Send {
    /// The voice's name; part of phrase-cache keys.
    fn voice(&self) -> &str;

    /// The sample rate the voice produces.
    fn native_rate(&self) -> u32;

    /// The sentences `text` is spoken in, normalized for speech in the voice's language (by
    /// default English: [`prepare_sentences`]).
    fn sentences(&self, text: &str) -> Vec<String> {
        prepare_sentences(text)
    }

    /// Synthesizes one sentence at [`Synthesizer::native_rate`], as float samples in `-1..1`.
    fn synthesize_native(&mut self, sentence: &str) -> Result<Vec<f32>, TtsError>;

    /// Synthesizes one sentence as 16-bit mono samples at `rate` (resampled when it differs
    /// from the native rate).
    fn synthesize(&mut self, sentence: &str, rate: u32) -> Result<Vec<i16>, TtsError> {
        let native = self.synthesize_native(sentence)?;
        let converted = resample(&native, self.native_rate(), rate)?;
        Ok(f32_to_i16(&converted))
    }
}

impl<S: Synthesizer + ?Sized> Synthesizer for Box<S> {
    fn voice(&self) -> &str {
        (**self).voice()
    }

    fn native_rate(&self) -> u32 {
        (**self).native_rate()
    }

    fn sentences(&self, text: &str) -> Vec<String> {
        (**self).sentences(text)
    }

    fn synthesize_native(&mut self, sentence: &str) -> Result<Vec<f32>, TtsError> {
        (**self).synthesize_native(sentence)
    }
}

/// Prepares English text for synthesis: normalizes it for speech and splits it into sentences.
pub fn prepare_sentences(text: &str) -> Vec<String> {
    split_sentences(&normalize_for_speech(text))
}

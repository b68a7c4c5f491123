//! Pure audio DSP and file decoding.
//!
//! Owns everything that turns audio files into call-rate PCM and measures signals: decoding
//! (`decode`), rate conversion (`resample`), sample-format conversion and signal measurements
//! (`pcm`), prompt loading (`prompt`), small WAV helpers (`wav`), and the speech decisions made on
//! caller audio: per-frame voice activity (`vad`), end of turn (`turn`) and barge-in
//! (`barge_in`), configured by `speech_config`.
//!
//! Invariants: this module depends on nothing else in the crate, does no networking and keeps
//! no global state; every failure caused by outside input is an [`AudioError`], never a panic.

mod barge_in;
mod decode;
mod error;
mod onset;
mod pcm;
mod prompt;
mod resample;
mod speech_config;
mod turn;
mod vad;
mod wav;

#[cfg(test)]
mod barge_in_tests;
#[cfg(test)]
mod decode_tests;
#[cfg(test)]
mod dsp_tests;
#[cfg(test)]
mod speech_test_signals;
#[cfg(test)]
pub(crate) mod test_signals;
#[cfg(test)]
mod turn_tests;

pub use barge_in::{BargeIn, BargeInDetector};
pub use decode::{DecodedAudio, decode_file, decode_file_with_max_duration};
pub use error::AudioError;
pub use pcm::{energy_envelope, f32_to_i16, i16_to_f32, normalized_cross_correlation, rms};
pub use prompt::{DEFAULT_MAX_PROMPT_DURATION, load_prompt, load_prompt_with_max_duration};
pub use resample::{Resampler, resample};
pub use speech_config::{Aggressiveness, BargeInConfig, TurnConfig, VoiceActivityConfig};
pub use turn::{EndReason, TurnDetector, TurnEvent};
pub use vad::{FRAME_DURATION, VoiceActivity, frames_covering, frames_duration};
pub use wav::{read_wav_i16, wav_bytes_mono, write_wav_mono};

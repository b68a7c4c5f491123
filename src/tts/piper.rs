//! [`PiperSynthesizer`]: a Piper voice (ONNX model + espeak-ng phonemizer) through piper-rs.
//!
//! Owns one inference session and the voice's settings (speaker, pace). Loading finds every file
//! through the model registry first (a clear error naming what is missing), loads ONNX Runtime,
//! initializes espeak-ng from the models directory's data, builds the session with a bounded
//! thread count, and synthesizes a short warm-up phrase so espeak-ng's dictionaries and the
//! first-inference cost are paid at load time, not on a caller's first prompt.
//!
//! Invariant: a `PiperSynthesizer` that exists has a working runtime, voice and phonemizer.
//! Text is phonemized by [`Phonemizer`] and handed to piper-rs as phonemes, so piper-rs's own
//! espeak-ng set-up (which cannot be pointed at a data directory) never runs.

use std::fs::File;
use std::io::BufReader;
use std::path::Path;

use ort::session::Session;
use piper_rs::{ModelConfig, Piper, PiperError};

use super::models::VoiceFiles;
use super::phonemizer::Phonemizer;
use super::runtime::load_onnx_runtime;
use super::{Synthesizer, TtsError};
use crate::config::VoiceConfig;

/// Phrase synthesized at load time to warm up espeak-ng and the model.
const WARM_UP_PHRASE: &str = "Hello.";

/// A loaded Piper voice.
pub struct PiperSynthesizer {
    voice: String,
    native_rate: u32,
    piper: Piper,
    phonemizer: Phonemizer,
    speaker: Option<i64>,
    length_scale: f32,
}

impl PiperSynthesizer {
    /// Loads the voice in `files` with `settings` (its name comes from `files`).
    pub fn load(files: &VoiceFiles, settings: &VoiceConfig) -> Result<Self, TtsError> {
        load_onnx_runtime(&files.runtime_library)?;
        let config = read_config(&files.config)?;
        let native_rate = config.audio.sample_rate;
        let speaker = speaker_id(&files.voice, &config, settings.speaker.as_deref())?;
        let length_scale = config.inference.length_scale / settings.speaking_rate;
        let phonemizer = Phonemizer::new(&files.phonemizer_data, &config.espeak.voice)?;
        let threads = settings
            .threads
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from));
        let model_error = |reason: String| TtsError::VoiceModel {
            path: files.model.clone(),
            reason,
        };
        let session = Session::builder()
            .map_err(|error| model_error(error.to_string()))?
            .with_intra_threads(threads.max(1))
            .map_err(|error| model_error(error.to_string()))?
            .commit_from_file(&files.model)
            .map_err(|error| model_error(error.to_string()))?;
        let mut synthesizer = Self {
            voice: files.voice.clone(),
            native_rate,
            piper: Piper::from_session(session, config),
            phonemizer,
            speaker,
            length_scale,
        };
        synthesizer.synthesize_native(WARM_UP_PHRASE)?;
        Ok(synthesizer)
    }
}

fn read_config(path: &Path) -> Result<ModelConfig, TtsError> {
    let config_error = |reason: String| TtsError::VoiceConfig {
        path: path.to_path_buf(),
        reason,
    };
    let file = File::open(path).map_err(|error| config_error(error.to_string()))?;
    let config: ModelConfig = serde_json::from_reader(BufReader::new(file))
        .map_err(|error| config_error(error.to_string()))?;
    if config.audio.sample_rate == 0 {
        return Err(config_error("audio.sample_rate is 0".to_owned()));
    }
    if !(config.inference.length_scale.is_finite() && config.inference.length_scale > 0.0) {
        return Err(config_error(format!(
            "inference.length_scale {} is not a positive number",
            config.inference.length_scale
        )));
    }
    Ok(config)
}

/// The model's id for the configured speaker; a voice with one speaker takes no speaker name.
fn speaker_id(
    voice: &str,
    config: &ModelConfig,
    speaker: Option<&str>,
) -> Result<Option<i64>, TtsError> {
    let Some(speaker) = speaker else {
        return Ok(None);
    };
    config
        .speaker_id_map
        .get(speaker)
        .map(|id| Some(*id))
        .ok_or_else(|| {
            let mut known: Vec<&str> = config.speaker_id_map.keys().map(String::as_str).collect();
            known.sort_unstable();
            TtsError::UnknownSpeaker {
                voice: voice.to_owned(),
                speaker: speaker.to_owned(),
                known: if known.is_empty() {
                    "none, it has a single voice: remove `speaker`".to_owned()
                } else {
                    known.join(", ")
                },
            }
        })
}

impl Synthesizer for PiperSynthesizer {
    fn voice(&self) -> &str {
        &self.voice
    }

    fn native_rate(&self) -> u32 {
        self.native_rate
    }

    fn synthesize_native(&mut self, sentence: &str) -> Result<Vec<f32>, TtsError> {
        let phonemes = self.phonemizer.phonemize(sentence)?;
        let (samples, _rate) =
            self.piper
                .create(
                    &phonemes,
                    true,
                    self.speaker,
                    Some(self.length_scale),
                    None,
                    None,
                )
                .map_err(|error| match error {
                    PiperError::PhonemizationError(reason) => TtsError::Phonemization { reason },
                    PiperError::FailedToLoadResource(reason)
                    | PiperError::InferenceError(reason) => TtsError::Inference { reason },
                })?;
        Ok(samples)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(speakers: &str) -> ModelConfig {
        serde_json::from_str(&format!(
            r#"{{"audio": {{"sample_rate": 22050}}, "espeak": {{"voice": "en-us"}},
                "inference": {{"noise_scale": 0.667, "length_scale": 1, "noise_w": 0.8}},
                "num_speakers": 2, "speaker_id_map": {{{speakers}}}, "phoneme_id_map": {{}}}}"#
        ))
        .expect("a voice configuration")
    }

    #[test]
    fn speakers_are_chosen_by_name() {
        let voice = config(r#""p225": 0, "p226": 1"#);
        assert_eq!(speaker_id("x", &voice, None).expect("default"), None);
        assert_eq!(
            speaker_id("x", &voice, Some("p226")).expect("known"),
            Some(1)
        );
        let message = speaker_id("x", &voice, Some("p999"))
            .expect_err("unknown")
            .to_string();
        assert!(message.contains("p225, p226"), "{message}");
        let message = speaker_id("x", &config(""), Some("p225"))
            .expect_err("one speaker")
            .to_string();
        assert!(message.contains("remove `speaker`"), "{message}");
    }
}

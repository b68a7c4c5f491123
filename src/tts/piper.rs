//! [`PiperSynthesizer`]: a Piper voice (ONNX model + espeak-ng phonemizer) through piper-rs.
//!
//! Owns one inference session. Loading checks every file first (a clear error naming the
//! missing file), loads ONNX Runtime from the models directory, builds the session with a
//! bounded thread count, and synthesizes a short warm-up phrase so espeak-ng's data and the
//! first-inference cost are paid at load time, not on a caller's first prompt.
//!
//! Invariants: a `PiperSynthesizer` that exists has a working runtime, voice and phonemizer;
//! synthesis calls are serialized process-wide, because espeak-ng keeps global state and is
//! not safe to call from two threads at once.

use std::fs::File;
use std::io::BufReader;
use std::path::Path;
use std::sync::{Mutex, PoisonError};

use ort::session::Session;
use piper_rs::{ModelConfig, Piper, PiperError};

use super::models::{DEFAULT_VOICE, VoiceFiles};
use super::runtime::load_onnx_runtime;
use super::{Synthesizer, TtsError};

/// Held while any voice synthesizes, so espeak-ng's global state is used by one thread at a time.
static ESPEAK_IN_USE: Mutex<()> = Mutex::new(());

/// Phrase synthesized at load time to warm up espeak-ng and the model.
const WARM_UP_PHRASE: &str = "Hello.";

/// A loaded Piper voice.
pub struct PiperSynthesizer {
    voice: String,
    native_rate: u32,
    piper: Piper,
}

impl PiperSynthesizer {
    /// Loads the default voice from `models_directory`, using every available core.
    pub fn load(models_directory: &Path) -> Result<Self, TtsError> {
        let threads = std::thread::available_parallelism().map_or(1, usize::from);
        Self::load_voice(
            &VoiceFiles::in_directory(models_directory, DEFAULT_VOICE),
            threads,
        )
    }

    /// Loads the voice in `files`, running inference on `threads` threads.
    pub fn load_voice(files: &VoiceFiles, threads: usize) -> Result<Self, TtsError> {
        files.check()?;
        load_onnx_runtime(&files.runtime_library)?;
        let config = read_config(&files.config)?;
        let native_rate = config.audio.sample_rate;
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
    Ok(config)
}

impl Synthesizer for PiperSynthesizer {
    fn voice(&self) -> &str {
        &self.voice
    }

    fn native_rate(&self) -> u32 {
        self.native_rate
    }

    fn synthesize_native(&mut self, sentence: &str) -> Result<Vec<f32>, TtsError> {
        let _espeak = ESPEAK_IN_USE.lock().unwrap_or_else(PoisonError::into_inner);
        let (samples, _rate) =
            self.piper
                .create(sentence, false, None, None, None, None)
                .map_err(|error| match error {
                    PiperError::PhonemizationError(reason) => TtsError::Phonemization { reason },
                    PiperError::FailedToLoadResource(reason)
                    | PiperError::InferenceError(reason) => TtsError::Inference { reason },
                })?;
        Ok(samples)
    }
}

//! The files one Piper voice needs, found through the model registry of a models directory.
//!
//! The voice is a `kind = "tts"` registry entry with one `.onnx` output (the model) and one
//! `.onnx.json` output (its configuration); ONNX Runtime is the `kind = "runtime"` entry named
//! [`ONNX_RUNTIME`]; the espeak-ng data is the models directory's `espeak-ng-data` (see
//! `phonemizer`). Another voice or language is another registry entry, not code.
//!
//! Invariant: a [`VoiceFiles`] from [`VoiceFiles::from_registry`] names files that exist, so
//! nothing later hands ONNX Runtime a path that does not exist (with `load-dynamic` that would
//! hang, not fail).

use std::path::{Path, PathBuf};

use super::TtsError;
use super::phonemizer::data_directory;
use crate::models::{Kind, Registry};

/// The registry name of the ONNX Runtime entry piper-rs runs voices with.
pub const ONNX_RUNTIME: &str = "onnxruntime";

/// The files one Piper voice needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VoiceFiles {
    /// Voice name, e.g. `en_US-joe-medium`.
    pub voice: String,
    /// The ONNX model.
    pub model: PathBuf,
    /// The model's JSON configuration (sample rate, phoneme map, espeak voice).
    pub config: PathBuf,
    /// The ONNX Runtime shared library.
    pub runtime_library: PathBuf,
    /// The espeak-ng data directory the phonemizer reads.
    pub phonemizer_data: PathBuf,
}

impl VoiceFiles {
    /// The files of the registered voice `voice` in the models directory `models`.
    pub fn in_directory(models: &Path, voice: &str) -> Result<Self, TtsError> {
        Self::from_registry(&Registry::in_directory(models)?, voice)
    }

    /// The files of the registered voice `voice`, each checked to be provisioned.
    pub fn from_registry(registry: &Registry, voice: &str) -> Result<Self, TtsError> {
        Ok(Self {
            voice: voice.to_owned(),
            model: registry.output(Kind::Tts, voice, ".onnx")?,
            config: registry.output(Kind::Tts, voice, ".onnx.json")?,
            runtime_library: registry.output(Kind::Runtime, ONNX_RUNTIME, "")?,
            phonemizer_data: data_directory(registry.directory())?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::DEFAULT_VOICE;

    const MODELS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/voice-models");

    #[test]
    fn the_shipped_registry_names_the_voice_and_runtime_files() {
        let registry = Registry::in_directory(Path::new(MODELS)).expect("the shipped registry");
        let entry = |kind, name, suffix| {
            let entry = registry.find(kind, name).expect("registered");
            entry
                .outputs()
                .into_iter()
                .map(|(path, _)| path)
                .find(|path| path.ends_with(suffix))
                .map(str::to_owned)
        };
        assert_eq!(
            entry(Kind::Tts, DEFAULT_VOICE, ".onnx").as_deref(),
            Some("piper/en_US-joe-medium.onnx")
        );
        assert_eq!(
            entry(Kind::Tts, DEFAULT_VOICE, ".onnx.json").as_deref(),
            Some("piper/en_US-joe-medium.onnx.json")
        );
        assert_eq!(
            entry(Kind::Runtime, ONNX_RUNTIME, "").as_deref(),
            Some("onnxruntime/libonnxruntime.so.1.24.2")
        );
    }

    #[test]
    fn an_unknown_voice_names_the_registered_ones() {
        let message = VoiceFiles::in_directory(Path::new(MODELS), "en_US-nobody-low")
            .expect_err("not registered")
            .to_string();
        assert!(message.contains("\"en_US-nobody-low\""), "{message}");
        assert!(message.contains(DEFAULT_VOICE), "{message}");
    }
}

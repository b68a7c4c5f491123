//! Where the speech-synthesis files live inside a models directory, and checks that they exist.
//!
//! Layout (a contract with `hotline models`, which provisions it; all paths relative to the
//! models directory, `voice-models` by default):
//! - `piper/en_US-joe-medium.onnx` and `piper/en_US-joe-medium.onnx.json` — the Piper voice;
//! - `onnxruntime/libonnxruntime.so.1.24.2` (plus `libonnxruntime.so.1` / `libonnxruntime.so`
//!   links) — ONNX Runtime, loaded at run time.
//!
//! Invariant: [`VoiceFiles::check`] succeeds only when every file exists, so nothing later hands
//! ONNX Runtime a path that does not exist (with `load-dynamic` that would hang, not fail).

use std::path::{Path, PathBuf};

use super::TtsError;

/// Name of the voice Hotline speaks with.
pub const DEFAULT_VOICE: &str = "en_US-joe-medium";
/// The ONNX Runtime release piper-rs (through ort 2.0.0-rc.12) is built against.
pub const ONNX_RUNTIME_VERSION: &str = "1.24.2";

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
}

impl VoiceFiles {
    /// Paths of `voice` inside `models_directory`, following the layout above.
    pub fn in_directory(models_directory: &Path, voice: &str) -> Self {
        let piper = models_directory.join("piper");
        Self {
            voice: voice.to_owned(),
            model: piper.join(format!("{voice}.onnx")),
            config: piper.join(format!("{voice}.onnx.json")),
            runtime_library: models_directory
                .join("onnxruntime")
                .join(format!("libonnxruntime.so.{ONNX_RUNTIME_VERSION}")),
        }
    }

    /// Fails with [`TtsError::MissingFile`] naming the first file that is not a regular file.
    pub fn check(&self) -> Result<(), TtsError> {
        let files = [
            ("Piper voice model", &self.model),
            ("Piper voice configuration", &self.config),
            ("ONNX Runtime library", &self.runtime_library),
        ];
        for (what, path) in files {
            if !path.is_file() {
                return Err(TtsError::MissingFile {
                    what,
                    path: path.clone(),
                });
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_matches_the_models_contract() {
        let files = VoiceFiles::in_directory(Path::new("voice-models"), DEFAULT_VOICE);
        assert_eq!(
            files.model,
            Path::new("voice-models/piper/en_US-joe-medium.onnx")
        );
        assert_eq!(
            files.config,
            Path::new("voice-models/piper/en_US-joe-medium.onnx.json")
        );
        assert_eq!(
            files.runtime_library,
            Path::new("voice-models/onnxruntime/libonnxruntime.so.1.24.2")
        );
    }

    #[test]
    fn missing_files_are_named_with_the_fix() {
        let directory =
            std::env::temp_dir().join(format!("hotline-tts-missing-{}", std::process::id()));
        let error = VoiceFiles::in_directory(&directory, DEFAULT_VOICE)
            .check()
            .expect_err("an empty directory has no voice");
        let message = error.to_string();
        assert!(message.contains("en_US-joe-medium.onnx"), "{message}");
        assert!(message.contains("make models"), "{message}");
    }
}

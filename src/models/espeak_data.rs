//! The espeak-ng data Piper's phonemizer reads (phoneme tables, dictionaries, voices), kept in
//! the models directory so that a copied or installed `hotline` binary finds it.
//!
//! The data is compiled together with the espeak-ng library Hotline links (espeak-rs-sys builds
//! both from source), and its format is tied to that library's version, so it is copied from
//! that build's output rather than taken from a distribution package. The caller names that
//! directory (the speech-synthesis module knows where the linked espeak-ng looks by default).
//!
//! Invariant: `espeak-ng-data/` in the models directory is absent or complete: a copy is made
//! under a temporary name and renamed into place, and a copy that differs from the build's is
//! replaced.

use super::{ModelsError, Outcome};
use std::path::{Path, PathBuf};

/// The data directory's name inside the models directory (espeak-ng's own name for it).
pub const ESPEAK_DATA_DIRECTORY: &str = "espeak-ng-data";

/// Files espeak-ng cannot start without.
const CORE_FILES: [&str; 4] = ["phontab", "phonindex", "phondata", "intonations"];

fn write_error(path: &Path) -> impl Fn(std::io::Error) -> ModelsError + '_ {
    move |source| ModelsError::Write {
        path: path.to_path_buf(),
        source,
    }
}

/// Makes `models/espeak-ng-data` a copy of `built` (the data of the espeak-ng build this binary
/// links), or, when `built` is not on this machine, checks that a copy is already there.
pub fn provision_espeak_data(models: &Path, built: &Path) -> Result<Outcome, ModelsError> {
    let destination = models.join(ESPEAK_DATA_DIRECTORY);
    if !built.is_dir() {
        return if CORE_FILES
            .iter()
            .all(|file| destination.join(file).is_file())
        {
            Ok(Outcome::AlreadyPresent)
        } else {
            Err(ModelsError::EspeakDataMissing {
                path: destination,
                hint: format!(
                    "this hotline binary was built on another machine and its build's copy ({}) \
                     is not here: copy {ESPEAK_DATA_DIRECTORY}/ from a models directory \
                     provisioned with the same hotline build",
                    built.display()
                ),
            })
        };
    }
    if destination.is_dir() && same_files(built, &destination)? {
        return Ok(Outcome::AlreadyPresent);
    }
    let partial = models.join(format!("{ESPEAK_DATA_DIRECTORY}.partial"));
    if partial.exists() {
        std::fs::remove_dir_all(&partial).map_err(write_error(&partial))?;
    }
    for relative in relative_files(built)? {
        let target = partial.join(&relative);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(write_error(parent))?;
        }
        std::fs::copy(built.join(&relative), &target).map_err(write_error(&target))?;
    }
    if destination.exists() {
        std::fs::remove_dir_all(&destination).map_err(write_error(&destination))?;
    }
    std::fs::rename(&partial, &destination).map_err(write_error(&destination))?;
    Ok(Outcome::Provisioned)
}

/// Every file under `root`, relative to it, sorted.
fn relative_files(root: &Path) -> Result<Vec<PathBuf>, ModelsError> {
    let mut files = Vec::new();
    let mut directories = vec![PathBuf::new()];
    while let Some(relative) = directories.pop() {
        let directory = root.join(&relative);
        for entry in std::fs::read_dir(&directory).map_err(write_error(&directory))? {
            let entry = entry.map_err(write_error(&directory))?;
            let path = relative.join(entry.file_name());
            if entry.path().is_dir() {
                directories.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files.sort();
    Ok(files)
}

/// Whether the two trees hold the same files with the same bytes.
fn same_files(left: &Path, right: &Path) -> Result<bool, ModelsError> {
    let files = relative_files(left)?;
    if files != relative_files(right)? {
        return Ok(false);
    }
    for relative in files {
        let read = |root: &Path| {
            let path = root.join(&relative);
            std::fs::read(&path).map_err(write_error(&path))
        };
        if read(left)? != read(right)? {
            return Ok(false);
        }
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn build_output() -> tempfile::TempDir {
        let built = tempfile::tempdir().expect("temporary directory");
        for file in CORE_FILES {
            std::fs::write(built.path().join(file), file).expect("write");
        }
        std::fs::create_dir_all(built.path().join("voices/!v")).expect("directory");
        std::fs::write(built.path().join("voices/!v/Mr serious"), "voice").expect("write");
        built
    }

    #[test]
    fn copies_the_build_data_once_and_replaces_a_stale_copy() {
        let built = build_output();
        let models = tempfile::tempdir().expect("temporary directory");
        let copy = models.path().join(ESPEAK_DATA_DIRECTORY);
        let provision = || provision_espeak_data(models.path(), built.path());
        assert_eq!(provision().expect("copied"), Outcome::Provisioned);
        assert_eq!(
            std::fs::read_to_string(copy.join("voices/!v/Mr serious")).expect("copied file"),
            "voice"
        );
        assert_eq!(provision().expect("checked"), Outcome::AlreadyPresent);
        std::fs::write(copy.join("phondata"), "from another espeak-ng").expect("write");
        assert_eq!(provision().expect("replaced"), Outcome::Provisioned);
        assert_eq!(
            std::fs::read_to_string(copy.join("phondata")).expect("copied file"),
            "phondata"
        );
        assert!(!models.path().join("espeak-ng-data.partial").exists());
    }

    #[test]
    fn without_the_build_a_present_copy_is_kept_and_a_missing_one_is_explained() {
        let models = tempfile::tempdir().expect("temporary directory");
        let gone = models.path().join("gone");
        let message = provision_espeak_data(models.path(), &gone)
            .expect_err("nothing to copy")
            .to_string();
        assert!(message.contains("espeak-ng-data"), "{message}");
        assert!(message.contains("another machine"), "{message}");
        let built = build_output();
        provision_espeak_data(models.path(), built.path()).expect("copied");
        assert_eq!(
            provision_espeak_data(models.path(), &gone).expect("kept"),
            Outcome::AlreadyPresent
        );
    }
}

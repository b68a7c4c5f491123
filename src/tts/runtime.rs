//! Loading ONNX Runtime from a shared library chosen at run time (ort's `load-dynamic`).
//!
//! ort 2.0.0-rc.12 cannot report a failed load: building its error value calls back into the
//! (not yet loaded) runtime while its own load lock is held, so a missing, non-library or
//! too-old file makes it spin forever. This module therefore checks the file first — it exists,
//! it loads, it exports `OrtGetApiBase`, and its version is one ort supports — and only then
//! hands it to ort, whose load then cannot fail.
//!
//! Invariants: ort never sees a library that did not pass those checks; the runtime is loaded
//! at most once per process, and asking for a different library afterwards is an error rather
//! than a silent mismatch.

use std::ffi::CStr;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use super::TtsError;

/// The library this process loaded ONNX Runtime from, once it has.
static LOADED_LIBRARY: Mutex<Option<PathBuf>> = Mutex::new(None);

/// Loads ONNX Runtime from `library` unless this process already did.
pub fn load_onnx_runtime(library: &Path) -> Result<(), TtsError> {
    if !library.is_file() {
        return Err(TtsError::MissingFile {
            what: "ONNX Runtime library",
            path: library.to_path_buf(),
        });
    }
    let runtime_error = |reason: String| TtsError::Runtime {
        path: library.to_path_buf(),
        reason,
    };
    let absolute = library
        .canonicalize()
        .map_err(|error| runtime_error(error.to_string()))?;
    let mut loaded = LOADED_LIBRARY
        .lock()
        .unwrap_or_else(PoisonError::into_inner);
    match loaded.as_ref() {
        Some(path) if *path == absolute => Ok(()),
        Some(path) => Err(TtsError::RuntimeAlreadyLoaded {
            loaded: path.clone(),
            requested: absolute,
        }),
        None => {
            check_library(&absolute).map_err(runtime_error)?;
            // Cannot fail after `check_library`: the file loads and has a supported version.
            let environment =
                ort::init_from(&absolute).map_err(|error| runtime_error(error.to_string()))?;
            environment.with_name("hotline-tts").commit();
            *loaded = Some(absolute);
            Ok(())
        }
    }
}

/// Checks that `library` is an ONNX Runtime ort can use; returns the reason when it is not.
fn check_library(library: &Path) -> Result<(), String> {
    // SAFETY: loading a shared library runs its initializers; the file is the ONNX Runtime the
    // operator provisioned, which ort is about to load anyway.
    let handle = unsafe { libloading::Library::new(library) }.map_err(|error| error.to_string())?;
    // SAFETY: `OrtGetApiBase` has this signature in every ONNX Runtime release.
    let get_api_base = unsafe {
        handle.get::<unsafe extern "C" fn() -> *const ort::sys::OrtApiBase>(b"OrtGetApiBase\0")
    }
    .map_err(|_| "not an ONNX Runtime library (no `OrtGetApiBase` symbol)".to_owned())?;
    // SAFETY: calling the exported entry point has no preconditions.
    let api_base = unsafe { get_api_base() };
    if api_base.is_null() {
        return Err("`OrtGetApiBase` returned null".to_owned());
    }
    // SAFETY: `api_base` is non-null and points to the library's static API table, which stays
    // valid while `handle` is alive; the version string is static and NUL-terminated.
    let version = unsafe { CStr::from_ptr(((*api_base).GetVersionString)()) }
        .to_string_lossy()
        .into_owned();
    let minor = version
        .split('.')
        .nth(1)
        .and_then(|minor| minor.parse::<u32>().ok())
        .unwrap_or(0);
    if minor < ort::MINOR_VERSION {
        return Err(format!(
            "version {version} is too old; ort needs 1.{}.x or newer",
            ort::MINOR_VERSION
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_library_is_an_error_not_a_hang() {
        let error = load_onnx_runtime(Path::new("/nonexistent/libonnxruntime.so.1.24.2"))
            .expect_err("the library does not exist");
        let message = error.to_string();
        assert!(
            message.contains("/nonexistent/libonnxruntime.so.1.24.2"),
            "{message}"
        );
        assert!(message.contains("make models"), "{message}");
    }

    #[test]
    fn a_file_that_is_not_a_library_is_an_error_not_a_hang() {
        let path =
            std::env::temp_dir().join(format!("hotline-not-a-library-{}.so", std::process::id()));
        std::fs::write(&path, b"not a shared library").expect("temp dir is writable");
        let result = check_library(&path);
        std::fs::remove_file(&path).ok();
        assert!(result.is_err(), "garbage is not a library");
    }

    #[test]
    fn a_library_that_is_not_onnx_runtime_is_an_error_not_a_hang() {
        let result = check_library(Path::new("libm.so.6"));
        let reason = result.expect_err("libm is not ONNX Runtime");
        assert!(reason.contains("OrtGetApiBase"), "{reason}");
    }
}

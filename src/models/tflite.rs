//! The `tflite-to-onnx` converter: a TFLite model → ONNX through tf2onnx, run by the Python of
//! the converter virtual environment (`make models` makes it at
//! `~/.cache/hotline-convert-venv` from `voice-models/convert-requirements.txt`;
//! `HOTLINE_CONVERT_PYTHON` names another Python).
//!
//! The script (`tflite_to_onnx.py`, built into Hotline and fed to Python on standard input)
//! renames what tf2onnx numbers differently from run to run, so the output is byte-identical
//! across runs and its SHA-256 can be checked against the registry.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use super::ModelsError;

/// The conversion script.
const SCRIPT: &str = include_str!("tflite_to_onnx.py");

/// Names the converter's Python.
const PYTHON_VARIABLE: &str = "HOTLINE_CONVERT_PYTHON";

/// The converter virtual environment's Python, unless `HOTLINE_CONVERT_PYTHON` names another.
pub fn converter_python() -> PathBuf {
    if let Some(python) = std::env::var_os(PYTHON_VARIABLE) {
        return PathBuf::from(python);
    }
    let home = std::env::var_os("HOME").map_or_else(|| PathBuf::from("/root"), PathBuf::from);
    home.join(".cache/hotline-convert-venv/bin/python")
}

/// Converts the TFLite model `input` into the ONNX model `output` for the registry entry `name`
/// with `python` (one that has tf2onnx, see [`converter_python`]).
pub fn convert_tflite(
    name: &str,
    python: &Path,
    input: &Path,
    output: &Path,
) -> Result<(), ModelsError> {
    let python = python.to_path_buf();
    if !python.is_file() {
        return Err(ModelsError::ConverterMissing {
            name: name.to_owned(),
            python,
        });
    }
    let failed = |status: String, stderr: String| ModelsError::ConverterFailed {
        name: name.to_owned(),
        python: python.clone(),
        status,
        stderr,
    };
    let mut child = Command::new(&python)
        .arg("-")
        .arg(input)
        .arg(output)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|error| failed("did not start".to_owned(), error.to_string()))?;
    if let Some(mut stdin) = child.stdin.take() {
        stdin
            .write_all(SCRIPT.as_bytes())
            .map_err(|error| failed("script not sent".to_owned(), error.to_string()))?;
    }
    let finished = child
        .wait_with_output()
        .map_err(|error| failed("did not finish".to_owned(), error.to_string()))?;
    if finished.status.success() {
        return Ok(());
    }
    let stderr = String::from_utf8_lossy(&finished.stderr);
    let tail: Vec<&str> = stderr.lines().rev().take(20).collect();
    Err(failed(
        finished.status.to_string(),
        tail.into_iter().rev().collect::<Vec<_>>().join("\n"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_converter_python_says_how_to_get_it() {
        let directory = tempfile::tempdir().expect("temporary directory");
        let python = directory.path().join("no-python");
        let error = convert_tflite("zh", &python, Path::new("in.tflite"), Path::new("out.onnx"))
            .expect_err("no Python there");
        let message = error.to_string();
        assert!(message.contains("make models"), "{message}");
        assert!(message.contains("no-python"), "{message}");
    }
}

//! Speech recognition errors.

use std::path::PathBuf;

/// What can go wrong recognising speech.
#[derive(Debug, thiserror::Error)]
pub enum AsrError {
    /// The model file is not there.
    #[error("whisper model {} is missing: run `make models` (or `hotline models`) to provision it", path.display())]
    ModelMissing {
        /// Where the model was expected.
        path: PathBuf,
    },
    /// An English-only model was asked for another language.
    #[error(
        "whisper model {} is English-only and cannot recognise language {language:?}: choose a \
         multilingual recognition model (`[speech] recognition_model`, `--recognition-model`), \
         such as whisper-base",
        path.display()
    )]
    EnglishOnlyModel {
        /// The model file.
        path: PathBuf,
        /// The language asked for.
        language: &'static str,
    },
    /// whisper.cpp refused the model or failed while decoding.
    #[error("whisper: {0}")]
    Whisper(String),
    /// Every worker is busy and the queue is full.
    #[error("speech recognition is busy ({queued} requests queued)")]
    Busy {
        /// Requests waiting.
        queued: usize,
    },
    /// The pool has shut down.
    #[error("speech recognition has stopped")]
    Stopped,
    /// A worker thread could not be started.
    #[error("cannot start a speech recognition worker: {0}")]
    Thread(std::io::Error),
}

impl From<whisper_rs::WhisperError> for AsrError {
    fn from(error: whisper_rs::WhisperError) -> Self {
        AsrError::Whisper(error.to_string())
    }
}

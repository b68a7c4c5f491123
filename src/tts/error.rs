//! Errors of the speech-synthesis module.
//!
//! Every variant says what failed and, for missing files, which file and how to get it, so a
//! message printed as-is tells an operator what to do.

use std::path::PathBuf;

/// A failure to load a voice or to synthesize speech.
#[derive(Debug, thiserror::Error)]
pub enum TtsError {
    /// The ONNX Runtime library or the espeak-ng data the voice needs is not there.
    #[error("{what} is missing: {path} (run `make models` or `hotline models` to provision it)")]
    MissingFile {
        /// What the file is, e.g. "ONNX Runtime library".
        what: &'static str,
        /// The path that was checked.
        path: PathBuf,
    },
    /// The voice's `.onnx.json` configuration could not be read or parsed.
    #[error("cannot read voice configuration {path}: {reason}")]
    VoiceConfig { path: PathBuf, reason: String },
    /// ONNX Runtime could not be loaded from the given library file.
    #[error("cannot load ONNX Runtime from {path}: {reason}")]
    Runtime { path: PathBuf, reason: String },
    /// ONNX Runtime was already loaded from another library in this process.
    #[error(
        "ONNX Runtime is already loaded from {loaded}; cannot switch to {requested} in the same process"
    )]
    RuntimeAlreadyLoaded { loaded: PathBuf, requested: PathBuf },
    /// The voice model could not be turned into an inference session.
    #[error("cannot load voice model {path}: {reason}")]
    VoiceModel { path: PathBuf, reason: String },
    /// The voice, recognition model or runtime is not registered or not provisioned.
    #[error(transparent)]
    Models(#[from] crate::models::ModelsError),
    /// The configured speaker is not one of the voice's speakers.
    #[error("voice {voice} has no speaker {speaker:?}; its speakers: {known}")]
    UnknownSpeaker {
        voice: String,
        speaker: String,
        known: String,
    },
    /// espeak-ng could not load its data directory.
    #[error("cannot load espeak-ng data from {path}: {reason}")]
    PhonemizerData { path: PathBuf, reason: String },
    /// espeak-ng was already initialized with another data directory in this process.
    #[error(
        "espeak-ng already uses the data in {loaded}; cannot switch to {requested} in the same process"
    )]
    PhonemizerAlreadyLoaded { loaded: PathBuf, requested: PathBuf },
    /// espeak-ng could not turn text into phonemes.
    #[error("cannot phonemize text with espeak-ng: {reason}")]
    Phonemization { reason: String },
    /// The model ran but inference failed.
    #[error("speech synthesis failed: {reason}")]
    Inference { reason: String },
    /// Converting the voice's audio to the requested sample rate failed (e.g. a zero rate).
    #[error("cannot convert synthesized speech to the requested rate: {0}")]
    Resample(#[from] crate::audio::AudioError),
    /// The synthesis thread has stopped, so no more requests can be served.
    #[error("the speech synthesis thread has stopped")]
    ServiceStopped,
    /// The synthesis thread could not be started.
    #[error("cannot start the speech synthesis thread: {0}")]
    ThreadStart(#[source] std::io::Error),
}

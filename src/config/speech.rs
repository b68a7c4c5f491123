//! The `[speech]` section: where the voice models live, which recognition model (and language)
//! and voice the model registry provides, how many recognition workers run, and how turns and
//! barge-in are detected on speech-mode calls.

use super::VoiceConfig;
use crate::asr::{DEFAULT_ENCODER_WINDOW, PoolConfig, RecognitionLanguage};
use crate::audio::{BargeInConfig, TurnConfig};
use serde::Deserialize;
use std::path::PathBuf;
use std::time::Duration;

/// The sentence-embedding model intents are matched with unless configured otherwise.
pub const DEFAULT_EMBEDDING_MODEL: &str = "all-MiniLM-L6-v2";

/// The recognition model Hotline uses unless configured otherwise.
pub const DEFAULT_RECOGNITION_MODEL: &str = "whisper-tiny.en";

/// Speech settings.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SpeechConfig {
    /// Directory of the provisioned voice models (`hotline models`); relative to the config file.
    pub models_directory: PathBuf,
    /// Recognition worker threads (each decodes one utterance at a time).
    pub workers: usize,
    /// CPU threads whisper uses inside one decode.
    pub threads_per_worker: usize,
    /// Utterances allowed to wait for a worker; beyond that a turn is dropped, never RTP.
    pub queue_capacity: usize,
    /// The audio whisper's encoder looks at in one go, 12 s to 30 s; shorter is faster.
    #[serde(deserialize_with = "crate::duration_text::deserialize")]
    pub encoder_window: Duration,
    /// End-of-turn detection.
    pub turn: TurnConfig,
    /// When caller speech stops a prompt.
    pub barge_in: BargeInConfig,
    /// A `kind = "asr"` entry of the model registry.
    #[serde(deserialize_with = "super::voice::model_name")]
    pub recognition_model: String,
    /// The language callers are recognised in: `en`, `zh` (Mandarin, transcribed in Simplified
    /// characters) or `auto` (whichever of the two whisper identifies); `zh` and `auto` need a
    /// multilingual recognition model.
    pub language: RecognitionLanguage,
    /// A `kind = "embedding"` entry of the model registry, for intents.
    #[serde(deserialize_with = "super::voice::model_name")]
    pub embedding_model: String,
    /// Speech synthesis.
    pub voice: VoiceConfig,
}

impl Default for SpeechConfig {
    fn default() -> Self {
        SpeechConfig {
            models_directory: PathBuf::from("voice-models"),
            workers: 1,
            threads_per_worker: 2,
            queue_capacity: 16,
            encoder_window: DEFAULT_ENCODER_WINDOW,
            turn: TurnConfig::default(),
            barge_in: BargeInConfig::default(),
            recognition_model: DEFAULT_RECOGNITION_MODEL.to_string(),
            language: RecognitionLanguage::English,
            embedding_model: DEFAULT_EMBEDDING_MODEL.to_string(),
            voice: VoiceConfig::default(),
        }
    }
}

impl SpeechConfig {
    /// The recognition worker pool these settings describe.
    pub fn recognition_pool(&self) -> PoolConfig {
        PoolConfig {
            workers: self.workers,
            threads_per_worker: self.threads_per_worker,
            queue_capacity: self.queue_capacity,
            encoder_window: self.encoder_window,
            language: self.language,
        }
    }
}

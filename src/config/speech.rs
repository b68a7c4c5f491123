//! The `[speech]` section: where the voice models live, which recognition model (and language)
//! and voice the model registry provides, how many recognition workers run, and how turns and
//! barge-in are detected on speech-mode calls.

use super::VoiceConfig;
use crate::asr::{DEFAULT_ENCODER_WINDOW, PoolConfig, RecognitionLanguage};
use crate::audio::{BargeInConfig, TurnConfig};
use crate::language::Language;
use serde::Deserialize;
use std::collections::BTreeMap;
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
    /// The models of flows in other languages (`[speech.languages.zh]`), by language; flows in
    /// a language without an entry use the models above.
    pub languages: BTreeMap<Language, LanguageModels>,
}

/// The models that serve flows in one language.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LanguageModels {
    /// A `kind = "asr"` entry of the model registry that recognises the language.
    #[serde(deserialize_with = "super::voice::model_name")]
    pub recognition_model: String,
    /// A `kind = "embedding"` entry of the model registry, for the language's intents.
    #[serde(deserialize_with = "super::voice::model_name")]
    pub embedding_model: String,
    /// The voice that speaks the language.
    pub voice: VoiceConfig,
}

/// Which models serve one language, and how recognition listens.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelChoice {
    /// The recognition model's registry name.
    pub recognition_model: String,
    /// What recognition listens for.
    pub recognition_language: RecognitionLanguage,
    /// The embedding model's registry name.
    pub embedding_model: String,
    /// The voice.
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
            languages: BTreeMap::new(),
        }
    }
}

impl SpeechConfig {
    /// The models that serve flows in `language`: its `[speech.languages]` entry, else the
    /// `[speech]` models.
    pub fn models_for(&self, language: Language) -> ModelChoice {
        match self.languages.get(&language) {
            Some(models) => ModelChoice {
                recognition_model: models.recognition_model.clone(),
                recognition_language: language.into(),
                embedding_model: models.embedding_model.clone(),
                voice: models.voice.clone(),
            },
            None => ModelChoice {
                recognition_model: self.recognition_model.clone(),
                recognition_language: self.language,
                embedding_model: self.embedding_model.clone(),
                voice: self.voice.clone(),
            },
        }
    }

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

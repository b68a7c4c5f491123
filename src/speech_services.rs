//! The speech services of every language a server serves: which recogniser, voice and
//! understanding service a call or chat in English or Mandarin uses.
//!
//! Services are loaded once per model and shared between languages that name the same model
//! (one whisper pool may recognise both, one embedding model may understand both). A language
//! without a service of some kind goes without it, as a server without models does: keys still
//! work, `say` steps are skipped, utterances carry no meaning.
//!
//! Invariant: a recogniser is only handed to a language it can recognise (checked when the
//! services are assembled), and `identifier` is a multilingual recogniser or nothing.

use crate::asr::{RecognitionLanguage, TranscriberPool};
use crate::language::Language;
use crate::tts::SpeechService;
use crate::understanding::UnderstandingService;
use std::collections::BTreeMap;
use std::sync::Arc;

/// A recogniser and what it listens for in one language.
#[derive(Clone)]
pub struct Recognition {
    /// The worker pool.
    pub pool: Arc<TranscriberPool>,
    /// What it listens for.
    pub language: RecognitionLanguage,
}

/// What serves one language.
#[derive(Clone, Default)]
pub struct LanguageServices {
    /// Speech recognition.
    pub recognition: Option<Recognition>,
    /// The voice.
    pub synthesizer: Option<SpeechService>,
    /// Intents and knowledge of the language's flows.
    pub understanding: Option<UnderstandingService>,
}

/// The services of every language; cheap to clone.
#[derive(Clone, Default)]
pub struct SpeechServices {
    languages: Arc<BTreeMap<Language, LanguageServices>>,
}

impl SpeechServices {
    /// Services by language.
    pub fn new(languages: BTreeMap<Language, LanguageServices>) -> SpeechServices {
        SpeechServices {
            languages: Arc::new(languages),
        }
    }

    /// What serves `language` (nothing when it is not served).
    pub fn language(&self, language: Language) -> LanguageServices {
        self.languages.get(&language).cloned().unwrap_or_default()
    }

    /// The recogniser of `language`.
    pub fn recognition(&self, language: Language) -> Option<Recognition> {
        self.languages.get(&language)?.recognition.clone()
    }

    /// The voice of `language`.
    pub fn synthesizer(&self, language: Language) -> Option<&SpeechService> {
        self.languages.get(&language)?.synthesizer.as_ref()
    }

    /// The understanding service of `language`.
    pub fn understanding(&self, language: Language) -> Option<&UnderstandingService> {
        self.languages.get(&language)?.understanding.as_ref()
    }

    /// A recogniser that tells `languages` apart (whisper's language identification): the
    /// first of their recognisers whose model is multilingual.
    pub fn identifier(&self, languages: &[Language]) -> Option<Arc<TranscriberPool>> {
        languages
            .iter()
            .filter_map(|language| self.recognition(*language))
            .map(|recognition| recognition.pool)
            .find(|pool| pool.check_language(RecognitionLanguage::Auto).is_ok())
    }
}

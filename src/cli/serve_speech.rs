//! Starting the speech services of `hotline serve`: for every language the flows speak, the
//! recogniser, voice and embedding model `[speech]` (or `[speech.languages]`) names, each model
//! loaded once however many languages share it. A model that is missing or fails leaves its
//! languages without that service, and the log says why: speech-mode calls then take keys
//! only, `say` steps are skipped, utterances carry no meaning.

use crate::asr::{RecognitionLanguage, TranscriberPool};
use crate::config::{Config, InputMode, ModelChoice};
use crate::dialogue::{FlowSet, UnderstandingFiles};
use crate::embedding::SentenceEmbedder;
use crate::language::Language;
use crate::models::{Kind, Registry};
use crate::speech_services::{LanguageServices, Recognition, SpeechServices};
use crate::tts::{ServiceOptions, SpeechService, load_synthesizer};
use crate::understanding::{CACHE_DIRECTORY, EmbeddingCache, UnderstandingService};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use tracing::{info, warn};

/// The languages to serve: the flows' own, and English for the default models.
fn languages(flows: &FlowSet) -> BTreeSet<Language> {
    let mut languages: BTreeSet<Language> =
        flows.flows.values().map(|flow| flow.language).collect();
    languages.insert(Language::English);
    languages
}

/// Loads every language's services. `files` are the flows' intents and knowledge, by the name
/// the understanding service knows each flow by.
pub(super) async fn start_speech(
    config: &Config,
    registry: &Registry,
    flows: &FlowSet,
    mut files: BTreeMap<String, UnderstandingFiles>,
) -> SpeechServices {
    let choices: BTreeMap<Language, ModelChoice> = languages(flows)
        .into_iter()
        .map(|language| (language, config.speech.models_for(language)))
        .collect();
    let speaking = config
        .routes
        .iter()
        .any(|route| route.mode == InputMode::Speech);
    let mut pools: BTreeMap<String, Option<Arc<TranscriberPool>>> = BTreeMap::new();
    let mut voices: BTreeMap<String, Option<SpeechService>> = BTreeMap::new();
    let mut understanding: BTreeMap<String, Option<UnderstandingService>> = BTreeMap::new();
    let mut services = BTreeMap::new();
    for (language, choice) in &choices {
        let recognition = if speaking {
            if !pools.contains_key(&choice.recognition_model) {
                let pool = start_recogniser(config, registry, choice).await;
                pools.insert(choice.recognition_model.clone(), pool);
            }
            recognition_of(pools[&choice.recognition_model].clone(), *language, choice)
        } else {
            None
        };
        if !voices.contains_key(&choice.voice.name) {
            let voice = start_voice(registry, choice).await;
            voices.insert(choice.voice.name.clone(), voice);
        }
        if !understanding.contains_key(&choice.embedding_model) {
            // Every flow whose language this model serves.
            let served: BTreeMap<String, UnderstandingFiles> = flows
                .flows
                .iter()
                .filter(|(_, flow)| {
                    choices[&flow.language].embedding_model == choice.embedding_model
                })
                .filter_map(|(name, _)| Some((name.clone(), files.remove(name)?)))
                .collect();
            let service = start_understanding(config, registry, choice, served).await;
            understanding.insert(choice.embedding_model.clone(), service);
        }
        services.insert(
            *language,
            LanguageServices {
                recognition,
                synthesizer: voices[&choice.voice.name].clone(),
                understanding: understanding[&choice.embedding_model].clone(),
            },
        );
    }
    SpeechServices::new(services)
}

/// The recogniser of `language`, when its model can recognise it.
fn recognition_of(
    pool: Option<Arc<TranscriberPool>>,
    language: Language,
    choice: &ModelChoice,
) -> Option<Recognition> {
    let pool = pool?;
    // `[speech] language` may be `auto`; a language's own entry listens for the language.
    let listens_for = match choice.recognition_language {
        RecognitionLanguage::Auto => RecognitionLanguage::Auto,
        _ => RecognitionLanguage::from(language),
    };
    match pool.check_language(listens_for) {
        Ok(()) => Some(Recognition {
            pool,
            language: listens_for,
        }),
        Err(error) => {
            warn!(%error, %language, "calls in this language will take keys only: set [speech.languages.{language}] recognition_model");
            None
        }
    }
}

async fn start_recogniser(
    config: &Config,
    registry: &Registry,
    choice: &ModelChoice,
) -> Option<Arc<TranscriberPool>> {
    let model = match registry.output(Kind::Asr, &choice.recognition_model, "") {
        Ok(model) => model,
        Err(error) => {
            warn!(%error, "speech-mode calls will take keys only");
            return None;
        }
    };
    let mut pool_config = config.speech.recognition_pool();
    pool_config.language = choice.recognition_language;
    match tokio::task::spawn_blocking(move || TranscriberPool::start(&model, pool_config)).await {
        Ok(Ok(pool)) => {
            info!(
                model = choice.recognition_model,
                workers = pool_config.workers,
                "speech recognition ready"
            );
            Some(Arc::new(pool))
        }
        Ok(Err(error)) => {
            warn!(%error, "speech-mode calls will take keys only");
            None
        }
        Err(error) => {
            warn!(%error, "speech recognition failed to start");
            None
        }
    }
}

async fn start_voice(registry: &Registry, choice: &ModelChoice) -> Option<SpeechService> {
    let settings = choice.voice.clone();
    let registry = registry.clone();
    let started = tokio::task::spawn_blocking(move || {
        load_synthesizer(&registry, &settings)
            .and_then(|voice| SpeechService::start(voice, ServiceOptions::from(&settings)))
    })
    .await;
    match started {
        Ok(Ok(service)) => {
            info!(voice = service.voice(), "speech synthesis ready");
            Some(service)
        }
        Ok(Err(error)) => {
            warn!(%error, "say steps will be skipped");
            None
        }
        Err(error) => {
            warn!(%error, "speech synthesis failed to start");
            None
        }
    }
}

/// Loads the sentence-embedding model for flows with intents or knowledge; without it their
/// utterances carry no meaning (keys and phrases still work), and the log says why.
async fn start_understanding(
    config: &Config,
    registry: &Registry,
    choice: &ModelChoice,
    files: BTreeMap<String, UnderstandingFiles>,
) -> Option<UnderstandingService> {
    if files.is_empty() {
        return None;
    }
    let model = choice.embedding_model.clone();
    let directory = match registry.embedding_directory(&model) {
        Ok(directory) => directory,
        Err(error) => {
            warn!(%error, "intents and knowledge will not be understood");
            return None;
        }
    };
    let cache = EmbeddingCache::new(&config.speech.models_directory.join(CACHE_DIRECTORY));
    let name = model.clone();
    let started = tokio::task::spawn_blocking(move || {
        SentenceEmbedder::load(&directory)
            .map_err(anyhow::Error::from)
            .and_then(|embedder| Ok(UnderstandingService::start(embedder, name, files, cache)?))
    })
    .await;
    match started {
        Ok(Ok(service)) => {
            info!(model, "understanding ready");
            Some(service)
        }
        Ok(Err(error)) => {
            warn!(%error, "intents and knowledge will not be understood");
            None
        }
        Err(error) => {
            warn!(%error, "the understanding service failed to start");
            None
        }
    }
}

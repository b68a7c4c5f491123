//! The understanding service: the sentence-embedding model on its own thread, answering "what
//! does this utterance mean" for calls and chats without blocking the async runtime.
//!
//! At start the worker embeds every flow's examples and articles (batched, and kept in an
//! [`EmbeddingCache`] for the next start); `start` returns once that is done. A bounded queue keeps a burst from piling up: when it is full, or the model fails, the
//! utterance goes on without a meaning (steps that need one treat it as not understood) and the
//! failure is logged.

mod cache;
mod error;

pub use cache::EmbeddingCache;
pub use error::UnderstandingError;

use crate::dialogue::intents::Intents;
use crate::dialogue::knowledge::{KnowledgeBase, knowledge_directory_of};
use crate::dialogue::{FlowSet, Meaning, Understander, UnderstandingFiles};
use crate::embedding::{Embedder, SentenceEmbedder};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{SyncSender, TrySendError, sync_channel};
use tokio::sync::oneshot;
use tracing::{info, warn};

/// Where, under the models directory, the embeddings of flows' examples are kept.
pub const CACHE_DIRECTORY: &str = "cache/embeddings";

/// Utterances that may wait for the model at once.
const QUEUE: usize = 64;

struct Job {
    flow: String,
    text: String,
    reply: oneshot::Sender<Option<Meaning>>,
}

/// A handle on the worker; cheap to clone.
#[derive(Clone)]
pub struct UnderstandingService {
    jobs: SyncSender<Job>,
    flows: Arc<BTreeSet<String>>,
}

impl UnderstandingService {
    /// Starts the worker with `embedder` (the model `model`) for the flows in `files`, keeping
    /// the examples' embeddings in `cache`; blocks until every flow's index is built.
    pub fn start(
        embedder: SentenceEmbedder,
        model: String,
        files: BTreeMap<String, UnderstandingFiles>,
        cache: EmbeddingCache,
    ) -> Result<UnderstandingService, UnderstandingError> {
        let flows = Arc::new(files.keys().cloned().collect());
        let (jobs, queue) = sync_channel::<Job>(QUEUE);
        let (built, ready) = std::sync::mpsc::channel::<()>();
        std::thread::Builder::new()
            .name("understanding".into())
            .spawn(move || {
                let started = std::time::Instant::now();
                let mut understanders = BTreeMap::new();
                let precomputed = embed_files(&embedder, &model, files.values(), &cache);
                for (flow, files) in files {
                    let embed = |text: &str| match precomputed.get(text) {
                        Some(embedding) => Ok(embedding.clone()),
                        None => embedder.embed(text),
                    };
                    match Understander::build(files, embed) {
                        Ok(understander) => {
                            understanders.insert(flow, understander);
                        }
                        Err(error) => warn!(%flow, %error, "the flow understands nothing"),
                    }
                }
                info!(elapsed = ?started.elapsed(), "intents and knowledge ready");
                let _ = built.send(());
                for job in queue {
                    let meaning = understanders.get(&job.flow).and_then(|understander| {
                        match embedder.embed(&understander.text_to_embed(&job.text)) {
                            Ok(embedding) => Some(understander.meaning(&job.text, &embedding)),
                            Err(error) => {
                                warn!(%error, "cannot understand an utterance");
                                None
                            }
                        }
                    });
                    // The requester may have gone (the call ended); nothing to do then.
                    let _ = job.reply.send(meaning);
                }
            })
            .map_err(|source| UnderstandingError::Thread { source })?;
        // Serving starts once every flow understands: a call must not wait on the index with
        // its timers running.
        ready.recv().map_err(|_| UnderstandingError::Stopped)?;
        Ok(UnderstandingService { jobs, flows })
    }

    /// Whether `flow` has intents or knowledge to understand utterances with.
    pub fn understands(&self, flow: &str) -> bool {
        self.flows.contains(flow)
    }

    /// The meaning of `text` in `flow`; `None` when the flow understands nothing, the queue is
    /// full or the model failed.
    pub async fn meaning(&self, flow: &str, text: &str) -> Option<Meaning> {
        if !self.understands(flow) {
            return None;
        }
        let (reply, answer) = oneshot::channel();
        let job = Job {
            flow: flow.to_string(),
            text: text.to_string(),
            reply,
        };
        match self.jobs.try_send(job) {
            Ok(()) => answer.await.ok().flatten(),
            Err(TrySendError::Full(_)) => {
                warn!("understanding queue full: an utterance goes on without its meaning");
                None
            }
            Err(TrySendError::Disconnected(_)) => None,
        }
    }
}

/// The embeddings of every example (and unrelated example) and article title and question of
/// `files`, computed in
/// batches (a text missing here is embedded on its own when the indexes are built).
pub fn embed_files<'files>(
    embedder: &SentenceEmbedder,
    model: &str,
    files: impl IntoIterator<Item = &'files UnderstandingFiles>,
    cache: &EmbeddingCache,
) -> HashMap<String, Vec<f32>> {
    let mut texts: BTreeSet<&str> = BTreeSet::new();
    for files in files {
        if let Some(intents) = &files.intents {
            for intent in &intents.intents {
                texts.extend(intent.examples.iter().map(String::as_str));
            }
            texts.extend(intents.unrelated.iter().map(String::as_str));
        }
        for article in files.knowledge.iter().flat_map(|base| &base.articles) {
            texts.insert(&article.title);
            texts.extend(article.questions.iter().map(String::as_str));
        }
    }
    let texts: Vec<&str> = texts.into_iter().collect();
    let embedded = match cache.load(model, &texts) {
        Some(embeddings) => Ok(embeddings),
        None => embedder.embed_batch(&texts).inspect(|embeddings| {
            if let Err(error) = cache.store(model, &texts, embeddings) {
                warn!(%error, "cannot keep the embeddings for the next start");
            }
        }),
    };
    match embedded {
        Ok(embeddings) => texts
            .into_iter()
            .map(String::from)
            .zip(embeddings)
            .collect(),
        Err(error) => {
            warn!(%error, "batch embedding failed; embedding one text at a time");
            HashMap::new()
        }
    }
}

/// The files each flow understands with: `NAME.intents.toml` and the `knowledge/` directory
/// beside the flow file of flow `NAME`. Flows without either are left out.
pub fn understanding_files(
    flows: &FlowSet,
) -> Result<BTreeMap<String, UnderstandingFiles>, UnderstandingError> {
    let mut files = BTreeMap::new();
    for (name, flow) in &flows.flows {
        let directory = flow.file.parent().map(PathBuf::from).unwrap_or_default();
        let intents_path = directory.join(format!(
            "{name}{}",
            crate::dialogue::intents::INTENTS_FILE_SUFFIX
        ));
        let intents = if intents_path.is_file() {
            Some(Intents::load(&intents_path)?)
        } else {
            None
        };
        let knowledge_directory = knowledge_directory_of(&flow.file);
        let knowledge = if knowledge_directory.is_dir() {
            Some(KnowledgeBase::load(&knowledge_directory)?)
        } else {
            None
        };
        if intents.is_some() || knowledge.is_some() {
            files.insert(name.clone(), UnderstandingFiles { intents, knowledge });
        }
    }
    Ok(files)
}

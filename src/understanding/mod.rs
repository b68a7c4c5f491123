//! The understanding service: the sentence-embedding model on its own thread, answering "what
//! does this utterance mean" for calls and chats without blocking the async runtime.
//!
//! At start the worker embeds every flow's examples and articles (batched, and kept in an
//! [`EmbeddingCache`] for the next start); `start` returns once that is done. A flow version
//! published later is installed under its own key while the server runs, beside the versions
//! calls in progress still use. A bounded queue keeps a burst from piling up: when it is full, or the model fails, the
//! utterance goes on without a meaning (steps that need one treat it as not understood) and the
//! failure is logged.

mod cache;
mod error;

pub use cache::EmbeddingCache;
pub use error::UnderstandingError;

use crate::dialogue::language::intents::INTENTS_FILE_SUFFIX;
use crate::dialogue::loader::{knowledge_directory_of, read_intents, read_knowledge};
use crate::dialogue::{FlowSet, Meaning, Understander, UnderstandingFiles};
use crate::embedding::{Embedder, SentenceEmbedder};
use dashmap::DashSet;
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

enum Job {
    /// What an utterance means in the flow known as `flow`.
    Understand {
        flow: String,
        text: String,
        reply: oneshot::Sender<Option<Meaning>>,
    },
    /// Builds (or rebuilds) what the flow known as `flow` understands.
    Install {
        flow: String,
        files: Box<UnderstandingFiles>,
        reply: oneshot::Sender<Result<(), String>>,
    },
    /// Drops what the flow known as `flow` understands.
    Forget { flow: String },
}

/// A handle on the worker; cheap to clone.
#[derive(Clone)]
pub struct UnderstandingService {
    jobs: SyncSender<Job>,
    flows: Arc<DashSet<String>>,
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
        let flows = Arc::new(files.keys().cloned().collect::<DashSet<String>>());
        let (jobs, queue) = sync_channel::<Job>(QUEUE);
        let (built, ready) = std::sync::mpsc::channel::<()>();
        std::thread::Builder::new()
            .name("understanding".into())
            .spawn(move || {
                let started = std::time::Instant::now();
                let mut understanders = BTreeMap::new();
                // One cache entry per flow, so that publishing a flow whose examples did not
                // change finds them all in the cache.
                let precomputed: HashMap<String, Vec<f32>> = files
                    .values()
                    .flat_map(|files| embed_files(&embedder, &model, [files], &cache))
                    .collect();
                for (flow, files) in files {
                    match build(&embedder, &precomputed, files) {
                        Ok(understander) => {
                            understanders.insert(flow, understander);
                        }
                        Err(error) => warn!(%flow, %error, "the flow understands nothing"),
                    }
                }
                info!(elapsed = ?started.elapsed(), "intents and knowledge ready");
                let _ = built.send(());
                for job in queue {
                    work(&embedder, &model, &cache, &mut understanders, job);
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
        let job = Job::Understand {
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

    /// Builds what the flow known as `flow` understands from `files` (its examples embedded,
    /// through the cache), replacing what it understood before; returns once it is ready.
    pub async fn install(
        &self,
        flow: &str,
        files: UnderstandingFiles,
    ) -> Result<(), UnderstandingError> {
        let (reply, answer) = oneshot::channel();
        let job = Job::Install {
            flow: flow.to_string(),
            files: Box::new(files),
            reply,
        };
        match self.jobs.try_send(job) {
            Ok(()) => {}
            Err(TrySendError::Full(_)) => return Err(UnderstandingError::Busy),
            Err(TrySendError::Disconnected(_)) => return Err(UnderstandingError::Stopped),
        }
        let built = answer.await.map_err(|_| UnderstandingError::Stopped)?;
        built.map_err(|reason| UnderstandingError::Build { reason })?;
        self.flows.insert(flow.to_string());
        Ok(())
    }

    /// Forgets what the flow known as `flow` understands (a draft that was tried).
    pub fn forget(&self, flow: &str) {
        self.flows.remove(flow);
        let job = Job::Forget {
            flow: flow.to_string(),
        };
        if self.jobs.try_send(job).is_err() {
            warn!(%flow, "cannot forget a flow's understanding now");
        }
    }
}

/// Embeds one flow's examples and articles, taking those already embedded from `precomputed`.
fn build(
    embedder: &SentenceEmbedder,
    precomputed: &HashMap<String, Vec<f32>>,
    files: UnderstandingFiles,
) -> Result<Understander, crate::embedding::EmbeddingError> {
    let embed = |text: &str| match precomputed.get(text) {
        Some(embedding) => Ok(embedding.clone()),
        None => embedder.embed(text),
    };
    Understander::build(files, embed)
}

/// Does one job on the worker thread.
fn work(
    embedder: &SentenceEmbedder,
    model: &str,
    cache: &EmbeddingCache,
    understanders: &mut BTreeMap<String, Understander>,
    job: Job,
) {
    match job {
        Job::Understand { flow, text, reply } => {
            let meaning = understanders.get(&flow).and_then(|understander| {
                match embedder.embed(&understander.text_to_embed(&text)) {
                    Ok(embedding) => Some(understander.meaning(&text, &embedding)),
                    Err(error) => {
                        warn!(%error, "cannot understand an utterance");
                        None
                    }
                }
            });
            // The requester may have gone (the call ended); nothing to do then.
            let _ = reply.send(meaning);
        }
        Job::Install { flow, files, reply } => {
            let precomputed = embed_files(embedder, model, [files.as_ref()], cache);
            let built = build(embedder, &precomputed, *files).map(|understander| {
                understanders.insert(flow, understander);
            });
            let _ = reply.send(built.map_err(|error| error.to_string()));
        }
        Job::Forget { flow } => {
            understanders.remove(&flow);
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
        let intents_path = directory.join(format!("{name}{INTENTS_FILE_SUFFIX}"));
        let intents = if intents_path.is_file() {
            Some(read_intents(&intents_path)?)
        } else {
            None
        };
        let knowledge_directory = knowledge_directory_of(&flow.file);
        let knowledge = if knowledge_directory.is_dir() {
            Some(read_knowledge(&knowledge_directory)?)
        } else {
            None
        };
        if intents.is_some() || knowledge.is_some() {
            files.insert(name.clone(), UnderstandingFiles { intents, knowledge });
        }
    }
    Ok(files)
}

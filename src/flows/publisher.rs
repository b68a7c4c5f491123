//! Saving, publishing, rolling back and trying flows while the server runs.
//!
//! Publishing checks the version again, loads its prompts, builds its intents and knowledge
//! under a key of its own (`NAME@vN`), writes its files over the flow's files (so the next
//! start loads it), and only then makes it the flow new calls and chats start in. Calls in
//! progress keep the flow and the understanding they started with. Publishes run one at a time.

use super::check::{Checked, check};
use super::error::PublishError;
use super::files::{FlowPlace, valid_flow_name};
use crate::call::PromptCache;
use crate::dialogue::{Flow, PublishedFlows};
use crate::speech_services::SpeechServices;
use crate::storage::{FlowFiles, FlowVersion, FlowVersionStore, new_token};
use dashmap::DashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tracing::{info, warn};

/// How long a draft being tried stays available.
pub const TRIAL_LIFETIME: Duration = Duration::from_secs(30 * 60);
/// Drafts tried at once, at most.
const MAXIMUM_TRIALS: usize = 32;
/// The author of versions found on disk at start (written by hand, or by an earlier server).
const DISK_AUTHOR: &str = "files";

/// What the publisher works with.
pub struct PublisherSetup {
    /// The flows directory (`[flows] directory`); new flows get a directory of their own in it.
    pub directory: PathBuf,
    /// Saved versions.
    pub versions: Arc<FlowVersionStore>,
    /// The flows new conversations start in.
    pub published: PublishedFlows,
    /// Intents and knowledge by language; a flow in a language without them understands
    /// nothing.
    pub speech: SpeechServices,
    /// Prompt audio, loaded before a version is published.
    pub prompts: PromptCache,
}

struct Trial {
    flow: Arc<Flow>,
    started: Instant,
}

/// Saves, publishes, rolls back and tries flows; cheap to clone.
#[derive(Clone)]
pub struct FlowPublisher {
    setup: Arc<PublisherSetup>,
    trials: Arc<DashMap<String, Trial>>,
    publishing: Arc<tokio::sync::Mutex<()>>,
}

impl FlowPublisher {
    /// A publisher over `setup`.
    pub fn new(setup: PublisherSetup) -> FlowPublisher {
        FlowPublisher {
            setup: Arc::new(setup),
            trials: Arc::new(DashMap::new()),
            publishing: Arc::new(tokio::sync::Mutex::new(())),
        }
    }

    /// The saved versions.
    pub fn versions(&self) -> &FlowVersionStore {
        &self.setup.versions
    }

    /// The flows new conversations start in.
    pub fn published(&self) -> &PublishedFlows {
        &self.setup.published
    }

    /// Where the flow `name` lives: beside its published file, else in a new directory.
    pub fn place(&self, name: &str) -> Result<FlowPlace, PublishError> {
        if !valid_flow_name(name) {
            return Err(PublishError::BadName(name.to_string()));
        }
        Ok(match self.setup.published.get(name) {
            Some(flow) => FlowPlace::of_file(name, &flow.file),
            None => FlowPlace::new_flow(name, &self.setup.directory),
        })
    }

    /// Checks `files` as the files of flow `name`.
    pub fn check(&self, name: &str, files: &FlowFiles) -> Result<Checked, PublishError> {
        Ok(check(&self.place(name)?, files))
    }

    /// Records the files of every published flow as a published version, where they differ
    /// from the version last published (first start, or files edited by hand); returns how
    /// many were recorded.
    pub fn record_files(&self) -> Result<usize, PublishError> {
        let store = &self.setup.versions;
        let mut recorded = 0;
        for (name, flow) in &self.setup.published.current().flows {
            let files = FlowPlace::of_file(name, &flow.file).read()?;
            let published = match store.published(name)? {
                Some(version) => store.version(name, version)?.map(|(_, files)| files),
                None => None,
            };
            if published.as_ref() == Some(&files) {
                continue;
            }
            let note = format!("loaded from {}", flow.file.display());
            let saved = store.save(name, &files, DISK_AUTHOR, &note)?;
            store.record_publication(name, saved.version, DISK_AUTHOR)?;
            recorded += 1;
        }
        Ok(recorded)
    }

    /// Saves `files` as the next version of flow `name`, when they have no errors.
    pub fn save(
        &self,
        name: &str,
        files: &FlowFiles,
        author: &str,
        note: &str,
    ) -> Result<FlowVersion, PublishError> {
        let checked = self.check(name, files)?;
        if checked.has_errors() {
            return Err(PublishError::Invalid(checked.problems));
        }
        Ok(self.setup.versions.save(name, files, author, note)?)
    }

    /// Publishes version `version` of flow `name`: new calls and chats start in it at once.
    pub async fn publish(
        &self,
        name: &str,
        version: u32,
        author: &str,
    ) -> Result<u32, PublishError> {
        let _one_at_a_time = self.publishing.lock().await;
        let place = self.place(name)?;
        let (_, files) = self.setup.versions.version(name, version)?.ok_or_else(|| {
            PublishError::NotFound(format!("flow {name} has no version {version}"))
        })?;
        let flow = self
            .runnable(&place, &files, format!("{name}@v{version}"))
            .await?;
        place.write(&files)?;
        self.setup.published.publish(flow);
        self.setup
            .versions
            .record_publication(name, version, author)?;
        info!(flow = name, version, author, "flow published");
        Ok(version)
    }

    /// Publishes again the version of flow `name` that was live before the current one.
    pub async fn roll_back(&self, name: &str, author: &str) -> Result<u32, PublishError> {
        let target = self
            .setup
            .versions
            .rollback_target(name)?
            .ok_or_else(|| PublishError::NothingToRollBack(name.to_string()))?;
        self.publish(name, target, author).await
    }

    /// Makes `files` a flow that chats and browser calls can be started in for
    /// [`TRIAL_LIFETIME`], without publishing it; returns the trial's key.
    pub async fn start_trial(&self, name: &str, files: &FlowFiles) -> Result<String, PublishError> {
        self.forget_old_trials();
        if self.trials.len() >= MAXIMUM_TRIALS {
            return Err(PublishError::Busy);
        }
        let place = self.place(name)?;
        let key = new_token();
        let flow = self.runnable(&place, files, format!("trial:{key}")).await?;
        let trial = Trial {
            flow: Arc::new(flow),
            started: Instant::now(),
        };
        self.trials.insert(key.clone(), trial);
        Ok(key)
    }

    /// The flow of the trial `key`, while it lasts.
    pub fn trial(&self, key: &str) -> Option<Arc<Flow>> {
        self.forget_old_trials();
        self.trials.get(key).map(|trial| trial.flow.clone())
    }

    fn forget_old_trials(&self) {
        let expired: Vec<String> = self
            .trials
            .iter()
            .filter(|trial| trial.started.elapsed() > TRIAL_LIFETIME)
            .map(|trial| trial.key().clone())
            .collect();
        for key in expired {
            if let Some((_, trial)) = self.trials.remove(&key)
                && let Some(service) = self.setup.speech.understanding(trial.flow.language)
            {
                service.forget(&trial.flow.understanding);
            }
        }
    }

    /// `files` checked and made ready to run: prompts loaded, intents and knowledge built
    /// under `understanding`.
    async fn runnable(
        &self,
        place: &FlowPlace,
        files: &FlowFiles,
        understanding: String,
    ) -> Result<Flow, PublishError> {
        let checked = check(place, files);
        if checked.has_errors() {
            return Err(PublishError::Invalid(checked.problems));
        }
        let Some(mut flow) = checked.flow else {
            return Err(PublishError::Invalid(checked.problems));
        };
        let prompts = self.setup.prompts.clone();
        let paths: Vec<PathBuf> = flow.prompt_paths().into_iter().collect();
        let failures = tokio::task::spawn_blocking(move || prompts.preload(&paths))
            .await
            .unwrap_or_default();
        for (path, error) in failures {
            warn!(path = %path.display(), %error, "prompt cannot be played");
        }
        let files = checked.understanding;
        if let Some(service) = self.setup.speech.understanding(flow.language)
            && (files.intents.is_some() || files.knowledge.is_some())
        {
            service.install(&understanding, files).await?;
        }
        flow.understanding = understanding;
        Ok(flow)
    }
}

//! Prompt audio converted once to the call rate and shared by every call that plays it.
//!
//! Any format symphonia reads is decoded and resampled (rubato) to 8 kHz mono the first time it
//! is needed — at start-up for every prompt a flow names — and then shared as an `Arc` slice,
//! so playing a prompt never touches the disk or the resampler.

use crate::audio::{self, AudioError};
use crate::media::SAMPLE_RATE;
use dashmap::DashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Cache of converted prompts keyed by file path.
#[derive(Clone, Default)]
pub struct PromptCache {
    prompts: Arc<DashMap<PathBuf, Arc<[i16]>>>,
}

impl PromptCache {
    /// An empty cache.
    pub fn new() -> PromptCache {
        PromptCache::default()
    }

    /// Converts every listed prompt now; returns the failures (the rest are cached).
    pub fn preload(&self, paths: &[PathBuf]) -> Vec<(PathBuf, AudioError)> {
        paths
            .iter()
            .filter_map(|path| self.get(path).err().map(|error| (path.clone(), error)))
            .collect()
    }

    /// The prompt at call rate, converting it on first use.
    pub fn get(&self, path: &Path) -> Result<Arc<[i16]>, AudioError> {
        if let Some(audio) = self.prompts.get(path) {
            return Ok(audio.clone());
        }
        let audio = audio::load_prompt(path, SAMPLE_RATE)?;
        self.prompts.insert(path.to_path_buf(), audio.clone());
        Ok(audio)
    }

    /// Number of cached prompts.
    pub fn len(&self) -> usize {
        self.prompts.len()
    }

    /// Whether nothing is cached.
    pub fn is_empty(&self) -> bool {
        self.prompts.is_empty()
    }
}

//! The `[speech.voice]` section: which registered Piper voice speaks Hotline's answers, and how.
//!
//! Names refer to entries of the model registry (`models.toml` in the models directory); whether
//! a name is registered and provisioned is checked when the voice loads, since the registry is a
//! separate file. Every number is range-checked while the file is parsed, so a bad value is
//! reported on its own line.

use serde::{Deserialize, Deserializer};
use std::ops::RangeInclusive;
use std::time::Duration;

/// The voice Hotline speaks with unless configured otherwise.
pub const DEFAULT_VOICE: &str = "en_US-joe-medium";

const SPEAKING_RATES: RangeInclusive<f64> = 0.5..=2.0;
const MAXIMUM_SENTENCE_SILENCE: Duration = Duration::from_secs(2);
const THREADS: RangeInclusive<usize> = 1..=256;
const QUEUE_CAPACITIES: RangeInclusive<usize> = 1..=10_000;
const PHRASE_CACHE_MEGABYTES: RangeInclusive<usize> = 0..=4096;

/// Speech synthesis settings.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct VoiceConfig {
    /// A `kind = "tts"` entry of the model registry.
    #[serde(deserialize_with = "model_name")]
    pub name: String,
    /// A speaker of a multi-speaker voice, by name; without it, the voice's first speaker.
    pub speaker: Option<String>,
    /// Pace relative to the voice's own: 1.0 as trained, 1.25 a quarter faster, 0.8 slower.
    #[serde(deserialize_with = "speaking_rate")]
    pub speaking_rate: f32,
    /// Silence put between the sentences of one answer.
    #[serde(deserialize_with = "sentence_silence")]
    pub sentence_silence: Duration,
    /// CPU threads one synthesis uses; without it, every core.
    #[serde(deserialize_with = "threads")]
    pub threads: Option<usize>,
    /// Answers that may wait for the synthesis thread before callers wait to queue theirs.
    #[serde(deserialize_with = "queue_capacity")]
    pub queue_capacity: usize,
    /// Memory for synthesized sentences kept for reuse, in megabytes; 0 turns the cache off.
    #[serde(deserialize_with = "phrase_cache_megabytes")]
    pub phrase_cache_megabytes: usize,
}

impl Default for VoiceConfig {
    fn default() -> Self {
        VoiceConfig {
            name: DEFAULT_VOICE.to_string(),
            speaker: None,
            speaking_rate: 1.0,
            sentence_silence: Duration::ZERO,
            threads: None,
            queue_capacity: 64,
            phrase_cache_megabytes: 16,
        }
    }
}

impl VoiceConfig {
    /// The phrase cache's capacity in bytes.
    pub fn phrase_cache_bytes(&self) -> usize {
        self.phrase_cache_megabytes * 1024 * 1024
    }
}

fn out_of_range<E: serde::de::Error>(key: &str, value: impl std::fmt::Display, range: &str) -> E {
    E::custom(format!("{key} {value} is out of range: use {range}"))
}

/// A registry entry name: non-empty, no surrounding spaces.
pub(super) fn model_name<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    let name = String::deserialize(deserializer)?;
    if name.is_empty() || name.trim() != name {
        return Err(serde::de::Error::custom(format!(
            "{name:?} is not a model name: use the `name` of a [[model]] entry in models.toml"
        )));
    }
    Ok(name)
}

fn speaking_rate<'de, D: Deserializer<'de>>(deserializer: D) -> Result<f32, D::Error> {
    let rate = f64::deserialize(deserializer)?;
    if !SPEAKING_RATES.contains(&rate) {
        return Err(out_of_range("speaking_rate", rate, "0.5 to 2.0"));
    }
    Ok(rate as f32)
}

fn sentence_silence<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Duration, D::Error> {
    let silence = crate::duration_text::deserialize(deserializer)?;
    if silence > MAXIMUM_SENTENCE_SILENCE {
        return Err(out_of_range(
            "sentence_silence",
            humantime::format_duration(silence),
            "0ms to 2s",
        ));
    }
    Ok(silence)
}

fn threads<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<usize>, D::Error> {
    let threads = usize::deserialize(deserializer)?;
    if !THREADS.contains(&threads) {
        return Err(out_of_range("threads", threads, "1 to 256"));
    }
    Ok(Some(threads))
}

fn queue_capacity<'de, D: Deserializer<'de>>(deserializer: D) -> Result<usize, D::Error> {
    let capacity = usize::deserialize(deserializer)?;
    if !QUEUE_CAPACITIES.contains(&capacity) {
        return Err(out_of_range("queue_capacity", capacity, "1 to 10000"));
    }
    Ok(capacity)
}

fn phrase_cache_megabytes<'de, D: Deserializer<'de>>(deserializer: D) -> Result<usize, D::Error> {
    let megabytes = usize::deserialize(deserializer)?;
    if !PHRASE_CACHE_MEGABYTES.contains(&megabytes) {
        return Err(out_of_range(
            "phrase_cache_megabytes",
            megabytes,
            "0 (no cache) to 4096",
        ));
    }
    Ok(megabytes)
}

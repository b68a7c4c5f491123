//! Loading of announcement prompts into ready-to-play 16-bit samples at the call rate.
//!
//! A prompt file may be in any format [`super::decode_file`] understands and at any sample
//! rate; it is decoded, downmixed, resampled and converted once, then shared between calls as
//! an `Arc<[i16]>`.
//!
//! Invariants: a loaded prompt is never empty and never longer than the configured maximum;
//! over-long files are rejected while decoding, before they are held in memory in full.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use super::AudioError;
use super::decode::decode_file_with_max_duration;
use super::pcm::f32_to_i16;
use super::resample::resample;

/// Longest prompt accepted by [`load_prompt`].
pub const DEFAULT_MAX_PROMPT_DURATION: Duration = Duration::from_secs(10 * 60);

/// Loads a prompt at `sample_rate` (8000 for G.711 calls), limited to
/// [`DEFAULT_MAX_PROMPT_DURATION`].
pub fn load_prompt(path: &Path, sample_rate: u32) -> Result<Arc<[i16]>, AudioError> {
    load_prompt_with_max_duration(path, sample_rate, DEFAULT_MAX_PROMPT_DURATION)
}

/// Loads a prompt at `sample_rate`, rejecting files longer than `max_duration` with
/// [`AudioError::TooLong`] and files without audio with [`AudioError::NoAudio`].
pub fn load_prompt_with_max_duration(
    path: &Path,
    sample_rate: u32,
    max_duration: Duration,
) -> Result<Arc<[i16]>, AudioError> {
    let decoded = decode_file_with_max_duration(path, max_duration)?;
    // Decoding guarantees at least one sample, and resampling a non-empty buffer yields a
    // non-empty one, so the prompt is never empty.
    let samples = resample(&decoded.samples, decoded.sample_rate, sample_rate)?;
    tracing::debug!(
        path = %path.display(),
        source_rate = decoded.sample_rate,
        sample_rate,
        samples = samples.len(),
        "loaded prompt"
    );
    Ok(Arc::from(f32_to_i16(&samples)))
}

//! Sample-format conversions and simple signal measurements on 16-bit PCM.
//!
//! Owns the `f32` ↔ `i16` mapping used everywhere in the crate (full scale is ±32768, so the
//! round trip `i16 → f32 → i16` is exact) and the measurements tests use to compare what a caller
//! heard with the prompt that was played: RMS, an RMS energy envelope, and normalized
//! cross-correlation of two envelopes.
//!
//! Invariants: all functions are total — empty inputs give empty or zero results, never panics.

use std::time::Duration;

/// Full-scale magnitude of a 16-bit sample, as a float.
const I16_FULL_SCALE: f32 = 32768.0;

/// Converts float samples to 16-bit, clamping anything outside `-1.0..1.0` to full scale.
pub fn f32_to_i16(samples: &[f32]) -> Vec<i16> {
    samples
        .iter()
        .map(|&sample| {
            (sample * I16_FULL_SCALE)
                .round()
                .clamp(f32::from(i16::MIN), f32::from(i16::MAX)) as i16
        })
        .collect()
}

/// Converts 16-bit samples to floats in `-1.0..1.0`.
pub fn i16_to_f32(samples: &[i16]) -> Vec<f32> {
    samples
        .iter()
        .map(|&sample| f32::from(sample) / I16_FULL_SCALE)
        .collect()
}

/// Root-mean-square level of `samples` in 16-bit units; `0.0` for an empty slice.
pub fn rms(samples: &[i16]) -> f64 {
    if samples.is_empty() {
        return 0.0;
    }
    let sum_of_squares: f64 = samples
        .iter()
        .map(|&sample| f64::from(sample) * f64::from(sample))
        .sum();
    (sum_of_squares / samples.len() as f64).sqrt()
}

/// RMS level of consecutive, non-overlapping windows of `window` length.
///
/// A trailing partial window is included. A window shorter than one sample is treated as one
/// sample, so the result always has one entry per window of the input.
pub fn energy_envelope(samples: &[i16], sample_rate: u32, window: Duration) -> Vec<f64> {
    let window_samples = (window.as_secs_f64() * f64::from(sample_rate)).round() as usize;
    samples.chunks(window_samples.max(1)).map(rms).collect()
}

/// Finds the shift that best aligns `second` with `first`.
///
/// Tries every lag in `-max_lag..=max_lag` and returns `(best_lag, coefficient)`, where the
/// coefficient is the Pearson correlation of the overlapping parts (`1.0` for a perfect match).
/// A positive lag means `first[i + lag]` lines up with `second[i]`, i.e. `second`'s content
/// appears `lag` entries later in `first`.
///
/// Overlaps shorter than half of the shorter sequence (or than two entries) are ignored because
/// a tiny overlap correlates well by chance. Returns `(0, 0.0)` when no lag qualifies or the
/// overlapping parts are constant.
pub fn normalized_cross_correlation(first: &[f64], second: &[f64], max_lag: usize) -> (isize, f64) {
    let minimum_overlap = (first.len().min(second.len()) / 2).max(2);
    let max_lag = isize::try_from(max_lag).unwrap_or(isize::MAX);
    let first_len = isize::try_from(first.len()).unwrap_or(isize::MAX);
    let second_len = isize::try_from(second.len()).unwrap_or(isize::MAX);
    let lowest_lag = (-max_lag).max(-second_len);
    let highest_lag = max_lag.min(first_len);

    let mut best = (0, 0.0);
    for lag in lowest_lag..=highest_lag {
        // Overlap: first[lag + i] with second[i], for i where both indices are in range.
        let second_start = (-lag).max(0).unsigned_abs();
        let first_start = lag.max(0).unsigned_abs();
        let overlap = (first.len() - first_start.min(first.len()))
            .min(second.len() - second_start.min(second.len()));
        if overlap < minimum_overlap {
            continue;
        }
        let coefficient = pearson(
            &first[first_start..first_start + overlap],
            &second[second_start..second_start + overlap],
        );
        if coefficient > best.1 {
            best = (lag, coefficient);
        }
    }
    best
}

/// Pearson correlation of two equal-length slices; `0.0` if either is constant.
fn pearson(first: &[f64], second: &[f64]) -> f64 {
    let count = first.len() as f64;
    let first_mean = first.iter().sum::<f64>() / count;
    let second_mean = second.iter().sum::<f64>() / count;
    let mut covariance = 0.0;
    let mut first_variance = 0.0;
    let mut second_variance = 0.0;
    for (&a, &b) in first.iter().zip(second) {
        let a = a - first_mean;
        let b = b - second_mean;
        covariance += a * b;
        first_variance += a * a;
        second_variance += b * b;
    }
    let denominator = (first_variance * second_variance).sqrt();
    if denominator <= f64::EPSILON {
        return 0.0;
    }
    covariance / denominator
}

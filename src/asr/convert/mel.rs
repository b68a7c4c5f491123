//! The mel filterbank whisper.cpp expects in a ggml model file, computed exactly as
//! `librosa.filters.mel(sr=16000, n_fft=400, n_mels=80, htk=False, norm="slaney")` does (the
//! values openai-whisper ships in `mel_filters.npz`).
//!
//! Invariant: every step repeats librosa's floating-point operations in the same order and
//! precision (f64 maths, weights rounded to f32 before the Slaney normalisation, as librosa's
//! float32 weight array does), so the result matches librosa bit for bit.

/// Sample rate Whisper models are trained on.
pub const SAMPLE_RATE: u32 = 16_000;
/// FFT size of Whisper's short-time Fourier transform.
pub const FFT_SIZE: usize = 400;

/// A row-major `mel_count × (fft_size / 2 + 1)` filterbank.
#[derive(Debug, Clone, PartialEq)]
pub struct MelFilterbank {
    pub mel_count: usize,
    pub frequency_bins: usize,
    pub weights: Vec<f32>,
}

const MINIMUM_LOG_HERTZ: f64 = 1000.0;
const HERTZ_PER_MEL: f64 = 200.0 / 3.0;

fn log_step() -> f64 {
    6.4_f64.ln() / 27.0
}

/// Slaney-scale hertz → mel (librosa `hz_to_mel(htk=False)`).
pub fn hertz_to_mel(frequency: f64) -> f64 {
    let minimum_log_mel = MINIMUM_LOG_HERTZ / HERTZ_PER_MEL;
    if frequency >= MINIMUM_LOG_HERTZ {
        minimum_log_mel + (frequency / MINIMUM_LOG_HERTZ).ln() / log_step()
    } else {
        frequency / HERTZ_PER_MEL
    }
}

/// Slaney-scale mel → hertz (librosa `mel_to_hz(htk=False)`).
pub fn mel_to_hertz(mel: f64) -> f64 {
    let minimum_log_mel = MINIMUM_LOG_HERTZ / HERTZ_PER_MEL;
    if mel >= minimum_log_mel {
        MINIMUM_LOG_HERTZ * (log_step() * (mel - minimum_log_mel)).exp()
    } else {
        HERTZ_PER_MEL * mel
    }
}

/// `numpy.minimum` as computed on x86 (`minpd`): on a tie, including 0.0 against -0.0, the
/// second operand wins. This decides the sign of zero weights, e.g. band 0, bin 0 is -0.0.
fn numpy_minimum(first: f64, second: f64) -> f64 {
    if first < second { first } else { second }
}

/// `numpy.maximum` as computed on x86 (`maxpd`): on a tie the second operand wins.
fn numpy_maximum(first: f64, second: f64) -> f64 {
    if first > second { first } else { second }
}

/// `numpy.linspace(start, stop, count)` with its endpoint rule.
fn linspace(start: f64, stop: f64, count: usize) -> Vec<f64> {
    let step = (stop - start) / (count - 1) as f64;
    let mut values: Vec<f64> = (0..count)
        .map(|index| index as f64 * step + start)
        .collect();
    if let Some(last) = values.last_mut() {
        *last = stop;
    }
    values
}

/// Computes the Slaney filterbank for `mel_count` bands over `[0, sample_rate / 2]`.
pub fn slaney_filterbank(sample_rate: u32, fft_size: usize, mel_count: usize) -> MelFilterbank {
    let sample_rate = f64::from(sample_rate);
    let frequency_bins = fft_size / 2 + 1;
    let spacing = 1.0 / sample_rate;
    let bin_width = 1.0 / (fft_size as f64 * spacing);
    let fft_frequencies: Vec<f64> = (0..frequency_bins)
        .map(|bin| bin as f64 * bin_width)
        .collect();
    let mel_points = linspace(
        hertz_to_mel(0.0),
        hertz_to_mel(sample_rate / 2.0),
        mel_count + 2,
    );
    let band_edges: Vec<f64> = mel_points.into_iter().map(mel_to_hertz).collect();
    let mut weights = Vec::with_capacity(mel_count * frequency_bins);
    for band in 0..mel_count {
        let lower_width = band_edges[band + 1] - band_edges[band];
        let upper_width = band_edges[band + 2] - band_edges[band + 1];
        let normalisation = 2.0 / (band_edges[band + 2] - band_edges[band]);
        for &frequency in &fft_frequencies {
            let lower = -(band_edges[band] - frequency) / lower_width;
            let upper = (band_edges[band + 2] - frequency) / upper_width;
            let triangle = numpy_maximum(0.0, numpy_minimum(lower, upper)) as f32;
            weights.push((f64::from(triangle) * normalisation) as f32);
        }
    }
    MelFilterbank {
        mel_count,
        frequency_bins,
        weights,
    }
}

/// The 80-band filterbank for Whisper's 16 kHz, 400-point FFT front end.
pub fn whisper_filterbank(mel_count: usize) -> MelFilterbank {
    slaney_filterbank(SAMPLE_RATE, FFT_SIZE, mel_count)
}

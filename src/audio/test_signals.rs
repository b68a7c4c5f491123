//! Test-only helpers shared by the audio, media and recording tests: signal generators, a
//! zero-crossing frequency estimate, a Goertzel tone share, WAV fixture writers and self-cleaning scratch directories.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// A sine of `frequency` Hz lasting `seconds`, with peak `amplitude` (full scale is 1.0).
pub(crate) fn sine(frequency: f64, sample_rate: u32, seconds: f64, amplitude: f64) -> Vec<f32> {
    let count = (seconds * f64::from(sample_rate)).round() as usize;
    (0..count)
        .map(|index| {
            let time = index as f64 / f64::from(sample_rate);
            (amplitude * (2.0 * std::f64::consts::PI * frequency * time).sin()) as f32
        })
        .collect()
}

/// [`sine`] as 16-bit samples.
pub(crate) fn sine_i16(frequency: f64, sample_rate: u32, seconds: f64, amplitude: f64) -> Vec<i16> {
    super::f32_to_i16(&sine(frequency, sample_rate, seconds, amplitude))
}

/// The share of the power of `samples` (at `sample_rate`) that lies at `frequency` (Goertzel):
/// near 1.0 for a clean tone of that frequency.
pub(crate) fn share_at(samples: &[i16], frequency: f64, sample_rate: u32) -> f64 {
    let omega = 2.0 * std::f64::consts::PI * frequency / f64::from(sample_rate);
    let (mut previous, mut before) = (0.0f64, 0.0f64);
    for &sample in samples {
        let current = f64::from(sample) + 2.0 * omega.cos() * previous - before;
        before = previous;
        previous = current;
    }
    let power = previous * previous + before * before - 2.0 * omega.cos() * previous * before;
    let total: f64 = samples
        .iter()
        .map(|&sample| f64::from(sample).powi(2))
        .sum();
    power / (total * samples.len() as f64 / 2.0).max(1.0)
}

/// Estimates the frequency of a tone from its rising zero crossings, ignoring the first and
/// last tenth of the signal where resampler edge effects live.
pub(crate) fn estimated_frequency(samples: &[f32], sample_rate: u32) -> f64 {
    let margin = samples.len() / 10;
    let middle = &samples[margin..samples.len() - margin];
    let crossings: Vec<f64> = middle
        .windows(2)
        .enumerate()
        .filter(|(_, pair)| pair[0] < 0.0 && pair[1] >= 0.0)
        .map(|(index, pair)| index as f64 + f64::from(pair[0] / (pair[0] - pair[1])))
        .collect();
    let (Some(first), Some(last)) = (crossings.first(), crossings.last()) else {
        return 0.0;
    };
    let periods = (crossings.len() - 1) as f64;
    periods * f64::from(sample_rate) / (last - first)
}

/// Writes interleaved samples to a WAV file with the given layout.
pub(crate) fn write_wav<S: hound::Sample + Copy>(path: &Path, spec: hound::WavSpec, samples: &[S]) {
    let mut writer = hound::WavWriter::create(path, spec).expect("create test WAV");
    for &sample in samples {
        writer.write_sample(sample).expect("write test WAV sample");
    }
    writer.finalize().expect("finalize test WAV");
}

/// A 16-bit integer PCM WAV layout.
pub(crate) fn pcm16_spec(channels: u16, sample_rate: u32) -> hound::WavSpec {
    hound::WavSpec {
        channels,
        sample_rate,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    }
}

/// Path of a checked-in file under `audio-fixtures/`.
pub(crate) fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("audio-fixtures")
        .join(name)
}

/// A unique temporary directory, removed with its contents when dropped.
pub(crate) struct ScratchDir {
    path: PathBuf,
}

impl ScratchDir {
    /// Creates a fresh directory whose name includes `label`, the process id and a counter.
    pub(crate) fn new(label: &str) -> Self {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let unique = COUNTER.fetch_add(1, Ordering::Relaxed);
        let path = std::env::temp_dir().join(format!(
            "hotline-test-{label}-{}-{unique}",
            std::process::id()
        ));
        std::fs::create_dir_all(&path).expect("create scratch directory");
        Self { path }
    }

    /// A path for `name` inside the directory.
    pub(crate) fn join(&self, name: &str) -> PathBuf {
        self.path.join(name)
    }
}

impl Drop for ScratchDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

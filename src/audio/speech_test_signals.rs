//! Test-only helpers for the speech detectors: loading the `audio-fixtures/speech/` recordings,
//! finding their reference speech boundaries from the energy envelope, padding with silence,
//! mixing in noise at a chosen SNR and passing audio through a G.711 µ-law round trip, as a
//! telephone line would.

use std::time::Duration;

use super::test_signals::fixture;
use super::{energy_envelope, read_wav_i16, rms};

/// Sample rate of every speech fixture.
pub(crate) const FIXTURE_RATE: u32 = 8000;
/// Samples per 10 ms envelope window at the fixture rate.
const ENVELOPE_WINDOW_SAMPLES: usize = 80;
/// Speech is where the envelope is within this many dB of its loudest window...
const SPEECH_BELOW_PEAK_DB: f64 = 30.0;
/// ...and this many dB above the recording's own background (its 10th-percentile window).
const SPEECH_ABOVE_BACKGROUND_DB: f64 = 9.0;
/// ...and this many dB above any noise the test adds: the detector's noise gate needs 6 dB.
const SPEECH_ABOVE_ADDED_NOISE_DB: f64 = 6.0;

/// The synthesized and recorded utterances, by fixture name.
pub(crate) const UTTERANCES: [&str; 8] = [
    "where-is-my-order",
    "talk-to-a-person",
    "one-to-five",
    "yes",
    "human-ten-of-clubs",
    "human-five-five",
    "human-ill-disposed",
    "human-made-amiable",
];

/// Samples of `audio-fixtures/speech/{name}.wav`, checked to be 8 kHz mono.
pub(crate) fn load(name: &str) -> Vec<i16> {
    let (samples, channels, sample_rate) =
        read_wav_i16(&fixture(&format!("speech/{name}.wav"))).expect("read speech fixture");
    assert_eq!((channels, sample_rate), (1, FIXTURE_RATE), "{name} layout");
    samples
}

/// First and last sample (exclusive) of the speech in `samples`: the span of 10 ms windows whose
/// RMS is within [`SPEECH_BELOW_PEAK_DB`] of the loudest window and
/// [`SPEECH_ABOVE_BACKGROUND_DB`] above the background (the recorded fixtures carry room noise
/// and breaths from their first sample, so the peak alone would count those as speech) and
/// [`SPEECH_ABOVE_ADDED_NOISE_DB`] above `added_noise_rms`, the level of noise the test mixes in:
/// speech fainter than that cannot be told from the noise.
pub(crate) fn reference_boundaries(samples: &[i16], added_noise_rms: f64) -> (usize, usize) {
    let envelope = energy_envelope(samples, FIXTURE_RATE, Duration::from_millis(10));
    let peak = envelope.iter().copied().fold(0.0, f64::max);
    let mut sorted = envelope.clone();
    sorted.sort_by(f64::total_cmp);
    let background = sorted[sorted.len() / 10];
    let threshold = (peak * 10f64.powf(-SPEECH_BELOW_PEAK_DB / 20.0))
        .max(background * 10f64.powf(SPEECH_ABOVE_BACKGROUND_DB / 20.0))
        .max(added_noise_rms * 10f64.powf(SPEECH_ABOVE_ADDED_NOISE_DB / 20.0));
    let first = envelope.iter().position(|&level| level >= threshold);
    let last = envelope.iter().rposition(|&level| level >= threshold);
    let (Some(first), Some(last)) = (first, last) else {
        panic!("fixture has no speech");
    };
    (
        first * ENVELOPE_WINDOW_SAMPLES,
        ((last + 1) * ENVELOPE_WINDOW_SAMPLES).min(samples.len()),
    )
}

/// `samples` between `before` and `after` of digital silence.
pub(crate) fn padded(samples: &[i16], before: Duration, after: Duration) -> Vec<i16> {
    let silence = |duration: Duration| vec![0i16; (duration.as_secs_f64() * 8000.0) as usize];
    [silence(before), samples.to_vec(), silence(after)].concat()
}

/// The RMS noise level that is `snr_db` below the speech span of `speech`.
pub(crate) fn noise_level(speech: &[i16], snr_db: f64) -> f64 {
    let (start, end) = reference_boundaries(speech, 0.0);
    rms(&speech[start..end]) / 10f64.powf(snr_db / 20.0)
}

/// `signal` plus the pink-noise fixture (looped), scaled to an RMS of `level`.
pub(crate) fn with_noise(signal: &[i16], level: f64) -> Vec<i16> {
    let noise = load("noise-pink");
    let gain = level / rms(&noise);
    signal
        .iter()
        .zip(noise.iter().cycle())
        .map(|(&sample, &noise)| {
            (f64::from(sample) + f64::from(noise) * gain).clamp(-32768.0, 32767.0) as i16
        })
        .collect()
}

/// `samples` after G.711 µ-law encoding and decoding.
pub(crate) fn mu_law_round_trip(samples: &[i16]) -> Vec<i16> {
    samples
        .iter()
        .map(|&sample| mu_law_decode(mu_law_encode(sample)))
        .collect()
}

const MU_LAW_BIAS: i32 = 0x84;
const MU_LAW_CLIP: i32 = 32635;

fn mu_law_encode(sample: i16) -> u8 {
    let sign = if sample < 0 { 0x80 } else { 0 };
    let magnitude = i32::from(sample).abs().min(MU_LAW_CLIP) + MU_LAW_BIAS;
    // The magnitude is at least the bias (bit 7), so the exponent is 0..=7.
    let exponent = (i32::BITS - 1 - magnitude.leading_zeros()) as i32 - 7;
    let mantissa = (magnitude >> (exponent + 3)) & 0x0F;
    !(sign | (exponent << 4) as u8 | mantissa as u8)
}

fn mu_law_decode(byte: u8) -> i16 {
    let byte = !byte;
    let exponent = i32::from((byte >> 4) & 0x07);
    let mantissa = i32::from(byte & 0x0F);
    let magnitude = (((mantissa << 3) + MU_LAW_BIAS) << exponent) - MU_LAW_BIAS;
    (if byte & 0x80 != 0 {
        -magnitude
    } else {
        magnitude
    }) as i16
}

/// The frame boundary nearest to `sample`, as a frame index.
pub(crate) fn frame_of_sample(sample: usize, frame_samples: usize) -> i64 {
    ((sample + frame_samples / 2) / frame_samples) as i64
}

#[test]
fn mu_law_round_trip_keeps_small_and_large_samples_close() {
    for sample in [
        0i16,
        1,
        -1,
        100,
        -100,
        1000,
        -5000,
        20000,
        i16::MAX,
        i16::MIN,
    ] {
        let decoded = mu_law_round_trip(&[sample])[0];
        let error = (i32::from(decoded) - i32::from(sample)).abs();
        assert!(
            error <= i32::from(sample).abs() / 16 + 8,
            "{sample} decoded as {decoded}"
        );
    }
}

//! Tests for `pcm`, `resample`, `prompt` and `wav`: conversions, measurements,
//! cross-correlation, frequency- and time-preserving rate conversion, prompt loading limits.

use std::time::Duration;

use super::test_signals::{ScratchDir, estimated_frequency, pcm16_spec, sine, sine_i16, write_wav};
use super::{
    AudioError, Resampler, energy_envelope, f32_to_i16, i16_to_f32, load_prompt,
    load_prompt_with_max_duration, normalized_cross_correlation, read_wav_i16, resample, rms,
    write_wav_mono,
};

#[test]
fn pcm_conversion_round_trips_and_clamps() {
    let original = [i16::MIN, -1234, -1, 0, 1, 4321, i16::MAX];
    assert_eq!(f32_to_i16(&i16_to_f32(&original)), original);
    assert_eq!(
        f32_to_i16(&[2.0, -2.0, 1.0, -1.0, 0.5]),
        [i16::MAX, i16::MIN, i16::MAX, i16::MIN, 16384]
    );
}

#[test]
fn rms_of_a_sine_is_peak_over_root_two() {
    let tone = sine_i16(1000.0, 8000, 1.0, 0.5);
    let expected = 16384.0 / std::f64::consts::SQRT_2;
    assert!((rms(&tone) - expected).abs() < expected * 0.001);
    assert_eq!(rms(&[]), 0.0);
}

#[test]
fn energy_envelope_has_one_entry_per_window() {
    let mut signal = vec![0_i16; 800];
    signal.extend(sine_i16(440.0, 8000, 0.1, 0.5));
    signal.extend(vec![0_i16; 100]);

    let envelope = energy_envelope(&signal, 8000, Duration::from_millis(20));

    assert_eq!(envelope.len(), 11);
    assert!(envelope[..5].iter().all(|&level| level == 0.0));
    assert!(envelope[5..10].iter().all(|&level| level > 10_000.0));
    assert_eq!(envelope[10], 0.0);
}

#[test]
fn cross_correlation_finds_a_known_lag_in_either_direction() {
    // A non-periodic pseudo-random sequence, so only one lag matches.
    let pattern: Vec<f64> = (0..60_u64)
        .scan(12345_u64, |state, _| {
            *state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            Some((*state >> 40) as f64)
        })
        .collect();
    let mut delayed = vec![0.0; 7];
    delayed.extend(&pattern);

    let (lag, coefficient) = normalized_cross_correlation(&delayed, &pattern, 20);
    assert_eq!(lag, 7);
    assert!(coefficient > 0.999, "{coefficient}");

    let (lag, coefficient) = normalized_cross_correlation(&pattern, &delayed, 20);
    assert_eq!(lag, -7);
    assert!(coefficient > 0.999, "{coefficient}");
}

#[test]
fn cross_correlation_of_constant_or_empty_input_is_zero() {
    assert_eq!(
        normalized_cross_correlation(&[1.0; 10], &[1.0; 10], 3),
        (0, 0.0)
    );
    assert_eq!(normalized_cross_correlation(&[], &[1.0, 2.0], 3), (0, 0.0));
}

#[test]
fn resampling_at_the_same_rate_copies() {
    let tone = sine(440.0, 8000, 0.1, 0.5);
    assert_eq!(resample(&tone, 8000, 8000).expect("copy"), tone);
    assert!(resample(&[], 8000, 16000).expect("empty").is_empty());
}

#[test]
fn resampling_preserves_frequency_and_duration() {
    for (from_rate, to_rate, input_len, output_len) in [
        (8000, 16000, 8000, 16000),
        (22050, 8000, 22050, 8000),
        (44100, 8000, 11025, 2000),
        (16000, 8000, 1001, 501),
    ] {
        let seconds = input_len as f64 / f64::from(from_rate);
        let tone = sine(440.0, from_rate, seconds, 0.5);
        assert_eq!(tone.len(), input_len);

        let output = resample(&tone, from_rate, to_rate).expect("resample");

        assert_eq!(output.len(), output_len, "{from_rate} -> {to_rate}");
        let estimate = estimated_frequency(&output, to_rate);
        assert!(
            (estimate - 440.0).abs() < 2.0,
            "{from_rate} -> {to_rate}: {estimate} Hz"
        );
    }
}

/// Index of the first sample that reaches `threshold`.
fn onset(samples: &[f32], threshold: f32) -> Option<usize> {
    samples.iter().position(|&sample| sample >= threshold)
}

#[test]
fn resampling_keeps_audio_time_aligned() {
    for (from_rate, to_rate) in [(8000, 16000), (22050, 8000)] {
        // 250 ms of silence, then a step to half scale: the step's midpoint must stay at 250 ms.
        let mut signal = vec![0.0; from_rate as usize / 4];
        signal.extend(vec![0.5; from_rate as usize / 4]);

        let output = resample(&signal, from_rate, to_rate).expect("resample");

        let expected = to_rate as usize / 4;
        let found = onset(&output, 0.25).expect("step present");
        assert!(
            found.abs_diff(expected) <= 2,
            "{from_rate} -> {to_rate}: onset {found}, expected {expected}"
        );
    }
}

#[test]
fn streaming_resampler_accepts_any_piece_size() {
    for (from_rate, to_rate, chunk_frames) in [(8000, 16000, 160), (22050, 8000, 441)] {
        let tone = sine(440.0, from_rate, 1.0, 0.5);
        for piece in [chunk_frames, 97, 1000] {
            let mut resampler = Resampler::new(from_rate, to_rate, chunk_frames).expect("new");
            let mut output = Vec::new();
            for part in tone.chunks(piece) {
                output.extend(resampler.process(part).expect("process"));
            }
            output.extend(resampler.flush().expect("flush"));

            assert_eq!(
                output.len(),
                to_rate as usize,
                "{from_rate} -> {to_rate} by {piece}"
            );
            let estimate = estimated_frequency(&output, to_rate);
            assert!((estimate - 440.0).abs() < 2.0, "{estimate} Hz");
            let whole = resample(&tone, from_rate, to_rate).expect("whole");
            let largest_difference = output
                .iter()
                .zip(&whole)
                .fold(0.0_f32, |largest, (a, b)| largest.max((a - b).abs()));
            assert!(
                largest_difference < 0.02,
                "streamed differs by {largest_difference}"
            );
        }
    }
}

#[test]
fn streaming_resampler_can_be_reused_after_flush() {
    let mut resampler = Resampler::new(8000, 16000, 160).expect("new");
    for _ in 0..2 {
        let mut output = resampler
            .process(&sine(440.0, 8000, 0.1, 0.5))
            .expect("process");
        output.extend(resampler.flush().expect("flush"));
        assert_eq!(output.len(), 1600);
    }
}

#[test]
fn zero_sample_rate_is_a_setup_error() {
    let error = resample(&[0.0; 10], 0, 8000).expect_err("zero rate");
    assert!(
        matches!(error, AudioError::ResamplerSetup { from_rate: 0, .. }),
        "{error:?}"
    );
    assert!(Resampler::new(8000, 0, 160).is_err());
}

#[test]
fn prompt_is_loaded_at_the_call_rate() {
    let scratch = ScratchDir::new("prompt-load");
    let path = scratch.join("welcome.wav");
    let stereo: Vec<i16> = sine_i16(440.0, 16000, 1.0, 0.5)
        .into_iter()
        .flat_map(|sample| [sample, sample])
        .collect();
    write_wav(&path, pcm16_spec(2, 16000), &stereo);

    let prompt = load_prompt(&path, 8000).expect("load prompt");

    assert_eq!(prompt.len(), 8000);
    let level = rms(&prompt[800..7200]);
    assert!(
        (level - 16384.0 / std::f64::consts::SQRT_2).abs() < 200.0,
        "{level}"
    );
}

#[test]
fn over_long_or_silent_prompts_are_rejected() {
    let scratch = ScratchDir::new("prompt-limits");
    let long = scratch.join("long.wav");
    write_wav(&long, pcm16_spec(1, 8000), &sine_i16(440.0, 8000, 2.0, 0.5));
    let error =
        load_prompt_with_max_duration(&long, 8000, Duration::from_secs(1)).expect_err("too long");
    assert!(matches!(error, AudioError::TooLong { .. }), "{error:?}");

    let silent = scratch.join("header-only.wav");
    write_wav::<i16>(&silent, pcm16_spec(1, 8000), &[]);
    assert!(matches!(
        load_prompt(&silent, 8000),
        Err(AudioError::NoAudio { .. } | AudioError::Truncated { .. })
    ));

    let missing = scratch.join("missing.wav");
    assert!(matches!(
        load_prompt(&missing, 8000),
        Err(AudioError::Open { .. })
    ));
}

#[test]
fn wav_helpers_round_trip_mono_and_reject_float() {
    let scratch = ScratchDir::new("wav-helpers");
    let path = scratch.join("mono.wav");
    let samples = sine_i16(440.0, 8000, 0.2, 0.5);
    write_wav_mono(&path, 8000, &samples).expect("write");
    assert_eq!(read_wav_i16(&path).expect("read"), (samples, 1, 8000));

    let float = scratch.join("float.wav");
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: 8000,
        bits_per_sample: 32,
        sample_format: hound::SampleFormat::Float,
    };
    write_wav(&float, spec, &[0.25_f32; 10]);
    assert!(matches!(read_wav_i16(&float), Err(AudioError::Wav { .. })));
}

//! Tests for `decode`: sample rates, sample formats, channel downmix, checked-in fixtures of
//! other codecs, and clear errors for missing, empty, garbage, truncated and over-long files.

use std::time::Duration;

use super::test_signals::{
    ScratchDir, estimated_frequency, fixture, pcm16_spec, sine, sine_i16, write_wav,
};
use super::{AudioError, decode_file, decode_file_with_max_duration};

fn assert_tone(samples: &[f32], sample_rate: u32, frequency: f64) {
    let estimate = estimated_frequency(samples, sample_rate);
    assert!(
        (estimate - frequency).abs() < frequency * 0.01,
        "expected {frequency} Hz, estimated {estimate} Hz"
    );
}

fn peak(samples: &[f32]) -> f32 {
    samples
        .iter()
        .fold(0.0, |peak, sample| peak.max(sample.abs()))
}

#[test]
fn decodes_16_bit_mono_wav_at_common_rates() {
    let scratch = ScratchDir::new("decode-rates");
    for rate in [8000, 16000, 44100] {
        let path = scratch.join(&format!("tone-{rate}.wav"));
        write_wav(&path, pcm16_spec(1, rate), &sine_i16(440.0, rate, 0.5, 0.5));

        let decoded = decode_file(&path).expect("decode WAV");

        assert_eq!(decoded.sample_rate, rate);
        assert_eq!(decoded.samples.len(), rate as usize / 2);
        assert_eq!(decoded.duration(), Duration::from_millis(500));
        assert_tone(&decoded.samples, rate, 440.0);
        assert!((peak(&decoded.samples) - 0.5).abs() < 0.01);
    }
}

#[test]
fn downmixes_stereo_by_averaging_channels() {
    let scratch = ScratchDir::new("decode-stereo");
    let path = scratch.join("stereo.wav");
    let frames: Vec<i16> = (0..800).flat_map(|_| [8192_i16, 16384]).collect();
    write_wav(&path, pcm16_spec(2, 8000), &frames);

    let decoded = decode_file(&path).expect("decode stereo WAV");

    assert_eq!(decoded.samples.len(), 800);
    assert!(decoded.samples.iter().all(|&sample| sample == 0.375));
}

#[test]
fn decodes_8_24_32_bit_integer_and_float_wav() {
    let scratch = ScratchDir::new("decode-formats");
    let tone = sine(440.0, 16000, 0.5, 0.5);
    let spec = |bits_per_sample, sample_format| hound::WavSpec {
        channels: 1,
        sample_rate: 16000,
        bits_per_sample,
        sample_format,
    };
    let eight: Vec<i8> = tone.iter().map(|&s| (s * 127.0) as i8).collect();
    let twenty_four: Vec<i32> = tone.iter().map(|&s| (s * 8_388_607.0) as i32).collect();
    let thirty_two: Vec<i32> = tone
        .iter()
        .map(|&s| (f64::from(s) * 2_147_483_647.0) as i32)
        .collect();
    write_wav(
        &scratch.join("8.wav"),
        spec(8, hound::SampleFormat::Int),
        &eight,
    );
    write_wav(
        &scratch.join("24.wav"),
        spec(24, hound::SampleFormat::Int),
        &twenty_four,
    );
    write_wav(
        &scratch.join("32.wav"),
        spec(32, hound::SampleFormat::Int),
        &thirty_two,
    );
    write_wav(
        &scratch.join("float.wav"),
        spec(32, hound::SampleFormat::Float),
        &tone,
    );

    for name in ["8.wav", "24.wav", "32.wav", "float.wav"] {
        let decoded = decode_file(&scratch.join(name)).expect(name);
        assert_eq!(decoded.sample_rate, 16000, "{name}");
        assert_eq!(decoded.samples.len(), 8000, "{name}");
        assert_tone(&decoded.samples, 16000, 440.0);
        assert!((peak(&decoded.samples) - 0.5).abs() < 0.02, "{name}");
    }
}

#[test]
fn decodes_fixtures_of_other_codecs() {
    for (name, rate) in [
        ("tone-440hz-16k.flac", 16000),
        ("tone-440hz-16k-stereo.ogg", 16000),
        ("tone-440hz-8k-ulaw.wav", 8000),
        ("tone-440hz-8k-alaw.wav", 8000),
    ] {
        let decoded = decode_file(&fixture(name)).expect(name);
        assert_eq!(decoded.sample_rate, rate, "{name}");
        let expected_frames = rate as usize / 2;
        assert!(
            decoded.samples.len().abs_diff(expected_frames) < 64,
            "{name}: {} frames",
            decoded.samples.len()
        );
        assert_tone(&decoded.samples, rate, 440.0);
        assert!((peak(&decoded.samples) - 0.5).abs() < 0.03, "{name}");
    }
}

#[test]
fn missing_file_is_an_open_error_with_its_path() {
    let scratch = ScratchDir::new("decode-missing");
    let path = scratch.join("absent.wav");
    let error = decode_file(&path).expect_err("missing file");
    assert!(matches!(&error, AudioError::Open { path: reported, .. } if *reported == path));
    assert!(error.to_string().contains("absent.wav"));
}

#[test]
fn empty_file_is_rejected() {
    let scratch = ScratchDir::new("decode-empty");
    let path = scratch.join("empty.wav");
    std::fs::write(&path, b"").expect("write empty file");
    let error = decode_file(&path).expect_err("empty file");
    assert!(matches!(error, AudioError::EmptyFile { .. }), "{error:?}");
}

#[test]
fn garbage_bytes_are_an_unsupported_format() {
    let scratch = ScratchDir::new("decode-garbage");
    for name in ["garbage.wav", "garbage.mp3", "garbage.bin"] {
        let path = scratch.join(name);
        let garbage: Vec<u8> = (0..4096_u32)
            .map(|index| (index * 7919 % 251) as u8)
            .collect();
        std::fs::write(&path, garbage).expect("write garbage");
        let error = decode_file(&path).expect_err(name);
        assert!(
            matches!(
                error,
                AudioError::UnsupportedFormat { .. }
                    | AudioError::Malformed { .. }
                    | AudioError::NoAudio { .. }
            ),
            "{name}: {error:?}"
        );
    }
}

#[test]
fn truncated_wav_is_rejected() {
    let scratch = ScratchDir::new("decode-truncated");
    let path = scratch.join("truncated.wav");
    write_wav(&path, pcm16_spec(1, 8000), &sine_i16(440.0, 8000, 1.0, 0.5));
    let bytes = std::fs::read(&path).expect("read WAV");
    std::fs::write(&path, &bytes[..bytes.len() / 2 + 1]).expect("truncate WAV");

    let error = decode_file(&path).expect_err("truncated file");
    assert!(matches!(error, AudioError::Truncated { .. }), "{error:?}");
}

#[test]
fn header_only_wav_is_truncated_or_without_audio() {
    let scratch = ScratchDir::new("decode-header-only");
    let path = scratch.join("header.wav");
    write_wav::<i16>(&path, pcm16_spec(1, 8000), &[]);
    let error = decode_file(&path).expect_err("no audio");
    assert!(
        matches!(
            error,
            AudioError::NoAudio { .. } | AudioError::Truncated { .. }
        ),
        "{error:?}"
    );
}

#[test]
fn over_long_audio_is_rejected_while_decoding() {
    let scratch = ScratchDir::new("decode-too-long");
    let path = scratch.join("long.wav");
    write_wav(&path, pcm16_spec(1, 8000), &sine_i16(440.0, 8000, 3.0, 0.5));

    let error = decode_file_with_max_duration(&path, Duration::from_secs(2)).expect_err("too long");
    assert!(matches!(error, AudioError::TooLong { .. }), "{error:?}");
    let decoded =
        decode_file_with_max_duration(&path, Duration::from_secs(3)).expect("within limit");
    assert_eq!(decoded.samples.len(), 24000);
}

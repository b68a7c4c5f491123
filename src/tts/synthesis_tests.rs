//! Tests with the real Piper voice (skipped, with a message, only when the model files are
//! absent) and of the clear errors for missing files.

use std::path::Path;

use super::{PiperSynthesizer, ServiceOptions, SpeechService, Synthesizer, TtsError, VoiceFiles};
use crate::audio::rms;
use crate::config::{DEFAULT_VOICE, VoiceConfig};
use crate::models::{ModelsError, REGISTRY_FILE};

const MODELS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/voice-models");

/// One sentence of about four seconds of speech.
const FOUR_SECOND_SENTENCE: &str =
    "Thank you for calling Hotline, your order has shipped and should arrive on Monday morning.";

fn load_real_voice(settings: &VoiceConfig) -> Option<PiperSynthesizer> {
    let files = match VoiceFiles::in_directory(Path::new(MODELS), &settings.name) {
        Ok(files) => files,
        Err(error) => {
            eprintln!("SKIPPED: real synthesis test needs the voice models: {error}");
            return None;
        }
    };
    Some(PiperSynthesizer::load(&files, settings).expect("the provisioned voice loads"))
}

fn seconds(samples: usize, rate: u32) -> f64 {
    samples as f64 / f64::from(rate)
}

#[test]
fn real_voice_speaks_and_streams_sentence_by_sentence() {
    let Some(mut synthesizer) = load_real_voice(&VoiceConfig::default()) else {
        return;
    };
    assert_eq!(synthesizer.native_rate(), 22_050);

    let short = synthesizer.synthesize("Hello.", 8000).expect("synthesized");
    let long = synthesizer
        .synthesize(FOUR_SECOND_SENTENCE, 8000)
        .expect("synthesized");
    let native = synthesizer
        .synthesize(FOUR_SECOND_SENTENCE, 22_050)
        .expect("synthesized");

    let long_seconds = seconds(long.len(), 8000);
    let native_seconds = seconds(native.len(), 22_050);
    assert!((2.5..7.0).contains(&long_seconds), "{long_seconds} s");
    assert!(
        (long_seconds - native_seconds).abs() < 0.5,
        "both rates carry the same speech: {long_seconds} vs {native_seconds}"
    );
    let short_seconds = seconds(short.len(), 8000);
    let ratio = long_seconds / short_seconds;
    assert!(
        (3.0..20.0).contains(&ratio),
        "duration grows with text: {short_seconds} s vs {long_seconds} s"
    );
    assert!(rms(&long) > 1000.0, "speech has energy: rms {}", rms(&long));

    // Sentence by sentence: each arrives as its own chunk, so a call can play the first while
    // the rest is made. How soon the first arrives is a benchmark figure (bench/synthesis.sh).
    let service =
        SpeechService::start(synthesizer, ServiceOptions::default()).expect("thread starts");
    let text = format!("{FOUR_SECOND_SENTENCE} Press one for orders. Press two for returns.");
    let mut stream = service.speak_blocking(&text, 8000).expect("queued");
    let mut chunks = Vec::new();
    while let Some(chunk) = stream.blocking_next() {
        let chunk = chunk.expect("synthesized");
        assert_eq!(chunk.sample_rate, 8000);
        chunks.push(seconds(chunk.samples.len(), 8000));
    }
    assert_eq!(chunks.len(), 3, "one chunk per sentence: {chunks:?}");
    assert!(
        chunks[0] > chunks[1] && chunks[0] > chunks[2],
        "the long sentence comes first: {chunks:?}"
    );
}

#[test]
fn speaking_rate_sets_the_pace() {
    let Some(mut normal) = load_real_voice(&VoiceConfig::default()) else {
        return;
    };
    let faster = VoiceConfig {
        speaking_rate: 1.5,
        ..VoiceConfig::default()
    };
    let Some(mut fast) = load_real_voice(&faster) else {
        return;
    };
    let normal_samples = normal
        .synthesize(FOUR_SECOND_SENTENCE, 8000)
        .expect("synthesized")
        .len();
    let fast_samples = fast
        .synthesize(FOUR_SECOND_SENTENCE, 8000)
        .expect("synthesized")
        .len();
    // Piper varies phoneme durations at random (noise_w), so the ratio scatters around 1.5.
    let ratio = normal_samples as f64 / fast_samples as f64;
    assert!(
        (1.15..1.9).contains(&ratio),
        "1.5 times the rate takes about two thirds of the time: {normal_samples} vs {fast_samples}"
    );
}

/// A models directory holding the shipped registry and nothing else.
fn registry_only() -> tempfile::TempDir {
    let directory = tempfile::tempdir().expect("temporary directory");
    std::fs::copy(
        Path::new(MODELS).join(REGISTRY_FILE),
        directory.path().join(REGISTRY_FILE),
    )
    .expect("the shipped registry is readable");
    directory
}

#[test]
fn a_missing_voice_is_a_clear_error() {
    let directory = registry_only();
    let error = VoiceFiles::in_directory(directory.path(), DEFAULT_VOICE)
        .expect_err("no voice in an empty directory");
    let message = error.to_string();
    assert!(
        matches!(error, TtsError::Models(ModelsError::NotProvisioned { .. })),
        "{message}"
    );
    assert!(message.contains("piper/en_US-joe-medium.onnx"), "{message}");
    assert!(message.contains("make models"), "{message}");
}

#[test]
fn a_missing_runtime_library_is_a_clear_error() {
    let directory = registry_only();
    let piper = directory.path().join("piper");
    std::fs::create_dir_all(&piper).expect("temp dir is writable");
    std::fs::write(piper.join(format!("{DEFAULT_VOICE}.onnx")), b"").expect("writable");
    std::fs::write(piper.join(format!("{DEFAULT_VOICE}.onnx.json")), b"{}").expect("writable");
    let error =
        VoiceFiles::in_directory(directory.path(), DEFAULT_VOICE).expect_err("no runtime library");
    let message = error.to_string();
    assert!(
        message.contains("onnxruntime/libonnxruntime.so.1.24.2"),
        "{message}"
    );
    assert!(message.contains("make models"), "{message}");
}

#[test]
fn an_unregistered_voice_lists_the_registered_ones() {
    let directory = registry_only();
    let message = VoiceFiles::in_directory(directory.path(), "de_DE-nobody-low")
        .expect_err("not registered")
        .to_string();
    assert!(message.contains("\"de_DE-nobody-low\""), "{message}");
    assert!(
        message.contains("registered tts models: en_US-joe-medium"),
        "{message}"
    );
}

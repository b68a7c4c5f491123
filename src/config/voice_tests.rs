//! Parsing and range checks of `[speech] recognition_model`, `[speech] language` and
//! `[speech.voice]`, each error on the line of the bad value.

use super::{Config, DEFAULT_RECOGNITION_MODEL, DEFAULT_VOICE, VoiceConfig};
use crate::asr::RecognitionLanguage;
use std::path::Path;
use std::time::Duration;

/// A valid config with `speech` on line 12 and `voice` on line 14.
fn config_with(speech: &str, voice: &str) -> String {
    format!(
        "{}[speech]\n{speech}\n[speech.voice]\n{voice}\n",
        super::minimal_config!()
    )
}

fn parse(speech: &str, voice: &str) -> Result<Config, String> {
    Config::parse(Path::new("hotline.toml"), &config_with(speech, voice))
        .map_err(|error| error.to_string())
}

#[test]
fn defaults_name_the_shipped_models() {
    let config = parse("", "").expect("valid");
    assert_eq!(config.speech.recognition_model, DEFAULT_RECOGNITION_MODEL);
    assert_eq!(config.speech.language, RecognitionLanguage::English);
    assert_eq!(config.speech.voice, VoiceConfig::default());
    assert_eq!(config.speech.voice.name, DEFAULT_VOICE);
    assert_eq!(config.speech.voice.phrase_cache_bytes(), 16 * 1024 * 1024);
}

#[test]
fn every_key_is_read() {
    let config = parse(
        "recognition_model = \"whisper-base.en\"\nlanguage = \"auto\"",
        "name = \"en_GB-alba-medium\"\nspeaker = \"p225\"\nspeaking_rate = 1.25\n\
         sentence_silence = \"300ms\"\nthreads = 2\nqueue_capacity = 8\nphrase_cache_megabytes = 0",
    )
    .expect("valid");
    assert_eq!(config.speech.recognition_model, "whisper-base.en");
    assert_eq!(config.speech.language, RecognitionLanguage::Auto);
    assert_eq!(
        config.speech.recognition_pool().language,
        RecognitionLanguage::Auto
    );
    let voice = config.speech.voice;
    assert_eq!(voice.name, "en_GB-alba-medium");
    assert_eq!(voice.speaker.as_deref(), Some("p225"));
    assert_eq!(voice.speaking_rate, 1.25);
    assert_eq!(voice.sentence_silence, Duration::from_millis(300));
    assert_eq!(voice.threads, Some(2));
    assert_eq!(voice.queue_capacity, 8);
    assert_eq!(voice.phrase_cache_bytes(), 0);
    let whole_number = parse("", "speaking_rate = 2").expect("an integer rate is fine");
    assert_eq!(whole_number.speech.voice.speaking_rate, 2.0);
}

#[test]
fn bad_values_are_reported_on_their_line() {
    let cases = [
        ("speaking_rate = 0.2", "speaking_rate 0.2 is out of range"),
        ("speaking_rate = 2.5", "use 0.5 to 2.0"),
        ("speaking_rate = nan", "speaking_rate NaN is out of range"),
        ("speaking_rate = \"fast\"", "invalid type"),
        (
            "sentence_silence = \"3s\"",
            "sentence_silence 3s is out of range",
        ),
        ("sentence_silence = \"soon\"", "invalid duration \"soon\""),
        ("threads = 0", "threads 0 is out of range"),
        ("threads = -1", "invalid value"),
        ("queue_capacity = 0", "queue_capacity 0 is out of range"),
        (
            "phrase_cache_megabytes = 5000",
            "phrase_cache_megabytes 5000",
        ),
        ("name = \"\"", "\"\" is not a model name"),
        ("name = \" en_US-joe-medium\"", "is not a model name"),
        ("pitch = 3", "unknown field `pitch`"),
    ];
    for (line, expected) in cases {
        let error = parse("", line).expect_err(line);
        assert!(error.starts_with("hotline.toml:14:"), "{line}: {error}");
        assert!(error.contains(expected), "{line}: {error}");
    }
    let error = parse("recognition_model = \"\"", "").expect_err("empty name");
    assert!(error.starts_with("hotline.toml:12:"), "{error}");
    assert!(error.contains("not a model name"), "{error}");
    let error = parse("language = \"fr\"", "").expect_err("not served");
    assert!(error.starts_with("hotline.toml:12:"), "{error}");
    assert!(error.contains("`en`, `zh`"), "{error}");
}

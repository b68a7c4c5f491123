//! Tests of the synthesis service with a fake synthesizer: streaming order, cache, rates,
//! errors, cancellation.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::{ServiceOptions, SpeechService, Synthesizer, TtsError};

/// Produces 10 ms of a tone per character at 16 kHz and counts its calls.
struct FakeSynthesizer {
    calls: Arc<AtomicUsize>,
}

impl Synthesizer for FakeSynthesizer {
    fn voice(&self) -> &str {
        "fake"
    }

    fn native_rate(&self) -> u32 {
        16_000
    }

    fn synthesize_native(&mut self, sentence: &str) -> Result<Vec<f32>, TtsError> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        if sentence.contains("fail") {
            return Err(TtsError::Inference {
                reason: "asked to fail".to_owned(),
            });
        }
        let length = sentence.chars().count() * 160;
        Ok((0..length)
            .map(|index| (index as f32 * 0.05).sin() * 0.5)
            .collect())
    }
}

fn start(options: ServiceOptions) -> (SpeechService, Arc<AtomicUsize>) {
    let calls = Arc::new(AtomicUsize::new(0));
    let synthesizer = FakeSynthesizer {
        calls: Arc::clone(&calls),
    };
    let service = SpeechService::start(synthesizer, options).expect("thread starts");
    (service, calls)
}

#[tokio::test]
async fn streams_normalized_sentences_in_order_at_the_requested_rate() {
    let (service, _calls) = start(ServiceOptions::default());
    let mut stream = service
        .speak("Your order 123 is ready. It costs $5.", 8000)
        .await
        .expect("queued");
    let mut texts = Vec::new();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.expect("synthesized");
        assert_eq!(chunk.sample_rate, 8000);
        let expected = chunk.text.chars().count() * 80;
        assert!(
            chunk.samples.len().abs_diff(expected) <= 2,
            "{} vs {expected}",
            chunk.samples.len()
        );
        texts.push(chunk.text);
    }
    assert_eq!(
        texts,
        [
            "Your order one two three is ready.",
            "It costs five dollars."
        ]
    );
}

#[tokio::test]
async fn repeated_phrases_come_from_the_cache() {
    let (service, calls) = start(ServiceOptions::default());
    for _ in 0..3 {
        let mut stream = service
            .speak("Welcome to Hotline. Goodbye.", 8000)
            .await
            .expect("queued");
        while let Some(chunk) = stream.next().await {
            chunk.expect("synthesized");
        }
    }
    assert_eq!(
        calls.load(Ordering::SeqCst),
        2,
        "two sentences, synthesized once each"
    );
    let mut other_rate = service.speak("Goodbye.", 16_000).await.expect("queued");
    while let Some(chunk) = other_rate.next().await {
        chunk.expect("synthesized");
    }
    assert_eq!(
        calls.load(Ordering::SeqCst),
        3,
        "another rate is another phrase"
    );
}

#[tokio::test]
async fn an_error_ends_the_stream() {
    let (service, _calls) = start(ServiceOptions::default());
    let mut stream = service
        .speak("One. Please fail. Three.", 8000)
        .await
        .expect("queued");
    assert!(stream.next().await.expect("first").is_ok());
    assert!(matches!(
        stream.next().await,
        Some(Err(TtsError::Inference { .. }))
    ));
    assert!(stream.next().await.is_none());
}

#[tokio::test]
async fn a_dropped_stream_stops_its_request() {
    let options = ServiceOptions {
        chunks_ahead: 1,
        cache_capacity_bytes: 0,
        ..ServiceOptions::default()
    };
    let (service, calls) = start(options);
    let text = "One. Two. Three. Four. Five. Six. Seven. Eight.";
    let mut stream = service.speak(text, 8000).await.expect("queued");
    assert!(stream.next().await.expect("first").is_ok());
    drop(stream);
    let mut after = service.speak("Done.", 8000).await.expect("queued");
    assert!(after.next().await.expect("served").is_ok());
    assert!(
        calls.load(Ordering::SeqCst) < 8,
        "the abandoned request did not run to the end"
    );
}

#[test]
fn blocking_callers_get_the_same_stream() {
    let (service, _calls) = start(ServiceOptions::default());
    let mut stream = service
        .speak_blocking("Hello there.", 16_000)
        .expect("queued");
    let chunk = stream
        .blocking_next()
        .expect("one sentence")
        .expect("synthesized");
    assert_eq!(chunk.samples.len(), "Hello there.".len() * 160);
    assert!(stream.blocking_next().is_none());
    assert_eq!(service.native_rate(), 16_000);
    assert_eq!(service.voice(), "fake");
}

#[tokio::test]
async fn sentences_after_the_first_start_with_the_configured_silence() {
    let options = ServiceOptions {
        sentence_silence: std::time::Duration::from_millis(250),
        ..ServiceOptions::default()
    };
    let (service, _calls) = start(options);
    let mut stream = service
        .speak("Hello there. Goodbye.", 8000)
        .await
        .expect("queued");
    let first = stream.next().await.expect("first").expect("synthesized");
    let first_speech = "Hello there.".len() * 80;
    assert!(
        first.samples.len().abs_diff(first_speech) <= 2,
        "the first sentence has no silence in front: {} samples",
        first.samples.len()
    );
    let second = stream.next().await.expect("second").expect("synthesized");
    let second_speech = "Goodbye.".len() * 80;
    assert!(
        second.samples.len().abs_diff(2000 + second_speech) <= 2,
        "250 ms at 8 kHz in front: {} samples",
        second.samples.len()
    );
    assert!(second.samples[..2000].iter().all(|sample| *sample == 0));
    assert!(stream.next().await.is_none());
}

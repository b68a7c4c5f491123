//! [`SpeechService`]: the synthesis thread and its async-friendly handle.
//!
//! One dedicated OS thread owns the [`Synthesizer`] and the phrase cache. Requests arrive on a
//! bounded queue; each request's audio goes back sentence by sentence on its own bounded
//! channel, so the caller can start playing the first sentence while later ones are still being
//! synthesized. Sentences after the first of an answer start with the configured silence.
//!
//! Invariants: no synthesis runs on the caller's thread or on an async worker; a full request
//! queue makes [`SpeechService::speak`] wait (back-pressure) without blocking the runtime; when
//! a caller drops its [`SpeechStream`] (barge-in, hang-up) the thread stops that request after
//! the sentence in progress; the thread exits when every handle is dropped.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::mpsc;

use super::cache::{PhraseCache, PhraseKey};
use super::{Synthesizer, TtsError};
use crate::config::VoiceConfig;

/// Sizes of the service's queues and cache, and the pause between sentences.
#[derive(Debug, Clone, Copy)]
pub struct ServiceOptions {
    /// Requests that may wait for the synthesis thread.
    pub queue_capacity: usize,
    /// Synthesized sentences buffered per request ahead of the listener.
    pub chunks_ahead: usize,
    /// Bytes of audio the phrase cache may hold (0 disables it).
    pub cache_capacity_bytes: usize,
    /// Silence before every sentence of a request but the first.
    pub sentence_silence: Duration,
}

impl Default for ServiceOptions {
    fn default() -> Self {
        Self::from(&VoiceConfig::default())
    }
}

impl From<&VoiceConfig> for ServiceOptions {
    fn from(settings: &VoiceConfig) -> Self {
        Self {
            queue_capacity: settings.queue_capacity,
            chunks_ahead: 4,
            // 16 MB by default: about 16 minutes of 8 kHz speech.
            cache_capacity_bytes: settings.phrase_cache_bytes(),
            sentence_silence: settings.sentence_silence,
        }
    }
}

/// One synthesized sentence.
#[derive(Debug, Clone)]
pub struct SpeechChunk {
    /// Mono 16-bit samples.
    pub samples: Arc<[i16]>,
    /// Their sample rate.
    pub sample_rate: u32,
    /// The normalized sentence they say.
    pub text: String,
}

/// The sentences of one request, in order; ends after the last one or the first error.
pub struct SpeechStream {
    chunks: mpsc::Receiver<Result<SpeechChunk, TtsError>>,
}

impl SpeechStream {
    /// The next sentence, or `None` when the request is complete.
    pub async fn next(&mut self) -> Option<Result<SpeechChunk, TtsError>> {
        self.chunks.recv().await
    }

    /// Like [`SpeechStream::next`], for threads outside an async runtime.
    pub fn blocking_next(&mut self) -> Option<Result<SpeechChunk, TtsError>> {
        self.chunks.blocking_recv()
    }
}

struct Request {
    text: String,
    rate: u32,
    chunks: mpsc::Sender<Result<SpeechChunk, TtsError>>,
}

/// A handle to the synthesis thread; cheap to clone.
#[derive(Clone)]
pub struct SpeechService {
    requests: mpsc::Sender<Request>,
    voice: String,
    native_rate: u32,
    chunks_ahead: usize,
}

impl SpeechService {
    /// Starts the synthesis thread, which owns `synthesizer` from now on.
    pub fn start<S: Synthesizer + 'static>(
        synthesizer: S,
        options: ServiceOptions,
    ) -> Result<Self, TtsError> {
        let (requests, receiver) = mpsc::channel(options.queue_capacity.max(1));
        let voice = synthesizer.voice().to_owned();
        let native_rate = synthesizer.native_rate();
        let cache = PhraseCache::new(options.cache_capacity_bytes);
        std::thread::Builder::new()
            .name("speech-synthesis".to_owned())
            .spawn(move || serve(synthesizer, cache, options.sentence_silence, receiver))
            .map_err(TtsError::ThreadStart)?;
        Ok(Self {
            requests,
            voice,
            native_rate,
            chunks_ahead: options.chunks_ahead.max(1),
        })
    }

    /// The voice's name.
    pub fn voice(&self) -> &str {
        &self.voice
    }

    /// The rate the voice produces natively.
    pub fn native_rate(&self) -> u32 {
        self.native_rate
    }

    /// Queues `text` for synthesis at `rate`, waiting while the queue is full.
    pub async fn speak(&self, text: &str, rate: u32) -> Result<SpeechStream, TtsError> {
        let (request, stream) = self.request(text, rate);
        self.requests
            .send(request)
            .await
            .map_err(|_| TtsError::ServiceStopped)?;
        Ok(stream)
    }

    /// Like [`SpeechService::speak`], for threads outside an async runtime (it blocks while
    /// the queue is full, so it must not be called from async code).
    pub fn speak_blocking(&self, text: &str, rate: u32) -> Result<SpeechStream, TtsError> {
        let (request, stream) = self.request(text, rate);
        self.requests
            .blocking_send(request)
            .map_err(|_| TtsError::ServiceStopped)?;
        Ok(stream)
    }

    fn request(&self, text: &str, rate: u32) -> (Request, SpeechStream) {
        let (chunks, receiver) = mpsc::channel(self.chunks_ahead);
        let request = Request {
            text: text.to_owned(),
            rate,
            chunks,
        };
        (request, SpeechStream { chunks: receiver })
    }
}

/// The synthesis thread's loop: one request at a time, one sentence at a time.
fn serve<S: Synthesizer>(
    mut synthesizer: S,
    mut cache: PhraseCache,
    sentence_silence: Duration,
    mut requests: mpsc::Receiver<Request>,
) {
    while let Some(request) = requests.blocking_recv() {
        for (index, sentence) in synthesizer.sentences(&request.text).into_iter().enumerate() {
            if request.chunks.is_closed() {
                break;
            }
            let silence = if index == 0 {
                Duration::ZERO
            } else {
                sentence_silence
            };
            let result = speak_sentence(&mut synthesizer, &mut cache, sentence, request.rate)
                .map(|chunk| with_leading_silence(chunk, silence));
            let failed = result.is_err();
            if request.chunks.blocking_send(result).is_err() || failed {
                break;
            }
        }
    }
}

fn speak_sentence<S: Synthesizer>(
    synthesizer: &mut S,
    cache: &mut PhraseCache,
    sentence: String,
    rate: u32,
) -> Result<SpeechChunk, TtsError> {
    let key = PhraseKey {
        voice: synthesizer.voice().to_owned(),
        rate,
        text: sentence,
    };
    let samples = match cache.get(&key) {
        Some(samples) => samples,
        None => {
            let samples: Arc<[i16]> = synthesizer.synthesize(&key.text, rate)?.into();
            cache.insert(key.clone(), Arc::clone(&samples));
            samples
        }
    };
    Ok(SpeechChunk {
        samples,
        sample_rate: rate,
        text: key.text,
    })
}

/// `chunk` with `silence` of zero samples in front (the chunk itself when there is none).
fn with_leading_silence(chunk: SpeechChunk, silence: Duration) -> SpeechChunk {
    let silent_samples = (silence.as_secs_f64() * f64::from(chunk.sample_rate)).round() as usize;
    if silent_samples == 0 {
        return chunk;
    }
    let mut samples = vec![0; silent_samples];
    samples.extend_from_slice(&chunk.samples);
    SpeechChunk {
        samples: samples.into(),
        ..chunk
    }
}

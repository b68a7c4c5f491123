//! Speech recognition: whisper.cpp (through whisper-rs) on dedicated worker threads, and the
//! converter that prepares its model file.
//!
//! A [`TranscriberPool`] owns one model and a few worker threads, each with its own decoding
//! state; requests wait in a bounded queue. [`TranscriberPool::try_submit`] never blocks: when
//! the queue is full the caller gets [`AsrError::Busy`] at once, so a burst of speech can never
//! stall RTP timing. Audio goes in as 16 kHz mono `f32`; a [`Transcript`] comes back with the
//! text, the language it was decoded in, a confidence from the token probabilities, and timings.
//! The pool listens for one [`RecognitionLanguage`] unless a request names another: English,
//! Mandarin (transcribed in Simplified characters), or either, identified per utterance. [`convert`] turns the CTranslate2 Whisper
//! models shipped on PyPI into the ggml files whisper.cpp loads.

pub mod convert;
mod error;
mod language;
mod pool;
mod wer;
mod whisper;

pub use error::AsrError;
pub use language::RecognitionLanguage;
pub use pool::{PoolConfig, TranscriberPool};
pub use wer::{character_errors, word_error_rate, word_errors};
pub use whisper::{
    ASR_SAMPLE_RATE, DEFAULT_ENCODER_WINDOW, MAXIMUM_ENCODER_WINDOW, MINIMUM_ENCODER_WINDOW,
    Transcript, TranscriptionRequest, WhisperModel,
};

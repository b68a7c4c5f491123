//! Worker threads that run whisper off the async runtime, behind a bounded queue.
//!
//! Invariants: at most `queue_capacity` requests wait; submitting never blocks; each worker owns
//! its decoding state; dropping the pool lets the workers finish the request in hand and exit.

use super::AsrError;
use super::language::RecognitionLanguage;
use super::whisper::{
    self, DEFAULT_ENCODER_WINDOW, DecodeSettings, Transcript, TranscriptionRequest, WhisperModel,
};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, SyncSender, TrySendError};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::oneshot;

/// Sizing of the pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolConfig {
    /// Worker threads, each decoding one utterance at a time.
    pub workers: usize,
    /// CPU threads whisper uses inside one decode.
    pub threads_per_worker: usize,
    /// Requests allowed to wait.
    pub queue_capacity: usize,
    /// The audio whisper's encoder looks at in one go (see [`DecodeSettings`]).
    pub encoder_window: Duration,
    /// The language listened for; an English-only model refuses to start for any other.
    pub language: RecognitionLanguage,
}

impl Default for PoolConfig {
    fn default() -> Self {
        PoolConfig {
            workers: 1,
            threads_per_worker: 2,
            queue_capacity: 16,
            encoder_window: DEFAULT_ENCODER_WINDOW,
            language: RecognitionLanguage::English,
        }
    }
}

type Reply = oneshot::Sender<Result<Transcript, AsrError>>;

/// A running set of whisper workers.
pub struct TranscriberPool {
    sender: SyncSender<(TranscriptionRequest, Reply)>,
    capacity: usize,
    multilingual: bool,
    model_path: PathBuf,
}

impl TranscriberPool {
    /// Loads the model and starts the workers.
    pub fn start(model_path: &Path, config: PoolConfig) -> Result<TranscriberPool, AsrError> {
        let model = Arc::new(WhisperModel::load(model_path, config.language)?);
        let multilingual = model.is_multilingual();
        let (sender, receiver) =
            mpsc::sync_channel::<(TranscriptionRequest, Reply)>(config.queue_capacity);
        let receiver = Arc::new(Mutex::new(receiver));
        for index in 0..config.workers.max(1) {
            let mut state = model.new_state()?;
            let receiver = receiver.clone();
            let model = model.clone();
            let settings = DecodeSettings {
                threads: config.threads_per_worker,
                encoder_window: config.encoder_window,
                language: config.language,
            };
            std::thread::Builder::new()
                .name(format!("asr-{index}"))
                .spawn(move || {
                    // The model must outlive every state made from it.
                    let _model = model;
                    loop {
                        let next = receiver
                            .lock()
                            .unwrap_or_else(|poisoned| poisoned.into_inner())
                            .recv();
                        let Ok((request, reply)) = next else {
                            return;
                        };
                        // A speculative request the call has since dropped is skipped.
                        if reply.is_closed() {
                            continue;
                        }
                        let _ = reply.send(whisper::transcribe(&mut state, &request, &settings));
                    }
                })
                .map_err(AsrError::Thread)?;
        }
        Ok(TranscriberPool {
            sender,
            capacity: config.queue_capacity,
            multilingual,
            model_path: model_path.to_path_buf(),
        })
    }

    /// Checks that the model can recognise `language` (an English-only model can only do
    /// English).
    pub fn check_language(&self, language: RecognitionLanguage) -> Result<(), AsrError> {
        language.check_model(self.multilingual, &self.model_path)
    }

    /// Queues a request without blocking; the transcript arrives on the returned receiver.
    pub fn try_submit(
        &self,
        request: TranscriptionRequest,
    ) -> Result<oneshot::Receiver<Result<Transcript, AsrError>>, AsrError> {
        if let Some(language) = request.language {
            self.check_language(language)?;
        }
        let (reply, receiver) = oneshot::channel();
        match self.sender.try_send((request, reply)) {
            Ok(()) => Ok(receiver),
            Err(TrySendError::Full(_)) => Err(AsrError::Busy {
                queued: self.capacity,
            }),
            Err(TrySendError::Disconnected(_)) => Err(AsrError::Stopped),
        }
    }

    /// Recognises one utterance, waiting for a free worker (for tools and tests, not calls).
    pub fn transcribe_blocking(
        &self,
        request: TranscriptionRequest,
    ) -> Result<Transcript, AsrError> {
        if let Some(language) = request.language {
            self.check_language(language)?;
        }
        let (reply, receiver) = oneshot::channel();
        self.sender
            .send((request, reply))
            .map_err(|_| AsrError::Stopped)?;
        receiver.blocking_recv().map_err(|_| AsrError::Stopped)?
    }
}

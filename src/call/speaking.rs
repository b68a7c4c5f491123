//! Hotline's spoken answers on one call: text goes to the shared synthesis thread, and the
//! audio comes back sentence by sentence, so the first sentence plays while the rest is made.
//!
//! Invariants: at most one answer is in progress per call; dropping it (barge-in, hang-up)
//! cancels the synthesis still to come. The forwarding task owns the service's stream and ends
//! as soon as nobody listens.

use crate::media::SAMPLE_RATE;
use crate::tts::{SpeechChunk, SpeechService, TtsError};
use tokio::sync::mpsc;

/// Sentences buffered between synthesis and the call.
const CHUNKS_AHEAD: usize = 4;

/// One answer being spoken.
pub(super) struct Speaking {
    chunks: mpsc::Receiver<Result<SpeechChunk, TtsError>>,
}

impl Speaking {
    /// Starts speaking `text` at the call rate.
    pub(super) fn start(service: &SpeechService, text: String) -> Speaking {
        let (sender, chunks) = mpsc::channel(CHUNKS_AHEAD);
        let service = service.clone();
        tokio::spawn(async move {
            let mut stream = match service.speak(&text, SAMPLE_RATE).await {
                Ok(stream) => stream,
                Err(error) => {
                    let _ = sender.send(Err(error)).await;
                    return;
                }
            };
            while let Some(chunk) = stream.next().await {
                if sender.send(chunk).await.is_err() {
                    return;
                }
            }
        });
        Speaking { chunks }
    }
}

/// The next sentence of the answer in progress; `None` once it is complete. Never resolves when
/// nothing is being spoken.
pub(super) async fn next_chunk(
    speaking: &mut Option<Speaking>,
) -> Option<Result<SpeechChunk, TtsError>> {
    match speaking {
        Some(speaking) => speaking.chunks.recv().await,
        None => std::future::pending().await,
    }
}

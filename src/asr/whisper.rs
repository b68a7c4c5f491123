//! One loaded whisper model and the decoding of one utterance with it.
//!
//! Decoding settings follow what measured well on telephone speech with tiny.en: greedy
//! decoding, no context carried between utterances, one segment, blank suppression, and a token
//! cap proportional to the audio length so a confused decoder cannot loop for long. The encoder
//! window stays at its full size: shrinking it broke the output in measurements.

use super::AsrError;
use std::path::Path;
use std::time::{Duration, Instant};
use whisper_rs::{
    FullParams, SamplingStrategy, WhisperContext, WhisperContextParameters, WhisperState,
};

/// Sample rate whisper expects.
pub const ASR_SAMPLE_RATE: u32 = 16_000;

/// Tokens allowed per second of audio: fast speech is about 4 words (6 tokens) per second.
const TOKENS_PER_SECOND: f32 = 8.0;
/// Audio up to this long is decoded as one segment without timestamps.
const SINGLE_SEGMENT_SECONDS: f64 = 8.0;
/// Tokens allowed for any utterance, however short.
const MINIMUM_TOKENS: i32 = 16;

/// A loaded model, shared by the workers.
pub struct WhisperModel {
    context: WhisperContext,
}

/// One utterance to recognise.
#[derive(Debug, Clone, Default)]
pub struct TranscriptionRequest {
    /// 16 kHz mono samples in -1..1.
    pub audio: Vec<f32>,
    /// Words the current step expects (menu options, digits), given to whisper as its initial
    /// prompt to bias recognition.
    pub prompt: Option<String>,
}

/// What was said.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Transcript {
    /// The recognised text, trimmed.
    pub text: String,
    /// Geometric mean of the text tokens' probabilities, 0..1 (0 when nothing was recognised).
    pub confidence: f32,
    /// Length of the audio in seconds.
    pub audio_seconds: f64,
    /// Time spent decoding in seconds.
    pub decode_seconds: f64,
}

impl WhisperModel {
    /// Loads a ggml whisper model.
    pub fn load(path: &Path) -> Result<WhisperModel, AsrError> {
        if !path.is_file() {
            return Err(AsrError::ModelMissing {
                path: path.to_path_buf(),
            });
        }
        whisper_rs::install_logging_hooks();
        let path_text = path.to_str().ok_or_else(|| AsrError::ModelMissing {
            path: path.to_path_buf(),
        })?;
        let context =
            WhisperContext::new_with_params(path_text, WhisperContextParameters::default())?;
        Ok(WhisperModel { context })
    }

    /// A decoding state for one worker.
    pub fn new_state(&self) -> Result<WhisperState, AsrError> {
        Ok(self.context.create_state()?)
    }
}

/// Recognises one utterance with `state`, using `threads` CPU threads.
pub fn transcribe(
    state: &mut WhisperState,
    request: &TranscriptionRequest,
    threads: usize,
) -> Result<Transcript, AsrError> {
    let started = Instant::now();
    let audio_seconds = request.audio.len() as f64 / f64::from(ASR_SAMPLE_RATE);
    let mut params = FullParams::new(SamplingStrategy::Greedy { best_of: 1 });
    params.set_n_threads(threads.clamp(1, 64) as i32);
    params.set_language(Some("en"));
    params.set_no_context(true);
    // Short turns decode best as one segment without timestamps; on longer audio that mode
    // stops after the first sentence, so timestamps (and several segments) come back there.
    let short = audio_seconds <= SINGLE_SEGMENT_SECONDS;
    params.set_single_segment(short);
    params.set_no_timestamps(short);
    params.set_suppress_blank(true);
    params.set_print_special(false);
    params.set_print_progress(false);
    params.set_print_realtime(false);
    params.set_print_timestamps(false);
    params.set_max_tokens(((audio_seconds as f32 * TOKENS_PER_SECOND) as i32).max(MINIMUM_TOKENS));
    if let Some(prompt) = request.prompt.as_deref() {
        params.set_initial_prompt(prompt);
    }
    // whisper.cpp needs at least one second of input; pad short utterances with silence.
    let minimum = ASR_SAMPLE_RATE as usize + ASR_SAMPLE_RATE as usize / 10;
    let padded;
    let audio = if request.audio.len() < minimum {
        padded = {
            let mut samples = request.audio.clone();
            samples.resize(minimum, 0.0);
            samples
        };
        &padded
    } else {
        &request.audio
    };
    state.full(params, audio)?;
    let mut text = String::new();
    let mut log_probability_sum = 0.0f64;
    let mut tokens = 0usize;
    for segment in state.as_iter() {
        text.push_str(&segment.to_str_lossy()?);
        for index in 0..segment.n_tokens() {
            let Some(token) = segment.get_token(index) else {
                continue;
            };
            let is_text = token
                .to_str_lossy()
                .is_ok_and(|piece| !piece.starts_with("[_"));
            if is_text {
                log_probability_sum += f64::from(token.token_probability().max(1e-6)).ln();
                tokens += 1;
            }
        }
    }
    let confidence = if tokens == 0 {
        0.0
    } else {
        (log_probability_sum / tokens as f64).exp() as f32
    };
    Ok(Transcript {
        text: without_annotations(&text),
        confidence,
        audio_seconds,
        decode_seconds: round_seconds(started.elapsed()),
    })
}

/// Drops what whisper writes for non-speech (`[BLANK_AUDIO]`, `(wind howling)`, `*cough*`), so
/// noise yields an empty transcript instead of words.
fn without_annotations(text: &str) -> String {
    let mut kept = String::with_capacity(text.len());
    let mut closing: Option<char> = None;
    for character in text.chars() {
        match closing {
            Some(end) if character == end => closing = None,
            Some(_) => {}
            None => match character {
                '[' => closing = Some(']'),
                '(' => closing = Some(')'),
                '*' => closing = Some('*'),
                other => kept.push(other),
            },
        }
    }
    kept.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn round_seconds(duration: Duration) -> f64 {
    (duration.as_secs_f64() * 1000.0).round() / 1000.0
}

#[cfg(test)]
mod tests {
    use super::without_annotations;

    #[test]
    fn non_speech_annotations_are_dropped() {
        assert_eq!(without_annotations(" [BLANK_AUDIO]"), "");
        assert_eq!(without_annotations("(wind howling)"), "");
        assert_eq!(
            without_annotations(" Hello *coughs* there."),
            "Hello there."
        );
        assert_eq!(
            without_annotations("where is my order"),
            "where is my order"
        );
    }
}

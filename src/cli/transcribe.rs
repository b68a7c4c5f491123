//! `hotline transcribe FILE... [--language en|zh|auto] [--recognition-model NAME] [--config FILE]
//! [--models DIR]`: one JSON line per file with the recognised text, the language it was decoded
//! in and timings, using the configured recognition model (`[speech] recognition_model`),
//! language (`[speech] language`) and recognition settings (`threads_per_worker`,
//! `encoder_window`).

use super::speech::SpeechArguments;
use crate::asr::{ASR_SAMPLE_RATE, RecognitionLanguage, TranscriberPool, TranscriptionRequest};
use crate::audio;
use crate::models::{Kind, Registry};
use anyhow::Context;
use std::path::PathBuf;
use std::process::ExitCode;

/// Flags of `hotline transcribe`.
#[derive(Debug, clap::Args)]
pub struct TranscribeArguments {
    /// Audio files in any format symphonia reads (WAV, FLAC, OGG, MP3...).
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Recognition model (a `kind = "asr"` entry of models.toml); overrides
    /// `[speech] recognition_model`.
    #[arg(long)]
    recognition_model: Option<String>,
    /// Words to bias recognition towards.
    #[arg(long)]
    prompt: Option<String>,
    /// The language spoken: en, zh (Mandarin, transcribed in Simplified characters) or auto
    /// (whichever of the two whisper identifies, reported per file); overrides
    /// `[speech] language`. zh and auto need a multilingual model such as whisper-base.
    #[arg(long)]
    language: Option<RecognitionLanguage>,
    #[command(flatten)]
    speech: SpeechArguments,
}

pub fn run(arguments: TranscribeArguments) -> anyhow::Result<ExitCode> {
    let settings = arguments.speech.speech_config()?;
    let name = arguments
        .recognition_model
        .as_deref()
        .unwrap_or(&settings.recognition_model);
    let model = Registry::in_directory(&settings.models_directory)?.output(Kind::Asr, name, "")?;
    let mut pool_config = settings.recognition_pool();
    if let Some(language) = arguments.language {
        pool_config.language = language;
    }
    let pool = TranscriberPool::start(&model, pool_config)?;
    let mut failures = 0;
    for file in &arguments.files {
        match transcribe_file(&pool, file, arguments.prompt.clone()) {
            Ok(line) => println!("{line}"),
            Err(error) => {
                failures += 1;
                eprintln!("{}: {error:#}", file.display());
            }
        }
    }
    Ok(if failures == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn transcribe_file(
    pool: &TranscriberPool,
    file: &std::path::Path,
    prompt: Option<String>,
) -> anyhow::Result<String> {
    let decoded = audio::decode_file(file)?;
    let samples = audio::resample(&decoded.samples, decoded.sample_rate, ASR_SAMPLE_RATE)
        .context("cannot resample to 16 kHz")?;
    let transcript = pool.transcribe_blocking(TranscriptionRequest {
        audio: samples,
        prompt,
        language: None,
    })?;
    Ok(serde_json::json!({
        "file": file.display().to_string(),
        "text": transcript.text,
        "language": transcript.language,
        "confidence": transcript.confidence,
        "audio_seconds": transcript.audio_seconds,
        "decode_seconds": transcript.decode_seconds,
    })
    .to_string())
}

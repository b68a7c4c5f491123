//! Speech recognition benchmark on the speech fixtures: word error rate, real-time factor and
//! per-utterance decode time, with the real whisper model, as a call would run it (8 kHz
//! telephone audio upsampled to 16 kHz, one worker).
//!
//! Run with `cargo bench --bench speech` after `make models`; prints one Markdown table row.
//! Environment: `HOTLINE_SPEECH_SET` is a directory of NAME.wav + NAME.txt pairs (default
//! `audio-fixtures/speech`; `bench/asterisk-prompts.sh` prepares 60 real telephone prompts),
//! `HOTLINE_ASR_THREADS` the whisper threads (default 2), `HOTLINE_ENCODER_WINDOW` the encoder
//! window in seconds (default 15), `HOTLINE_BENCH_ROUNDS` the passes over the set (default 3)
//! and `HOTLINE_RECOGNITION_MODEL` the registry's recognition model (default whisper-tiny.en;
//! the set is English, so a multilingual model decodes it as English).

use hotline::asr::{
    ASR_SAMPLE_RATE, DEFAULT_ENCODER_WINDOW, PoolConfig, RecognitionLanguage, TranscriberPool,
    TranscriptionRequest, word_errors,
};
use hotline::config::DEFAULT_RECOGNITION_MODEL;
use hotline::models::{Kind, Registry};
use std::path::PathBuf;
use std::time::Duration;

const DEFAULT_ROUNDS: usize = 3;

fn main() -> anyhow::Result<()> {
    let repository = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let threads = std::env::var("HOTLINE_ASR_THREADS")
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(2);
    let encoder_window = std::env::var("HOTLINE_ENCODER_WINDOW")
        .ok()
        .and_then(|value| value.parse().ok())
        .map_or(DEFAULT_ENCODER_WINDOW, Duration::from_secs);
    let set = std::env::var("HOTLINE_SPEECH_SET")
        .map(PathBuf::from)
        .unwrap_or_else(|_| repository.join("audio-fixtures/speech"));
    let model_name = std::env::var("HOTLINE_RECOGNITION_MODEL")
        .unwrap_or_else(|_| DEFAULT_RECOGNITION_MODEL.to_string());
    let model = Registry::in_directory(&repository.join("voice-models"))?.output(
        Kind::Asr,
        &model_name,
        "",
    )?;
    let pool = TranscriberPool::start(
        &model,
        PoolConfig {
            workers: 1,
            threads_per_worker: threads,
            queue_capacity: 4,
            encoder_window,
            language: RecognitionLanguage::English,
        },
    )?;
    let mut fixtures = Vec::new();
    for entry in std::fs::read_dir(&set)? {
        let path = entry?.path();
        let reference = path.with_extension("txt");
        if path.extension().is_some_and(|extension| extension == "wav") && reference.is_file() {
            fixtures.push((path, std::fs::read_to_string(reference)?.trim().to_string()));
        }
    }
    fixtures.sort();
    let (mut errors, mut words, mut audio_seconds, mut decode_seconds) = (0, 0, 0.0, 0.0);
    let mut decode_times = Vec::new();
    let rounds = std::env::var("HOTLINE_BENCH_ROUNDS")
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(DEFAULT_ROUNDS);
    for round in 0..rounds {
        for (path, reference) in &fixtures {
            let decoded = hotline::audio::decode_file(path)?;
            let audio =
                hotline::audio::resample(&decoded.samples, decoded.sample_rate, ASR_SAMPLE_RATE)?;
            let transcript = pool.transcribe_blocking(TranscriptionRequest {
                audio,
                prompt: None,
                language: None,
            })?;
            if round == 0 {
                let (file_errors, file_words) = word_errors(reference, &transcript.text);
                errors += file_errors;
                words += file_words;
                eprintln!("{reference:?} -> {:?}", transcript.text);
            }
            audio_seconds += transcript.audio_seconds;
            decode_seconds += transcript.decode_seconds;
            decode_times.push(transcript.decode_seconds);
        }
    }
    decode_times.sort_by(f64::total_cmp);
    let median = decode_times[decode_times.len() / 2];
    let worst = decode_times.last().copied().unwrap_or_default();
    println!(
        "| {} | {} | {model_name}, {threads} threads, {} s window | {} utterances ({words} words) | {:.1}% | {:.2} | {median:.2} s | {worst:.2} s |",
        chrono::Utc::now().format("%Y-%m-%dT%H:%MZ"),
        std::thread::available_parallelism()
            .map(usize::from)
            .unwrap_or(1),
        encoder_window.as_secs(),
        fixtures.len(),
        100.0 * errors as f64 / words.max(1) as f64,
        decode_seconds / audio_seconds,
    );
    Ok(())
}

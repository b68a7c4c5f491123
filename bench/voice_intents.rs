//! Intents through the voice path: the held-out caller phrasings (`tests/data/intents-held-out.tsv`,
//! never used as examples) spoken by a voice the product does not use (espeak-ng), squeezed
//! through the telephone path (8 kHz µ-law), recognised by whisper as a call does (upsampled to
//! 16 kHz, one worker) and classified by the demo's intents; against the same phrasings as text.
//!
//! Run with `cargo bench --bench voice_intents` after `make models`; prints one Markdown table
//! row for bench/RESULTS.md and, on standard error, every phrasing whisper changed the intent
//! of. `HOTLINE_RECOGNITION_MODEL` chooses the registry's recognition model (default the
//! shipped one) and `HOTLINE_ESPEAK_VOICE` the espeak-ng voice (default `en-us`).

#[path = "../tests/common/mod.rs"]
mod common;

use common::audio::through_mu_law;
use hotline::asr::{
    ASR_SAMPLE_RATE, DEFAULT_ENCODER_WINDOW, PoolConfig, RecognitionLanguage, TranscriberPool,
    TranscriptionRequest,
};
use hotline::config::{DEFAULT_RECOGNITION_MODEL, SpeechConfig};
use hotline::dialogue::language::intents::{IntentIndex, Labelled};
use hotline::dialogue::loader::{read_intents, read_labelled};
use hotline::embedding::{Embedder, SentenceEmbedder};
use hotline::models::{Kind, Registry};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The telephone's sample rate.
const TELEPHONE_RATE: u32 = 8000;

fn main() -> anyhow::Result<()> {
    let repository = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let registry = Registry::in_directory(&repository.join("voice-models"))?;
    let model_name = std::env::var("HOTLINE_RECOGNITION_MODEL")
        .unwrap_or_else(|_| DEFAULT_RECOGNITION_MODEL.to_string());
    let voice = std::env::var("HOTLINE_ESPEAK_VOICE").unwrap_or_else(|_| "en-us".to_string());
    let pool = TranscriberPool::start(
        &registry.output(Kind::Asr, &model_name, "")?,
        PoolConfig {
            workers: 1,
            threads_per_worker: 2,
            queue_capacity: 4,
            encoder_window: DEFAULT_ENCODER_WINDOW,
            language: RecognitionLanguage::English,
        },
    )?;
    let embedder = SentenceEmbedder::load(
        &registry.embedding_directory(&SpeechConfig::default().embedding_model)?,
    )?;
    let intents = IntentIndex::build(
        read_intents(&repository.join("prompts/demo/main.intents.toml"))?,
        |text| embedder.embed(text),
    )?;
    let names = intents.names();
    let held_out = read_labelled(&repository.join("tests/data/intents-held-out.tsv"), &names)?;
    let embed = |text: &str| embedder.embed(&intents.rejoin_split_words(text));
    let work = tempfile::tempdir()?;
    let (mut as_text, mut as_voice) = (Vec::new(), Vec::new());
    for line in held_out {
        let heard = transcribe(&pool, &spoken(&voice, &line.text, work.path())?)?;
        let heard_line = Labelled {
            text: heard.clone(),
            intent: line.intent.clone(),
        };
        let (text_embedding, heard_embedding) = (embed(&line.text)?, embed(&heard)?);
        let text_meaning = intents.classify(&line.text, &text_embedding).intent;
        let voice_meaning = intents.classify(&heard, &heard_embedding).intent;
        if text_meaning != voice_meaning {
            eprintln!(
                "{:?} heard as {heard:?}: {text_meaning:?} -> {voice_meaning:?} (wanted {:?})",
                line.text, line.intent
            );
        }
        as_voice.push((heard_line, heard_embedding));
        as_text.push((line, text_embedding));
    }
    let text = intents.measure(&as_text);
    let voice_measurement = intents.measure(&as_voice);
    println!(
        "| {} | {} | {model_name} | espeak-ng {voice}, 8 kHz µ-law | {} lines | {:.1}% | {:.1}% |",
        chrono::Utc::now().format("%Y-%m-%dT%H:%MZ"),
        std::thread::available_parallelism().map_or(0, usize::from),
        text.count,
        text.accuracy * 100.0,
        voice_measurement.accuracy * 100.0,
    );
    Ok(())
}

/// `text` spoken by espeak-ng's `voice` as the caller's phone sends it: 8 kHz µ-law, decoded.
fn spoken(voice: &str, text: &str, work: &Path) -> anyhow::Result<Vec<f32>> {
    let wav = work.join("spoken.wav");
    let status = Command::new("espeak-ng")
        .args(["-v", voice, "-w"])
        .arg(&wav)
        .arg(text)
        .status()?;
    anyhow::ensure!(status.success(), "espeak-ng failed on {text:?}");
    let decoded = hotline::audio::decode_file(&wav)?;
    let narrow = hotline::audio::resample(&decoded.samples, decoded.sample_rate, TELEPHONE_RATE)?;
    let received = through_mu_law(&hotline::audio::f32_to_i16(&narrow));
    Ok(hotline::audio::i16_to_f32(&received))
}

/// What whisper hears in 8 kHz `audio`, upsampled as a call upsamples it.
fn transcribe(pool: &TranscriberPool, audio: &[f32]) -> anyhow::Result<String> {
    let wide = hotline::audio::resample(audio, TELEPHONE_RATE, ASR_SAMPLE_RATE)?;
    let transcript = pool.transcribe_blocking(TranscriptionRequest {
        audio: wide,
        prompt: None,
        language: None,
    })?;
    Ok(transcript.text)
}

//! `hotline say --text TEXT --out FILE.wav [--rate HZ] [--voice NAME] [--config FILE]
//! [--models DIR]`: synthesizes text with the configured voice (`[speech.voice]`, Piper or Mandarin) into a
//! mono 16-bit WAV, through the same synthesis service calls use, and reports the files used and
//! the timing on stderr.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;

use super::speech::SpeechArguments;
use crate::audio::write_wav_mono;
use crate::models::Registry;
use crate::tts::{ServiceOptions, SpeechService, VoiceFiles, load_synthesizer};

/// Flags of `hotline say`.
#[derive(Debug, clap::Args)]
pub struct SayArguments {
    /// Text to speak (numbers, prices, dates and times are read out naturally).
    #[arg(long)]
    text: String,
    /// WAV file to write (replaced if it exists).
    #[arg(long)]
    out: PathBuf,
    /// Output sample rate in Hz; default: the voice's own rate (22050 for the default voice, 24000 for
    /// the Mandarin one).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1000..=192_000))]
    rate: Option<u32>,
    /// Voice to speak with (a `kind = "tts"` entry of models.toml); overrides
    /// `[speech.voice] name`.
    #[arg(long)]
    voice: Option<String>,
    #[command(flatten)]
    speech: SpeechArguments,
}

pub fn run(arguments: SayArguments) -> anyhow::Result<ExitCode> {
    let mut settings = arguments.speech.speech_config()?;
    if let Some(voice) = arguments.voice {
        settings.voice.name = voice;
    }
    let loading = Instant::now();
    let registry = Registry::in_directory(&settings.models_directory)?;
    let synthesizer = load_synthesizer(&registry, &settings.voice)?;
    let load_seconds = loading.elapsed().as_secs_f64();
    let service = SpeechService::start(synthesizer, ServiceOptions::from(&settings.voice))?;
    let rate = arguments.rate.unwrap_or(service.native_rate());

    let started = Instant::now();
    let mut stream = service.speak_blocking(&arguments.text, rate)?;
    let mut samples = Vec::new();
    let mut first_audio_seconds = None;
    while let Some(chunk) = stream.blocking_next() {
        let chunk = chunk?;
        first_audio_seconds.get_or_insert(started.elapsed().as_secs_f64());
        samples.extend_from_slice(&chunk.samples);
    }
    let synthesis_seconds = started.elapsed().as_secs_f64();
    let Some(first_audio_seconds) = first_audio_seconds else {
        anyhow::bail!("nothing to say: the text has no words");
    };

    write_wav_mono(&arguments.out, rate, &samples)
        .with_context(|| format!("cannot write {}", arguments.out.display()))?;
    let audio_seconds = samples.len() as f64 / f64::from(rate);
    // A Piper voice also reads espeak-ng's data: say which, since a broken copy breaks it.
    let phonemizer = VoiceFiles::from_registry(&registry, &settings.voice.name)
        .map(|files| format!(", espeak-ng data {}", files.phonemizer_data.display()))
        .unwrap_or_default();
    eprintln!(
        "voice {} from {}{phonemizer}",
        service.voice(),
        settings.models_directory.display()
    );
    eprintln!(
        "wrote {}: {audio_seconds:.2} s at {rate} Hz (voice loaded in {load_seconds:.2} s; first \
         audio after {first_audio_seconds:.3} s; synthesis {synthesis_seconds:.3} s, real-time \
         factor {:.3})",
        arguments.out.display(),
        synthesis_seconds / audio_seconds.max(f64::EPSILON)
    );
    Ok(ExitCode::SUCCESS)
}

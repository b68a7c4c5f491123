//! `hotline understand [--flow NAME] [--flows DIR] [--config FILE] [--models DIR] [TEXT]`: one
//! JSON line `{"text","intent","confidence","closest","slots"}` per text (the argument, else
//! each line of stdin), classified against the flow's intents (`NAME.intents.toml` under the
//! flows directory) with the configured sentence-embedding model.

use super::speech::SpeechArguments;
use crate::dialogue::intents::{INTENTS_FILE_SUFFIX, IntentIndex, Intents, intents_files};
use crate::dialogue::spoken_digits_of;
use crate::embedding::{Embedder, SentenceEmbedder};
use crate::models::{Kind, Registry};
use anyhow::Context;
use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Flags of `hotline understand`.
#[derive(Debug, clap::Args)]
pub struct UnderstandArguments {
    /// The text to understand; without it, every line of stdin.
    text: Option<String>,
    /// The flow whose intents apply (`NAME.intents.toml`).
    #[arg(long, default_value = "main")]
    flow: String,
    /// Directory searched (recursively) for the intents file.
    #[arg(long, default_value = "prompts")]
    flows: PathBuf,
    #[command(flatten)]
    speech: SpeechArguments,
}

pub fn run(arguments: UnderstandArguments) -> anyhow::Result<ExitCode> {
    let settings = arguments.speech.speech_config()?;
    let file_name = format!("{}{INTENTS_FILE_SUFFIX}", arguments.flow);
    let path = intents_files(&arguments.flows)
        .into_iter()
        .find(|path| path.file_name().is_some_and(|name| *name == *file_name))
        .with_context(|| format!("no {file_name} under {}", arguments.flows.display()))?;
    let intents = Intents::load(&path)?;
    let weights = Registry::in_directory(&settings.models_directory)?.output(
        Kind::Embedding,
        &settings.embedding_model,
        "model.safetensors",
    )?;
    let directory = weights.parent().unwrap_or(Path::new("."));
    let embedder = SentenceEmbedder::load(directory)?;
    let index = IntentIndex::build(intents, |example| embedder.embed(example))?;
    let texts: Vec<String> = match arguments.text {
        Some(text) => vec![text],
        None => std::io::stdin().lock().lines().collect::<Result<_, _>>()?,
    };
    for text in texts {
        let understanding = index.classify(&text, &embedder.embed(&text)?);
        let mut slots = serde_json::Map::new();
        // A number of three digits or more (an order or account number) said anywhere.
        if let Some(digits) = spoken_digits_of(&text).filter(|digits| digits.len() >= 3) {
            slots.insert("digits".into(), digits.into());
        }
        println!(
            "{}",
            serde_json::json!({
                "text": text,
                "intent": understanding.intent,
                "confidence": understanding.confidence,
                "closest": understanding.closest,
                "slots": slots,
            })
        );
    }
    Ok(ExitCode::SUCCESS)
}

//! `hotline understand [--flow NAME] [--flows DIR] [--config FILE] [--models DIR] [TEXT]`: one
//! JSON line `{"text","intent","confidence","closest","slots","article"}` per text (the
//! argument, else each line of stdin), classified against the flow's intents
//! (`NAME.intents.toml` under the flows directory) and answered from the knowledge base beside
//! it (`knowledge/`), with the sentence-embedding model configured for the flow's language. `article` is
//! `{"id","title","confidence"}`, or null when no article answers.
//!
//! `hotline understand --calibrate FILE` instead fits the confidence calibration to a labelled
//! set (`text<TAB>intent` lines, `none` for no match) and prints the `[calibration]` table to
//! paste into the intents file, with accuracy and calibration error before and after on stderr.

use super::speech::SpeechArguments;
use crate::dialogue::language::intents::{
    Calibration, INTENTS_FILE_SUFFIX, IntentIndex, Measurement,
};
use crate::dialogue::language::knowledge::KnowledgeIndex;
use crate::dialogue::loader::{
    intents_files, knowledge_directory_of, read_intents, read_knowledge, read_labelled,
};
use crate::dialogue::{FLOW_FILE_SUFFIX, UnderstandingFiles, load_flow_source, spoken_digits_of};
use crate::embedding::{Embedder, SentenceEmbedder};
use crate::language::Language;
use crate::models::Registry;
use crate::understanding::{CACHE_DIRECTORY, EmbeddingCache, embed_files};
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
    /// Fit the confidence calibration to this labelled set and print it, instead of
    /// classifying.
    #[arg(long, value_name = "FILE")]
    calibrate: Option<PathBuf>,
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
    let intents = read_intents(&path)?;
    let knowledge = read_knowledge(&knowledge_directory_of(&path))?;
    let model = settings
        .models_for(flow_language(&path, &arguments.flow))
        .embedding_model;
    let registry = Registry::in_directory(&settings.models_directory)?;
    let embedder = SentenceEmbedder::load(&registry.embedding_directory(&model)?)?;
    let files = UnderstandingFiles {
        intents: Some(intents.clone()),
        knowledge: Some(knowledge.clone()),
    };
    let cache = EmbeddingCache::new(&settings.models_directory.join(CACHE_DIRECTORY));
    let known = embed_files(&embedder, &model, [&files], &cache);
    let embed = |text: &str| match known.get(text) {
        Some(embedding) => Ok(embedding.clone()),
        None => embedder.embed(text),
    };
    let index = IntentIndex::build(intents, embed)?;
    if let Some(set) = arguments.calibrate {
        return calibrate(index, &set, &embedder);
    }
    let knowledge = KnowledgeIndex::build(knowledge, embed)?;
    let texts: Vec<String> = match arguments.text {
        Some(text) => vec![text],
        None => std::io::stdin().lock().lines().collect::<Result<_, _>>()?,
    };
    for text in texts {
        let embedding = embedder.embed(&index.rejoin_split_words(&text))?;
        let understanding = index.classify(&text, &embedding);
        let article = knowledge.retrieve(&text, &embedding).map(|retrieval| {
            serde_json::json!({
                "id": retrieval.id,
                "title": retrieval.title,
                "confidence": retrieval.confidence,
            })
        });
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
                "also": understanding.also,
                "slots": slots,
                "article": article,
            })
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// The language of the flow `name` whose intents file is `intents`: what its flow file beside
/// it says, English when there is none.
fn flow_language(intents: &Path, name: &str) -> Language {
    let file = intents.with_file_name(format!("{name}{FLOW_FILE_SUFFIX}"));
    std::fs::read_to_string(&file)
        .ok()
        .and_then(|source| load_flow_source(&source, &file).flow)
        .map(|flow| flow.language)
        .unwrap_or_default()
}

/// Fits the calibration to the labelled set at `path` and prints it.
fn calibrate(
    index: IntentIndex,
    path: &Path,
    embedder: &SentenceEmbedder,
) -> anyhow::Result<ExitCode> {
    let names = index.names();
    let lines = read_labelled(path, &names)?;
    let mut set = Vec::new();
    for line in lines {
        let embedding = embedder.embed(&index.rejoin_split_words(&line.text))?;
        set.push((line, embedding));
    }
    let before = index.measure(&set);
    let calibration = Calibration::fit(&index.samples(&set))
        .with_context(|| format!("{}: too few or too uniform lines to fit", path.display()))?;
    let after = index.with_calibration(calibration).measure(&set);
    eprintln!("{}: {} lines", path.display(), set.len());
    eprintln!("current calibration: {}", summary(&before));
    eprintln!("fitted calibration:  {}", summary(&after));
    println!("{calibration}");
    Ok(ExitCode::SUCCESS)
}

fn summary(measurement: &Measurement) -> String {
    format!(
        "accuracy {:.1}%, expected calibration error {:.3}",
        measurement.accuracy * 100.0,
        measurement.expected_calibration_error
    )
}

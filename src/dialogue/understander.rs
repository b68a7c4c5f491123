//! One flow's understanding of text: its intents, and the meaning of an utterance given its
//! sentence embedding. Pure: the embedding comes in from the caller, who runs the model.

use super::intents::{IntentIndex, Intents};
use super::meaning::Meaning;

/// What a flow understands, with the embeddings of its examples.
#[derive(Debug, Clone)]
pub struct Understander {
    intents: Option<IntentIndex>,
}

/// What a flow understands, before its examples are embedded.
#[derive(Debug, Clone, Default)]
pub struct UnderstandingFiles {
    /// The flow's intents file.
    pub intents: Option<Intents>,
}

impl Understander {
    /// Embeds every example of `files` with `embed`.
    pub fn build<E>(
        files: UnderstandingFiles,
        mut embed: impl FnMut(&str) -> Result<Vec<f32>, E>,
    ) -> Result<Understander, E> {
        let intents = match files.intents {
            Some(intents) => Some(IntentIndex::build(intents, &mut embed)?),
            None => None,
        };
        Ok(Understander { intents })
    }

    /// The meaning of `text`, whose sentence embedding is `embedding`.
    pub fn meaning(&self, text: &str, embedding: &[f32]) -> Meaning {
        let mut meaning = Meaning::default();
        if let Some(intents) = &self.intents {
            let understanding = intents.classify(text, embedding);
            meaning.intent = understanding.intent;
            meaning.confidence = understanding.confidence;
        }
        meaning
    }
}

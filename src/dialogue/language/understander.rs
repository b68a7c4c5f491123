//! One flow's understanding of text: its intents and its knowledge base, and the meaning of an
//! utterance given its sentence embedding. Pure: the embedding comes in from the caller, who
//! runs the model.

use super::intents::{IntentIndex, Intents};
use super::knowledge::{KnowledgeBase, KnowledgeIndex};
use super::meaning::Meaning;

/// What a flow understands, with the embeddings of its examples and articles.
#[derive(Debug, Clone)]
pub struct Understander {
    intents: Option<IntentIndex>,
    knowledge: Option<KnowledgeIndex>,
}

/// What a flow understands, before its examples and articles are embedded.
#[derive(Debug, Clone, Default)]
pub struct UnderstandingFiles {
    /// The flow's intents file.
    pub intents: Option<Intents>,
    /// The flow's knowledge base.
    pub knowledge: Option<KnowledgeBase>,
}

impl Understander {
    /// Embeds every example and article question of `files` with `embed`.
    pub fn build<E>(
        files: UnderstandingFiles,
        mut embed: impl FnMut(&str) -> Result<Vec<f32>, E>,
    ) -> Result<Understander, E> {
        let intents = match files.intents {
            Some(intents) => Some(IntentIndex::build(intents, &mut embed)?),
            None => None,
        };
        let knowledge = match files.knowledge {
            Some(base) => Some(KnowledgeIndex::build(base, &mut embed)?),
            None => None,
        };
        Ok(Understander { intents, knowledge })
    }

    /// What to embed for `text`: words a recogniser split apart ("or der") joined again.
    pub fn text_to_embed(&self, text: &str) -> String {
        match &self.intents {
            Some(intents) => intents.rejoin_split_words(text),
            None => text.to_string(),
        }
    }

    /// The meaning of `text`, whose sentence embedding (of [`Self::text_to_embed`]) is
    /// `embedding`.
    pub fn meaning(&self, text: &str, embedding: &[f32]) -> Meaning {
        let mut meaning = Meaning::default();
        if let Some(intents) = &self.intents {
            let understanding = intents.classify(text, embedding);
            meaning.intent = understanding.intent;
            meaning.confidence = understanding.confidence;
            meaning.also = understanding.also;
        }
        meaning.article = self
            .knowledge
            .as_ref()
            .and_then(|knowledge| knowledge.retrieve(text, embedding));
        meaning
    }
}

//! What Hotline made of one utterance, beyond its words: the intent and the knowledge-base
//! article that answers it. The driver computes it (the embedding model runs off the async
//! runtime) and hands it to the engine with the transcript; the engine stays pure. Slots and
//! sentiment need no model: the engine reads them from the words itself.

use serde::Serialize;

use super::knowledge::Retrieval;

/// The understanding of one utterance.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Meaning {
    /// The intent, or `None` for no match.
    pub intent: Option<String>,
    /// The calibrated confidence in `intent` (0..=1).
    pub confidence: f32,
    /// Other intents the utterance names by keyword, most specific first.
    pub also: Vec<String>,
    /// The knowledge-base article that answers the utterance, if one does.
    pub article: Option<Retrieval>,
}

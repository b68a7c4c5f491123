//! What Hotline made of one utterance, beyond its words: the intent, slot values, the
//! knowledge-base article that answers it and its sentiment. The driver computes it (the
//! embedding model runs off the async runtime) and hands it to the engine with the transcript;
//! the engine stays pure.

use std::collections::BTreeMap;

use serde::Serialize;

/// The understanding of one utterance.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Meaning {
    /// The intent, or `None` for no match.
    pub intent: Option<String>,
    /// The calibrated confidence in `intent` (0..=1).
    pub confidence: f32,
    /// Slot values found in the utterance, normalised, by slot name.
    pub slots: BTreeMap<String, String>,
    /// The knowledge-base article that answers the utterance, if one does.
    pub article: Option<Article>,
    /// How negative (-1) or positive (1) the utterance sounds.
    pub sentiment: f32,
}

/// A knowledge-base answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Article {
    /// The article's ID.
    pub id: String,
    /// Its title.
    pub title: String,
    /// The answer, to speak or send as text.
    pub answer: String,
    /// How well it answers the utterance (0..=1).
    pub confidence: f32,
}

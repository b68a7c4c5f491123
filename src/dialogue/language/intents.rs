//! Intents: what a caller or chat user wants, recognised from their words.
//!
//! Admins define intents in `NAME.intents.toml` beside a flow (schema below), each with example
//! phrasings and optional keywords. An [`IntentIndex`] holds the examples' sentence embeddings.
//! Classifying a text:
//!
//! 1. a keyword found in the text decides at once, with confidence 1 (for words such as "agent"
//!    that must always win; found even when speech recognition split it, see [`Keyword`]);
//! 2. otherwise each intent scores the mean cosine similarity of its [`BEST_EXAMPLES`]
//!    examples closest to the text's embedding, so paraphrases match without sharing words and
//!    one stray example does not decide;
//! 3. the best score and its margin over the runner-up (another intent, or the file's
//!    `unrelated` examples of things that are none of the intents, scored alike) become a
//!    calibrated confidence, the
//!    probability that the best intent is right ([`Calibration`], fitted on labelled
//!    utterances with `hotline understand --calibrate FILE`);
//! 4. below the file's `threshold` the text is no match.
//!
//! Speech recognition sometimes splits a word ("pack age", "or der"); callers embed
//! [`IntentIndex::rejoin_split_words`] of a transcript rather than the transcript itself, so
//! such words are joined back when the examples know the joined word.
//!
//! Editing the file changes behaviour at the next load, without a rebuild.
//!
//! ```toml
//! schema = 1
//! threshold = 0.5            # calibrated confidence below which a text is no match
//! unrelated = ["what's the weather like", "do you sell tents"]   # optional
//! [[intent]]
//! name = "refund_status"
//! examples = ["where is my refund", "I haven't got my money back"]
//! keywords = ["refund"]
//! [calibration]              # optional; defaults fitted on the demo's development set
//! similarity = 8.203
//! margin = 29.501
//! bias = -4.304
//! ```
//!
//! Pure: embeddings come in from the caller, so this module never runs a model.

mod calibration;
mod keywords;

pub use calibration::{
    Band, Calibration, Labelled, Measurement, NO_INTENT, Sample, Scores, parse_labelled,
};
pub use keywords::Keyword;

use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::speech::normalise;
use crate::text::lines::line_of;

/// Suffix of intent files, next to `NAME.flow.toml`.
pub const INTENTS_FILE_SUFFIX: &str = ".intents.toml";
/// Confidence below which a text matches no intent, unless the file sets another.
pub const DEFAULT_THRESHOLD: f32 = 0.5;
/// How many of an intent's examples closest to a text make its score.
pub const BEST_EXAMPLES: usize = 4;

/// A problem with an intents file.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum IntentsError {
    /// The file could not be read.
    #[error("{path}: cannot read: {reason}")]
    Unreadable { path: PathBuf, reason: String },
    /// The file is not valid TOML, or a field has the wrong shape.
    #[error("{path}:{line}: {message}")]
    Syntax {
        path: PathBuf,
        line: usize,
        message: String,
    },
    /// The file parses but makes no sense (duplicate names, no examples, bad threshold or
    /// calibration).
    #[error("{path}:{line}: {message}")]
    Invalid {
        path: PathBuf,
        line: usize,
        message: String,
    },
}

impl IntentsError {
    /// The line the problem is on; 0 when it is about the whole file.
    pub fn line(&self) -> usize {
        match self {
            IntentsError::Unreadable { .. } => 0,
            IntentsError::Syntax { line, .. } | IntentsError::Invalid { line, .. } => *line,
        }
    }

    /// What is wrong, without the file and line.
    pub fn message(&self) -> String {
        match self {
            IntentsError::Unreadable { reason, .. } => format!("cannot read: {reason}"),
            IntentsError::Syntax { message, .. } | IntentsError::Invalid { message, .. } => {
                message.clone()
            }
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct IntentsFile {
    schema: u32,
    threshold: Option<f32>,
    #[serde(default)]
    unrelated: Vec<String>,
    #[serde(rename = "intent", default)]
    intents: Vec<Intent>,
    calibration: Option<Calibration>,
}

/// One intent as an admin wrote it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Intent {
    /// The intent's name, e.g. `refund_status`.
    pub name: String,
    /// Example phrasings.
    pub examples: Vec<String>,
    /// Words that decide this intent whenever they occur.
    #[serde(default)]
    pub keywords: Vec<String>,
}

/// The intents of one flow.
#[derive(Debug, Clone, PartialEq)]
pub struct Intents {
    /// The file they came from.
    pub file: PathBuf,
    /// Confidence below which a text is no match.
    pub threshold: f32,
    /// The intents, in file order.
    pub intents: Vec<Intent>,
    /// Things people say that are none of the intents.
    pub unrelated: Vec<String>,
    /// How scores become a confidence.
    pub calibration: Calibration,
}

impl Intents {
    /// Parses and checks intents file text; `path` names the file in errors.
    pub fn parse(text: &str, path: &Path) -> Result<Intents, IntentsError> {
        let file: IntentsFile = toml::from_str(text).map_err(|error| IntentsError::Syntax {
            path: path.to_path_buf(),
            line: error.span().map_or(1, |span| line_of(text, span.start)),
            message: error.message().to_string(),
        })?;
        let invalid = |needle: &str, message: String| IntentsError::Invalid {
            path: path.to_path_buf(),
            line: text.find(needle).map_or(1, |offset| line_of(text, offset)),
            message,
        };
        if file.schema != 1 {
            return Err(invalid(
                "schema",
                format!("unknown schema {}, this version understands 1", file.schema),
            ));
        }
        let threshold = file.threshold.unwrap_or(DEFAULT_THRESHOLD);
        if !(0.0..=1.0).contains(&threshold) {
            return Err(invalid(
                "threshold",
                format!("threshold {threshold} is not between 0 and 1"),
            ));
        }
        let calibration = file.calibration.unwrap_or_default();
        if ![calibration.similarity, calibration.margin, calibration.bias]
            .iter()
            .all(|value| value.is_finite())
        {
            return Err(invalid(
                "[calibration]",
                "calibration values must be finite numbers".into(),
            ));
        }
        let mut names = BTreeSet::new();
        for intent in &file.intents {
            let needle = format!("\"{}\"", intent.name);
            if !names.insert(intent.name.as_str()) {
                // The second definition is the one to point at.
                return Err(IntentsError::Invalid {
                    path: path.to_path_buf(),
                    line: text
                        .rfind(&needle)
                        .map_or(1, |offset| line_of(text, offset)),
                    message: format!("intent {:?} is defined twice", intent.name),
                });
            }
            if intent
                .examples
                .iter()
                .all(|example| normalise(example).is_empty())
            {
                return Err(invalid(
                    &needle,
                    format!("intent {:?} has no example", intent.name),
                ));
            }
        }
        Ok(Intents {
            file: path.to_path_buf(),
            threshold,
            intents: file.intents,
            unrelated: file.unrelated,
            calibration,
        })
    }
}

/// The dot product of two embeddings: their cosine similarity when both have unit length.
pub(crate) fn similarity(first: &[f32], second: &[f32]) -> f32 {
    first.iter().zip(second).map(|(a, b)| a * b).sum()
}

/// What a text was understood to want.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Understanding {
    /// The intent, or `None` for no match.
    pub intent: Option<String>,
    /// The probability (0..1) that `closest` is what the text wants: 1 for a keyword, else
    /// calibrated from the embedding's similarity to the examples.
    pub confidence: f32,
    /// The closest intent even when below the threshold, for logs and tuning.
    pub closest: Option<String>,
    /// Other intents whose keywords the text also names ("someone about my refund" asks for a
    /// person and names a refund), longest keyword first.
    pub also: Vec<String>,
}

/// The intents with their examples' embeddings, ready to classify.
#[derive(Debug, Clone)]
pub struct IntentIndex {
    intents: Intents,
    /// Per intent, in file order: its examples' embeddings.
    examples: Vec<Vec<Vec<f32>>>,
    /// Per intent: its keywords.
    keywords: Vec<Vec<Keyword>>,
    /// The embeddings of the unrelated examples.
    unrelated: Vec<Vec<f32>>,
    /// Every word of the examples and keywords, normalised.
    vocabulary: HashSet<String>,
}

impl IntentIndex {
    /// Embeds every example with `embed`.
    pub fn build<E>(
        intents: Intents,
        mut embed: impl FnMut(&str) -> Result<Vec<f32>, E>,
    ) -> Result<IntentIndex, E> {
        let mut embed_all = |texts: &[String]| -> Result<Vec<Vec<f32>>, E> {
            texts
                .iter()
                .filter(|text| !normalise(text).is_empty())
                .map(|text| embed(text))
                .collect()
        };
        let mut examples = Vec::new();
        for intent in &intents.intents {
            examples.push(embed_all(&intent.examples)?);
        }
        let unrelated = embed_all(&intents.unrelated)?;
        let vocabulary = intents
            .intents
            .iter()
            .flat_map(|intent| intent.examples.iter().chain(&intent.keywords))
            .flat_map(|text| normalise(text))
            .collect();
        let keywords = intents
            .intents
            .iter()
            .map(|intent| {
                intent
                    .keywords
                    .iter()
                    .filter_map(|keyword| Keyword::new(keyword))
                    .collect()
            })
            .collect();
        Ok(IntentIndex {
            intents,
            examples,
            keywords,
            unrelated,
            vocabulary,
        })
    }

    /// The intents this index was built from.
    pub fn intents(&self) -> &Intents {
        &self.intents
    }

    /// The names of the intents, in file order (what a labelled set may name).
    pub fn names(&self) -> Vec<&str> {
        self.intents
            .intents
            .iter()
            .map(|intent| intent.name.as_str())
            .collect()
    }

    /// `text` with words that speech recognition split joined back: two or three consecutive
    /// words are joined when the joined word occurs in the examples or keywords and the parts
    /// do not all occur there ("pack age" becomes "package", "any one" stays). Everything else
    /// is kept as it was written.
    pub fn rejoin_split_words(&self, text: &str) -> String {
        let tokens: Vec<&str> = text.split_whitespace().collect();
        // A token's single normalised word; punctuation inside a token ("e-mail") rules it out.
        let word = |token: &str| {
            let mut words = normalise(token);
            (words.len() == 1).then(|| words.remove(0))
        };
        let known = |word: &String| self.vocabulary.contains(word);
        let mut kept = Vec::new();
        let mut index = 0;
        while index < tokens.len() {
            let joined = (2..=3).rev().find_map(|count| {
                let parts: Vec<String> = tokens
                    .get(index..index + count)?
                    .iter()
                    .map(|token| word(token))
                    .collect::<Option<_>>()?;
                let joined = parts.concat();
                (known(&joined) && !parts.iter().all(known)).then_some((joined, count))
            });
            match joined {
                Some((joined, count)) => {
                    kept.push(joined);
                    index += count;
                }
                None => {
                    kept.push(tokens[index].to_string());
                    index += 1;
                }
            }
        }
        match kept.len() == tokens.len() {
            true => text.to_string(),
            false => kept.join(" "),
        }
    }

    /// The intent of `text`, whose sentence embedding is `embedding`.
    pub fn classify(&self, text: &str, embedding: &[f32]) -> Understanding {
        let words = normalise(text);
        let nothing = Understanding {
            intent: None,
            confidence: 0.0,
            closest: None,
            also: Vec::new(),
        };
        if words.is_empty() {
            return nothing;
        }
        let mut named = self.keyword_intents(&words).into_iter();
        if let Some(name) = named.next() {
            return Understanding {
                intent: Some(name.to_string()),
                confidence: 1.0,
                closest: Some(name.to_string()),
                also: named.map(str::to_string).collect(),
            };
        }
        match self.scores(embedding) {
            Some(scores) => {
                let confidence = self
                    .intents
                    .calibration
                    .confidence(scores.similarity, scores.margin);
                Understanding {
                    intent: (confidence >= self.intents.threshold).then(|| scores.intent.clone()),
                    confidence,
                    closest: Some(scores.intent),
                    also: Vec::new(),
                }
            }
            None => nothing,
        }
    }

    /// The intents whose keywords occur in `words`, by their longest keyword there (a tie goes
    /// to the first intent in the file).
    fn keyword_intents(&self, words: &[String]) -> Vec<&str> {
        let mut found: Vec<(usize, usize, &str)> = Vec::new();
        for (order, (intent, keywords)) in
            self.intents.intents.iter().zip(&self.keywords).enumerate()
        {
            let longest = keywords
                .iter()
                .filter(|keyword| keyword.occurs_in(words))
                .map(Keyword::length)
                .max();
            if let Some(length) = longest {
                found.push((length, order, intent.name.as_str()));
            }
        }
        found.sort_by(|first, second| second.0.cmp(&first.0).then(first.1.cmp(&second.1)));
        found.into_iter().map(|(_, _, name)| name).collect()
    }

    /// The intent whose keyword occurs in `words` (the longest keyword wins; a tie goes to the
    /// first intent in the file).
    fn keyword_intent(&self, words: &[String]) -> Option<&str> {
        self.keyword_intents(words).first().copied()
    }

    /// How close `embedding` is to each intent: the best intent's score and its margin over
    /// the runner-up (the next intent, or the unrelated examples); `None` when no intent has
    /// examples.
    pub fn scores(&self, embedding: &[f32]) -> Option<Scores> {
        let mut ranked: Vec<(usize, f32)> = self
            .examples
            .iter()
            .enumerate()
            .filter_map(|(index, examples)| Some((index, closest_mean(embedding, examples)?)))
            .collect();
        ranked.sort_by(|first, second| second.1.total_cmp(&first.1));
        let (best, similarity) = *ranked.first()?;
        let runner_up = ranked
            .get(1)
            .map(|(_, score)| *score)
            .into_iter()
            .chain(closest_mean(embedding, &self.unrelated))
            .fold(0.0, f32::max);
        Some(Scores {
            intent: self.intents.intents[best].name.clone(),
            similarity,
            margin: similarity - runner_up,
        })
    }

    /// The fitting samples of a labelled set, each line with its text's embedding; lines a
    /// keyword decides (their confidence is 1 anyway) and lines without words are left out.
    pub fn samples(&self, set: &[(Labelled, Vec<f32>)]) -> Vec<Sample> {
        set.iter()
            .filter(|(line, _)| {
                let words = normalise(&line.text);
                !words.is_empty() && self.keyword_intent(&words).is_none()
            })
            .filter_map(|(line, embedding)| {
                let scores = self.scores(embedding)?;
                let correct = line.intent.as_deref() == Some(scores.intent.as_str());
                Some(Sample { scores, correct })
            })
            .collect()
    }

    /// Accuracy and calibration on a labelled set, each line with its text's embedding.
    pub fn measure(&self, set: &[(Labelled, Vec<f32>)]) -> Measurement {
        let outcomes: Vec<calibration::Outcome<'_>> = set
            .iter()
            .map(|(line, embedding)| calibration::Outcome {
                understanding: self.classify(&line.text, embedding),
                expected: line.intent.as_deref(),
            })
            .collect();
        Measurement::of(&outcomes)
    }

    /// This index with another calibration (the examples stay embedded).
    pub fn with_calibration(mut self, calibration: Calibration) -> IntentIndex {
        self.intents.calibration = calibration;
        self
    }
}

/// The mean similarity of `embedding` to its [`BEST_EXAMPLES`] closest `examples`; `None`
/// without examples.
fn closest_mean(embedding: &[f32], examples: &[Vec<f32>]) -> Option<f32> {
    let mut similarities: Vec<f32> = examples
        .iter()
        .map(|example| similarity(embedding, example))
        .collect();
    similarities.sort_by(|first, second| second.total_cmp(first));
    similarities.truncate(BEST_EXAMPLES);
    (!similarities.is_empty()).then(|| similarities.iter().sum::<f32>() / similarities.len() as f32)
}

#[cfg(test)]
#[path = "intents_tests.rs"]
mod tests;

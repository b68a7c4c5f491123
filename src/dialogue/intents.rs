//! Intents: what a caller or chat user wants, recognised from their words.
//!
//! Admins define intents in `NAME.intents.toml` beside a flow (schema below), each with example
//! phrasings and optional keywords. An [`IntentIndex`] holds the examples' sentence embeddings;
//! classifying a text compares its embedding with every example (cosine similarity), so
//! paraphrases match without sharing words. A keyword found in the text as whole words decides
//! at once (for words such as "agent" that must always win). Below the file's `threshold` the
//! text is no match. Editing the file changes behaviour at the next load, without a rebuild.
//!
//! ```toml
//! schema = 1
//! threshold = 0.5
//! [[intent]]
//! name = "refund_status"
//! examples = ["where is my refund", "I haven't got my money back"]
//! keywords = ["refund"]
//! ```
//!
//! Pure: embeddings come in from the caller, so this module never runs a model.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::speech::normalise;
use crate::text::lines::line_of;

/// Suffix of intent files, next to `NAME.flow.toml`.
pub const INTENTS_FILE_SUFFIX: &str = ".intents.toml";
/// Similarity below which a text matches no intent, unless the file sets another.
pub const DEFAULT_THRESHOLD: f32 = 0.5;

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
    /// The file parses but makes no sense (duplicate names, no examples, bad threshold).
    #[error("{path}:{line}: {message}")]
    Invalid {
        path: PathBuf,
        line: usize,
        message: String,
    },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct IntentsFile {
    schema: u32,
    threshold: Option<f32>,
    #[serde(rename = "intent", default)]
    intents: Vec<Intent>,
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
    /// Similarity below which a text is no match.
    pub threshold: f32,
    /// The intents, in file order.
    pub intents: Vec<Intent>,
}

impl Intents {
    /// Reads and checks an intents file.
    pub fn load(path: &Path) -> Result<Intents, IntentsError> {
        let text = std::fs::read_to_string(path).map_err(|error| IntentsError::Unreadable {
            path: path.to_path_buf(),
            reason: error.to_string(),
        })?;
        Intents::parse(&text, path)
    }

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
        })
    }
}

/// Every intents file under `directory` (searched recursively), in path order; unreadable
/// directories are skipped.
pub fn intents_files(directory: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let Ok(entries) = std::fs::read_dir(directory) else {
        return found;
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            found.extend(intents_files(&path));
        } else if path
            .file_name()
            .and_then(|name| name.to_str())
            .is_some_and(|name| name.ends_with(INTENTS_FILE_SUFFIX))
        {
            found.push(path);
        }
    }
    found
}

/// The dot product of two embeddings: their cosine similarity when both have unit length.
fn similarity(first: &[f32], second: &[f32]) -> f32 {
    first.iter().zip(second).map(|(a, b)| a * b).sum()
}

/// What a text was understood to want.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Understanding {
    /// The intent, or `None` for no match.
    pub intent: Option<String>,
    /// How sure: 1 for a keyword, else the similarity to the closest example (0..1).
    pub confidence: f32,
    /// The closest intent even when below the threshold, for logs and tuning.
    pub closest: Option<String>,
}

/// The intents with their examples' embeddings, ready to classify.
#[derive(Debug, Clone)]
pub struct IntentIndex {
    intents: Intents,
    /// (intent index, example embedding).
    examples: Vec<(usize, Vec<f32>)>,
}

impl IntentIndex {
    /// Embeds every example with `embed`.
    pub fn build<E>(
        intents: Intents,
        mut embed: impl FnMut(&str) -> Result<Vec<f32>, E>,
    ) -> Result<IntentIndex, E> {
        let mut examples = Vec::new();
        for (index, intent) in intents.intents.iter().enumerate() {
            for example in &intent.examples {
                examples.push((index, embed(example)?));
            }
        }
        Ok(IntentIndex { intents, examples })
    }

    /// The intent of `text`, whose sentence embedding is `embedding`.
    pub fn classify(&self, text: &str, embedding: &[f32]) -> Understanding {
        let words = normalise(text);
        let keyword = self
            .intents
            .intents
            .iter()
            .flat_map(|intent| {
                intent
                    .keywords
                    .iter()
                    .map(move |keyword| (intent, normalise(keyword)))
            })
            .filter(|(_, keyword)| {
                !keyword.is_empty()
                    && words
                        .windows(keyword.len())
                        .any(|window| window == keyword.as_slice())
            })
            .max_by_key(|(_, keyword)| keyword.len());
        if let Some((intent, _)) = keyword {
            return Understanding {
                intent: Some(intent.name.clone()),
                confidence: 1.0,
                closest: Some(intent.name.clone()),
            };
        }
        let best = self
            .examples
            .iter()
            .map(|(index, example)| (*index, similarity(embedding, example)))
            .max_by(|first, second| first.1.total_cmp(&second.1));
        match best {
            Some((index, similarity)) if !words.is_empty() => {
                let name = self.intents.intents[index].name.clone();
                Understanding {
                    intent: (similarity >= self.intents.threshold).then(|| name.clone()),
                    confidence: similarity.clamp(0.0, 1.0),
                    closest: Some(name),
                }
            }
            _ => Understanding {
                intent: None,
                confidence: 0.0,
                closest: None,
            },
        }
    }
}

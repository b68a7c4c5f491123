//! Calibrated confidence: the probability that the intent a text is closest to is the right
//! one, from two measurements of the text's embedding (see [`Scores`]).
//!
//! confidence = 1 / (1 + e^-(similarity_weight × similarity + margin_weight × margin + bias)),
//! a logistic regression (Platt scaling) fitted on labelled utterances by
//! [`Calibration::fit`]. Labelled sets are TSV files, `text<TAB>intent` per line, `none` for
//! text that should match no intent, `#` comment lines; [`Measurement`] reports how accurate and
//! how well calibrated an index is on such a set.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::{IntentsError, Understanding};

/// Expected intent written in labelled sets for text that should match none.
pub const NO_INTENT: &str = "none";

/// The logistic regression turning [`Scores`] into a confidence, as the `[calibration]` table
/// of an intents file.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Calibration {
    /// Weight of the best intent's similarity.
    pub similarity: f32,
    /// Weight of the margin to the runner-up intent.
    pub margin: f32,
    /// Constant term.
    pub bias: f32,
}

impl Default for Calibration {
    /// Fitted on `tests/data/intents-dev.tsv` with the demo intents.
    fn default() -> Calibration {
        Calibration {
            similarity: 8.203,
            margin: 29.501,
            bias: -4.304,
        }
    }
}

/// What a text's embedding measured against an index's intents, before calibration.
#[derive(Debug, Clone, PartialEq)]
pub struct Scores {
    /// The closest intent.
    pub intent: String,
    /// Its similarity: the mean of its examples' best few cosine similarities.
    pub similarity: f32,
    /// How far ahead it is of the runner-up: the next intent, or the unrelated examples
    /// (scored like an intent), whichever is closer; the similarity itself without either.
    pub margin: f32,
}

/// One labelled measurement for fitting: the scores, and whether their intent was right.
#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    /// What the index measured.
    pub scores: Scores,
    /// Whether `scores.intent` is the expected intent.
    pub correct: bool,
}

/// Newton iterations of the fit; it converges in well under ten on real sets.
const FIT_ITERATIONS: usize = 50;
/// L2 penalty on the two weights, which keeps them finite when the set separates perfectly.
const PENALTY: f64 = 1e-3;

impl Calibration {
    /// The confidence for `scores`' similarity and margin, between 0 and 1.
    pub fn confidence(&self, similarity: f32, margin: f32) -> f32 {
        let z = self.similarity * similarity + self.margin * margin + self.bias;
        1.0 / (1.0 + (-z).exp())
    }

    /// Fits the regression to `samples` (maximum likelihood, a little regularised); `None`
    /// without samples or when they do not determine a fit (all alike).
    pub fn fit(samples: &[Sample]) -> Option<Calibration> {
        let rows: Vec<([f64; 3], f64)> = samples
            .iter()
            .map(|sample| {
                (
                    [
                        f64::from(sample.scores.similarity),
                        f64::from(sample.scores.margin),
                        1.0,
                    ],
                    if sample.correct { 1.0 } else { 0.0 },
                )
            })
            .collect();
        if rows.is_empty() {
            return None;
        }
        let mut weights = [0.0f64; 3];
        for _ in 0..FIT_ITERATIONS {
            let mut gradient = [0.0f64; 3];
            let mut hessian = [[0.0f64; 3]; 3];
            for (features, label) in &rows {
                let z: f64 = features.iter().zip(&weights).map(|(x, w)| x * w).sum();
                let probability = 1.0 / (1.0 + (-z).exp());
                for i in 0..3 {
                    gradient[i] += (probability - label) * features[i];
                    for j in 0..3 {
                        hessian[i][j] +=
                            probability * (1.0 - probability) * features[i] * features[j];
                    }
                }
            }
            for i in 0..2 {
                gradient[i] += PENALTY * weights[i];
                hessian[i][i] += PENALTY;
            }
            let step = solve(hessian, gradient)?;
            for (weight, change) in weights.iter_mut().zip(step) {
                *weight -= change;
            }
            if step.iter().all(|change| change.abs() < 1e-9) {
                break;
            }
        }
        let [similarity, margin, bias] = weights.map(|weight| weight as f32);
        weights
            .iter()
            .all(|weight| weight.is_finite())
            .then_some(Calibration {
                similarity,
                margin,
                bias,
            })
    }
}

impl std::fmt::Display for Calibration {
    /// The `[calibration]` table to paste into an intents file.
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(formatter, "[calibration]")?;
        writeln!(formatter, "similarity = {:.3}", self.similarity)?;
        writeln!(formatter, "margin = {:.3}", self.margin)?;
        write!(formatter, "bias = {:.3}", self.bias)
    }
}

/// Solves `matrix × x = vector` by Gaussian elimination with partial pivoting; `None` when the
/// matrix is singular.
fn solve(mut matrix: [[f64; 3]; 3], mut vector: [f64; 3]) -> Option<[f64; 3]> {
    for column in 0..3 {
        let pivot = (column..3)
            .max_by(|&a, &b| matrix[a][column].abs().total_cmp(&matrix[b][column].abs()))?;
        if matrix[pivot][column].abs() < 1e-12 {
            return None;
        }
        matrix.swap(column, pivot);
        vector.swap(column, pivot);
        let pivot_row = matrix[column];
        let pivot_value = vector[column];
        for (row, (values, target)) in matrix.iter_mut().zip(vector.iter_mut()).enumerate() {
            if row != column {
                let factor = values[column] / pivot_row[column];
                for (value, pivot) in values.iter_mut().zip(pivot_row).skip(column) {
                    *value -= factor * pivot;
                }
                *target -= factor * pivot_value;
            }
        }
    }
    Some([0, 1, 2].map(|row| vector[row] / matrix[row][row]))
}

/// One line of a labelled set.
#[derive(Debug, Clone, PartialEq)]
pub struct Labelled {
    /// What was said.
    pub text: String,
    /// The intent it should get, `None` for no match.
    pub intent: Option<String>,
}

/// Parses a labelled set (see the module documentation); `path` names the file in errors. A
/// line without a tab, or with an intent not in `known`, is an error at its line.
pub fn parse_labelled(
    text: &str,
    path: &Path,
    known: &[&str],
) -> Result<Vec<Labelled>, IntentsError> {
    let invalid = |line: usize, message: String| IntentsError::Invalid {
        path: PathBuf::from(path),
        line,
        message,
    };
    let mut set = Vec::new();
    for (index, line) in text.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let Some((said, intent)) = line.split_once('\t') else {
            return Err(invalid(index + 1, "expected text<TAB>intent".into()));
        };
        let intent = intent.trim();
        if intent != NO_INTENT && !known.contains(&intent) {
            return Err(invalid(
                index + 1,
                format!("unknown intent {intent:?} (use {NO_INTENT:?} for no match)"),
            ));
        }
        set.push(Labelled {
            text: said.to_string(),
            intent: (intent != NO_INTENT).then(|| intent.to_string()),
        });
    }
    Ok(set)
}

/// Texts classified in one confidence band.
#[derive(Debug, Clone, PartialEq)]
pub struct Band {
    /// Lowest confidence in the band.
    pub from: f32,
    /// Highest confidence, exclusive (inclusive for the last band).
    pub to: f32,
    /// Texts whose confidence fell in the band.
    pub count: usize,
    /// Their mean confidence.
    pub mean_confidence: f32,
    /// The share of them whose closest intent was right.
    pub accuracy: f32,
}

/// How an index did on a labelled set.
#[derive(Debug, Clone, PartialEq)]
pub struct Measurement {
    /// Lines in the set.
    pub count: usize,
    /// The share of lines given the expected intent (or none when none was expected).
    pub accuracy: f32,
    /// The mean gap between confidence and accuracy over the bands, weighted by band size:
    /// 0 for a perfectly calibrated confidence.
    pub expected_calibration_error: f32,
    /// Five bands of confidence, 0–0.2 to 0.8–1.
    pub bands: Vec<Band>,
}

/// One classified line of a labelled set.
pub(super) struct Outcome<'a> {
    /// What the index said.
    pub understanding: Understanding,
    /// The expected intent.
    pub expected: Option<&'a str>,
}

const BANDS: usize = 5;

impl Measurement {
    /// Summarises classified lines.
    pub(super) fn of(outcomes: &[Outcome<'_>]) -> Measurement {
        let count = outcomes.len();
        let right = outcomes
            .iter()
            .filter(|outcome| outcome.understanding.intent.as_deref() == outcome.expected)
            .count();
        let mut bands: Vec<Band> = (0..BANDS)
            .map(|index| Band {
                from: index as f32 / BANDS as f32,
                to: (index + 1) as f32 / BANDS as f32,
                count: 0,
                mean_confidence: 0.0,
                accuracy: 0.0,
            })
            .collect();
        for outcome in outcomes {
            let confidence = outcome.understanding.confidence;
            let index = ((confidence * BANDS as f32) as usize).min(BANDS - 1);
            let band = &mut bands[index];
            band.count += 1;
            band.mean_confidence += confidence;
            let closest = outcome.understanding.closest.as_deref();
            if closest.is_some() && closest == outcome.expected {
                band.accuracy += 1.0;
            }
        }
        let mut error = 0.0;
        for band in &mut bands {
            if band.count > 0 {
                band.mean_confidence /= band.count as f32;
                band.accuracy /= band.count as f32;
                error += band.count as f32 / count.max(1) as f32
                    * (band.mean_confidence - band.accuracy).abs();
            }
        }
        Measurement {
            count,
            accuracy: right as f32 / count.max(1) as f32,
            expected_calibration_error: error,
            bands,
        }
    }
}

//! The speech keys of menu, collect and ask steps: the `phrases` of menus and asks and the
//! `minimum_confidence` of steps and flows, checked and reported by line like every other key.

use std::collections::BTreeMap;

use toml::Spanned;

use super::context::Context;
use super::error::{FlowError, invalid};
use super::values::FlowDefaults;
use super::values::parse_dtmf_key;
use crate::dialogue::language::speech::normalise;

/// The `minimum_confidence` of menu, collect and ask steps when neither they nor the flow set
/// one.
pub const DEFAULT_MINIMUM_CONFIDENCE: f32 = 0.3;

/// A step's `minimum_confidence`, else the flow's; reports values outside 0..=1.
pub(super) fn minimum_confidence(
    context: &mut Context<'_>,
    value: &Option<Spanned<f64>>,
    defaults: FlowDefaults,
) -> f32 {
    match value {
        Some(value) => confidence(context, value).unwrap_or(defaults.minimum_confidence),
        None => defaults.minimum_confidence,
    }
}

/// Reads a `minimum_confidence` value, reporting it when it is outside 0..=1.
pub(super) fn confidence(context: &mut Context<'_>, value: &Spanned<f64>) -> Option<f32> {
    let number = *value.get_ref();
    if (0.0..=1.0).contains(&number) {
        // Confidences are compared as f32; narrowing only drops precision nobody needs.
        return Some(number as f32);
    }
    let expected = "expected a number from 0 to 1";
    context.error(
        value.span(),
        invalid("minimum_confidence", &number.to_string(), expected),
    );
    None
}

/// Checks the `phrases` of a menu or ask against its choices: every key must be a choice and
/// no phrase may belong to two choices (compared after normalisation), and every phrase needs a
/// word.
pub(super) fn convert_phrases(
    context: &mut Context<'_>,
    raw: &BTreeMap<Spanned<String>, Vec<Spanned<String>>>,
    choices: &BTreeMap<char, String>,
) -> BTreeMap<char, Vec<String>> {
    let mut phrases: BTreeMap<char, Vec<String>> = BTreeMap::new();
    let mut owners: BTreeMap<Vec<String>, char> = BTreeMap::new();
    for (key, list) in raw {
        let Some(choice) = parse_dtmf_key(key.get_ref()).filter(|key| choices.contains_key(key))
        else {
            let error = FlowError::PhraseKeyNotAChoice {
                key: key.get_ref().clone(),
            };
            context.error(key.span(), error);
            continue;
        };
        for phrase in list {
            let words = normalise(phrase.get_ref());
            if words.is_empty() {
                let expected = "expected at least one letter or digit";
                context.error(phrase.span(), invalid("phrase", phrase.get_ref(), expected));
                continue;
            }
            match owners.get(&words) {
                Some(&first) if first != choice => {
                    let phrase_text = phrase.get_ref().clone();
                    let error = FlowError::DuplicatePhrase {
                        phrase: phrase_text,
                        first,
                        second: choice,
                    };
                    context.error(phrase.span(), error);
                }
                Some(_) => {}
                None => {
                    owners.insert(words, choice);
                    phrases
                        .entry(choice)
                        .or_default()
                        .push(phrase.get_ref().clone());
                }
            }
        }
    }
    phrases
}

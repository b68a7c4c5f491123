//! The language speech is recognised in, and what each language asks of whisper.
//!
//! English decodes as it always has. Mandarin decodes with language `zh` and an initial prompt
//! in Simplified characters (without one, whisper often answers in Traditional characters);
//! whatever Traditional characters still slip through are converted to Simplified. `auto` runs
//! whisper's language identification once per utterance (one extra encoder pass) and decodes in
//! the more probable of the languages Hotline serves, English and Mandarin, so a caller is never
//! transcribed in a third language. English-only models (`*.en`) can only do English.

use super::AsrError;
use crate::language::Language;
use crate::text::simplified::to_simplified;
use std::fmt;
use std::str::FromStr;
use whisper_rs::WhisperState;

/// The initial prompt that keeps Mandarin transcripts in Simplified characters ("what follows
/// are sentences in Mandarin.").
pub const MANDARIN_PROMPT: &str = "以下是普通话的句子。";

/// What recognition listens for (`[speech] language`, `hotline transcribe --language`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize)]
pub enum RecognitionLanguage {
    /// English (`en`).
    #[default]
    #[serde(rename = "en")]
    English,
    /// Mandarin Chinese, written in Simplified characters (`zh`).
    #[serde(rename = "zh")]
    Mandarin,
    /// English or Mandarin, whichever whisper identifies (`auto`).
    #[serde(rename = "auto")]
    Auto,
}

impl RecognitionLanguage {
    /// The language code, as written in configuration.
    pub fn code(self) -> &'static str {
        match self {
            RecognitionLanguage::English => "en",
            RecognitionLanguage::Mandarin => "zh",
            RecognitionLanguage::Auto => "auto",
        }
    }

    /// Checks that a model that is (or is not) multilingual can recognise this language.
    pub fn check_model(self, multilingual: bool, model: &std::path::Path) -> Result<(), AsrError> {
        if multilingual || self == RecognitionLanguage::English {
            Ok(())
        } else {
            Err(AsrError::EnglishOnlyModel {
                path: model.to_path_buf(),
                language: self.code(),
            })
        }
    }

    /// The language to decode `audio` in: the configured one, or for `auto` the one whisper's
    /// language identification finds more probable, English or Mandarin.
    pub fn resolve(
        self,
        state: &mut WhisperState,
        audio: &[f32],
        threads: usize,
    ) -> Result<Language, AsrError> {
        match self {
            RecognitionLanguage::English => Ok(Language::English),
            RecognitionLanguage::Mandarin => Ok(Language::Mandarin),
            RecognitionLanguage::Auto => {
                state.pcm_to_mel(audio, threads.max(1))?;
                let (_, probabilities) = state.lang_detect(0, threads.max(1))?;
                let probability = |code: &str| {
                    whisper_rs::get_lang_id(code)
                        .and_then(|id| probabilities.get(usize::try_from(id).ok()?).copied())
                        .unwrap_or(0.0)
                };
                Ok(if probability("zh") > probability("en") {
                    Language::Mandarin
                } else {
                    Language::English
                })
            }
        }
    }
}

impl From<Language> for RecognitionLanguage {
    fn from(language: Language) -> Self {
        match language {
            Language::English => RecognitionLanguage::English,
            Language::Mandarin => RecognitionLanguage::Mandarin,
        }
    }
}

impl fmt::Display for RecognitionLanguage {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.code())
    }
}

impl FromStr for RecognitionLanguage {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text {
            "en" => Ok(RecognitionLanguage::English),
            "zh" => Ok(RecognitionLanguage::Mandarin),
            "auto" => Ok(RecognitionLanguage::Auto),
            other => Err(format!(
                "unknown language {other:?}: expected en, zh or auto"
            )),
        }
    }
}

/// The initial prompt for whisper: the words a step expects, after the Mandarin prompt when
/// decoding Mandarin.
pub fn initial_prompt(language: Language, words: Option<&str>) -> Option<String> {
    match language {
        Language::English => words.map(str::to_string),
        Language::Mandarin => Some(format!("{MANDARIN_PROMPT}{}", words.unwrap_or(""))),
    }
}

/// The transcript as it is handed on: Mandarin in Simplified characters, without the spaces
/// that joining separately decoded pieces put between Chinese characters.
pub fn finish(language: Language, text: String) -> String {
    match language {
        Language::English => text,
        Language::Mandarin => without_spaces_between_chinese(&to_simplified(&text)),
    }
}

/// `text` without the spaces that have a non-ASCII character (Chinese, or its punctuation) on
/// both sides; spaces next to Latin words and numerals stay.
fn without_spaces_between_chinese(text: &str) -> String {
    let characters: Vec<char> = text.chars().collect();
    characters
        .iter()
        .enumerate()
        .filter(|&(index, &character)| {
            let between_chinese = character == ' '
                && index > 0
                && !characters[index - 1].is_ascii()
                && characters
                    .get(index + 1)
                    .is_some_and(|next| !next.is_ascii());
            !between_chinese
        })
        .map(|(_, &character)| character)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn codes_round_trip_and_unknown_ones_are_named() {
        for language in [
            RecognitionLanguage::English,
            RecognitionLanguage::Mandarin,
            RecognitionLanguage::Auto,
        ] {
            assert_eq!(language.code().parse(), Ok(language));
        }
        let error = "fr".parse::<RecognitionLanguage>().expect_err("not served");
        assert!(
            error.contains("\"fr\"") && error.contains("en, zh or auto"),
            "{error}"
        );
    }

    #[test]
    fn english_only_models_refuse_mandarin_and_identification() {
        let model = Path::new("whisper/ggml-tiny.en.bin");
        assert!(
            RecognitionLanguage::English
                .check_model(false, model)
                .is_ok()
        );
        for language in [RecognitionLanguage::Mandarin, RecognitionLanguage::Auto] {
            assert!(language.check_model(true, model).is_ok());
            let message = language
                .check_model(false, model)
                .expect_err("English-only")
                .to_string();
            assert!(message.contains("ggml-tiny.en.bin"), "{message}");
            assert!(message.contains("English-only"), "{message}");
            assert!(message.contains(language.code()), "{message}");
        }
    }

    #[test]
    fn mandarin_prompts_in_simplified_characters_and_keeps_the_expected_words() {
        let mandarin = Language::Mandarin;
        let english = Language::English;
        assert_eq!(
            initial_prompt(mandarin, None).as_deref(),
            Some(MANDARIN_PROMPT)
        );
        assert_eq!(
            initial_prompt(mandarin, Some("是, 不是")),
            Some(format!("{MANDARIN_PROMPT}是, 不是"))
        );
        assert_eq!(initial_prompt(english, None), None);
        assert_eq!(
            initial_prompt(english, Some("yes, no")).as_deref(),
            Some("yes, no")
        );
        assert_eq!(finish(mandarin, "請問訂單號碼".to_string()), "请问订单号码");
        assert_eq!(
            finish(mandarin, "存亡之秋。 此诚 OK 好".to_string()),
            "存亡之秋。此诚 OK 好"
        );
        assert_eq!(finish(english, "請".to_string()), "請");
    }
}

//! The languages Hotline serves callers and chat users in: English and Mandarin Chinese.
//!
//! A flow is written in one of them (`language = "zh"` in the flow file), a bilingual line
//! picks between a flow and its translation by the language of the caller's first words, and
//! recognition, synthesis and understanding each run with the models configured for the call's
//! language. Pure data; depends on nothing else in the crate.

use std::fmt;
use std::str::FromStr;

/// A language callers are served in.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Default,
    serde::Deserialize,
    serde::Serialize,
)]
pub enum Language {
    /// English (`en`).
    #[default]
    #[serde(rename = "en")]
    English,
    /// Mandarin Chinese, written in Simplified characters (`zh`).
    #[serde(rename = "zh")]
    Mandarin,
}

impl Language {
    /// Every language served, English first.
    pub const ALL: [Language; 2] = [Language::English, Language::Mandarin];

    /// The language code (ISO 639-1, as whisper and configuration write it).
    pub fn code(self) -> &'static str {
        match self {
            Language::English => "en",
            Language::Mandarin => "zh",
        }
    }

    /// The language of a code, as [`Language::code`] writes it.
    pub fn from_code(code: &str) -> Option<Language> {
        Language::ALL
            .into_iter()
            .find(|language| language.code() == code)
    }

    /// The BCP 47 tag pages are marked with (`lang` attributes).
    pub fn tag(self) -> &'static str {
        match self {
            Language::English => "en",
            Language::Mandarin => "zh-CN",
        }
    }
}

impl fmt::Display for Language {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.code())
    }
}

impl FromStr for Language {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Language::from_code(text)
            .ok_or_else(|| format!("unknown language {text:?}: expected en or zh"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_unknown_ones_are_named() {
        for language in Language::ALL {
            assert_eq!(language.code().parse(), Ok(language));
        }
        let error = "fr".parse::<Language>().expect_err("not served");
        assert!(
            error.contains("\"fr\"") && error.contains("en or zh"),
            "{error}"
        );
        assert_eq!(Language::Mandarin.tag(), "zh-CN");
    }
}

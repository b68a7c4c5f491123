//! Durations written as text in configuration files (`"200ms"`, `"15s"`, `"2m"`), read with
//! humantime; serde glue for `#[serde(deserialize_with = "crate::duration_text::deserialize")]`.

use serde::{Deserialize, Deserializer};
use std::time::Duration;

/// Reads a humantime duration; the error quotes the text that is not one.
pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Duration, D::Error> {
    let text = String::deserialize(deserializer)?;
    humantime::parse_duration(&text)
        .map_err(|error| serde::de::Error::custom(format!("invalid duration {text:?}: {error}")))
}

/// Reads an optional humantime duration (`#[serde(default, deserialize_with = ...)]`).
pub fn deserialize_optional<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Duration>, D::Error> {
    deserialize(deserializer).map(Some)
}

/// Reads a table of humantime durations (`{ main = "7y" }`).
pub fn deserialize_map<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<std::collections::BTreeMap<String, Duration>, D::Error> {
    let texts = std::collections::BTreeMap::<String, String>::deserialize(deserializer)?;
    texts
        .into_iter()
        .map(|(name, text)| {
            humantime::parse_duration(&text)
                .map(|duration| (name, duration))
                .map_err(|error| {
                    serde::de::Error::custom(format!("invalid duration {text:?}: {error}"))
                })
        })
        .collect()
}

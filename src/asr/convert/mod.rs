//! Converts a CTranslate2 Whisper model (as faster-whisper ships it) into the ggml file
//! whisper.cpp loads.
//!
//! Owns the conversion pipeline: [`ct2`] reads the source index, [`layout`] maps names and
//! splits fused attention, [`mel`] computes the filterbank, [`vocabulary`] decodes the tokens,
//! [`ggml`] writes (and reads back) the output, [`quantize`] packs weight matrices as `q8_0`
//! when asked. Tensors are streamed in small chunks, so memory stays far below the model size. The output appears only when complete: it is written to a
//! `.partial` file and renamed.

pub mod ct2;
pub mod ggml;
pub mod layout;
pub mod mel;
pub mod quantize;
pub mod vocabulary;

#[cfg(test)]
mod ct2_tests;
#[cfg(test)]
mod tests;

use ct2::{Ct2Error, Ct2Model, Dtype, Variable};
use half::f16;
pub use layout::MatrixType;
use layout::{Layout, OutputType};
use std::fs::File;
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use vocabulary::VocabularyError;

/// Bytes streamed per read; a multiple of every element size.
const CHUNK_BYTES: usize = 1 << 16;

/// Errors converting a model.
#[derive(Debug, thiserror::Error)]
pub enum ConvertError {
    #[error(transparent)]
    Source(#[from] Ct2Error),
    #[error(transparent)]
    Vocabulary(#[from] VocabularyError),
    #[error("the model is a CTranslate2 {spec}, not a WhisperSpec")]
    NotWhisper { spec: String },
    #[error("variable {name} has shape {dims:?}, expected {expected}")]
    UnexpectedShape {
        name: String,
        dims: Vec<u32>,
        expected: String,
    },
    #[error("scalar {name} is {value}, expected a non-negative count")]
    BadScalar { name: String, value: i64 },
    #[error("variable {name} is {dtype:?}; only float16 and float32 weights can be converted")]
    UnsupportedDtype { name: String, dtype: Dtype },
    #[error(
        "bias rows {start}..{end} of {name} are not zero, but whisper.cpp has no bias there: \
         the model cannot be converted without changing it"
    )]
    NonZeroBias { name: String, start: u32, end: u32 },
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// What a conversion produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConversionSummary {
    pub hparams: layout::Hparams,
    pub tensor_count: usize,
    pub token_count: usize,
    pub output_bytes: u64,
}

/// Converts the CTranslate2 model in `model_directory` (`model.bin`, `vocabulary.txt`) into a
/// ggml file at `output`, its weight matrices stored as `matrix_type`.
pub fn convert_whisper(
    model_directory: &Path,
    output: &Path,
    matrix_type: MatrixType,
) -> Result<ConversionSummary, ConvertError> {
    let model = Ct2Model::open(&model_directory.join("model.bin"))?;
    let layout = layout::plan(&model, matrix_type)?;
    check_zero_rows(&model, &layout)?;
    let tokens = vocabulary::load_regular_tokens(&model_directory.join("vocabulary.txt"))?;
    let filterbank = mel::whisper_filterbank(layout.hparams.mel_count as usize);

    let partial = output.with_extension("bin.partial");
    let write_error = |source| ConvertError::Write {
        path: partial.clone(),
        source,
    };
    let file = File::create(&partial).map_err(write_error)?;
    let mut sink = BufWriter::with_capacity(CHUNK_BYTES, file);
    ggml::write_header(&mut sink, &layout.hparams, matrix_type).map_err(write_error)?;
    ggml::write_filterbank(&mut sink, &filterbank).map_err(write_error)?;
    ggml::write_vocabulary(&mut sink, &tokens).map_err(write_error)?;
    for tensor in &layout.tensors {
        ggml::write_tensor_header(&mut sink, &tensor.name, &tensor.shape, tensor.output_type)
            .map_err(write_error)?;
        let variable = model.variable(&tensor.source)?;
        let target = Target {
            path: &partial,
            output_type: tensor.output_type,
        };
        stream_rows(
            &model,
            variable,
            &tensor.source,
            tensor.rows.clone(),
            &target,
            &mut sink,
        )?;
    }
    let file = sink
        .into_inner()
        .map_err(|error| write_error(error.into_error()))?;
    file.sync_all().map_err(write_error)?;
    let output_bytes = file.metadata().map_err(write_error)?.len();
    std::fs::rename(&partial, output).map_err(|source| ConvertError::Write {
        path: output.to_path_buf(),
        source,
    })?;
    Ok(ConversionSummary {
        hparams: layout.hparams,
        tensor_count: layout.tensors.len(),
        token_count: tokens.len(),
        output_bytes,
    })
}

/// Byte range of `rows` inside `variable`'s data.
fn row_bytes(variable: &Variable, rows: &std::ops::Range<u32>) -> (u64, u64) {
    let row_size = variable
        .dims
        .iter()
        .skip(1)
        .map(|&dim| u64::from(dim))
        .product::<u64>()
        * variable.dtype.size();
    (
        u64::from(rows.start) * row_size,
        u64::from(rows.end - rows.start) * row_size,
    )
}

/// Calls `visit` with consecutive chunks of the rows' raw bytes.
fn for_each_chunk(
    model: &Ct2Model,
    variable: &Variable,
    rows: std::ops::Range<u32>,
    mut visit: impl FnMut(&[u8]) -> Result<(), ConvertError>,
) -> Result<(), ConvertError> {
    let (start, length) = row_bytes(variable, &rows);
    let mut reader = model.open_data(variable, start, length)?;
    let mut buffer = vec![0u8; CHUNK_BYTES];
    let mut remaining = length;
    while remaining > 0 {
        let size = CHUNK_BYTES.min(remaining as usize);
        reader
            .read_exact(&mut buffer[..size])
            .map_err(|source| ConvertError::Read {
                path: model.path().to_path_buf(),
                source,
            })?;
        visit(&buffer[..size])?;
        remaining -= size as u64;
    }
    Ok(())
}

/// Where converted tensor data goes: the file being written and the element type it wants.
struct Target<'a> {
    path: &'a Path,
    output_type: OutputType,
}

/// Streams `rows` of `variable` to `sink`, converting to the target element type.
fn stream_rows(
    model: &Ct2Model,
    variable: &Variable,
    name: &str,
    rows: std::ops::Range<u32>,
    target: &Target,
    sink: &mut impl Write,
) -> Result<(), ConvertError> {
    let write = |sink: &mut dyn Write, bytes: &[u8]| {
        sink.write_all(bytes).map_err(|source| ConvertError::Write {
            path: target.path.to_path_buf(),
            source,
        })
    };
    let mut converted = Vec::with_capacity(CHUNK_BYTES * 2);
    let mut values = Vec::with_capacity(CHUNK_BYTES / 2);
    match (variable.dtype, target.output_type) {
        (Dtype::Float16, OutputType::Float16) | (Dtype::Float32, OutputType::Float32) => {
            for_each_chunk(model, variable, rows, |chunk| write(sink, chunk))
        }
        (Dtype::Float16, OutputType::Float32) => for_each_chunk(model, variable, rows, |chunk| {
            converted.clear();
            for pair in chunk.chunks_exact(2) {
                let value = f16::from_le_bytes([pair[0], pair[1]]).to_f32();
                converted.extend_from_slice(&value.to_le_bytes());
            }
            write(sink, &converted)
        }),
        (Dtype::Float32, OutputType::Float16) => for_each_chunk(model, variable, rows, |chunk| {
            converted.clear();
            for quad in chunk.chunks_exact(4) {
                let value = f32::from_le_bytes([quad[0], quad[1], quad[2], quad[3]]);
                converted.extend_from_slice(&f16::from_f32(value).to_le_bytes());
            }
            write(sink, &converted)
        }),
        (dtype @ (Dtype::Float16 | Dtype::Float32), OutputType::Quantized8) => {
            // Chunks hold whole rows' blocks: CHUNK_BYTES is a multiple of 32 values of either
            // type, and the planner checked that rows are.
            for_each_chunk(model, variable, rows, |chunk| {
                values.clear();
                if dtype == Dtype::Float16 {
                    values.extend(
                        chunk
                            .chunks_exact(2)
                            .map(|pair| f16::from_le_bytes([pair[0], pair[1]]).to_f32()),
                    );
                } else {
                    values.extend(
                        chunk
                            .chunks_exact(4)
                            .map(|quad| f32::from_le_bytes([quad[0], quad[1], quad[2], quad[3]])),
                    );
                }
                converted.clear();
                quantize::quantize_q8_0(&values, &mut converted);
                write(sink, &converted)
            })
        }
        (dtype, _) => Err(ConvertError::UnsupportedDtype {
            name: name.to_string(),
            dtype,
        }),
    }
}

fn check_zero_rows(model: &Ct2Model, layout: &Layout) -> Result<(), ConvertError> {
    for zero in &layout.zero_rows {
        let variable = model.variable(&zero.source)?;
        let non_zero = || ConvertError::NonZeroBias {
            name: zero.source.clone(),
            start: zero.rows.start,
            end: zero.rows.end,
        };
        let dtype = variable.dtype;
        for_each_chunk(model, variable, zero.rows.clone(), |chunk| {
            let all_zero = match dtype {
                Dtype::Float16 => chunk
                    .chunks_exact(2)
                    .all(|pair| f16::from_le_bytes([pair[0], pair[1]]).to_f32() == 0.0),
                Dtype::Float32 => chunk
                    .chunks_exact(4)
                    .all(|quad| f32::from_le_bytes([quad[0], quad[1], quad[2], quad[3]]) == 0.0),
                other => {
                    return Err(ConvertError::UnsupportedDtype {
                        name: zero.source.clone(),
                        dtype: other,
                    });
                }
            };
            if all_zero { Ok(()) } else { Err(non_zero()) }
        })?;
    }
    Ok(())
}

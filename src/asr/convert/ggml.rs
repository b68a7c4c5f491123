//! The whisper.cpp ggml model file: writer and a summary reader.
//!
//! Layout (little-endian i32 unless noted), as whisper.cpp's `convert-pt-to-ggml.py` writes it
//! and `whisper_model_load` reads it: magic `0x67676d6c` ("ggml"); hparams n_vocab,
//! n_audio_ctx, n_audio_state, n_audio_head, n_audio_layer, n_text_ctx, n_text_state,
//! n_text_head, n_text_layer, n_mels, ftype; the mel filterbank (n_mel, n_fft, then
//! n_mel × n_fft f32); the vocabulary (count, then per token a byte length and the bytes); then
//! tensors until end of file: n_dims, name length, type (0 f32, 1 f16, 8 q8_0), dims innermost first,
//! name, raw data. A quantised model's header `ftype` carries ggml's quantisation version too
//! (`ftype + 1000 × version`, as whisper.cpp's `quantize` writes it).

use super::layout::{Hparams, MatrixType, OutputType};
use super::mel::MelFilterbank;
use super::quantize::{QUANTIZED_BLOCK, QUANTIZED_BLOCK_BYTES};
use std::io::{self, Read, Write};

/// The file magic, "ggml" read as a little-endian u32.
pub const MAGIC: u32 = 0x6767_6d6c;
/// The header `ftype` for a model whose big matrices are f16.
pub const FTYPE_FLOAT16: u32 = 1;
/// The header `ftype` for a model whose big matrices are q8_0: ggml's `GGML_FTYPE_MOSTLY_Q8_0`
/// (7) plus 1000 × its quantisation version (`GGML_QNT_VERSION`, 2 in ggml 0.9.5).
pub const FTYPE_QUANTIZED8: u32 = 7 + 1000 * 2;

fn write_i32(sink: &mut impl Write, value: u32) -> io::Result<()> {
    sink.write_all(&value.to_le_bytes())
}

/// Writes the magic and hparams.
pub fn write_header(
    sink: &mut impl Write,
    hparams: &Hparams,
    matrix_type: MatrixType,
) -> io::Result<()> {
    let ftype = match matrix_type {
        MatrixType::Float16 => FTYPE_FLOAT16,
        MatrixType::Quantized8 => FTYPE_QUANTIZED8,
    };
    for value in [
        MAGIC,
        hparams.vocabulary_size,
        hparams.audio_context,
        hparams.audio_state,
        hparams.audio_heads,
        hparams.audio_layers,
        hparams.text_context,
        hparams.text_state,
        hparams.text_heads,
        hparams.text_layers,
        hparams.mel_count,
        ftype,
    ] {
        write_i32(sink, value)?;
    }
    Ok(())
}

/// Writes the mel filterbank block.
pub fn write_filterbank(sink: &mut impl Write, filterbank: &MelFilterbank) -> io::Result<()> {
    write_i32(sink, filterbank.mel_count as u32)?;
    write_i32(sink, filterbank.frequency_bins as u32)?;
    for weight in &filterbank.weights {
        sink.write_all(&weight.to_le_bytes())?;
    }
    Ok(())
}

/// Writes the vocabulary block.
pub fn write_vocabulary(sink: &mut impl Write, tokens: &[Vec<u8>]) -> io::Result<()> {
    write_i32(sink, tokens.len() as u32)?;
    for token in tokens {
        write_i32(sink, token.len() as u32)?;
        sink.write_all(token)?;
    }
    Ok(())
}

/// Writes one tensor header; `shape` is in PyTorch order and is written innermost first.
pub fn write_tensor_header(
    sink: &mut impl Write,
    name: &str,
    shape: &[u32],
    output_type: OutputType,
) -> io::Result<()> {
    write_i32(sink, shape.len() as u32)?;
    write_i32(sink, name.len() as u32)?;
    write_i32(sink, output_type as u32)?;
    for &dim in shape.iter().rev() {
        write_i32(sink, dim)?;
    }
    sink.write_all(name.as_bytes())
}

/// One tensor as stored: name, dims innermost first (ggml order), ftype code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TensorSummary {
    pub name: String,
    pub dims: Vec<u32>,
    pub ftype: u32,
}

/// What a ggml Whisper file holds, without the tensor data.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelSummary {
    pub hparams: Hparams,
    pub ftype: u32,
    pub filterbank: MelFilterbank,
    pub tokens: Vec<Vec<u8>>,
    pub tensors: Vec<TensorSummary>,
}

fn read_u32(source: &mut impl Read) -> io::Result<u32> {
    let mut bytes = [0; 4];
    source.read_exact(&mut bytes)?;
    Ok(u32::from_le_bytes(bytes))
}

fn invalid(message: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, message)
}

/// Reads a ggml Whisper file back, skipping tensor data; an error names what is wrong.
pub fn read_summary(source: &mut impl Read) -> io::Result<ModelSummary> {
    let magic = read_u32(source)?;
    if magic != MAGIC {
        return Err(invalid(format!(
            "bad magic {magic:#x}, expected {MAGIC:#x}"
        )));
    }
    let mut values = [0u32; 11];
    for value in &mut values {
        *value = read_u32(source)?;
    }
    let [
        vocabulary_size,
        audio_context,
        audio_state,
        audio_heads,
        audio_layers,
        text_context,
        text_state,
        text_heads,
        text_layers,
        mel_count,
        ftype,
    ] = values;
    let hparams = Hparams {
        vocabulary_size,
        audio_context,
        audio_state,
        audio_heads,
        audio_layers,
        text_context,
        text_state,
        text_heads,
        text_layers,
        mel_count,
    };
    let filter_mels = read_u32(source)? as usize;
    let frequency_bins = read_u32(source)? as usize;
    let mut weights = Vec::with_capacity(filter_mels * frequency_bins);
    for _ in 0..filter_mels * frequency_bins {
        weights.push(f32::from_bits(read_u32(source)?));
    }
    let filterbank = MelFilterbank {
        mel_count: filter_mels,
        frequency_bins,
        weights,
    };
    let token_count = read_u32(source)?;
    let mut tokens = Vec::new();
    for _ in 0..token_count {
        let mut token = vec![0; read_u32(source)? as usize];
        source.read_exact(&mut token)?;
        tokens.push(token);
    }
    let mut tensors = Vec::new();
    loop {
        let mut first = [0u8; 4];
        match source.read(&mut first)? {
            0 => break,
            count => source.read_exact(&mut first[count..])?,
        }
        let dimension_count = u32::from_le_bytes(first);
        let name_length = read_u32(source)? as usize;
        let tensor_ftype = read_u32(source)?;
        // (bytes, values) per block of the tensor's type.
        let (block_bytes, block_values) = match tensor_ftype {
            0 => (4, 1),
            1 => (2, 1),
            8 => (QUANTIZED_BLOCK_BYTES, u64::from(QUANTIZED_BLOCK)),
            other => return Err(invalid(format!("tensor with unknown ftype {other}"))),
        };
        let dims = (0..dimension_count)
            .map(|_| read_u32(source))
            .collect::<io::Result<Vec<_>>>()?;
        let mut name = vec![0; name_length];
        source.read_exact(&mut name)?;
        let name =
            String::from_utf8(name).map_err(|_| invalid("tensor name is not UTF-8".into()))?;
        let values = dims.iter().map(|&dim| u64::from(dim)).product::<u64>();
        let data_length = values / block_values * block_bytes;
        let skipped = io::copy(&mut source.by_ref().take(data_length), &mut io::sink())?;
        if skipped != data_length {
            return Err(invalid(format!("tensor {name} is truncated")));
        }
        tensors.push(TensorSummary {
            name,
            dims,
            ftype: tensor_ftype,
        });
    }
    Ok(ModelSummary {
        hparams,
        ftype,
        filterbank,
        tokens,
        tensors,
    })
}

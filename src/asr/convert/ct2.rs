//! Reader for CTranslate2 `model.bin` files (format version 6).
//!
//! Layout (little-endian): u32 version; u16 length + NUL-terminated spec name; u32 revision;
//! u32 variable count; per variable: u16 name length (with NUL), name, u8 rank, u32 dims[rank],
//! u8 dtype, u32 byte count, raw row-major data; then u32 alias count and (alias, target) string
//! pairs. [`Ct2Model::open`] reads only the index and skips the data, so memory stays small; the
//! data is streamed later with [`Ct2Model::copy_bytes`]. Invariant: every indexed variable's data
//! range lies inside the file and its byte count equals element count × dtype size.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

/// The only `model.bin` format version this reader understands.
pub const SUPPORTED_VERSION: u32 = 6;

/// Errors reading a CTranslate2 model file.
#[derive(Debug, thiserror::Error)]
pub enum Ct2Error {
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "{path} is not a CTranslate2 model: format version {found}, expected {SUPPORTED_VERSION}"
    )]
    UnsupportedVersion { path: PathBuf, found: u32 },
    #[error("{path} is truncated: {what} at byte {offset} runs past the end of the file")]
    Truncated {
        path: PathBuf,
        what: String,
        offset: u64,
    },
    #[error("{path}: {what} is not valid UTF-8 text")]
    BadName { path: PathBuf, what: String },
    #[error("{path}: variable {name} has unknown dtype code {code}")]
    UnknownDtype {
        path: PathBuf,
        name: String,
        code: u8,
    },
    #[error("{path}: variable {name} holds {found} bytes, but its shape and dtype need {expected}")]
    SizeMismatch {
        path: PathBuf,
        name: String,
        found: u64,
        expected: u64,
    },
    #[error("{path}: no variable named {name}")]
    MissingVariable { path: PathBuf, name: String },
    #[error("{path}: variable {name} is not an integer scalar")]
    NotScalar { path: PathBuf, name: String },
}

/// Element types CTranslate2 stores.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dtype {
    Float32,
    Int8,
    Int16,
    Int32,
    Float16,
    Bfloat16,
}

impl Dtype {
    fn from_code(code: u8) -> Option<Self> {
        Some(match code {
            0 => Self::Float32,
            1 => Self::Int8,
            2 => Self::Int16,
            3 => Self::Int32,
            4 => Self::Float16,
            5 => Self::Bfloat16,
            _ => return None,
        })
    }

    /// Bytes per element.
    pub fn size(self) -> u64 {
        match self {
            Self::Int8 => 1,
            Self::Int16 | Self::Float16 | Self::Bfloat16 => 2,
            Self::Float32 | Self::Int32 => 4,
        }
    }
}

/// One variable's index entry: shape, type and where its data lives in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variable {
    pub dims: Vec<u32>,
    pub dtype: Dtype,
    /// Byte offset of the first data byte in the file.
    pub offset: u64,
    pub byte_count: u64,
}

/// The index of a CTranslate2 model file.
#[derive(Debug)]
pub struct Ct2Model {
    path: PathBuf,
    /// The spec name, e.g. `WhisperSpec`.
    pub spec: String,
    pub revision: u32,
    pub variables: BTreeMap<String, Variable>,
    /// Alias name → target variable name.
    pub aliases: BTreeMap<String, String>,
}

struct IndexReader {
    reader: BufReader<File>,
    path: PathBuf,
    length: u64,
    position: u64,
}

impl IndexReader {
    fn io(&self, source: std::io::Error) -> Ct2Error {
        Ct2Error::Io {
            path: self.path.clone(),
            source,
        }
    }

    fn need(&self, count: u64, what: &str) -> Result<(), Ct2Error> {
        if self.position + count > self.length {
            return Err(Ct2Error::Truncated {
                path: self.path.clone(),
                what: what.to_string(),
                offset: self.position,
            });
        }
        Ok(())
    }

    fn bytes(&mut self, count: u64, what: &str) -> Result<Vec<u8>, Ct2Error> {
        self.need(count, what)?;
        let mut buffer = vec![0; count as usize];
        self.reader
            .read_exact(&mut buffer)
            .map_err(|source| self.io(source))?;
        self.position += count;
        Ok(buffer)
    }

    fn array<const N: usize>(&mut self, what: &str) -> Result<[u8; N], Ct2Error> {
        let bytes = self.bytes(N as u64, what)?;
        let mut array = [0; N];
        array.copy_from_slice(&bytes);
        Ok(array)
    }

    fn u8(&mut self, what: &str) -> Result<u8, Ct2Error> {
        Ok(self.array::<1>(what)?[0])
    }

    fn u16(&mut self, what: &str) -> Result<u16, Ct2Error> {
        Ok(u16::from_le_bytes(self.array(what)?))
    }

    fn u32(&mut self, what: &str) -> Result<u32, Ct2Error> {
        Ok(u32::from_le_bytes(self.array(what)?))
    }

    fn string(&mut self, what: &str) -> Result<String, Ct2Error> {
        let length = self.u16(what)?;
        let mut bytes = self.bytes(u64::from(length), what)?;
        if bytes.last() == Some(&0) {
            bytes.pop();
        }
        String::from_utf8(bytes).map_err(|_| Ct2Error::BadName {
            path: self.path.clone(),
            what: what.to_string(),
        })
    }

    fn skip(&mut self, count: u64, what: &str) -> Result<(), Ct2Error> {
        self.need(count, what)?;
        self.reader
            .seek_relative(count as i64)
            .map_err(|source| self.io(source))?;
        self.position += count;
        Ok(())
    }
}

impl Ct2Model {
    /// Reads the index of `path`, skipping over the tensor data.
    pub fn open(path: &Path) -> Result<Self, Ct2Error> {
        let io = |source| Ct2Error::Io {
            path: path.to_path_buf(),
            source,
        };
        let file = File::open(path).map_err(io)?;
        let length = file.metadata().map_err(io)?.len();
        let mut reader = IndexReader {
            reader: BufReader::new(file),
            path: path.to_path_buf(),
            length,
            position: 0,
        };
        let version = reader.u32("format version")?;
        if version != SUPPORTED_VERSION {
            return Err(Ct2Error::UnsupportedVersion {
                path: path.to_path_buf(),
                found: version,
            });
        }
        let spec = reader.string("spec name")?;
        let revision = reader.u32("spec revision")?;
        let count = reader.u32("variable count")?;
        let mut variables = BTreeMap::new();
        for index in 0..count {
            let name = reader.string(&format!("name of variable {index}"))?;
            let rank = reader.u8(&format!("rank of {name}"))?;
            let dims = (0..rank)
                .map(|_| reader.u32(&format!("shape of {name}")))
                .collect::<Result<Vec<_>, _>>()?;
            let code = reader.u8(&format!("dtype of {name}"))?;
            let dtype = Dtype::from_code(code).ok_or_else(|| Ct2Error::UnknownDtype {
                path: path.to_path_buf(),
                name: name.clone(),
                code,
            })?;
            let byte_count = u64::from(reader.u32(&format!("byte count of {name}"))?);
            let expected = dims.iter().map(|&dim| u64::from(dim)).product::<u64>() * dtype.size();
            if byte_count != expected {
                return Err(Ct2Error::SizeMismatch {
                    path: path.to_path_buf(),
                    name,
                    found: byte_count,
                    expected,
                });
            }
            let offset = reader.position;
            reader.skip(byte_count, &format!("data of {name}"))?;
            let variable = Variable {
                dims,
                dtype,
                offset,
                byte_count,
            };
            variables.insert(name, variable);
        }
        let alias_count = reader.u32("alias count")?;
        let mut aliases = BTreeMap::new();
        for _ in 0..alias_count {
            let alias = reader.string("alias name")?;
            let target = reader.string(&format!("target of alias {alias}"))?;
            aliases.insert(alias, target);
        }
        Ok(Self {
            path: path.to_path_buf(),
            spec,
            revision,
            variables,
            aliases,
        })
    }

    /// Looks a variable up by name, following one level of aliases.
    pub fn variable(&self, name: &str) -> Result<&Variable, Ct2Error> {
        let resolved = self.aliases.get(name).map_or(name, String::as_str);
        self.variables
            .get(resolved)
            .ok_or_else(|| Ct2Error::MissingVariable {
                path: self.path.clone(),
                name: name.to_string(),
            })
    }

    /// Reads an integer scalar (rank 0) such as `encoder/num_heads`.
    pub fn scalar(&self, name: &str) -> Result<i64, Ct2Error> {
        let variable = self.variable(name)?;
        let not_scalar = || Ct2Error::NotScalar {
            path: self.path.clone(),
            name: name.to_string(),
        };
        if !variable.dims.is_empty() {
            return Err(not_scalar());
        }
        let mut bytes = Vec::new();
        self.open_data(variable, 0, variable.byte_count)?
            .read_to_end(&mut bytes)
            .map_err(|source| Ct2Error::Io {
                path: self.path.clone(),
                source,
            })?;
        Ok(match (variable.dtype, bytes.as_slice()) {
            (Dtype::Int8, [byte]) => i64::from(*byte as i8),
            (Dtype::Int16, [low, high]) => i64::from(i16::from_le_bytes([*low, *high])),
            (Dtype::Int32, [a, b, c, d]) => i64::from(i32::from_le_bytes([*a, *b, *c, *d])),
            _ => return Err(not_scalar()),
        })
    }

    /// Opens `length` data bytes of `variable`, starting `start` bytes into its data, for
    /// streaming. The range must lie inside the variable (checked when the index was read).
    pub fn open_data(
        &self,
        variable: &Variable,
        start: u64,
        length: u64,
    ) -> Result<std::io::Take<BufReader<File>>, Ct2Error> {
        let io = |source| Ct2Error::Io {
            path: self.path.clone(),
            source,
        };
        let mut file = File::open(&self.path).map_err(io)?;
        file.seek(SeekFrom::Start(variable.offset + start))
            .map_err(io)?;
        Ok(BufReader::with_capacity(1 << 16, file).take(length))
    }

    /// The file this index was read from.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

//! The byte-level BPE vocabulary written into a ggml Whisper file.
//!
//! CTranslate2 stores tokens in `vocabulary.txt` (one per line, id = line number) spelled with
//! GPT-2's byte-to-unicode mapping; whisper.cpp wants each token's raw bytes. Only the regular
//! tokens are written: ids 0 through `<|endoftext|>` (50,257 for the English models); whisper.cpp
//! derives the special tokens after them itself. Invariant: every returned token is the exact
//! byte string the mapping encodes.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The token that closes the regular vocabulary.
pub const END_OF_TEXT: &str = "<|endoftext|>";

/// Errors loading the vocabulary.
#[derive(Debug, thiserror::Error)]
pub enum VocabularyError {
    #[error("cannot read the vocabulary {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path} has no {END_OF_TEXT} token: it is not a Whisper vocabulary")]
    NoEndOfText { path: PathBuf },
    #[error(
        "{path}:{line}: token {token:?} has character {character:?} outside GPT-2's byte mapping"
    )]
    UnmappedCharacter {
        path: PathBuf,
        line: usize,
        token: String,
        character: char,
    },
}

/// GPT-2's reversible byte → printable character mapping (`bytes_to_unicode` in openai/gpt-2).
pub fn byte_to_unicode() -> [char; 256] {
    let printable =
        |byte: u8| (b'!'..=b'~').contains(&byte) || (0xA1..=0xAC).contains(&byte) || byte >= 0xAE;
    let mut table = ['\0'; 256];
    let mut next_unprintable = 0u32;
    for byte in 0..=255u8 {
        table[usize::from(byte)] = if printable(byte) {
            char::from(byte)
        } else {
            next_unprintable += 1;
            char::from_u32(255 + next_unprintable)
                .expect("256 + n for n < 256 is a valid Unicode scalar value")
        };
    }
    table
}

/// The reverse of [`byte_to_unicode`].
pub fn unicode_to_byte() -> HashMap<char, u8> {
    byte_to_unicode()
        .iter()
        .enumerate()
        .map(|(byte, &character)| (character, byte as u8))
        .collect()
}

/// Decodes one mapped token into its bytes, or returns the first unmapped character.
pub fn decode_token(token: &str, decoder: &HashMap<char, u8>) -> Result<Vec<u8>, char> {
    token
        .chars()
        .map(|character| decoder.get(&character).copied().ok_or(character))
        .collect()
}

/// Reads `vocabulary.txt` and returns the regular tokens' bytes, in id order.
pub fn load_regular_tokens(path: &Path) -> Result<Vec<Vec<u8>>, VocabularyError> {
    let text = std::fs::read_to_string(path).map_err(|source| VocabularyError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let decoder = unicode_to_byte();
    let mut tokens = Vec::new();
    for (index, token) in text.lines().enumerate() {
        let bytes = decode_token(token, &decoder).map_err(|character| {
            VocabularyError::UnmappedCharacter {
                path: path.to_path_buf(),
                line: index + 1,
                token: token.to_string(),
                character,
            }
        })?;
        tokens.push(bytes);
        if token == END_OF_TEXT {
            return Ok(tokens);
        }
    }
    Err(VocabularyError::NoEndOfText {
        path: path.to_path_buf(),
    })
}

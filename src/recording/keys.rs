//! Recording keys: named 256-bit AES keys, one of them current.
//!
//! Keys come from the `HOTLINE_RECORDING_KEYS` environment variable (`id:hex,id:hex`) or a key
//! file (one `id hex` pair per line, `#` comments). The last key listed is current: new
//! recordings are sealed with it, and older keys stay listed for as long as recordings sealed
//! with them are kept, which is how keys rotate. Each recording has its own random data key,
//! stored wrapped (AES-256-GCM) by the current key under that key's ID.
//!
//! Invariants: key bytes never appear in errors or logs; an ID is 1–32 characters of
//! `[A-Za-z0-9_-]`; a key file written here is readable by its owner only.

use super::RecordingError;
use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use std::path::Path;

/// The environment variable that holds recording keys.
pub const KEYS_VARIABLE: &str = "HOTLINE_RECORDING_KEYS";
/// Bytes of a key.
pub const KEY_BYTES: usize = 32;
/// Bytes of a wrapped data key: nonce, key, tag.
const WRAPPED_BYTES: usize = 12 + KEY_BYTES + 16;

/// One named key.
#[derive(Clone)]
struct NamedKey {
    id: String,
    key: [u8; KEY_BYTES],
}

/// The keys recordings are sealed and opened with.
#[derive(Clone)]
pub struct KeyRing {
    /// In the order listed; the last is current.
    keys: Vec<NamedKey>,
}

impl std::fmt::Debug for KeyRing {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let ids: Vec<&str> = self.keys.iter().map(|key| key.id.as_str()).collect();
        formatter
            .debug_struct("KeyRing")
            .field("ids", &ids)
            .finish()
    }
}

impl KeyRing {
    /// Parses `id hex` lines (a key file) or `id:hex` items separated by commas (the variable).
    pub fn parse(text: &str, source: &str) -> Result<KeyRing, RecordingError> {
        let invalid = |line: usize, message: String| RecordingError::Keys {
            origin: source.to_string(),
            message: format!("entry {line}: {message}"),
        };
        let mut keys: Vec<NamedKey> = Vec::new();
        let entries = text
            .lines()
            .map(|line| line.split('#').next().unwrap_or(""))
            .flat_map(|line| line.split(','))
            .map(str::trim)
            .enumerate()
            .filter(|(_, entry)| !entry.is_empty());
        for (index, entry) in entries {
            let (id, hex) = entry
                .split_once([' ', ':', '\t'])
                .ok_or_else(|| invalid(index + 1, "expected an ID and a hex key".to_string()))?;
            let (id, hex) = (id.trim(), hex.trim());
            let id_valid = (1..=32).contains(&id.len())
                && id
                    .chars()
                    .all(|character| character.is_ascii_alphanumeric() || "_-".contains(character));
            if !id_valid {
                return Err(invalid(
                    index + 1,
                    "the key ID must be 1-32 letters, digits, '_' or '-' (ID first, then the key)"
                        .to_string(),
                ));
            }
            let key = decode_key(hex).ok_or_else(|| {
                invalid(
                    index + 1,
                    format!("key {id} must be {} hex digits", 2 * KEY_BYTES),
                )
            })?;
            if keys.iter().any(|known| known.id == id) {
                return Err(invalid(index + 1, format!("key ID {id} is listed twice")));
            }
            keys.push(NamedKey {
                id: id.to_string(),
                key,
            });
        }
        if keys.is_empty() {
            return Err(RecordingError::Keys {
                origin: source.to_string(),
                message: "no keys".to_string(),
            });
        }
        Ok(KeyRing { keys })
    }

    /// Reads a key file.
    pub fn from_file(path: &Path) -> Result<KeyRing, RecordingError> {
        let text = std::fs::read_to_string(path).map_err(|error| RecordingError::Keys {
            origin: path.display().to_string(),
            message: error.to_string(),
        })?;
        KeyRing::parse(&text, &path.display().to_string())
    }

    /// The keys from [`KEYS_VARIABLE`] when it is set, else from `file` when given, else from
    /// `generated` (created with one fresh key, readable by its owner only, when missing).
    pub fn load(file: Option<&Path>, generated: &Path) -> Result<KeyRing, RecordingError> {
        if let Ok(text) = std::env::var(KEYS_VARIABLE) {
            return KeyRing::parse(&text, KEYS_VARIABLE);
        }
        if let Some(file) = file {
            return KeyRing::from_file(file);
        }
        if !generated.exists() {
            write_new_key_file(generated)?;
            tracing::warn!(
                path = %generated.display(),
                "generated a recording key; keep a copy somewhere safe, away from the recordings"
            );
        }
        KeyRing::from_file(generated)
    }

    /// The ID of the key new recordings are sealed with.
    pub fn current_id(&self) -> &str {
        self.keys
            .last()
            .map(|key| key.id.as_str())
            .unwrap_or_default()
    }

    /// Seals a fresh data key with the current key; returns the data key and its wrapped form.
    pub fn new_data_key(&self) -> Result<([u8; KEY_BYTES], Vec<u8>), RecordingError> {
        let current = self.keys.last().ok_or_else(|| RecordingError::Keys {
            origin: "key ring".to_string(),
            message: "no keys".to_string(),
        })?;
        let data_key: [u8; KEY_BYTES] = rand::random();
        let nonce: [u8; 12] = rand::random();
        let cipher = cipher(&current.key);
        let sealed = cipher
            .encrypt(
                &Nonce::from(nonce),
                Payload {
                    msg: &data_key,
                    aad: current.id.as_bytes(),
                },
            )
            .map_err(|_| RecordingError::Crypto("cannot wrap a data key".to_string()))?;
        let mut wrapped = nonce.to_vec();
        wrapped.extend_from_slice(&sealed);
        Ok((data_key, wrapped))
    }

    /// Opens a data key wrapped by the key `id`.
    pub fn open_data_key(
        &self,
        id: &str,
        wrapped: &[u8],
    ) -> Result<[u8; KEY_BYTES], RecordingError> {
        let named = self
            .keys
            .iter()
            .find(|key| key.id == id)
            .ok_or_else(|| RecordingError::UnknownKey { id: id.to_string() })?;
        if wrapped.len() != WRAPPED_BYTES {
            return Err(RecordingError::Crypto(format!(
                "a wrapped data key has {WRAPPED_BYTES} bytes, not {}",
                wrapped.len()
            )));
        }
        let (nonce, sealed) = wrapped.split_at(12);
        let nonce: [u8; 12] = nonce.try_into().unwrap_or_default();
        let opened = cipher(&named.key)
            .decrypt(
                &Nonce::from(nonce),
                Payload {
                    msg: sealed,
                    aad: id.as_bytes(),
                },
            )
            .map_err(|_| {
                RecordingError::Crypto(format!("key {id} does not open this recording's data key"))
            })?;
        opened
            .as_slice()
            .try_into()
            .map_err(|_| RecordingError::Crypto("a data key has the wrong length".to_string()))
    }
}

/// An AES-256-GCM cipher over `key`.
pub fn cipher(key: &[u8; KEY_BYTES]) -> Aes256Gcm {
    Aes256Gcm::new(&(*key).into())
}

/// A new key file with one random key, `k1` plus the date, mode 0600.
pub fn write_new_key_file(path: &Path) -> Result<(), RecordingError> {
    let failed = |error: std::io::Error| RecordingError::Keys {
        origin: path.display().to_string(),
        message: error.to_string(),
    };
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(failed)?;
    }
    let key: [u8; KEY_BYTES] = rand::random();
    let id = format!("k{}", chrono::Utc::now().format("%Y%m%d"));
    let text = format!(
        "# Hotline recording keys: one \"ID HEX\" per line, the last is current.\n{id} {}\n",
        encode_hex(&key)
    );
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path).map_err(failed)?;
    std::io::Write::write_all(&mut file, text.as_bytes()).map_err(failed)?;
    file.sync_all().map_err(failed)
}

/// Lower-case hex of `bytes`.
pub fn encode_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// Bytes of a hex string, if it is one.
pub fn decode_hex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) || !text.is_ascii() {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|index| u8::from_str_radix(&text[index..index + 2], 16).ok())
        .collect()
}

fn decode_key(text: &str) -> Option<[u8; KEY_BYTES]> {
    decode_hex(text)?.try_into().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_lists_parse_from_files_and_the_environment_form() {
        let hex = "ab".repeat(KEY_BYTES);
        let file = KeyRing::parse(
            &format!("# keys\nk1 {hex}\nk2 {}\n", "cd".repeat(32)),
            "file",
        )
        .expect("file form");
        assert_eq!(file.current_id(), "k2");
        let variable = KeyRing::parse(&format!("k1:{hex},k3:{hex}"), "variable").expect("variable");
        assert_eq!(variable.current_id(), "k3");
        let (data_key, wrapped) = file.new_data_key().expect("wrap");
        assert_eq!(
            file.open_data_key("k2", &wrapped).expect("unwrap"),
            data_key
        );
        assert!(file.open_data_key("k1", &wrapped).is_err());
        for bad in [
            "",
            "k1",
            &format!("k1 {}", "ab".repeat(31)),
            &format!("bad/id {hex}"),
            &format!("k1 {hex}\nk1 {hex}"),
        ] {
            let error = KeyRing::parse(bad, "file").expect_err(bad);
            assert!(!error.to_string().contains(&hex), "{error}");
        }
    }

    #[test]
    fn a_generated_key_file_is_private_to_its_owner() {
        let directory = tempfile::tempdir().expect("temp dir");
        let path = directory.path().join("keys/recording.keys");
        write_new_key_file(&path).expect("write");
        let ring = KeyRing::from_file(&path).expect("read back");
        assert!(ring.current_id().starts_with('k'));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path)
                .expect("metadata")
                .permissions()
                .mode();
            assert_eq!(mode & 0o077, 0, "mode {mode:o}");
        }
        assert!(write_new_key_file(&path).is_err(), "never overwritten");
    }
}

//! SHA-256 of files, streamed, as lowercase hex (the form `sha256sum` prints).

use sha2::{Digest, Sha256};
use std::io::Read;
use std::path::Path;

/// Hashes the file at `path` without loading it whole.
pub fn sha256_file(path: &Path) -> std::io::Result<String> {
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 1 << 16];
    loop {
        let count = file.read(&mut buffer)?;
        if count == 0 {
            break;
        }
        hasher.update(&buffer[..count]);
    }
    Ok(hex(hasher))
}

/// The digest of everything `hasher` was given, as lowercase hex.
pub fn hex(hasher: Sha256) -> String {
    hasher
        .finalize()
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::sha256_file;

    #[test]
    fn hashes_like_sha256sum() {
        let directory = tempfile::tempdir().expect("temporary directory");
        let path = directory.path().join("abc");
        std::fs::write(&path, b"abc").expect("write");
        assert_eq!(
            sha256_file(&path).expect("hash"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}

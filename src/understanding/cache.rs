//! Embeddings of a flow's examples and articles kept on disk, so a restart (or the next test
//! server) does not embed them all again. One file per set of texts, named by the SHA-256 of
//! the model name and the texts; a file that does not fit what it should hold is ignored and
//! rewritten. Files are replaced by renaming, so a reader never sees half a file.

use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// A directory of embedding files.
pub struct EmbeddingCache {
    directory: PathBuf,
}

impl EmbeddingCache {
    /// A cache in `directory` (created when first written).
    pub fn new(directory: &Path) -> EmbeddingCache {
        EmbeddingCache {
            directory: directory.to_path_buf(),
        }
    }

    fn path(&self, model: &str, texts: &[&str]) -> PathBuf {
        let mut hash = Sha256::new();
        hash.update(model.as_bytes());
        for text in texts {
            hash.update([0]);
            hash.update(text.as_bytes());
        }
        let name: String = hash
            .finalize()
            .iter()
            .map(|byte| format!("{byte:02x}"))
            .collect();
        self.directory.join(format!("{name}.embeddings"))
    }

    /// The embeddings of `texts` stored earlier for `model`, if any.
    pub fn load(&self, model: &str, texts: &[&str]) -> Option<Vec<Vec<f32>>> {
        let bytes = std::fs::read(self.path(model, texts)).ok()?;
        let (header, body) = bytes.split_at_checked(8)?;
        let count = u32::from_le_bytes(header[..4].try_into().ok()?) as usize;
        let dimension = u32::from_le_bytes(header[4..].try_into().ok()?) as usize;
        if count != texts.len() || body.len() != count * dimension * 4 {
            return None;
        }
        let values: Vec<f32> = body
            .chunks_exact(4)
            .map(|chunk| f32::from_le_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]))
            .collect();
        Some(
            values
                .chunks(dimension.max(1))
                .map(<[f32]>::to_vec)
                .take(count)
                .collect(),
        )
    }

    /// Stores the embeddings of `texts` for `model`; failures only cost a recomputation later.
    pub fn store(
        &self,
        model: &str,
        texts: &[&str],
        embeddings: &[Vec<f32>],
    ) -> std::io::Result<()> {
        let dimension = embeddings.first().map_or(0, Vec::len);
        if embeddings
            .iter()
            .any(|embedding| embedding.len() != dimension)
        {
            return Ok(());
        }
        let mut bytes = Vec::with_capacity(8 + embeddings.len() * dimension * 4);
        bytes.extend_from_slice(&(embeddings.len() as u32).to_le_bytes());
        bytes.extend_from_slice(&(dimension as u32).to_le_bytes());
        for value in embeddings.iter().flatten() {
            bytes.extend_from_slice(&value.to_le_bytes());
        }
        std::fs::create_dir_all(&self.directory)?;
        let path = self.path(model, texts);
        let temporary = path.with_extension(format!("{}.partial", std::process::id()));
        std::fs::write(&temporary, bytes)?;
        std::fs::rename(&temporary, &path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_embeddings_come_back_only_for_the_same_model_and_texts() {
        let directory = tempfile::tempdir().expect("temporary directory");
        let cache = EmbeddingCache::new(&directory.path().join("embeddings"));
        let texts = ["where is my order", "agent"];
        let embeddings = vec![vec![0.6, 0.8], vec![1.0, 0.0]];
        assert_eq!(cache.load("model", &texts), None);
        cache.store("model", &texts, &embeddings).expect("stored");
        assert_eq!(cache.load("model", &texts), Some(embeddings));
        assert_eq!(cache.load("other model", &texts), None);
        assert_eq!(cache.load("model", &["where is my order"]), None);
        let path = cache.path("model", &texts);
        std::fs::write(&path, [1, 2, 3]).expect("corrupted");
        assert_eq!(
            cache.load("model", &texts),
            None,
            "a corrupt file is ignored"
        );
    }
}

//! The phrase cache: synthesized sentences kept in memory so fixed prompts are synthesized once.
//!
//! Keyed by (voice, output rate, normalized sentence text); values are shared sample buffers.
//! Owned by the synthesis thread alone, so it needs no locking.
//!
//! Invariants: the samples held never exceed the byte capacity (least recently used entries are
//! evicted first, and an entry larger than the whole capacity is not stored); a capacity of zero
//! disables caching.

use std::collections::HashMap;
use std::sync::Arc;

/// What a cached phrase is looked up by.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PhraseKey {
    pub voice: String,
    pub rate: u32,
    pub text: String,
}

struct Entry {
    samples: Arc<[i16]>,
    last_used: u64,
}

/// A size-bounded, least-recently-used map from phrases to their audio.
pub struct PhraseCache {
    entries: HashMap<PhraseKey, Entry>,
    capacity_bytes: usize,
    used_bytes: usize,
    /// Increases on every access; orders entries by recency.
    clock: u64,
}

fn size_in_bytes(samples: &[i16]) -> usize {
    std::mem::size_of_val(samples)
}

impl PhraseCache {
    /// An empty cache holding at most `capacity_bytes` of samples.
    pub fn new(capacity_bytes: usize) -> Self {
        Self {
            entries: HashMap::new(),
            capacity_bytes,
            used_bytes: 0,
            clock: 0,
        }
    }

    /// The audio for `key`, marking it as recently used.
    pub fn get(&mut self, key: &PhraseKey) -> Option<Arc<[i16]>> {
        self.clock += 1;
        let entry = self.entries.get_mut(key)?;
        entry.last_used = self.clock;
        Some(Arc::clone(&entry.samples))
    }

    /// Stores `samples` for `key`, evicting the least recently used entries to make room.
    pub fn insert(&mut self, key: PhraseKey, samples: Arc<[i16]>) {
        let size = size_in_bytes(&samples);
        if size > self.capacity_bytes {
            return;
        }
        if let Some(previous) = self.entries.remove(&key) {
            self.used_bytes -= size_in_bytes(&previous.samples);
        }
        while self.used_bytes + size > self.capacity_bytes {
            let Some(oldest) = self
                .entries
                .iter()
                .min_by_key(|(_, entry)| entry.last_used)
                .map(|(key, _)| key.clone())
            else {
                break;
            };
            if let Some(evicted) = self.entries.remove(&oldest) {
                self.used_bytes -= size_in_bytes(&evicted.samples);
            }
        }
        self.clock += 1;
        self.used_bytes += size;
        self.entries.insert(
            key,
            Entry {
                samples,
                last_used: self.clock,
            },
        );
    }

    #[cfg(test)]
    fn used_bytes(&self) -> usize {
        self.used_bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(text: &str) -> PhraseKey {
        PhraseKey {
            voice: "test".to_owned(),
            rate: 8000,
            text: text.to_owned(),
        }
    }

    fn samples(count: usize) -> Arc<[i16]> {
        vec![1; count].into()
    }

    #[test]
    fn stores_and_returns_phrases_by_voice_rate_and_text() {
        let mut cache = PhraseCache::new(1000);
        cache.insert(key("hello"), samples(10));
        assert_eq!(cache.get(&key("hello")).map(|found| found.len()), Some(10));
        assert!(cache.get(&key("other")).is_none());
        let other_rate = PhraseKey {
            rate: 16000,
            ..key("hello")
        };
        assert!(cache.get(&other_rate).is_none());
    }

    #[test]
    fn evicts_least_recently_used_within_the_bound() {
        let mut cache = PhraseCache::new(60);
        cache.insert(key("a"), samples(10));
        cache.insert(key("b"), samples(10));
        cache.insert(key("c"), samples(10));
        assert!(cache.get(&key("a")).is_some());
        cache.insert(key("d"), samples(10));
        assert!(cache.get(&key("b")).is_none(), "b was least recently used");
        assert!(cache.get(&key("a")).is_some());
        assert!(cache.used_bytes() <= 60);
    }

    #[test]
    fn never_stores_more_than_the_capacity() {
        let mut cache = PhraseCache::new(10);
        cache.insert(key("big"), samples(6));
        assert!(cache.get(&key("big")).is_none());
        let mut disabled = PhraseCache::new(0);
        disabled.insert(key("a"), samples(1));
        assert!(disabled.get(&key("a")).is_none());
        assert_eq!(disabled.used_bytes(), 0);
    }

    #[test]
    fn replacing_an_entry_keeps_the_byte_count_right() {
        let mut cache = PhraseCache::new(100);
        cache.insert(key("a"), samples(10));
        cache.insert(key("a"), samples(20));
        assert_eq!(cache.used_bytes(), 40);
    }
}

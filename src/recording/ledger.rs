//! The index of sealed recordings and the chain of their manifests.
//!
//! Sealing a recording writes its manifest beside it (naming the previous manifest's SHA-256)
//! and adds a row here with the manifest's hash, the retention date and the legal-hold flag.
//! The rows are also what reviewers search through and the sweeper reads.
//!
//! Invariants: sequence numbers run from 1 without gaps; a row is added only after its manifest
//! is on disk; deleting a recording (retention) removes its audio but keeps the manifest and
//! the row, marked deleted, so the chain stays whole.

use super::RecordingError;
use super::keys::encode_hex;
use super::manifest::{GENESIS, Manifest};
use super::writer::SealedContents;
use crate::storage::open_with_schema;
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Row, params};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS recordings (
    call_id TEXT PRIMARY KEY,
    sequence INTEGER NOT NULL UNIQUE,
    file TEXT NOT NULL,
    manifest_sha256 TEXT NOT NULL,
    previous_sha256 TEXT NOT NULL,
    flow TEXT NOT NULL,
    duration_seconds REAL NOT NULL,
    retain_until TEXT NOT NULL,
    legal_hold INTEGER NOT NULL DEFAULT 0,
    deleted_at TEXT
);
";

/// One sealed recording as indexed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LedgerEntry {
    /// The call's ID.
    pub call: String,
    /// Position in the chain.
    pub sequence: u64,
    /// The recording file, relative to the recording directory.
    pub file: String,
    /// SHA-256 of its manifest.
    pub manifest_sha256: String,
    /// SHA-256 of the previous manifest.
    pub previous_sha256: String,
    /// The flow that answered.
    pub flow: String,
    /// Playing time.
    pub duration_seconds: f64,
    /// Kept until then.
    pub retain_until: DateTime<Utc>,
    /// Kept regardless of retention while set.
    pub legal_hold: bool,
    /// When the sweeper deleted its audio.
    pub deleted_at: Option<DateTime<Utc>>,
}

impl LedgerEntry {
    /// The manifest file, relative to the recording directory.
    pub fn manifest_file(&self) -> String {
        manifest_name(&self.file)
    }
}

/// `2026-12-06/ID.hrec` → `2026-12-06/ID.manifest.json`.
pub fn manifest_name(file: &str) -> String {
    format!(
        "{}.manifest.json",
        file.strip_suffix(".hrec").unwrap_or(file)
    )
}

/// The end of year 9999: the latest retention, and what an unreadable one counts as, so that
/// no recording is ever deleted early by a date that does not parse.
pub const LAST_DAY: DateTime<Utc> = match DateTime::from_timestamp(253_402_300_799, 0) {
    Some(time) => time,
    None => DateTime::<Utc>::MAX_UTC,
};

/// A stored time; `otherwise` when it does not parse.
pub fn parse_time(text: &str, otherwise: DateTime<Utc>) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .map(|time| time.with_timezone(&Utc))
        .unwrap_or(otherwise)
}

fn decode(row: &Row<'_>) -> rusqlite::Result<LedgerEntry> {
    Ok(LedgerEntry {
        call: row.get(0)?,
        sequence: row.get::<_, i64>(1)? as u64,
        file: row.get(2)?,
        manifest_sha256: row.get(3)?,
        previous_sha256: row.get(4)?,
        flow: row.get(5)?,
        duration_seconds: row.get(6)?,
        retain_until: parse_time(&row.get::<_, String>(7)?, LAST_DAY),
        legal_hold: row.get::<_, i64>(8)? != 0,
        deleted_at: row
            .get::<_, Option<String>>(9)?
            .as_deref()
            .map(|text| parse_time(text, DateTime::<Utc>::MIN_UTC)),
    })
}

const COLUMNS: &str = "call_id, sequence, file, manifest_sha256, previous_sha256, flow, \
     duration_seconds, retain_until, legal_hold, deleted_at";

/// The recording index in the database.
pub struct Ledger {
    connection: Mutex<Connection>,
    directory: PathBuf,
}

impl Ledger {
    /// Opens (creating if needed) the index in the database at `database`, for recordings
    /// under `directory`.
    pub fn open(database: &Path, directory: &Path) -> Result<Ledger, RecordingError> {
        let connection = open_with_schema(database, SCHEMA)
            .map_err(|error| RecordingError::Index(error.to_string()))?;
        Ok(Ledger {
            connection: Mutex::new(connection),
            directory: directory.to_path_buf(),
        })
    }

    /// The recording directory.
    pub fn directory(&self) -> &Path {
        &self.directory
    }

    fn connection(&self) -> std::sync::MutexGuard<'_, Connection> {
        self.connection
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// `path` relative to the recording directory, as stored.
    pub fn relative(&self, path: &Path) -> String {
        path.strip_prefix(&self.directory)
            .unwrap_or(path)
            .to_string_lossy()
            .into_owned()
    }

    /// Writes the manifest of a finished (or recovered) recording as the next link of the
    /// chain, then indexes it.
    pub fn seal(
        &self,
        contents: &SealedContents,
        flow: &str,
        retain_until: DateTime<Utc>,
        recovered: bool,
    ) -> Result<Manifest, RecordingError> {
        let failed = |error: rusqlite::Error| RecordingError::Index(error.to_string());
        let file = self.relative(&contents.path);
        let mut manifest = Manifest::describe(contents, &file, flow, retain_until, recovered);
        let mut connection = self.connection();
        let transaction = connection
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(failed)?;
        let last: Option<(i64, String)> = transaction
            .query_row(
                "SELECT sequence, manifest_sha256 FROM recordings ORDER BY sequence DESC LIMIT 1",
                [],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .optional()
            .map_err(failed)?;
        let (sequence, previous) = last
            .map(|(sequence, hash)| (sequence as u64 + 1, hash))
            .unwrap_or((1, GENESIS.to_string()));
        manifest.sequence = sequence;
        manifest.previous_sha256 = previous.clone();
        let bytes = serde_json::to_vec_pretty(&manifest).unwrap_or_default();
        let manifest_path = self.directory.join(manifest_name(&file));
        write_synced(&manifest_path, &bytes)?;
        transaction
            .execute(
                &format!(
                    "INSERT INTO recordings ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 0, NULL)"
                ),
                params![
                    manifest.call,
                    sequence as i64,
                    file,
                    encode_hex(&Sha256::digest(&bytes)),
                    previous,
                    flow,
                    manifest.duration_seconds,
                    manifest.retain_until,
                ],
            )
            .map_err(failed)?;
        transaction.commit().map_err(failed)?;
        Ok(manifest)
    }

    /// Every indexed recording, in chain order.
    pub fn entries(&self) -> Result<Vec<LedgerEntry>, RecordingError> {
        let failed = |error: rusqlite::Error| RecordingError::Index(error.to_string());
        let connection = self.connection();
        let mut statement = connection
            .prepare(&format!(
                "SELECT {COLUMNS} FROM recordings ORDER BY sequence"
            ))
            .map_err(failed)?;
        let rows = statement.query_map([], decode).map_err(failed)?;
        rows.collect::<Result<_, _>>().map_err(failed)
    }

    /// One recording by call ID.
    pub fn entry(&self, call: &str) -> Result<Option<LedgerEntry>, RecordingError> {
        self.connection()
            .query_row(
                &format!("SELECT {COLUMNS} FROM recordings WHERE call_id = ?1"),
                params![call],
                decode,
            )
            .optional()
            .map_err(|error| RecordingError::Index(error.to_string()))
    }

    /// Sets or clears the legal hold; false when there is no such recording.
    pub fn set_legal_hold(&self, call: &str, hold: bool) -> Result<bool, RecordingError> {
        self.connection()
            .execute(
                "UPDATE recordings SET legal_hold = ?1 WHERE call_id = ?2",
                params![i64::from(hold), call],
            )
            .map(|changed| changed > 0)
            .map_err(|error| RecordingError::Index(error.to_string()))
    }

    /// Recordings past their retention, not on hold and not yet deleted.
    pub fn expired(&self, now: DateTime<Utc>) -> Result<Vec<LedgerEntry>, RecordingError> {
        Ok(self
            .entries()?
            .into_iter()
            .filter(|entry| {
                entry.deleted_at.is_none() && !entry.legal_hold && entry.retain_until < now
            })
            .collect())
    }

    /// Notes that a recording's audio is being deleted, unless it has been put on legal hold
    /// (or deleted) since it was found expired; false then.
    pub fn mark_deleted(&self, call: &str, at: DateTime<Utc>) -> Result<bool, RecordingError> {
        self.connection()
            .execute(
                "UPDATE recordings SET deleted_at = ?1 \
                 WHERE call_id = ?2 AND legal_hold = 0 AND deleted_at IS NULL",
                params![at.to_rfc3339(), call],
            )
            .map(|changed| changed > 0)
            .map_err(|error| RecordingError::Index(error.to_string()))
    }
}

/// Writes `bytes` to `path` through a temporary file and a rename, synced.
fn write_synced(path: &Path, bytes: &[u8]) -> Result<(), RecordingError> {
    let temporary = path.with_extension("json.partial");
    let failed = |source| RecordingError::Create {
        path: path.to_path_buf(),
        source,
    };
    let mut file = std::fs::File::create(&temporary).map_err(failed)?;
    std::io::Write::write_all(&mut file, bytes).map_err(failed)?;
    file.sync_all().map_err(failed)?;
    std::fs::rename(&temporary, path).map_err(failed)
}

//! The append-only audit log: who viewed, played, exported, held or deleted what, and when.
//!
//! Entries are chained: each holds the SHA-256 of the previous entry and of its own fields, so
//! an altered or removed entry breaks the chain. SQLite triggers refuse updates and deletes.
//!
//! Invariants: entries are only ever appended; sequence numbers run from 1 without gaps.

use super::StorageError;
use super::sqlite::open_with_schema;
use chrono::{DateTime, Utc};
use rusqlite::{Connection, params};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::path::Path;
use std::sync::Mutex;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS audit (
    sequence INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    role TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    detail TEXT NOT NULL,
    previous TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_by_target ON audit(target, action);
CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
";

const ZERO: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One audit entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditEntry {
    /// Position in the log, from 1.
    pub sequence: u64,
    /// When it happened.
    pub at: DateTime<Utc>,
    /// Who did it (a user, an agent, or `hotline` for the server itself).
    pub actor: String,
    /// The actor's role.
    pub role: String,
    /// What was done: `view`, `play`, `export`, `legal_hold`, `recording_deleted`...
    pub action: String,
    /// What it was done to (usually a call ID).
    pub target: String,
    /// More about it (a byte range, a reason).
    pub detail: String,
    /// SHA-256 chaining it to the previous entry, hex.
    pub hash: String,
}

/// The audit log in the database.
pub struct AuditLog {
    connection: Mutex<Connection>,
}

fn entry_hash(previous: &str, entry: &AuditEntry) -> String {
    let mut hasher = Sha256::new();
    for field in [
        previous,
        &entry.sequence.to_string(),
        &entry.at.to_rfc3339(),
        &entry.actor,
        &entry.role,
        &entry.action,
        &entry.target,
        &entry.detail,
    ] {
        hasher.update(field.as_bytes());
        hasher.update([0x1f]);
    }
    hasher
        .finalize()
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// An entry and the previous entry's hash, from `sequence, at, actor, role, action, target,
/// detail, hash, previous`.
fn decode(row: &rusqlite::Row<'_>) -> rusqlite::Result<(AuditEntry, String)> {
    let at: String = row.get(1)?;
    let entry = AuditEntry {
        sequence: row.get::<_, i64>(0)? as u64,
        at: DateTime::parse_from_rfc3339(&at)
            .map(|time| time.with_timezone(&Utc))
            .unwrap_or_default(),
        actor: row.get(2)?,
        role: row.get(3)?,
        action: row.get(4)?,
        target: row.get(5)?,
        detail: row.get(6)?,
        hash: row.get(7)?,
    };
    Ok((entry, row.get(8)?))
}

impl AuditLog {
    /// Opens (creating if needed) the log in the database at `path`.
    pub fn open(path: &Path) -> Result<AuditLog, StorageError> {
        let connection = open_with_schema(path, SCHEMA)?;
        Ok(AuditLog {
            connection: Mutex::new(connection),
        })
    }

    fn connection(&self) -> std::sync::MutexGuard<'_, Connection> {
        self.connection
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Appends an entry and returns it.
    pub fn append(
        &self,
        actor: &str,
        role: &str,
        action: &str,
        target: &str,
        detail: &str,
    ) -> Result<AuditEntry, StorageError> {
        let mut connection = self.connection();
        let transaction =
            connection.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let (sequence, previous): (u64, String) = transaction
            .query_row(
                "SELECT sequence, hash FROM audit ORDER BY sequence DESC LIMIT 1",
                [],
                |row| Ok((row.get::<_, i64>(0)? as u64, row.get(1)?)),
            )
            .or_else(|error| match error {
                rusqlite::Error::QueryReturnedNoRows => Ok((0, ZERO.to_string())),
                error => Err(error),
            })?;
        let mut entry = AuditEntry {
            sequence: sequence + 1,
            at: Utc::now(),
            actor: actor.to_string(),
            role: role.to_string(),
            action: action.to_string(),
            target: target.to_string(),
            detail: detail.to_string(),
            hash: String::new(),
        };
        entry.hash = entry_hash(&previous, &entry);
        transaction.execute(
            "INSERT INTO audit (sequence, at, actor, role, action, target, detail, previous, hash) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![
                entry.sequence as i64,
                entry.at.to_rfc3339(),
                entry.actor,
                entry.role,
                entry.action,
                entry.target,
                entry.detail,
                previous,
                entry.hash
            ],
        )?;
        transaction.commit()?;
        Ok(entry)
    }

    /// The newest entries first, optionally only those about `target`.
    pub fn recent(
        &self,
        limit: usize,
        target: Option<&str>,
    ) -> Result<Vec<AuditEntry>, StorageError> {
        let connection = self.connection();
        let mut statement = connection.prepare(
            "SELECT sequence, at, actor, role, action, target, detail, hash, previous FROM audit \
             WHERE ?1 IS NULL OR target = ?1 ORDER BY sequence DESC LIMIT ?2",
        )?;
        let rows = statement.query_map(params![target, limit as i64], |row| Ok(decode(row)?.0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Whether an entry records `action` on `target`.
    pub fn mentions(&self, action: &str, target: &str) -> Result<bool, StorageError> {
        Ok(self
            .connection()
            .prepare("SELECT 1 FROM audit WHERE target = ?1 AND action = ?2")?
            .exists(params![target, action])?)
    }

    /// Checks the chain from the first entry; each break is described.
    pub fn verify(&self) -> Result<Vec<String>, StorageError> {
        let connection = self.connection();
        let mut statement = connection.prepare(
            "SELECT sequence, at, actor, role, action, target, detail, hash, previous \
             FROM audit ORDER BY sequence",
        )?;
        let mut rows = statement.query([])?;
        let mut breaks = Vec::new();
        let mut expected_previous = ZERO.to_string();
        let mut expected_sequence = 1u64;
        while let Some(row) = rows.next()? {
            let (entry, previous) = decode(row)?;
            if entry.sequence != expected_sequence {
                breaks.push(format!(
                    "audit entry {expected_sequence} is missing (next is {})",
                    entry.sequence
                ));
            }
            if previous != expected_previous || entry_hash(&previous, &entry) != entry.hash {
                breaks.push(format!("audit entry {} was altered", entry.sequence));
            }
            expected_previous = entry.hash.clone();
            expected_sequence = entry.sequence + 1;
        }
        Ok(breaks)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_log_refuses_changes_and_its_chain_shows_any_made_behind_its_back() {
        let directory = tempfile::tempdir().expect("temp dir");
        let path = directory.path().join("hotline.db");
        let log = AuditLog::open(&path).expect("open");
        for action in ["view", "play", "export", "view"] {
            log.append("reviewer", "compliance", action, "call-1", "")
                .expect("append");
        }
        assert_eq!(log.verify().expect("verify"), Vec::<String>::new());
        assert!(log.mentions("export", "call-1").expect("query"));
        let newest: Vec<String> = log
            .recent(2, Some("call-1"))
            .expect("recent")
            .into_iter()
            .map(|entry| entry.action)
            .collect();
        assert_eq!(newest, ["view", "export"]);

        let connection = Connection::open(&path).expect("second connection");
        let refused =
            connection.execute("UPDATE audit SET actor = 'someone' WHERE sequence = 2", []);
        assert!(refused.is_err());
        assert!(
            connection
                .execute("DELETE FROM audit WHERE sequence = 2", [])
                .is_err()
        );

        connection
            .execute_batch(
                "DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;
                 UPDATE audit SET actor = 'someone' WHERE sequence = 2;
                 DELETE FROM audit WHERE sequence = 3;",
            )
            .expect("tampering with the triggers gone");
        let breaks = log.verify().expect("verify");
        assert_eq!(
            breaks,
            [
                "audit entry 2 was altered",
                "audit entry 3 is missing (next is 4)",
                "audit entry 4 was altered",
            ]
        );
    }
}

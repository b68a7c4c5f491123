//! Versions of flows as admins save them, and which version is published: every save is a new
//! numbered version of a flow's files (the flow file, its intents file, its knowledge
//! articles), kept forever, so history, diffs and rollback need nothing else.

use super::error::StorageError;
use super::sqlite::open_with_schema;
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Mutex;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS flow_versions (
    flow TEXT NOT NULL,
    version INTEGER NOT NULL,
    files TEXT NOT NULL,
    author TEXT NOT NULL,
    note TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (flow, version)
);
CREATE TABLE IF NOT EXISTS flow_publications (
    sequence INTEGER PRIMARY KEY AUTOINCREMENT,
    flow TEXT NOT NULL,
    version INTEGER NOT NULL,
    author TEXT NOT NULL,
    published_at TEXT NOT NULL
);
";

/// The files of one version of a flow, as text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FlowFiles {
    /// The flow file (`NAME.flow.toml`).
    pub flow: String,
    /// The intents file (`NAME.intents.toml`), when the flow has one.
    #[serde(default)]
    pub intents: Option<String>,
    /// Knowledge articles by file name (`knowledge/FILE.md`).
    #[serde(default)]
    pub knowledge: BTreeMap<String, String>,
}

/// One saved version of a flow.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct FlowVersion {
    /// The flow's name.
    pub flow: String,
    /// The version number, from 1.
    pub version: u32,
    /// Who saved it.
    pub author: String,
    /// What the author said about it.
    pub note: String,
    /// When it was saved.
    pub created_at: DateTime<Utc>,
    /// Whether it is the version published now.
    pub published: bool,
}

/// The versions of every flow, in the server's database.
pub struct FlowVersionStore {
    connection: Mutex<Connection>,
}

impl FlowVersionStore {
    /// Opens (creating if needed) the versions in the database at `path`.
    pub fn open(path: &Path) -> Result<FlowVersionStore, StorageError> {
        let connection = open_with_schema(path, SCHEMA)?;
        Ok(FlowVersionStore {
            connection: Mutex::new(connection),
        })
    }

    fn connection(&self) -> std::sync::MutexGuard<'_, Connection> {
        self.connection
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Saves `files` as the next version of `flow`.
    pub fn save(
        &self,
        flow: &str,
        files: &FlowFiles,
        author: &str,
        note: &str,
    ) -> Result<FlowVersion, StorageError> {
        let text = serde_json::to_string(files)
            .map_err(|error| StorageError::Invalid(error.to_string()))?;
        let created_at = Utc::now();
        let mut connection = self.connection();
        let transaction = connection.transaction()?;
        let latest: Option<u32> = transaction.query_row(
            "SELECT MAX(version) FROM flow_versions WHERE flow = ?1",
            [flow],
            |row| row.get(0),
        )?;
        let version = latest.unwrap_or(0) + 1;
        transaction.execute(
            "INSERT INTO flow_versions (flow, version, files, author, note, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![flow, version, text, author, note, created_at.to_rfc3339()],
        )?;
        transaction.commit()?;
        Ok(FlowVersion {
            flow: flow.to_string(),
            version,
            author: author.to_string(),
            note: note.to_string(),
            created_at,
            published: false,
        })
    }

    /// Every version of `flow`, newest first.
    pub fn versions(&self, flow: &str) -> Result<Vec<FlowVersion>, StorageError> {
        let published = self.published(flow)?;
        let connection = self.connection();
        let mut statement = connection.prepare(
            "SELECT version, author, note, created_at FROM flow_versions
             WHERE flow = ?1 ORDER BY version DESC",
        )?;
        let rows = statement.query_map([flow], |row| {
            let version: u32 = row.get(0)?;
            Ok(FlowVersion {
                flow: flow.to_string(),
                version,
                author: row.get(1)?,
                note: row.get(2)?,
                created_at: parse_time(&row.get::<_, String>(3)?),
                published: published == Some(version),
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Version `version` of `flow` with its files.
    pub fn version(
        &self,
        flow: &str,
        version: u32,
    ) -> Result<Option<(FlowVersion, FlowFiles)>, StorageError> {
        self.find(flow, Some(version))
    }

    /// The newest version of `flow` with its files.
    pub fn latest(&self, flow: &str) -> Result<Option<(FlowVersion, FlowFiles)>, StorageError> {
        self.find(flow, None)
    }

    fn find(
        &self,
        flow: &str,
        version: Option<u32>,
    ) -> Result<Option<(FlowVersion, FlowFiles)>, StorageError> {
        let published = self.published(flow)?;
        let connection = self.connection();
        let found = connection
            .query_row(
                "SELECT version, author, note, created_at, files FROM flow_versions
                 WHERE flow = ?1 AND (?2 IS NULL OR version = ?2)
                 ORDER BY version DESC LIMIT 1",
                params![flow, version],
                |row| {
                    let version: u32 = row.get(0)?;
                    let saved = FlowVersion {
                        flow: flow.to_string(),
                        version,
                        author: row.get(1)?,
                        note: row.get(2)?,
                        created_at: parse_time(&row.get::<_, String>(3)?),
                        published: published == Some(version),
                    };
                    Ok((saved, row.get::<_, String>(4)?))
                },
            )
            .optional()?;
        let Some((saved, files)) = found else {
            return Ok(None);
        };
        let files = serde_json::from_str(&files).map_err(|error| StorageError::Corrupt {
            id: format!("{flow} version {}", saved.version),
            message: error.to_string(),
        })?;
        Ok(Some((saved, files)))
    }

    /// Records that `author` published version `version` of `flow`.
    pub fn record_publication(
        &self,
        flow: &str,
        version: u32,
        author: &str,
    ) -> Result<(), StorageError> {
        self.connection().execute(
            "INSERT INTO flow_publications (flow, version, author, published_at)
             VALUES (?1, ?2, ?3, ?4)",
            params![flow, version, author, Utc::now().to_rfc3339()],
        )?;
        Ok(())
    }

    /// The version of `flow` published now.
    pub fn published(&self, flow: &str) -> Result<Option<u32>, StorageError> {
        Ok(self
            .connection()
            .query_row(
                "SELECT version FROM flow_publications WHERE flow = ?1
                 ORDER BY sequence DESC LIMIT 1",
                [flow],
                |row| row.get(0),
            )
            .optional()?)
    }

    /// The version a rollback of `flow` returns to: the newest version older than the one
    /// published now that was itself published once.
    pub fn rollback_target(&self, flow: &str) -> Result<Option<u32>, StorageError> {
        let Some(current) = self.published(flow)? else {
            return Ok(None);
        };
        Ok(self.connection().query_row(
            "SELECT MAX(version) FROM flow_publications WHERE flow = ?1 AND version < ?2",
            params![flow, current],
            |row| row.get(0),
        )?)
    }

    /// The names of every flow with a saved version.
    pub fn flows(&self) -> Result<Vec<String>, StorageError> {
        let connection = self.connection();
        let mut statement =
            connection.prepare("SELECT DISTINCT flow FROM flow_versions ORDER BY flow")?;
        let rows = statement.query_map([], |row| row.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

fn parse_time(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .map(|time| time.with_timezone(&Utc))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(text: &str) -> FlowFiles {
        FlowFiles {
            flow: text.to_string(),
            ..FlowFiles::default()
        }
    }

    #[test]
    fn versions_number_up_and_rollback_returns_to_the_last_earlier_publication() {
        let directory = tempfile::tempdir().expect("temporary directory");
        let store = FlowVersionStore::open(&directory.path().join("hotline.db")).expect("open");
        for text in ["one", "two", "three"] {
            store
                .save("main", &files(text), "admin", text)
                .expect("save");
        }
        assert_eq!(store.rollback_target("main").expect("query"), None);
        store
            .record_publication("main", 1, "admin")
            .expect("publish");
        store
            .record_publication("main", 3, "admin")
            .expect("publish");
        assert_eq!(store.published("main").expect("query"), Some(3));
        assert_eq!(store.rollback_target("main").expect("query"), Some(1));
        store
            .record_publication("main", 1, "admin")
            .expect("roll back");
        assert_eq!(store.rollback_target("main").expect("query"), None);
        let versions = store.versions("main").expect("versions");
        let numbers: Vec<u32> = versions.iter().map(|version| version.version).collect();
        assert_eq!(numbers, [3, 2, 1]);
        assert!(versions[2].published && !versions[0].published);
        let (latest, latest_files) = store.latest("main").expect("query").expect("latest");
        assert_eq!((latest.version, latest_files.flow.as_str()), (3, "three"));
        let (_, second) = store.version("main", 2).expect("query").expect("v2");
        assert_eq!(second.flow, "two");
        assert!(store.version("main", 9).expect("query").is_none());
        assert_eq!(store.flows().expect("flows"), ["main"]);
    }
}

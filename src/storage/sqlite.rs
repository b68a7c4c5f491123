//! SQLite implementation of the stores: one file under the data directory, WAL mode so CLI
//! commands can read while the server writes.

use super::{CallFigures, CallFilter, CallOutcome, CallRecord, CallStore, StorageError, WrapUp};
use crate::ids::CallId;
use rusqlite::{Connection, OptionalExtension, Row, params};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The embedded database.
pub struct SqliteStore {
    connection: Mutex<Connection>,
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS calls (
    id TEXT PRIMARY KEY,
    caller TEXT NOT NULL,
    dialled TEXT NOT NULL,
    flow TEXT NOT NULL,
    mode TEXT NOT NULL,
    started_at TEXT NOT NULL,
    ended_at TEXT,
    outcome TEXT NOT NULL,
    digits TEXT NOT NULL,
    variables TEXT NOT NULL,
    recording TEXT,
    transcript TEXT NOT NULL DEFAULT '[]',
    handover TEXT
);
CREATE INDEX IF NOT EXISTS calls_by_start ON calls(started_at);
";

impl SqliteStore {
    /// Opens (creating if needed) the database at `path`. Calls a crash left in progress are
    /// marked failed.
    pub fn open(path: &Path) -> Result<SqliteStore, StorageError> {
        let open_error = |source| StorageError::Open {
            path: path.display().to_string(),
            source,
        };
        let connection = open_with_schema(path, SCHEMA)?;
        add_column(&connection, "transcript", "TEXT NOT NULL DEFAULT '[]'").map_err(open_error)?;
        for column in ["handover", "agent", "wrap_up"] {
            add_column(&connection, column, "TEXT").map_err(open_error)?;
        }
        connection.execute(
            "UPDATE calls SET outcome = ?1 WHERE outcome = ?2",
            params![CallOutcome::Failed.name(), CallOutcome::InProgress.name()],
        )?;
        Ok(SqliteStore {
            connection: Mutex::new(connection),
        })
    }

    fn connection(&self) -> std::sync::MutexGuard<'_, Connection> {
        // A panic while holding the lock leaves SQLite itself consistent; keep serving.
        self.connection
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// A connection to the database file at `path` (created if needed) in WAL mode, so readers
/// (CLI commands, other tables' owners) work while the server writes.
pub fn open_database(path: &Path) -> rusqlite::Result<Connection> {
    let connection = Connection::open(path)?;
    connection.execute_batch(
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
    )?;
    Ok(connection)
}

/// A connection to the database at `path` (see [`open_database`]) with `schema` applied.
pub fn open_with_schema(path: &Path, schema: &str) -> Result<Connection, StorageError> {
    let open_error = |source| StorageError::Open {
        path: path.display().to_string(),
        source,
    };
    let connection = open_database(path).map_err(open_error)?;
    connection.execute_batch(schema).map_err(open_error)?;
    Ok(connection)
}

/// Databases made by earlier versions lack later columns; add `column` in place.
fn add_column(connection: &Connection, column: &str, definition: &str) -> rusqlite::Result<()> {
    let present = connection
        .prepare("SELECT 1 FROM pragma_table_info('calls') WHERE name = ?1")?
        .exists([column])?;
    if !present {
        connection.execute_batch(&format!(
            "ALTER TABLE calls ADD COLUMN {column} {definition}"
        ))?;
    }
    Ok(())
}

fn decode(row: &Row<'_>) -> rusqlite::Result<Result<CallRecord, StorageError>> {
    let id: String = row.get(0)?;
    let started_at: String = row.get(5)?;
    let ended_at: Option<String> = row.get(6)?;
    let outcome: String = row.get(7)?;
    let variables: String = row.get(9)?;
    let recording: Option<String> = row.get(10)?;
    let transcript: String = row.get(11)?;
    let handover: Option<String> = row.get(12)?;
    let wrap_up: Option<String> = row.get(14)?;
    let corrupt = |message: String| StorageError::Corrupt {
        id: id.clone(),
        message,
    };
    let parse_time = |text: &str| {
        chrono::DateTime::parse_from_rfc3339(text)
            .map(|time| time.with_timezone(&chrono::Utc))
            .map_err(|error| corrupt(format!("bad time {text:?}: {error}")))
    };
    let record = (|| {
        Ok(CallRecord {
            id: CallId::parse(&id).ok_or_else(|| corrupt("bad ID".to_string()))?,
            from: row.get(1).map_err(StorageError::Query)?,
            to: row.get(2).map_err(StorageError::Query)?,
            flow: row.get(3).map_err(StorageError::Query)?,
            mode: row.get(4).map_err(StorageError::Query)?,
            started_at: parse_time(&started_at)?,
            ended_at: ended_at.as_deref().map(parse_time).transpose()?,
            outcome: CallOutcome::from_name(&outcome)
                .ok_or_else(|| corrupt(format!("unknown outcome {outcome:?}")))?,
            digits: row.get(8).map_err(StorageError::Query)?,
            variables: serde_json::from_str(&variables)
                .map_err(|error| corrupt(format!("bad variables: {error}")))?,
            recording: recording.map(PathBuf::from),
            transcript: serde_json::from_str(&transcript)
                .map_err(|error| corrupt(format!("bad transcript: {error}")))?,
            handover: handover
                .as_deref()
                .map(serde_json::from_str)
                .transpose()
                .map_err(|error| corrupt(format!("bad handover: {error}")))?,
            agent: row.get(13).map_err(StorageError::Query)?,
            wrap_up: wrap_up
                .as_deref()
                .map(serde_json::from_str)
                .transpose()
                .map_err(|error| corrupt(format!("bad wrap-up: {error}")))?,
        })
    })();
    Ok(record)
}

/// The columns a call's own saves write.
const SAVED: &str = "id, caller, dialled, flow, mode, started_at, ended_at, outcome, digits, \
     variables, recording, transcript, handover, agent";
/// Every column read: the saved ones, then the wrap-up the agent's desk writes.
const COLUMNS: &str = "id, caller, dialled, flow, mode, started_at, ended_at, outcome, digits, \
     variables, recording, transcript, handover, agent, wrap_up";

impl CallStore for SqliteStore {
    fn save_call(&self, record: &CallRecord) -> Result<(), StorageError> {
        let variables = serde_json::to_string(&record.variables).unwrap_or_else(|_| "{}".into());
        let transcript = serde_json::to_string(&record.transcript).unwrap_or_else(|_| "[]".into());
        let handover = record.handover.as_ref().map(serde_json::Value::to_string);
        let updates = SAVED
            .split(", ")
            .skip(1)
            .map(|column| format!("{column} = excluded.{column}"))
            .collect::<Vec<_>>()
            .join(", ");
        self.connection().execute(
            &format!(
                "INSERT INTO calls ({SAVED}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14) \
                 ON CONFLICT(id) DO UPDATE SET {updates}"
            ),
            params![
                record.id.to_string(),
                record.from,
                record.to,
                record.flow,
                record.mode,
                record.started_at.to_rfc3339(),
                record.ended_at.map(|time| time.to_rfc3339()),
                record.outcome.name(),
                record.digits,
                variables,
                record.recording.as_ref().map(|path| path.display().to_string()),
                transcript,
                handover,
                record.agent,
            ],
        )?;
        Ok(())
    }

    fn save_wrap_up(&self, id: CallId, wrap_up: &WrapUp) -> Result<bool, StorageError> {
        let text = serde_json::to_string(wrap_up).unwrap_or_else(|_| "null".into());
        let changed = self.connection().execute(
            "UPDATE calls SET wrap_up = ?1 WHERE id = ?2",
            params![text, id.to_string()],
        )?;
        Ok(changed > 0)
    }

    fn recent_calls(&self, limit: usize) -> Result<Vec<CallRecord>, StorageError> {
        let connection = self.connection();
        let mut statement = connection.prepare(&format!(
            "SELECT {COLUMNS} FROM calls ORDER BY started_at DESC, id DESC LIMIT ?1"
        ))?;
        let rows = statement.query_map(params![limit as i64], decode)?;
        let mut records = Vec::new();
        for row in rows {
            records.push(row??);
        }
        Ok(records)
    }

    fn search_calls(
        &self,
        filter: &CallFilter,
        limit: usize,
    ) -> Result<Vec<CallRecord>, StorageError> {
        let like = |text: &Option<String>| {
            text.as_ref().map(|text| {
                let escaped = text
                    .replace('\\', "\\\\")
                    .replace('%', "\\%")
                    .replace('_', "\\_");
                format!("%{escaped}%")
            })
        };
        let day_after = filter
            .to
            .and_then(|day| day.succ_opt())
            .map(|day| day.format("%Y-%m-%d").to_string());
        let connection = self.connection();
        let mut statement = connection.prepare(&format!(
            "SELECT {COLUMNS} FROM calls WHERE \
             (?1 IS NULL OR started_at >= ?1) AND (?2 IS NULL OR started_at < ?2) \
             AND (?3 IS NULL OR caller LIKE ?3 ESCAPE '\\') AND (?4 IS NULL OR agent = ?4) \
             AND (?5 IS NULL OR json_extract(variables, '$.intent') = ?5) \
             AND (?6 IS NULL OR transcript LIKE ?6 ESCAPE '\\' OR variables LIKE ?6 ESCAPE '\\') \
             AND (?8 = 0 OR recording IS NOT NULL) \
             ORDER BY started_at DESC, id DESC LIMIT ?7"
        ))?;
        let rows = statement.query_map(
            params![
                filter.from.map(|day| day.format("%Y-%m-%d").to_string()),
                day_after,
                like(&filter.caller),
                filter.agent,
                filter.intent,
                like(&filter.text),
                limit as i64,
                filter.recorded
            ],
            decode,
        )?;
        let mut records = Vec::new();
        for row in rows {
            records.push(row??);
        }
        Ok(records)
    }

    fn day_figures(
        &self,
        day: chrono::NaiveDate,
        variable: &str,
    ) -> Result<Vec<CallFigures>, StorageError> {
        let format = |day: chrono::NaiveDate| day.format("%Y-%m-%d").to_string();
        let next_day = day.succ_opt().unwrap_or(day);
        let path = format!("$.\"{}\"", variable.replace('"', ""));
        let connection = self.connection();
        let mut statement = connection.prepare(
            "SELECT id, mode, started_at, ended_at, outcome, handover IS NOT NULL, agent, \
             json_extract(variables, ?3) FROM calls WHERE started_at >= ?1 AND started_at < ?2",
        )?;
        let rows = statement.query_map(params![format(day), format(next_day), path], |row| {
            let id: String = row.get(0)?;
            let started_at: String = row.get(2)?;
            let ended_at: Option<String> = row.get(3)?;
            let outcome: String = row.get(4)?;
            let variable: Option<rusqlite::types::Value> = row.get(7)?;
            Ok((
                id,
                row.get::<_, String>(1)?,
                started_at,
                ended_at,
                outcome,
                row.get(5)?,
                row.get(6)?,
                variable,
            ))
        })?;
        let mut figures = Vec::new();
        for row in rows {
            let (id, mode, started_at, ended_at, outcome, handed_over, agent, variable) = row?;
            let corrupt = |message: String| StorageError::Corrupt {
                id: id.clone(),
                message,
            };
            let time = |text: &str| {
                chrono::DateTime::parse_from_rfc3339(text)
                    .map(|time| time.with_timezone(&chrono::Utc))
                    .map_err(|error| corrupt(error.to_string()))
            };
            figures.push(CallFigures {
                mode,
                started_at: time(&started_at)?,
                ended_at: ended_at.as_deref().map(time).transpose()?,
                outcome: CallOutcome::from_name(&outcome)
                    .ok_or_else(|| corrupt(format!("unknown outcome {outcome:?}")))?,
                handed_over,
                agent,
                variable: variable.and_then(|value| match value {
                    rusqlite::types::Value::Text(text) => Some(text),
                    rusqlite::types::Value::Integer(number) => Some(number.to_string()),
                    rusqlite::types::Value::Real(number) => Some(number.to_string()),
                    _ => None,
                }),
            });
        }
        Ok(figures)
    }

    fn forget_transcript(&self, id: CallId) -> Result<(), StorageError> {
        self.connection().execute(
            "UPDATE calls SET transcript = '[]', handover = NULL WHERE id = ?1",
            params![id.to_string()],
        )?;
        Ok(())
    }

    fn call(&self, id: CallId) -> Result<Option<CallRecord>, StorageError> {
        let connection = self.connection();
        let record = connection
            .query_row(
                &format!("SELECT {COLUMNS} FROM calls WHERE id = ?1"),
                params![id.to_string()],
                decode,
            )
            .optional()?;
        record.transpose()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn record(outcome: CallOutcome, seconds: i64) -> CallRecord {
        CallRecord {
            id: CallId::new(),
            from: "alice".to_string(),
            to: "1001".to_string(),
            flow: "main".to_string(),
            mode: "dtmf".to_string(),
            started_at: chrono::DateTime::from_timestamp(1_800_000_000 + seconds, 0)
                .expect("valid time"),
            ended_at: None,
            outcome,
            digits: "112345#".to_string(),
            variables: BTreeMap::from([("order_number".to_string(), "12345".to_string())]),
            transcript: vec![super::super::TranscriptLine {
                at: chrono::DateTime::from_timestamp(1_800_000_001 + seconds, 0)
                    .expect("valid time"),
                speaker: super::super::Speaker::Caller,
                text: "where is my order".to_string(),
            }],
            recording: Some(PathBuf::from("/data/recordings/x.wav")),
            handover: Some(serde_json::json!({"group": "orders", "reason": "asked for a person"})),
            agent: Some("agent1".to_string()),
            wrap_up: None,
        }
    }

    #[test]
    fn records_round_trip_newest_first_and_crashed_calls_fail() {
        let directory = std::env::temp_dir().join(format!("hotline-store-{}", CallId::new()));
        std::fs::create_dir_all(&directory).expect("temp dir");
        let path = directory.join("hotline.db");
        let older = record(CallOutcome::CallerHangup, 0);
        let newer = record(CallOutcome::InProgress, 10);
        {
            let store = SqliteStore::open(&path).expect("open");
            store.save_call(&older).expect("save");
            store.save_call(&newer).expect("save");
            let listed = store.recent_calls(10).expect("list");
            assert_eq!(listed, vec![newer.clone(), older.clone()]);
        }
        let reopened = SqliteStore::open(&path).expect("reopen");
        let recovered = reopened.call(newer.id).expect("query").expect("present");
        assert_eq!(recovered.outcome, CallOutcome::Failed);
        // A wrap-up survives later saves of the record.
        let wrap_up = WrapUp {
            agent: "agent1".to_string(),
            disposition: "resolved".to_string(),
            notes: "refund sent again".to_string(),
            at: chrono::DateTime::from_timestamp(1_800_000_100, 0).expect("valid time"),
        };
        assert!(reopened.save_wrap_up(older.id, &wrap_up).expect("update"));
        assert!(
            !reopened
                .save_wrap_up(CallId::new(), &wrap_up)
                .expect("update")
        );
        reopened.save_call(&older).expect("save again");
        let kept = reopened.call(older.id).expect("query").expect("present");
        assert_eq!(kept.wrap_up, Some(wrap_up));
        assert_eq!(reopened.recent_calls(1).expect("list").len(), 1);
        std::fs::remove_dir_all(&directory).ok();
    }

    #[test]
    fn a_days_figures_are_its_calls_without_their_transcripts() {
        let directory = tempfile::tempdir().expect("temp dir");
        let store = SqliteStore::open(&directory.path().join("hotline.db")).expect("open");
        let mut rated = record(CallOutcome::CallerHangup, 0);
        rated.variables.insert("survey_rating".into(), "4".into());
        let next_day = record(CallOutcome::FlowHangup, 86_400);
        store.save_call(&rated).expect("save");
        store.save_call(&next_day).expect("save");
        let day = rated.started_at.date_naive();
        let figures = store.day_figures(day, "survey_rating").expect("figures");
        assert_eq!(figures.len(), 1);
        let figure = &figures[0];
        assert_eq!(
            (figure.started_at, figure.outcome),
            (rated.started_at, rated.outcome)
        );
        assert!(figure.handed_over);
        assert_eq!(figure.agent.as_deref(), Some("agent1"));
        assert_eq!(figure.variable.as_deref(), Some("4"));
        let unrated = store.day_figures(day, "no_such_variable").expect("figures");
        assert_eq!(unrated[0].variable, None);
    }
}

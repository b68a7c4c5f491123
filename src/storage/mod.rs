//! Durable records behind store traits, SQLite by default.
//!
//! The call detail records that `GET /api/calls` lists live here. The trait keeps the server
//! independent of the database, so a shared server database can replace SQLite when several
//! Hotline nodes run behind one load balancer.

mod audit;
mod error;
mod flow_versions;
mod record;
mod sqlite;
mod users;

pub use audit::{AuditEntry, AuditLog};
pub use error::StorageError;
pub use flow_versions::{FlowFiles, FlowVersion, FlowVersionStore};
pub use record::{CallFigures, CallOutcome, CallRecord, Speaker, TranscriptLine, WrapUp};
pub use sqlite::{SqliteStore, open_database, open_with_schema};
pub use users::{Role, User, UserStore, hash_password, new_token, password_matches, token_hash};

use crate::ids::CallId;

/// Where call records are kept.
pub trait CallStore: Send + Sync + 'static {
    /// Stores a new or updated record (insert or replace by ID).
    fn save_call(&self, record: &CallRecord) -> Result<(), StorageError>;
    /// The most recent calls, newest first.
    fn recent_calls(&self, limit: usize) -> Result<Vec<CallRecord>, StorageError>;
    /// One call by ID.
    fn call(&self, id: CallId) -> Result<Option<CallRecord>, StorageError>;
    /// Stores an agent's wrap-up with a call; false when there is no such call. Later saves of
    /// the record keep it.
    fn save_wrap_up(&self, id: CallId, wrap_up: &WrapUp) -> Result<bool, StorageError>;
    /// Calls matching `filter`, newest first.
    fn search_calls(
        &self,
        filter: &CallFilter,
        limit: usize,
    ) -> Result<Vec<CallRecord>, StorageError>;
    /// The figures of every call and chat started on `day` (UTC), with the value each stored
    /// in `variable`: what the day's totals need, without transcripts.
    fn day_figures(
        &self,
        day: chrono::NaiveDate,
        variable: &str,
    ) -> Result<Vec<CallFigures>, StorageError>;
    /// Empties a call's transcript and drops its hand-over, which quotes it (its recording was
    /// deleted at the end of its retention).
    fn forget_transcript(&self, id: CallId) -> Result<(), StorageError>;
}

/// What a search for calls asks; every part given must match.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CallFilter {
    /// Started on or after this day (UTC).
    pub from: Option<chrono::NaiveDate>,
    /// Started on or before this day (UTC).
    pub to: Option<chrono::NaiveDate>,
    /// Part of the caller's number or name.
    pub caller: Option<String>,
    /// The agent who took the call.
    pub agent: Option<String>,
    /// The intent the flow recognised.
    pub intent: Option<String>,
    /// Words in the transcript or the collected values.
    pub text: Option<String>,
    /// Only calls with a recording.
    pub recorded: bool,
}

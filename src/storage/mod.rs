//! Durable records behind store traits, SQLite by default.
//!
//! The call detail records that `GET /api/calls` lists live here. The trait keeps the server
//! independent of the database, so a shared server database can replace SQLite when several
//! Hotline nodes run behind one load balancer.

mod error;
mod record;
mod sqlite;

pub use error::StorageError;
pub use record::{CallOutcome, CallRecord, Speaker, TranscriptLine, WrapUp};
pub use sqlite::{SqliteStore, open_database};

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
}

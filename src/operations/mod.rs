//! Live operations: what the admins' dashboard shows, as it happens.
//!
//! * `board`: the conversations in progress, each kept current by its own actor, and today's
//!   queue answers for the service level;
//! * `totals`: today's totals and calls per interval, from the call records;
//! * `alerts`: thresholds (a long wait, a burst of utterances not understood), sans-IO;
//! * `snapshot`: everything together, built once a second while a page watches.

mod alerts;
mod board;
mod snapshot;
mod totals;

pub use alerts::{Alert, AlertRules};
pub use board::{CallBoard, CallState, LiveCall, Progress};
pub use snapshot::{Dashboard, DashboardSetup, Snapshot};

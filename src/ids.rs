//! Globally unique identifiers shared across modules.
//!
//! IDs are UUIDv7: unique across Hotline nodes without coordination and sortable by creation
//! time, so nothing assumes a single process.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Identifies one call from INVITE to hang-up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CallId(uuid::Uuid);

impl CallId {
    /// A new, time-ordered call ID.
    pub fn new() -> CallId {
        CallId(uuid::Uuid::now_v7())
    }

    /// Parses the textual form.
    pub fn parse(text: &str) -> Option<CallId> {
        uuid::Uuid::parse_str(text).ok().map(CallId)
    }
}

impl Default for CallId {
    fn default() -> Self {
        CallId::new()
    }
}

impl fmt::Display for CallId {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(formatter)
    }
}

/// Identifies an agent: their SIP user name and desk login (e.g. `agent1`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct AgentId(String);

impl AgentId {
    /// The agent called `name`.
    pub fn new(name: impl Into<String>) -> AgentId {
        AgentId(name.into())
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for AgentId {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.0)
    }
}

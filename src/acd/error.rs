//! ACD errors: requests the distributor refuses, each with what was wrong.

use crate::ids::{AgentId, CallId};

/// A request the distributor cannot carry out.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AcdError {
    /// No agent has this skill.
    #[error("no skill group '{0}'")]
    UnknownGroup(String),
    /// No such agent is configured.
    #[error("no agent '{0}'")]
    UnknownAgent(AgentId),
    /// Nobody of the group is signed in, so nobody could take the call.
    #[error("no agent of group '{0}' is signed in")]
    Unstaffed(String),
    /// The agent named as a transfer target is signed out.
    #[error("agent '{0}' is not signed in")]
    SignedOut(AgentId),
    /// The call is already waiting.
    #[error("call {0} is already waiting")]
    AlreadyWaiting(CallId),
    /// The agent cannot take a call right now.
    #[error("agent '{agent}' is {presence}")]
    Busy {
        /// The agent.
        agent: AgentId,
        /// Their presence, in words.
        presence: &'static str,
    },
    /// The presence cannot be chosen by the agent (only available and away can).
    #[error("presence '{0}' cannot be chosen; choose available or away")]
    NotChoosable(&'static str),
}

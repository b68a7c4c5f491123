//! How the agent service reaches a call: a line the call's owner gives it when the call joins
//! a queue. The service speaks only through it, so it never depends on how calls are run.

use super::commands::{DeskCommand, MonitorMode};
use super::context::QueueEvent;
use crate::ids::{AgentId, CallId};

/// A call as the agent service reaches it.
pub trait CallLine: Send + Sync + std::fmt::Debug {
    /// The call.
    fn id(&self) -> CallId;
    /// News about the call's place in the queue.
    fn queue(&self, event: QueueEvent);
    /// The desk of the agent offered or handling the call acts on it.
    fn desk(&self, agent: AgentId, command: DeskCommand);
    /// A supervisor joins, changes mode or leaves (`None`).
    fn monitor(&self, supervisor: AgentId, mode: Option<MonitorMode>);
}

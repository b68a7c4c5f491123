//! Automatic call distribution, sans-IO: agents and their presence, skill groups, one queue per
//! group, and which agent is offered which waiting call.
//!
//! [`Distributor`] is driven like every core here: inputs are `handle_*`/request methods that take
//! `now`, outputs are drained with [`Distributor::poll_output`], and
//! [`Distributor::poll_timeout`] says when [`Distributor::handle_timeout`] has work (wrap-up ends,
//! overflow, position announcements). It never reads the clock, opens a socket or spawns a task;
//! the ACD driver owns it and carries its decisions to the call actors and agent desks.
//!
//! Invariants:
//! - a call is waiting at most once, and offered to at most one agent at a time;
//! - an agent is offered at most one call at a time, and only while available and reachable
//!   (a registered contact);
//! - a call an agent rejected or let ring out keeps its place, and is not offered to that agent
//!   again;
//! - waiting calls are served VIP first, then raised priority (complaints), then by how long they
//!   have waited; each goes to the best-skilled available agent, the longest idle among equals.

mod agents;
mod distributor;
mod error;
mod model;
mod queue;
#[cfg(test)]
mod tests;
mod transfer;

pub use distributor::Distributor;
pub use error::AcdError;
pub use model::{
    AcdOutput, AcdSettings, AgentProfile, AgentStatus, Declined, Presence, Priority, QueueStatus,
    WaitingStatus,
};
pub use transfer::{Stage, TransferAction, TransferTiming, WarmTransfer};

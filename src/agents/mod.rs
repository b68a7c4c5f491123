//! The agent service: the ACD's driver.
//!
//! One task owns the [`crate::acd::Distributor`]. Call actors (joining and leaving queues,
//! reporting how offers went), the registrar (agents' phones coming and going) and agent desks
//! (sign-in, presence, decisions) talk to it over one channel; its decisions reach call actors
//! over each call's [`CallLine`] and desks as [`DeskEvent`]s on a broadcast channel.
//!
//! Invariants: the distributor is only touched by the service task; every call it knows has a
//! handle and a context until it leaves or its agent call finishes, so desks can always show
//! what an offered call is about.

mod commands;
mod context;
mod line;
mod service;

pub use commands::{DeskCommand, MonitorMode, TransferTarget};
pub use context::{CallContext, DeskEvent, QueueEvent};
pub use line::CallLine;
pub use service::{AgentService, Snapshot};

//! Calls: one actor (task) per call drives that call's sans-IO [`core`] over its media session.
//!
//! [`CallManager`] is the signaling seam's [`crate::sip::CallSessions`]: it routes a dialled
//! number to a flow, leases RTP ports, and starts an actor that owns all of that call's state.
//! The actor reads the call's sockets, timer and commands, feeds what happened to its
//! [`core::CallCore`] (which makes every decision), and hands the core's outputs to its executor
//! (which owns the I/O). Signaling and HTTP reach a call only through its [`CallHandle`]'s
//! bounded command channel; nothing inside a call is shared behind a lock.
//!
//! Imports within the folder go one way: `manager` → `actor` → `executor` → `legs`/`speech`/
//! `speaking` → `core` → `command`; nothing imports back.

mod actor;
mod command;
pub mod core;
mod error;
mod executor;
mod handle;
mod legs;
mod manager;
mod media_metrics;
mod media_setup;
mod prompts;
mod records;
mod services;
mod speaking;
mod speech;

pub use crate::agents::{DeskCommand, MonitorMode, TransferTarget};
pub use command::CallCommand;
pub use error::CallError;
pub use handle::CallHandle;
pub use manager::CallManager;
pub use prompts::PromptCache;
pub use records::RecordWriter;
pub use services::CallServices;

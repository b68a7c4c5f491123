//! Calls: one actor (task) per call executes its flow over its media session.
//!
//! [`CallManager`] is the signaling seam's [`crate::sip::CallSessions`]: it routes a dialled
//! number to a flow, leases RTP ports, and starts a [`actor`] that owns all of that call's state
//! (media session, flow engine, recorder). Signaling and HTTP reach a call only through its
//! [`CallHandle`]'s bounded command channel; nothing inside a call is shared behind a lock.

mod actor;
mod agent_leg;
mod bridge;
mod command;
mod error;
mod handle;
mod interruption;
#[cfg(test)]
mod interruption_tests;
mod manager;
mod media_metrics;
mod progress;
mod prompts;
mod records;
mod speaking;
mod speech;
mod transfer;

pub use command::{CallCommand, DeskCommand, MonitorMode, TransferTarget};
pub use error::CallError;
pub use handle::CallHandle;
pub use manager::{CallManager, CallServices};
pub use prompts::PromptCache;
pub use records::RecordWriter;

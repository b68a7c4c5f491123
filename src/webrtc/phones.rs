//! Agents' browser phones: the desk's softphone connects a line, and calls to the agent ring
//! there instead of at a SIP phone.
//!
//! Invariant: an agent has at most one line; a newer one (the desk opened again) replaces the
//! older, whose rings end.

use crate::sip::{DialogHandle, HangUps, OutboundCall, OutboundSession};
use dashmap::DashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use tokio::sync::mpsc;

/// A call ringing on an agent's browser phone.
pub struct Ring {
    /// Who is calling and where the call's media is.
    pub call: OutboundCall,
    /// Hears how the leg goes.
    pub session: Box<dyn OutboundSession>,
    /// The call's hang-ups of this leg (it gave up ringing, or it ended).
    pub hangups: HangUps,
}

struct Line {
    id: u64,
    rings: mpsc::UnboundedSender<Ring>,
}

/// The connected browser phones, by agent.
#[derive(Clone, Default)]
pub struct BrowserPhones {
    lines: Arc<DashMap<String, Line>>,
    next_id: Arc<AtomicU64>,
}

/// An agent's connected browser phone; disconnects when dropped.
pub struct PhoneLine {
    agent: String,
    id: u64,
    phones: BrowserPhones,
    rings: mpsc::UnboundedReceiver<Ring>,
}

impl PhoneLine {
    /// The next call ringing on this line; `None` once a newer line replaced it.
    pub async fn next_ring(&mut self) -> Option<Ring> {
        self.rings.recv().await
    }

    /// The agent of the line.
    pub fn agent(&self) -> &str {
        &self.agent
    }
}

impl Drop for PhoneLine {
    fn drop(&mut self) {
        self.phones
            .lines
            .remove_if(&self.agent, |_, line| line.id == self.id);
    }
}

impl BrowserPhones {
    /// No phones connected.
    pub fn new() -> BrowserPhones {
        BrowserPhones::default()
    }

    /// Connects `agent`'s browser phone, replacing an older line.
    pub fn connect(&self, agent: &str) -> PhoneLine {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let (sender, rings) = mpsc::unbounded_channel();
        self.lines
            .insert(agent.to_string(), Line { id, rings: sender });
        PhoneLine {
            agent: agent.to_string(),
            id,
            phones: self.clone(),
            rings,
        }
    }

    /// Whether `agent` has a browser phone connected.
    pub fn is_connected(&self, agent: &str) -> bool {
        self.lines.contains_key(agent)
    }

    /// Rings the agent's browser phone; without one, gives the call back for SIP.
    #[allow(clippy::result_large_err)]
    pub fn dial(
        &self,
        call: OutboundCall,
        session: Box<dyn OutboundSession>,
    ) -> Result<DialogHandle, (OutboundCall, Box<dyn OutboundSession>)> {
        let Some(line) = self.lines.get(&call.agent) else {
            return Err((call, session));
        };
        let (dialog, hangups) = DialogHandle::detached();
        let ring = Ring {
            call,
            session,
            hangups,
        };
        match line.rings.send(ring) {
            Ok(()) => Ok(dialog),
            Err(refused) => Err((refused.0.call, refused.0.session)),
        }
    }
}

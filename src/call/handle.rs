//! The handle signaling and HTTP hold to reach a running call.

use super::command::CallCommand;
use crate::agents::{CallLine, DeskCommand, MonitorMode, QueueEvent};
use crate::ids::{AgentId, CallId};
use crate::sip::sdp::NegotiatedAudio;
use crate::sip::{CallSession, EndReason};
use tokio::sync::mpsc;

/// Capacity of a call's command channel: far above what a caller can produce between two
/// 20 ms ticks, so a full channel means a stuck call, not a busy one.
pub const COMMAND_CAPACITY: usize = 64;

/// A cheap, cloneable reference to one call's actor.
#[derive(Debug, Clone)]
pub struct CallHandle {
    id: CallId,
    commands: mpsc::Sender<CallCommand>,
}

impl CallHandle {
    pub(super) fn new(id: CallId, commands: mpsc::Sender<CallCommand>) -> CallHandle {
        CallHandle { id, commands }
    }

    /// The call's ID.
    pub fn id(&self) -> CallId {
        self.id
    }

    /// Sends a command without waiting; a command to a finished call is dropped.
    pub fn send(&self, command: CallCommand) {
        match self.commands.try_send(command) {
            Ok(()) | Err(mpsc::error::TrySendError::Closed(_)) => {}
            Err(mpsc::error::TrySendError::Full(command)) => {
                tracing::warn!(call = %self.id, ?command, "call command channel full");
                let commands = self.commands.clone();
                tokio::spawn(async move {
                    let _ = commands.send(command).await;
                });
            }
        }
    }
}

impl CallSession for CallHandle {
    fn reference(&self) -> String {
        self.id.to_string()
    }

    fn answered(&self) {
        self.send(CallCommand::Answered);
    }

    fn update_audio(&self, audio: NegotiatedAudio) {
        self.send(CallCommand::UpdateAudio(audio));
    }

    fn key_pressed(&self, key: char) {
        self.send(CallCommand::SipInfoKey(key));
    }

    fn ended(&self, reason: EndReason) {
        self.send(CallCommand::DialogEnded(reason));
    }
}

impl CallLine for CallHandle {
    fn id(&self) -> CallId {
        self.id
    }

    fn queue(&self, event: QueueEvent) {
        self.send(CallCommand::Queue(event));
    }

    fn desk(&self, agent: AgentId, command: DeskCommand) {
        self.send(CallCommand::Desk { agent, command });
    }

    fn monitor(&self, supervisor: AgentId, mode: Option<MonitorMode>) {
        self.send(CallCommand::Monitor { supervisor, mode });
    }
}

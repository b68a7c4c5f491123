//! What desks ask of the calls offered to or handled by their agents, and what supervisors
//! do on a call: the agent service passes these on to the call over its [`super::CallLine`].

use crate::ids::AgentId;

/// What a supervisor does on a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MonitorMode {
    /// Hears caller and agent; nobody hears the supervisor.
    Listen,
    /// Hears both; only the agent hears the supervisor.
    Whisper,
    /// Everyone hears everyone.
    Barge,
}

impl MonitorMode {
    /// Reads `listen`, `whisper` or `barge`.
    pub fn parse(name: &str) -> Option<MonitorMode> {
        match name {
            "listen" => Some(MonitorMode::Listen),
            "whisper" => Some(MonitorMode::Whisper),
            "barge" => Some(MonitorMode::Barge),
            _ => None,
        }
    }
}

/// What an agent's desk can ask of the call offered to or handled by them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeskCommand {
    /// Take the call (like key 1 after the brief).
    Accept,
    /// Pass it on (like key 2): it goes back to its place in the queue.
    Reject,
    /// Put the caller on hold (music) or take them off it.
    Hold(bool),
    /// Hand the caller on (a blind transfer).
    Transfer(TransferTarget),
    /// Call this agent while the caller waits (the first half of an attended transfer).
    Consult(AgentId),
    /// Hand the caller to the consulted agent.
    CompleteConsultation,
    /// End the consultation and go back to the caller.
    CancelConsultation,
    /// Pause the recording (silence is recorded while, say, a card number is read out), or
    /// resume it.
    PauseRecording(bool),
}

/// Where an agent hands a caller on to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TransferTarget {
    /// This agent, when free; otherwise the call waits for the group it was in.
    Agent(AgentId),
    /// Any agent of this group.
    Group(String),
    /// Back into the IVR: this step, or the transfer step's `on_return`.
    Flow(Option<String>),
}

impl TransferTarget {
    /// Reads `agent:NAME`, `group:NAME`, `ivr` or `ivr:STEP`.
    pub fn parse(text: &str) -> Option<TransferTarget> {
        let (kind, name) = text.split_once(':').unwrap_or((text, ""));
        let name = name.trim();
        match kind.trim() {
            "agent" if !name.is_empty() => Some(TransferTarget::Agent(AgentId::new(name))),
            "group" if !name.is_empty() => Some(TransferTarget::Group(name.to_string())),
            "ivr" => Some(TransferTarget::Flow(
                (!name.is_empty()).then(|| name.to_string()),
            )),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transfer_targets_are_read() {
        assert_eq!(
            TransferTarget::parse("agent:agent2"),
            Some(TransferTarget::Agent(AgentId::new("agent2")))
        );
        assert_eq!(
            TransferTarget::parse("group:billing"),
            Some(TransferTarget::Group("billing".to_string()))
        );
        assert_eq!(
            TransferTarget::parse("ivr"),
            Some(TransferTarget::Flow(None))
        );
        assert_eq!(
            TransferTarget::parse("ivr:menu"),
            Some(TransferTarget::Flow(Some("menu".to_string())))
        );
        assert_eq!(TransferTarget::parse("agent:"), None);
        assert_eq!(TransferTarget::parse("queue:x"), None);
    }
}

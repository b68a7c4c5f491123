//! Commands a call actor accepts on its channel.

use crate::agents::{DeskCommand, MonitorMode, QueueEvent};
use crate::ids::AgentId;
use crate::sip::EndReason;
use crate::sip::OutboundEvent;
use crate::sip::sdp::NegotiatedAudio;
use crate::storage::CallOutcome;

/// Everything the outside world can tell a running call.
#[derive(Debug)]
pub enum CallCommand {
    /// The 200 OK went out: start media, recording and the flow.
    Answered,
    /// A re-INVITE changed the stream (hold, resume, new address or codec).
    UpdateAudio(NegotiatedAudio),
    /// A key arrived in a SIP INFO request.
    SipInfoKey(char),
    /// The dialog ended on the SIP side.
    DialogEnded(EndReason),
    /// End the call now with BYE (shutdown, admin action).
    HangUp(CallOutcome),
    /// News from the agent service about the call's place in the queue.
    Queue(QueueEvent),
    /// Something happened on a leg to an agent's phone (`leg` tells legs of one call apart).
    AgentLeg {
        /// The call's own number for the leg.
        leg: u64,
        /// What happened.
        event: OutboundEvent,
    },
    /// The desk of the agent offered or handling the call acts on it.
    Desk {
        /// The agent.
        agent: AgentId,
        /// What they ask.
        command: DeskCommand,
    },
    /// A supervisor listens in, whispers or barges in (`None` leaves the call).
    Monitor {
        /// The supervisor, called on their registered phone.
        supervisor: AgentId,
        /// What they do.
        mode: Option<MonitorMode>,
    },
}

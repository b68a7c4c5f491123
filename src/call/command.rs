//! Commands a call actor accepts on its channel.

use crate::sip::EndReason;
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
}

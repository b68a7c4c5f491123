//! The contract between signaling and the calls it carries.
//!
//! The SIP driver asks [`CallSessions::admit`] whether to answer an INVITE; an admitted call gets
//! a [`CallSession`] that hears about re-offers, SIP INFO keys and the end of the dialog, and the
//! call side gets a [`DialogHandle`] to end the dialog itself.

use super::sdp::NegotiatedAudio;
use tokio::sync::mpsc;

/// An INVITE that routed and negotiated, waiting to be admitted.
#[derive(Debug, Clone)]
pub struct InboundCall {
    /// The dialled number: the user part of the Request-URI.
    pub dialled_number: String,
    /// The caller: the user part of the From URI, or the whole URI without one.
    pub caller: String,
    /// SIP Call-ID, for correlating logs with packet captures.
    pub sip_call_id: String,
    /// `UDP` or `TCP`.
    pub transport: String,
    /// The agreed audio stream.
    pub audio: NegotiatedAudio,
}

/// The call side's decision on an INVITE.
pub enum Admission {
    /// Answer with 200 OK and an SDP answer pointing at `local_rtp`.
    Accepted {
        /// Local RTP address of the call.
        local_rtp: std::net::SocketAddr,
        /// The call's side of the dialog.
        session: Box<dyn CallSession>,
        /// How long to ring (180) before answering (200); zero answers at once.
        ring_time: std::time::Duration,
    },
    /// Refuse with a SIP status and a human-readable reason (sent in a Warning header).
    Rejected {
        /// SIP status code (404, 486, 503...).
        status: u16,
        /// Why.
        reason: String,
    },
}

/// Why a dialog ended on the SIP side.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EndReason {
    /// The caller sent BYE.
    CallerHangup,
    /// The caller sent CANCEL before the answer took.
    Cancelled,
    /// Hotline's own BYE completed.
    HotlineHangup,
    /// The dialog failed: no ACK, transport failure, or another stack error.
    Failed(String),
}

/// Decides whether inbound calls are answered and starts them.
pub trait CallSessions: Send + Sync + 'static {
    /// Admits or rejects a routed, negotiated INVITE. `dialog` lets the call end itself later.
    fn admit(&self, call: InboundCall, dialog: DialogHandle) -> Admission;
}

/// The call side of one dialog.
pub trait CallSession: Send + Sync {
    /// The 200 OK went out: media and the flow start now.
    fn answered(&self);
    /// A re-INVITE changed the stream (hold, resume, new address or codec).
    fn update_audio(&self, audio: NegotiatedAudio);
    /// A key arrived in a SIP INFO request.
    fn key_pressed(&self, key: char);
    /// The dialog is over.
    fn ended(&self, reason: EndReason);
}

/// Lets a call end its dialog (BYE) without seeing SIP.
#[derive(Debug, Clone)]
pub struct DialogHandle {
    pub(super) leg: u64,
    pub(super) commands: mpsc::UnboundedSender<DriverCommand>,
}

/// What a call asks of the SIP driver.
#[derive(Debug)]
pub(super) enum DriverCommand {
    /// Send BYE on this leg (or reject it when not yet answered).
    HangUp { leg: u64, reason: String },
    /// The ring time of this leg is over: answer it.
    Answer { leg: u64 },
}

impl DialogHandle {
    /// Ends the dialog with BYE. Safe to call more than once and after the caller hung up.
    pub fn hang_up(&self, reason: &str) {
        // The driver may already be gone during shutdown; then there is no dialog left to end.
        let _ = self.commands.send(DriverCommand::HangUp {
            leg: self.leg,
            reason: reason.to_string(),
        });
    }
}

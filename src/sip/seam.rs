//! The contract between signaling and the calls it carries.
//!
//! The SIP driver asks [`CallSessions::admit`] whether to answer an INVITE; an admitted call gets
//! a [`CallSession`] that hears about re-offers, SIP INFO keys and the end of the dialog, and the
//! call side gets a [`DialogHandle`] to end the dialog itself. Calls Hotline places to agents'
//! registered phones go through a [`Dialer`]; their [`OutboundSession`] hears how they went.
//! Agents' phones registering and lapsing are reported to [`Registrations`].

use super::sdp::NegotiatedAudio;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
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
    /// The flow to run instead of the dialled number's: a draft an admin tries from the
    /// designer in a browser. Calls from SIP have none.
    pub trial: Option<std::sync::Arc<crate::dialogue::Flow>>,
}

/// The call side's decision on an INVITE.
pub enum Admission {
    /// Answer with 200 OK and an SDP answer pointing at `local_rtp`.
    Accepted {
        /// Local RTP address of the call.
        local_rtp: std::net::SocketAddr,
        /// The address the call's RTP socket is bound to, for legs carried on this machine
        /// (a browser's): reachable where `local_rtp` is a public address behind NAT.
        bound_rtp: std::net::SocketAddr,
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
    /// The call's own reference (its Hotline call ID), for showing to the caller.
    fn reference(&self) -> String;
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

/// A call to an agent's registered phone.
#[derive(Debug, Clone)]
pub struct OutboundCall {
    /// The agent (SIP user name) whose most recently registered contact is called.
    pub agent: String,
    /// Who the agent's phone shows as calling (From display name).
    pub display_name: String,
    /// The From user part: the caller's number.
    pub caller: String,
    /// Hotline's RTP address for this leg, offered in the SDP.
    pub local_rtp: SocketAddr,
    /// The address the leg's RTP socket is bound to, for legs carried on this machine (a
    /// browser's): reachable where `local_rtp` is a public address behind NAT.
    pub bound_rtp: SocketAddr,
    /// Hotline's call ID, sent in an `X-Hotline-Call` header so desks can match the leg.
    pub call_id: String,
}

/// What happened on a call Hotline placed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutboundEvent {
    /// The phone rings (180/183).
    Ringing,
    /// The phone answered with this stream.
    Answered(NegotiatedAudio),
    /// The call did not connect: a final error response, no registered contact, or a
    /// transport failure.
    Failed {
        /// The SIP status (480 when no contact is registered, 408 on timeout).
        status: u16,
        /// Why, in words.
        reason: String,
    },
    /// A re-INVITE from the phone changed the stream (hold, resume).
    UpdateAudio(NegotiatedAudio),
    /// A key arrived in a SIP INFO request.
    Key(char),
    /// The phone asks to transfer the call (REFER) to this target: the user part of Refer-To.
    Refer(String),
    /// The answered call ended.
    Ended(EndReason),
}

/// The call side of a call Hotline placed.
pub trait OutboundSession: Send + Sync {
    /// Something happened on the leg.
    fn event(&self, event: OutboundEvent);
}

/// Hears about agents' phones registering and lapsing.
pub trait Registrations: Send + Sync + 'static {
    /// `agent` now has `contacts` registered contacts.
    fn contacts_changed(&self, agent: &str, contacts: usize);
}

/// What a call asks of the SIP driver.
pub(super) enum DriverCommand {
    /// Send BYE on this leg (CANCEL an unanswered outbound leg, reject an unanswered inbound one).
    HangUp { leg: u64, reason: String },
    /// The ring time of this leg is over: answer it.
    Answer { leg: u64 },
    /// Call an agent's phone on this leg.
    Dial {
        leg: u64,
        call: OutboundCall,
        session: Box<dyn OutboundSession>,
    },
    /// The INVITE of an outbound leg got its final response (or failed).
    DialFinished {
        leg: u64,
        outcome: Result<Option<rsipstack::sip::Response>, String>,
    },
}

/// The channel calls use to reach the SIP driver, made before the driver so calls and the
/// driver can be wired to each other.
pub struct Signaling {
    pub(super) commands: mpsc::UnboundedSender<DriverCommand>,
    pub(super) receiver: mpsc::UnboundedReceiver<DriverCommand>,
    pub(super) next_leg: Arc<AtomicU64>,
}

impl Default for Signaling {
    fn default() -> Self {
        let (commands, receiver) = mpsc::unbounded_channel();
        Signaling {
            commands,
            receiver,
            next_leg: Arc::new(AtomicU64::new(1)),
        }
    }
}

impl Signaling {
    /// A new channel.
    pub fn new() -> Signaling {
        Signaling::default()
    }

    /// A dialer placing calls through this channel's driver.
    pub fn dialer(&self) -> Dialer {
        Dialer {
            commands: self.commands.clone(),
            next_leg: self.next_leg.clone(),
        }
    }

    pub(super) fn handle(&self) -> DialogHandle {
        DialogHandle {
            leg: self.next_leg.fetch_add(1, Ordering::Relaxed),
            commands: self.commands.clone(),
        }
    }
}

/// Places calls to agents' registered phones.
#[derive(Clone)]
pub struct Dialer {
    commands: mpsc::UnboundedSender<DriverCommand>,
    next_leg: Arc<AtomicU64>,
}

impl Dialer {
    /// Calls the agent's phone; `session` hears how it goes, the handle ends it.
    pub fn dial(&self, call: OutboundCall, session: Box<dyn OutboundSession>) -> DialogHandle {
        let leg = self.next_leg.fetch_add(1, Ordering::Relaxed);
        if let Err(error) = self
            .commands
            .send(DriverCommand::Dial { leg, call, session })
        {
            // The driver is gone (shutdown): the call fails at once.
            if let DriverCommand::Dial { session, .. } = error.0 {
                session.event(OutboundEvent::Failed {
                    status: 503,
                    reason: "signaling is shutting down".to_string(),
                });
            }
        }
        DialogHandle {
            leg,
            commands: self.commands.clone(),
        }
    }
}

/// The hang-ups of a leg signalled outside SIP (a browser's), made with
/// [`DialogHandle::detached`].
pub struct HangUps {
    receiver: mpsc::UnboundedReceiver<DriverCommand>,
}

impl HangUps {
    /// The reason of the next hang-up; `None` once every handle of the leg is gone.
    pub async fn next(&mut self) -> Option<String> {
        loop {
            if let DriverCommand::HangUp { reason, .. } = self.receiver.recv().await? {
                return Some(reason);
            }
        }
    }
}

impl DialogHandle {
    /// A handle for a leg that SIP does not carry: its hang-ups arrive on the returned
    /// [`HangUps`] instead of at the SIP driver.
    pub fn detached() -> (DialogHandle, HangUps) {
        let (commands, receiver) = mpsc::unbounded_channel();
        (DialogHandle { leg: 0, commands }, HangUps { receiver })
    }

    /// Ends the dialog with BYE. Safe to call more than once and after the caller hung up.
    pub fn hang_up(&self, reason: &str) {
        // The driver may already be gone during shutdown; then there is no dialog left to end.
        let _ = self.commands.send(DriverCommand::HangUp {
            leg: self.leg,
            reason: reason.to_string(),
        });
    }
}

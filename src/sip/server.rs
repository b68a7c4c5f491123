//! The SIP driver: pumps rsipstack's endpoint and dialog events into the seam.
//!
//! One task owns all signaling state: which dialog belongs to which call leg (inbound calls and
//! the calls Hotline places to agents), and the registrar. Calls talk back to it only through
//! [`DialogHandle`] and the [`super::Dialer`]. Requests that cannot be served get a final response
//! with a `Warning` header that says why; nothing a peer sends can panic this loop.

use super::SipError;
use super::registrar::{Registrar, RegistrarSettings};
use super::sdp::NegotiatedAudio;
use super::seam::{
    CallSession, CallSessions, DialogHandle, DriverCommand, EndReason, OutboundEvent,
    OutboundSession, Registrations, Signaling,
};
use crate::config::SipConfig;
use rsipstack::dialog::DialogId;
use rsipstack::dialog::dialog::{
    DialogState, DialogStateReceiver, DialogStateSender, TerminatedReason, TransactionHandle,
};
use rsipstack::dialog::dialog_layer::DialogLayer;
use rsipstack::dialog::invite_dialog::InviteDialog;
use rsipstack::sip::prelude::HeadersExt;
use rsipstack::sip::{Header, Method, Request, StatusCode};
use rsipstack::transaction::{Endpoint, EndpointBuilder};
use rsipstack::transaction::{Transaction, TransactionReceiver};
use rsipstack::transport::websocket::WebSocketListenerConnection;
use rsipstack::transport::{
    SipConnection, TcpListenerConnection, TransportLayer, udp::UdpConnection,
};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;
use tracing::{debug, warn};

pub(super) const ALLOWED_METHODS: &str = "INVITE, ACK, BYE, CANCEL, OPTIONS, INFO, REFER, REGISTER";

/// What the SIP endpoint needs to know.
#[derive(Debug, Clone)]
pub struct SipSettings {
    /// Listen and public addresses.
    pub sip: SipConfig,
    /// Codecs accepted and offered, in preference order.
    pub codecs: Vec<String>,
    /// The registrar's realm and limits.
    pub registrar: RegistrarSettings,
    /// Agents who may register: (SIP user name, HA1 hash).
    pub credentials: Vec<(String, String)>,
}

/// A running SIP endpoint on UDP and TCP.
pub struct SipServer {
    endpoint: Endpoint,
    incoming: TransactionReceiver,
    dialog_layer: Arc<DialogLayer>,
    local_address: SocketAddr,
    settings: SipSettings,
    signaling: Signaling,
    sessions: Arc<dyn CallSessions>,
    registrations: Arc<dyn Registrations>,
    cancel: CancellationToken,
}

/// Who hears about a leg.
pub(super) enum LegSession {
    /// A caller's INVITE that Hotline answers.
    Inbound(Box<dyn CallSession>),
    /// A call Hotline placed to an agent's phone.
    Outbound(Box<dyn OutboundSession>),
}

pub(super) struct Leg {
    pub dialog: InviteDialog,
    pub session: LegSession,
    pub local_rtp: SocketAddr,
    /// The agreed stream: from the start for inbound legs, from the answer for outbound ones.
    pub audio: Option<NegotiatedAudio>,
    pub session_id: u64,
    pub session_version: u64,
    /// An outbound leg reported ringing already.
    pub rang: bool,
}

pub(super) struct Driver {
    pub dialog_layer: Arc<DialogLayer>,
    pub codecs: Vec<String>,
    pub sessions: Arc<dyn CallSessions>,
    pub registrations: Arc<dyn Registrations>,
    pub registrar: Registrar,
    pub state_sender: DialogStateSender,
    pub signaling: Signaling,
    pub legs: HashMap<u64, Leg>,
    /// Leg by SIP Call-ID (unique per dialog, inbound or outbound).
    pub leg_of_call: HashMap<String, u64>,
    pub local_address: SocketAddr,
    pub public_address: Option<std::net::IpAddr>,
}

impl SipServer {
    /// Opens UDP and TCP listeners on the configured address.
    pub async fn bind(
        settings: SipSettings,
        signaling: Signaling,
        sessions: Arc<dyn CallSessions>,
        registrations: Arc<dyn Registrations>,
    ) -> Result<SipServer, SipError> {
        let config = &settings.sip;
        let cancel = CancellationToken::new();
        let transport_layer = TransportLayer::new(cancel.child_token());
        let external = config
            .public_address
            .map(|address| SocketAddr::new(address, config.listen.port()));
        let udp =
            UdpConnection::create_connection(config.listen, external, Some(cancel.child_token()))
                .await
                .map_err(|error| SipError::Listen {
                    address: config.listen,
                    transport: "UDP",
                    message: error.to_string(),
                })?;
        let local_address = udp.get_addr().get_socketaddr().map_err(SipError::from)?;
        transport_layer.add_transport(udp.into());
        let tcp_address = SocketAddr::new(config.listen.ip(), local_address.port());
        let tcp = TcpListenerConnection::new(tcp_address, external)
            .await
            .map_err(|error| SipError::Listen {
                address: tcp_address,
                transport: "TCP",
                message: error.to_string(),
            })?;
        transport_layer.add_transport(tcp.into());
        if let Some(address) = config.websocket {
            let websocket = WebSocketListenerConnection::new(address, None, false)
                .await
                .map_err(|error| SipError::Listen {
                    address,
                    transport: "WebSocket",
                    message: error.to_string(),
                })?;
            transport_layer.add_transport(SipConnection::WebSocketListener(websocket));
        }
        let endpoint = EndpointBuilder::new()
            .with_cancel_token(cancel.clone())
            .with_transport_layer(transport_layer)
            .with_user_agent("Hotline")
            .build();
        let incoming = endpoint.incoming_transactions()?;
        let dialog_layer = Arc::new(DialogLayer::new(endpoint.inner.clone()));
        Ok(SipServer {
            endpoint,
            incoming,
            dialog_layer,
            local_address,
            settings,
            signaling,
            sessions,
            registrations,
            cancel,
        })
    }

    /// The address SIP listens on (UDP and TCP).
    pub fn local_address(&self) -> SocketAddr {
        self.local_address
    }

    /// Serves SIP until `stop` is cancelled.
    pub async fn run(self, stop: CancellationToken) {
        let SipServer {
            endpoint,
            mut incoming,
            dialog_layer,
            local_address,
            settings,
            mut signaling,
            sessions,
            registrations,
            cancel,
        } = self;
        let (state_sender, mut states) = dialog_layer.new_dialog_state_channel();
        let (_, placeholder) = mpsc::unbounded_channel();
        let mut commands = std::mem::replace(&mut signaling.receiver, placeholder);
        let registrar = Registrar::new(
            settings.registrar.clone(),
            settings.credentials.clone(),
            rand::random(),
            Instant::now(),
        );
        let mut driver = Driver {
            dialog_layer,
            codecs: settings.codecs.clone(),
            sessions,
            registrations,
            registrar,
            state_sender,
            signaling,
            legs: HashMap::new(),
            leg_of_call: HashMap::new(),
            local_address,
            public_address: settings.sip.public_address,
        };
        let endpoint_inner = endpoint.inner.clone();
        let serving = tokio::spawn(async move {
            if let Err(error) = endpoint_inner.serve().await {
                warn!(%error, "SIP endpoint stopped");
            }
        });
        loop {
            let lapse = driver.registrar.poll_timeout();
            tokio::select! {
                _ = stop.cancelled() => break,
                Some(transaction) = incoming.recv() => driver.on_transaction(transaction).await,
                Some(state) = states.recv() => driver.on_dialog_state(state).await,
                Some(command) = commands.recv() => driver.on_command(command),
                _ = sleep_until(lapse) => driver.on_registrations_lapsing(),
                else => break,
            }
        }
        cancel.cancel();
        serving.abort();
        drain_states(&mut states);
    }
}

async fn sleep_until(deadline: Option<Instant>) {
    match deadline {
        Some(deadline) => tokio::time::sleep_until(tokio::time::Instant::from_std(deadline)).await,
        None => std::future::pending().await,
    }
}

fn drain_states(states: &mut DialogStateReceiver) {
    while states.try_recv().is_ok() {}
}

pub(super) fn warning(reason: &str) -> Header {
    let text: String = reason
        .chars()
        .filter(|character| *character != '"' && !character.is_control())
        .collect();
    Header::Other("Warning".to_string(), format!("399 hotline \"{text}\""))
}

pub(super) fn user_part(uri: &rsipstack::sip::Uri) -> String {
    uri.user()
        .map(str::to_string)
        .unwrap_or_else(|| uri.to_string())
}

pub(super) async fn reply(transaction: &mut Transaction, status: StatusCode, reason: Option<&str>) {
    let headers = reason.map(warning).into_iter().collect();
    if let Err(error) = transaction.reply_with(status, headers, None).await {
        debug!(%error, "could not send SIP response");
    }
}

pub(super) async fn respond(
    handle: TransactionHandle,
    status: StatusCode,
    headers: Option<Vec<Header>>,
    body: Option<Vec<u8>>,
) {
    if handle.respond(status, headers, body).await.is_err() {
        debug!("transaction ended before its response");
    }
}

/// A request whose declared body length does not match what arrived is refused (RFC 3261
/// section 18.3) rather than acted on with a partial body.
fn framing_problem(request: &Request) -> Option<&'static str> {
    let declared = request.header_value("content-length")?;
    match declared.trim().parse::<usize>() {
        Ok(length) if length > request.body.len() => {
            Some("Content-Length exceeds the message body")
        }
        Ok(_) => None,
        Err(_) => Some("Content-Length is not a number"),
    }
}

pub(super) fn sdp_headers() -> Vec<Header> {
    vec![Header::ContentType("application/sdp".into())]
}

fn allow() -> Header {
    Header::Other("Allow".to_string(), ALLOWED_METHODS.to_string())
}

impl Driver {
    async fn on_transaction(&mut self, mut transaction: Transaction) {
        if let Some(problem) = framing_problem(&transaction.original) {
            if transaction.original.method != Method::Ack {
                reply(&mut transaction, StatusCode::BadRequest, Some(problem)).await;
            }
            return;
        }
        let has_to_tag = transaction
            .original
            .to_header()
            .ok()
            .and_then(|to| to.tag().ok().flatten())
            .is_some();
        if has_to_tag {
            return self.on_in_dialog(transaction).await;
        }
        match transaction.original.method {
            Method::Invite => self.on_invite(transaction).await,
            Method::Register => self.on_register(transaction).await,
            Method::Options => {
                let headers = vec![
                    allow(),
                    Header::Other("Accept".to_string(), "application/sdp".to_string()),
                ];
                if let Err(error) = transaction.reply_with(StatusCode::OK, headers, None).await {
                    debug!(%error, "could not answer OPTIONS");
                }
            }
            Method::Ack => {}
            Method::Bye | Method::Info | Method::Cancel | Method::Refer => {
                reply(
                    &mut transaction,
                    StatusCode::CallTransactionDoesNotExist,
                    None,
                )
                .await
            }
            _ => {
                if let Err(error) = transaction
                    .reply_with(StatusCode::MethodNotAllowed, vec![allow()], None)
                    .await
                {
                    debug!(%error, "could not reject request");
                }
            }
        }
    }

    async fn on_in_dialog(&mut self, mut transaction: Transaction) {
        match self.dialog_layer.match_dialog(&transaction) {
            Some(rsipstack::dialog::dialog::Dialog::Invite(dialog)) => {
                let mut dialog = dialog;
                tokio::spawn(async move {
                    if let Err(error) = dialog.handle(&mut transaction).await {
                        debug!(%error, "in-dialog request failed");
                    }
                });
            }
            _ => {
                if transaction.original.method != Method::Ack {
                    reply(
                        &mut transaction,
                        StatusCode::CallTransactionDoesNotExist,
                        None,
                    )
                    .await;
                }
            }
        }
    }

    pub(super) fn leg_for(&mut self, id: &DialogId) -> Option<(u64, &mut Leg)> {
        let leg = *self.leg_of_call.get(&id.call_id)?;
        Some((leg, self.legs.get_mut(&leg)?))
    }

    /// Removes a leg that is over; its dialog leaves the dialog layer.
    pub(super) fn remove_leg(&mut self, leg: u64) -> Option<Leg> {
        let removed = self.legs.remove(&leg)?;
        let id = removed.dialog.id();
        self.leg_of_call.remove(&id.call_id);
        self.dialog_layer.remove_dialog(&id);
        Some(removed)
    }

    async fn on_dialog_state(&mut self, state: DialogState) {
        match state {
            DialogState::Early(id, _) => self.on_early(&id),
            DialogState::Updated(id, request, handle) => {
                self.on_reoffer(&id, &request, handle).await
            }
            DialogState::Info(id, request, handle) => self.on_info(&id, &request, handle).await,
            DialogState::Refer(id, request, handle) => self.on_refer(&id, &request, handle).await,
            DialogState::Options(_, _, handle) => {
                respond(handle, StatusCode::OK, Some(vec![allow()]), None).await
            }
            DialogState::Message(_, _, handle)
            | DialogState::Notify(_, _, handle)
            | DialogState::Publish(_, _, handle) => {
                respond(handle, StatusCode::NotImplemented, None, None).await
            }
            DialogState::Terminated(id, reason) => self.on_terminated(&id, reason),
            other => debug!(state = %other, "dialog state"),
        }
    }

    fn on_terminated(&mut self, id: &DialogId, reason: TerminatedReason) {
        let Some(leg) = self.leg_of_call.get(&id.call_id).copied() else {
            self.dialog_layer.remove_dialog(id);
            return;
        };
        let Some(leg) = self.remove_leg(leg) else {
            return;
        };
        let ended = match &reason {
            TerminatedReason::UacBye => EndReason::CallerHangup,
            TerminatedReason::UacCancel => EndReason::Cancelled,
            TerminatedReason::UasBye => EndReason::HotlineHangup,
            other => EndReason::Failed(format!("{other:?}")),
        };
        match leg.session {
            LegSession::Inbound(session) => session.ended(ended),
            LegSession::Outbound(session) if leg.audio.is_some() => {
                // On a leg Hotline placed, the phone's BYE arrives as the UAS's.
                let ended = match reason {
                    TerminatedReason::UasBye | TerminatedReason::UacBye => EndReason::CallerHangup,
                    _ => ended,
                };
                session.event(OutboundEvent::Ended(ended))
            }
            LegSession::Outbound(session) => session.event(OutboundEvent::Failed {
                status: terminated_status(&reason),
                reason: format!("{reason:?}"),
            }),
        }
    }

    fn on_command(&mut self, command: DriverCommand) {
        match command {
            DriverCommand::HangUp { leg, reason } => self.hang_up(leg, reason),
            DriverCommand::Answer { leg } => self.answer(leg),
            DriverCommand::Dial { leg, call, session } => self.dial(leg, call, session),
            DriverCommand::DialFinished { leg, outcome } => self.dial_finished(leg, outcome),
        }
    }

    fn hang_up(&mut self, leg: u64, reason: String) {
        let Some(entry) = self.legs.get(&leg) else {
            return;
        };
        let dialog = entry.dialog.clone();
        let outbound = matches!(entry.session, LegSession::Outbound(_));
        if dialog.state().can_cancel() && !outbound {
            if let Err(error) =
                dialog.reject(Some(StatusCode::TemporarilyUnavailable), Some(reason))
            {
                debug!(%error, "reject failed");
            }
            return;
        }
        tokio::spawn(async move {
            let result = if outbound && dialog.state().can_cancel() {
                dialog.cancel().await
            } else {
                dialog.bye_with_reason(reason).await
            };
            if let Err(error) = result {
                debug!(%error, "hang-up failed");
            }
        });
    }

    /// A handle for a new inbound leg.
    pub(super) fn new_handle(&self) -> DialogHandle {
        self.signaling.handle()
    }

    /// Reports registrations that lapsed.
    fn on_registrations_lapsing(&mut self) {
        self.registrar.handle_timeout(Instant::now());
        self.report_registrations();
    }

    pub(super) fn report_registrations(&mut self) {
        while let Some(change) = self.registrar.poll_change() {
            tracing::info!(agent = %change.agent, contacts = change.contacts, "registrations changed");
            self.registrations
                .contacts_changed(&change.agent, change.contacts);
        }
    }
}

/// The SIP status a failed outbound leg reports for how its dialog ended.
fn terminated_status(reason: &TerminatedReason) -> u16 {
    match reason {
        TerminatedReason::Timeout => 408,
        TerminatedReason::UacCancel => 487,
        TerminatedReason::UacBusy | TerminatedReason::UasBusy => 486,
        TerminatedReason::UasDecline => 603,
        TerminatedReason::ProxyAuthRequired => 407,
        TerminatedReason::ProxyError(status)
        | TerminatedReason::UacOther(status)
        | TerminatedReason::UasOther(status) => u16::from(status.clone()),
        TerminatedReason::UacBye | TerminatedReason::UasBye => 487,
    }
}

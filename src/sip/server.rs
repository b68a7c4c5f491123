//! The SIP driver: pumps rsipstack's endpoint and dialog events into the [`CallSessions`] seam.
//!
//! One task owns all signaling state (which dialog belongs to which call leg); calls talk back to
//! it only through [`DialogHandle`]. Requests that cannot be served get a final response with a
//! `Warning` header that says why; nothing a peer sends can panic this loop.

use super::SipError;
use super::dtmf_relay;
use super::sdp::{self, NegotiatedAudio, SdpError};
use super::seam::{
    Admission, CallSession, CallSessions, DialogHandle, DriverCommand, EndReason, InboundCall,
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
use rsipstack::transport::{TcpListenerConnection, TransportLayer, udp::UdpConnection};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;
use tracing::{debug, info, warn};

const ALLOWED_METHODS: &str = "INVITE, ACK, BYE, CANCEL, OPTIONS, INFO";

/// A running SIP endpoint on UDP and TCP.
pub struct SipServer {
    endpoint: Endpoint,
    incoming: TransactionReceiver,
    dialog_layer: Arc<DialogLayer>,
    local_address: SocketAddr,
    codecs: Vec<String>,
    sessions: Arc<dyn CallSessions>,
    cancel: CancellationToken,
}

struct Leg {
    dialog: InviteDialog,
    session: Box<dyn CallSession>,
    local_rtp: SocketAddr,
    audio: NegotiatedAudio,
    session_id: u64,
    session_version: u64,
}

struct Driver {
    dialog_layer: Arc<DialogLayer>,
    codecs: Vec<String>,
    sessions: Arc<dyn CallSessions>,
    state_sender: DialogStateSender,
    commands: mpsc::UnboundedSender<DriverCommand>,
    legs: HashMap<u64, Leg>,
    leg_of_dialog: HashMap<String, u64>,
    next_leg: u64,
}

impl SipServer {
    /// Opens UDP and TCP listeners on the configured address.
    pub async fn bind(
        config: &SipConfig,
        codecs: Vec<String>,
        sessions: Arc<dyn CallSessions>,
    ) -> Result<SipServer, SipError> {
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
            codecs,
            sessions,
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
            codecs,
            sessions,
            cancel,
            ..
        } = self;
        let (state_sender, mut states) = dialog_layer.new_dialog_state_channel();
        let (commands, mut command_receiver) = mpsc::unbounded_channel();
        let mut driver = Driver {
            dialog_layer,
            codecs,
            sessions,
            state_sender,
            commands,
            legs: HashMap::new(),
            leg_of_dialog: HashMap::new(),
            next_leg: 1,
        };
        let endpoint_inner = endpoint.inner.clone();
        let serving = tokio::spawn(async move {
            if let Err(error) = endpoint_inner.serve().await {
                warn!(%error, "SIP endpoint stopped");
            }
        });
        loop {
            tokio::select! {
                _ = stop.cancelled() => break,
                Some(transaction) = incoming.recv() => driver.on_transaction(transaction).await,
                Some(state) = states.recv() => driver.on_dialog_state(state).await,
                Some(command) = command_receiver.recv() => driver.on_command(command),
                else => break,
            }
        }
        cancel.cancel();
        serving.abort();
        drain_states(&mut states);
    }
}

fn drain_states(states: &mut DialogStateReceiver) {
    while states.try_recv().is_ok() {}
}

fn warning(reason: &str) -> Header {
    let text: String = reason
        .chars()
        .filter(|character| *character != '"')
        .collect();
    Header::Other("Warning".to_string(), format!("399 hotline \"{text}\""))
}

fn user_part(uri: &rsipstack::sip::Uri) -> String {
    uri.user()
        .map(str::to_string)
        .unwrap_or_else(|| uri.to_string())
}

async fn reply(transaction: &mut Transaction, status: StatusCode, reason: Option<&str>) {
    let headers = reason.map(warning).into_iter().collect();
    if let Err(error) = transaction.reply_with(status, headers, None).await {
        debug!(%error, "could not send SIP response");
    }
}

async fn respond(
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

fn sdp_headers() -> Vec<Header> {
    vec![Header::ContentType("application/sdp".into())]
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
            Method::Options => {
                let headers = vec![
                    Header::Other("Allow".to_string(), ALLOWED_METHODS.to_string()),
                    Header::Other("Accept".to_string(), "application/sdp".to_string()),
                ];
                if let Err(error) = transaction.reply_with(StatusCode::OK, headers, None).await {
                    debug!(%error, "could not answer OPTIONS");
                }
            }
            Method::Ack => {}
            Method::Bye | Method::Info | Method::Cancel => {
                reply(
                    &mut transaction,
                    StatusCode::CallTransactionDoesNotExist,
                    None,
                )
                .await
            }
            _ => {
                let headers = vec![Header::Other(
                    "Allow".to_string(),
                    ALLOWED_METHODS.to_string(),
                )];
                if let Err(error) = transaction
                    .reply_with(StatusCode::MethodNotAllowed, headers, None)
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

    async fn on_invite(&mut self, mut transaction: Transaction) {
        let request = transaction.original.clone();
        let dialled_number = user_part(&request.uri);
        let audio = match sdp::parse_offer(&request.body)
            .and_then(|offer| sdp::negotiate(&offer, &self.codecs))
        {
            Ok(audio) => audio,
            Err(error) => {
                let reason = match error {
                    SdpError::Malformed(_) if request.body.is_empty() => {
                        "an SDP offer is required".to_string()
                    }
                    error => error.to_string(),
                };
                info!(number = %dialled_number, %reason, "rejecting INVITE: 488");
                return reply(
                    &mut transaction,
                    StatusCode::NotAcceptableHere,
                    Some(&reason),
                )
                .await;
            }
        };
        let call = InboundCall {
            dialled_number: dialled_number.clone(),
            caller: request
                .from_header()
                .ok()
                .and_then(|from| from.uri().ok())
                .map(|uri| user_part(&uri))
                .unwrap_or_default(),
            sip_call_id: request
                .call_id_header()
                .map(|call_id| call_id.value().to_string())
                .unwrap_or_default(),
            transport: transaction
                .connection
                .as_ref()
                .map(|connection| connection.transport().to_string().to_ascii_uppercase())
                .unwrap_or_else(|| "UDP".to_string()),
            audio: audio.clone(),
        };
        let leg = self.next_leg;
        self.next_leg += 1;
        let handle = DialogHandle {
            leg,
            commands: self.commands.clone(),
        };
        let (local_rtp, session, ring_time) = match self.sessions.admit(call, handle) {
            Admission::Accepted {
                local_rtp,
                session,
                ring_time,
            } => (local_rtp, session, ring_time),
            Admission::Rejected { status, reason } => {
                info!(number = %dialled_number, status, %reason, "rejecting INVITE");
                return reply(&mut transaction, StatusCode::from(status), Some(&reason)).await;
            }
        };
        if let Err(error) = transaction.send_trying().await {
            debug!(%error, "could not send 100 Trying");
        }
        let dialog = match self.dialog_layer.get_or_create_server_invite(
            &transaction,
            self.state_sender.clone(),
            None,
            None,
        ) {
            Ok(dialog) => dialog,
            Err(error) => {
                warn!(%error, "cannot create dialog");
                session.ended(EndReason::Failed(error.to_string()));
                return reply(
                    &mut transaction,
                    StatusCode::ServerInternalError,
                    Some("dialog creation failed"),
                )
                .await;
            }
        };
        if let Err(error) = dialog.ringing(None, None) {
            warn!(%error, "cannot send 180 Ringing");
            session.ended(EndReason::Failed(error.to_string()));
            return;
        }
        self.leg_of_dialog.insert(dialog.id().to_string(), leg);
        let mut handler = dialog.clone();
        tokio::spawn(async move {
            if let Err(error) = handler.handle(&mut transaction).await {
                debug!(%error, "INVITE transaction ended with an error");
            }
        });
        self.legs.insert(
            leg,
            Leg {
                dialog,
                session,
                local_rtp,
                audio,
                session_id: leg,
                session_version: 1,
            },
        );
        if ring_time.is_zero() {
            self.answer(leg);
        } else {
            let commands = self.commands.clone();
            tokio::spawn(async move {
                tokio::time::sleep(ring_time).await;
                let _ = commands.send(DriverCommand::Answer { leg });
            });
        }
    }

    /// Sends 200 OK with the SDP answer on a ringing leg that is still there.
    fn answer(&mut self, leg: u64) {
        let Some(entry) = self.legs.get(&leg) else {
            return;
        };
        if !entry.dialog.state().can_cancel() {
            return;
        }
        let answer = sdp::build_answer(
            &entry.audio,
            entry.local_rtp,
            entry.session_id,
            entry.session_version,
        );
        match entry
            .dialog
            .accept(Some(sdp_headers()), Some(answer.into_bytes()))
        {
            Ok(()) => entry.session.answered(),
            Err(error) => {
                warn!(%error, "cannot answer INVITE");
                entry.session.ended(EndReason::Failed(error.to_string()));
            }
        }
    }

    fn leg_for(&mut self, id: &DialogId) -> Option<&mut Leg> {
        let leg = self.leg_of_dialog.get(&id.to_string())?;
        self.legs.get_mut(leg)
    }

    async fn on_dialog_state(&mut self, state: DialogState) {
        match state {
            DialogState::Updated(id, request, handle) => {
                self.on_reoffer(&id, &request, handle).await
            }
            DialogState::Info(id, request, handle) => self.on_info(&id, &request, handle).await,
            DialogState::Options(_, _, handle) => {
                let allow = Header::Other("Allow".to_string(), ALLOWED_METHODS.to_string());
                respond(handle, StatusCode::OK, Some(vec![allow]), None).await
            }
            DialogState::Refer(_, _, handle)
            | DialogState::Message(_, _, handle)
            | DialogState::Notify(_, _, handle)
            | DialogState::Publish(_, _, handle) => {
                respond(handle, StatusCode::NotImplemented, None, None).await
            }
            DialogState::Terminated(id, reason) => self.on_terminated(&id, reason),
            other => debug!(state = %other, "dialog state"),
        }
    }

    async fn on_reoffer(&mut self, id: &DialogId, request: &Request, handle: TransactionHandle) {
        let codecs = self.codecs.clone();
        let Some(leg) = self.leg_for(id) else {
            return respond(handle, StatusCode::CallTransactionDoesNotExist, None, None).await;
        };
        if request.body.is_empty() {
            let answer = sdp::build_answer(
                &leg.audio,
                leg.local_rtp,
                leg.session_id,
                leg.session_version,
            );
            return respond(
                handle,
                StatusCode::OK,
                Some(sdp_headers()),
                Some(answer.into_bytes()),
            )
            .await;
        }
        match sdp::parse_offer(&request.body).and_then(|offer| sdp::negotiate(&offer, &codecs)) {
            Ok(audio) => {
                leg.session.update_audio(audio.clone());
                leg.session_version += 1;
                let answer =
                    sdp::build_answer(&audio, leg.local_rtp, leg.session_id, leg.session_version);
                leg.audio = audio;
                respond(
                    handle,
                    StatusCode::OK,
                    Some(sdp_headers()),
                    Some(answer.into_bytes()),
                )
                .await
            }
            Err(error) => {
                let warning = warning(&error.to_string());
                respond(
                    handle,
                    StatusCode::NotAcceptableHere,
                    Some(vec![warning]),
                    None,
                )
                .await
            }
        }
    }

    async fn on_info(&mut self, id: &DialogId, request: &Request, handle: TransactionHandle) {
        let content_type = request.header_value("content-type").unwrap_or_default();
        let Some(leg) = self.leg_for(id) else {
            return respond(handle, StatusCode::CallTransactionDoesNotExist, None, None).await;
        };
        match dtmf_relay::parse_key(&content_type, &request.body) {
            Some(key) => {
                leg.session.key_pressed(key);
                respond(handle, StatusCode::OK, None, None).await
            }
            None if content_type
                .to_ascii_lowercase()
                .starts_with("application/dtmf") =>
            {
                let warning = warning("no valid key in the INFO body");
                respond(handle, StatusCode::BadRequest, Some(vec![warning]), None).await
            }
            None => respond(handle, StatusCode::UnsupportedMediaType, None, None).await,
        }
    }

    fn on_terminated(&mut self, id: &DialogId, reason: TerminatedReason) {
        let key = id.to_string();
        if let Some(leg) = self
            .leg_of_dialog
            .remove(&key)
            .and_then(|leg| self.legs.remove(&leg))
        {
            let reason = match reason {
                TerminatedReason::UacBye => EndReason::CallerHangup,
                TerminatedReason::UacCancel => EndReason::Cancelled,
                TerminatedReason::UasBye => EndReason::HotlineHangup,
                other => EndReason::Failed(format!("{other:?}")),
            };
            leg.session.ended(reason);
        }
        self.dialog_layer.remove_dialog(id);
    }

    fn on_command(&mut self, command: DriverCommand) {
        match command {
            DriverCommand::HangUp { leg, reason } => {
                let Some(leg) = self.legs.get(&leg) else {
                    return;
                };
                let dialog = leg.dialog.clone();
                if dialog.state().can_cancel() {
                    if let Err(error) =
                        dialog.reject(Some(StatusCode::TemporarilyUnavailable), Some(reason))
                    {
                        debug!(%error, "reject failed");
                    }
                    return;
                }
                tokio::spawn(async move {
                    if let Err(error) = dialog.bye_with_reason(reason).await {
                        debug!(%error, "BYE failed");
                    }
                });
            }
            DriverCommand::Answer { leg } => self.answer(leg),
        }
    }
}

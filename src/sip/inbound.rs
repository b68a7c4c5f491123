//! Inbound INVITEs and the in-dialog requests of every leg: answering callers, re-offers (hold
//! and resume), SIP INFO key presses and REFER transfers.

use super::dtmf_relay;
use super::sdp::{self, SdpError};
use super::seam::{Admission, InboundCall, OutboundEvent};
use super::server::{Driver, Leg, LegSession, reply, respond, sdp_headers, user_part, warning};
use rsipstack::dialog::DialogId;
use rsipstack::dialog::dialog::TransactionHandle;
use rsipstack::sip::prelude::HeadersExt;
use rsipstack::sip::{Request, StatusCode};
use rsipstack::transaction::Transaction;
use tracing::{debug, info, warn};

impl Driver {
    pub(super) async fn on_invite(&mut self, mut transaction: Transaction) {
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
            trial: None,
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
        let handle = self.new_handle();
        let leg = handle.leg;
        let (local_rtp, session, ring_time) = match self.sessions.admit(call, handle) {
            Admission::Accepted {
                local_rtp,
                session,
                ring_time,
                ..
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
                session.ended(super::EndReason::Failed(error.to_string()));
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
            session.ended(super::EndReason::Failed(error.to_string()));
            return;
        }
        self.leg_of_call.insert(dialog.id().call_id, leg);
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
                session: LegSession::Inbound(session),
                local_rtp,
                audio: Some(audio),
                session_id: leg,
                session_version: 1,
                rang: true,
            },
        );
        if ring_time.is_zero() {
            self.answer(leg);
        } else {
            let commands = self.signaling.commands.clone();
            tokio::spawn(async move {
                tokio::time::sleep(ring_time).await;
                let _ = commands.send(super::seam::DriverCommand::Answer { leg });
            });
        }
    }

    /// Sends 200 OK with the SDP answer on a ringing inbound leg that is still there.
    pub(super) fn answer(&mut self, leg: u64) {
        let Some(entry) = self.legs.get(&leg) else {
            return;
        };
        let (LegSession::Inbound(session), Some(audio)) = (&entry.session, &entry.audio) else {
            return;
        };
        if !entry.dialog.state().can_cancel() {
            return;
        }
        let answer = sdp::build_answer(
            audio,
            entry.local_rtp,
            entry.session_id,
            entry.session_version,
        );
        match entry
            .dialog
            .accept(Some(sdp_headers()), Some(answer.into_bytes()))
        {
            Ok(()) => session.answered(),
            Err(error) => {
                warn!(%error, "cannot answer INVITE");
                session.ended(super::EndReason::Failed(error.to_string()));
            }
        }
    }

    pub(super) async fn on_reoffer(
        &mut self,
        id: &DialogId,
        request: &Request,
        handle: TransactionHandle,
    ) {
        let codecs = self.codecs.clone();
        let Some((_, leg)) = self.leg_for(id) else {
            return respond(handle, StatusCode::CallTransactionDoesNotExist, None, None).await;
        };
        let Some(current) = leg.audio.clone() else {
            return respond(handle, StatusCode::RequestPending, None, None).await;
        };
        if request.body.is_empty() {
            let answer =
                sdp::build_answer(&current, leg.local_rtp, leg.session_id, leg.session_version);
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
                match &leg.session {
                    LegSession::Inbound(session) => session.update_audio(audio.clone()),
                    LegSession::Outbound(session) => {
                        session.event(OutboundEvent::UpdateAudio(audio.clone()))
                    }
                }
                leg.session_version += 1;
                let answer =
                    sdp::build_answer(&audio, leg.local_rtp, leg.session_id, leg.session_version);
                leg.audio = Some(audio);
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

    pub(super) async fn on_info(
        &mut self,
        id: &DialogId,
        request: &Request,
        handle: TransactionHandle,
    ) {
        let content_type = request.header_value("content-type").unwrap_or_default();
        let Some((_, leg)) = self.leg_for(id) else {
            return respond(handle, StatusCode::CallTransactionDoesNotExist, None, None).await;
        };
        match dtmf_relay::parse_key(&content_type, &request.body) {
            Some(key) => {
                match &leg.session {
                    LegSession::Inbound(session) => session.key_pressed(key),
                    LegSession::Outbound(session) => session.event(OutboundEvent::Key(key)),
                }
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

    /// A REFER from an agent's phone: accepted (202) when it names a target, which the call side
    /// then tries; the phone is told the transfer went through (NOTIFY 200) and ends its leg.
    pub(super) async fn on_refer(
        &mut self,
        id: &DialogId,
        request: &Request,
        handle: TransactionHandle,
    ) {
        let target = request
            .header_value("refer-to")
            .and_then(|value| refer_target(&value));
        let Some((_, leg)) = self.leg_for(id) else {
            return respond(handle, StatusCode::CallTransactionDoesNotExist, None, None).await;
        };
        let LegSession::Outbound(session) = &leg.session else {
            let warning = warning("callers cannot transfer their call");
            return respond(handle, StatusCode::Forbidden, Some(vec![warning]), None).await;
        };
        let Some(target) = target else {
            let warning = warning("Refer-To must be a SIP URI with a user part");
            return respond(handle, StatusCode::BadRequest, Some(vec![warning]), None).await;
        };
        info!(%target, "agent transfers the call (REFER)");
        session.event(OutboundEvent::Refer(target));
        let dialog = leg.dialog.clone();
        respond(handle, StatusCode::Accepted, None, None).await;
        tokio::spawn(async move {
            if let Err(error) = dialog
                .notify_refer(StatusCode::OK, "terminated;reason=noresource")
                .await
            {
                debug!(%error, "REFER NOTIFY failed");
            }
        });
    }
}

/// The user part of a Refer-To value (`<sip:billing@host>`, `sip:agent2@host;transport=tcp`).
pub(super) fn refer_target(value: &str) -> Option<String> {
    let inner = match (value.find('<'), value.find('>')) {
        (Some(open), Some(close)) if open < close => &value[open + 1..close],
        _ => value.split(';').next().unwrap_or_default(),
    };
    let rest = inner
        .trim()
        .strip_prefix("sip:")
        .or_else(|| inner.trim().strip_prefix("sips:"))?;
    let user = rest.split('@').next()?;
    (rest.contains('@') && !user.is_empty()).then(|| user.to_string())
}

#[cfg(test)]
mod tests {
    use super::refer_target;

    #[test]
    fn refer_targets_are_user_parts() {
        assert_eq!(
            refer_target("<sip:billing@127.0.0.1:5060>").as_deref(),
            Some("billing")
        );
        assert_eq!(
            refer_target("sip:agent2@host;transport=tcp").as_deref(),
            Some("agent2")
        );
        assert_eq!(
            refer_target("\"IVR\" <sips:1000@h?Replaces=x>").as_deref(),
            Some("1000")
        );
        assert_eq!(refer_target("<sip:127.0.0.1>"), None);
        assert_eq!(refer_target("<tel:+15550100>"), None);
        assert_eq!(refer_target(""), None);
    }
}

//! Calls Hotline places to agents' registered phones: the INVITE to the most recently refreshed
//! contact (sent to the address the registration came from, so agents behind NAT are reached),
//! ringing, the answer's SDP, and failures.

use super::sdp;
use super::seam::{DriverCommand, OutboundCall, OutboundEvent, OutboundSession};
use super::server::{Driver, Leg, LegSession};
use rsipstack::dialog::DialogId;
use rsipstack::dialog::invitation::InviteOption;
use rsipstack::sip::{Header, StatusCodeKind, Transport, Uri};
use rsipstack::transport::SipAddr;
use tracing::{debug, info, warn};

fn transport_of(name: &str) -> Transport {
    match name {
        "TCP" => Transport::Tcp,
        "TLS" => Transport::Tls,
        "WS" => Transport::Ws,
        "WSS" => Transport::Wss,
        _ => Transport::Udp,
    }
}

/// A user part safe to put into a SIP URI: the caller's number, or `hotline` without one.
fn uri_user(caller: &str) -> String {
    let user: String = caller
        .chars()
        .filter(|character| character.is_ascii_alphanumeric() || "+-_.".contains(*character))
        .collect();
    if user.is_empty() {
        "hotline".to_string()
    } else {
        user
    }
}

impl Driver {
    pub(super) fn dial(&mut self, leg: u64, call: OutboundCall, session: Box<dyn OutboundSession>) {
        let Some(binding) = self.registrar.best_contact(&call.agent) else {
            return session.event(OutboundEvent::Failed {
                status: 480,
                reason: format!("{} has no registered phone", call.agent),
            });
        };
        let callee = match Uri::try_from(binding.uri.as_str()) {
            Ok(uri) => uri,
            Err(error) => {
                return session.event(OutboundEvent::Failed {
                    status: 400,
                    reason: format!("contact {} is unusable: {error}", binding.uri),
                });
            }
        };
        let destination = SipAddr {
            r#type: Some(transport_of(&binding.transport)),
            addr: binding.target().into(),
        };
        let host = std::net::SocketAddr::new(
            self.public_address.unwrap_or(self.local_address.ip()),
            self.local_address.port(),
        );
        let uris = Uri::try_from(format!("sip:{}@{host}", uri_user(&call.caller)).as_str())
            .and_then(|caller| {
                Ok((
                    caller,
                    Uri::try_from(format!("sip:hotline@{host}").as_str())?,
                ))
            });
        let (caller, contact) = match uris {
            Ok(uris) => uris,
            Err(error) => {
                return session.event(OutboundEvent::Failed {
                    status: 500,
                    reason: format!("cannot build the INVITE: {error}"),
                });
            }
        };
        let offer = sdp::build_offer(&self.codecs, call.local_rtp, leg, 1);
        let option = InviteOption {
            caller_display_name: Some(call.display_name.replace('"', "")),
            caller,
            callee,
            destination: Some(destination),
            content_type: Some("application/sdp".to_string()),
            offer: Some(offer.into_bytes()),
            contact,
            headers: Some(vec![Header::Other(
                "X-Hotline-Call".to_string(),
                call.call_id.clone(),
            )]),
            ..Default::default()
        };
        let (dialog, invite) = match self
            .dialog_layer
            .do_invite_async(option, self.state_sender.clone())
        {
            Ok(started) => started,
            Err(error) => {
                return session.event(OutboundEvent::Failed {
                    status: 500,
                    reason: format!("cannot send the INVITE: {error}"),
                });
            }
        };
        info!(agent = %call.agent, contact = %binding.uri, call = %call.call_id, "calling agent");
        self.leg_of_call.insert(dialog.id().call_id, leg);
        self.legs.insert(
            leg,
            Leg {
                dialog,
                session: LegSession::Outbound(session),
                local_rtp: call.local_rtp,
                audio: None,
                session_id: leg,
                session_version: 1,
                rang: false,
            },
        );
        let commands = self.signaling.commands.clone();
        tokio::spawn(async move {
            let outcome = match invite.await {
                Ok(Ok((_, response))) => Ok(response),
                Ok(Err(error)) => Err(error.to_string()),
                Err(error) => Err(error.to_string()),
            };
            let _ = commands.send(DriverCommand::DialFinished { leg, outcome });
        });
    }

    /// An outbound leg rings.
    pub(super) fn on_early(&mut self, id: &DialogId) {
        if let Some((_, leg)) = self.leg_for(id)
            && let LegSession::Outbound(session) = &leg.session
            && !leg.rang
        {
            leg.rang = true;
            session.event(OutboundEvent::Ringing);
        }
    }

    /// The INVITE of an outbound leg ended: answered, or failed with a status.
    pub(super) fn dial_finished(
        &mut self,
        leg: u64,
        outcome: Result<Option<rsipstack::sip::Response>, String>,
    ) {
        let codecs = self.codecs.clone();
        let Some(entry) = self.legs.get_mut(&leg) else {
            return;
        };
        let LegSession::Outbound(session) = &entry.session else {
            return;
        };
        let failure = match outcome {
            Ok(Some(response)) if response.status_code.kind() == StatusCodeKind::Successful => {
                match sdp::parse_offer(&response.body)
                    .and_then(|answer| sdp::negotiate(&answer, &codecs))
                {
                    Ok(audio) => {
                        entry.audio = Some(audio.clone());
                        session.event(OutboundEvent::Answered(audio));
                        return;
                    }
                    Err(error) => {
                        warn!(%error, "agent phone answered with unusable SDP");
                        let dialog = entry.dialog.clone();
                        tokio::spawn(async move {
                            if let Err(error) = dialog.bye_with_reason("unusable SDP".into()).await
                            {
                                debug!(%error, "BYE failed");
                            }
                        });
                        (488, error.to_string())
                    }
                }
            }
            Ok(Some(response)) => {
                let status = u16::from(response.status_code.clone());
                (status, response.status_code.to_string())
            }
            Ok(None) => (408, "no final response".to_string()),
            Err(error) => (503, error),
        };
        if let Some(removed) = self.remove_leg(leg)
            && let LegSession::Outbound(session) = removed.session
        {
            session.event(OutboundEvent::Failed {
                status: failure.0,
                reason: failure.1,
            });
        }
    }
}

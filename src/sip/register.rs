//! REGISTER requests: read into the registrar's terms, answered with its decision, and logged
//! (wrong passwords with where they came from).

use super::contact_list::parse_contacts;
use super::registrar::{RegisterReply, RegisterRequest};
use super::server::{Driver, reply, user_part, warning};
use rsipstack::sip::prelude::HeadersExt;
use rsipstack::sip::{Header, Request, StatusCode};
use rsipstack::transaction::Transaction;
use rsipstack::transport::SipConnection;
use std::net::SocketAddr;
use std::time::Instant;
use tracing::{debug, info, warn};

fn header_values<'a>(request: &'a Request, name: &str) -> Vec<&'a str> {
    request
        .headers
        .iter()
        .filter(|header| header.name().eq_ignore_ascii_case(name))
        .map(|header| header.value())
        .collect()
}

/// Where the request really came from: the top Via with `received` and `rport`.
fn source_of(request: &Request) -> Option<SocketAddr> {
    let via = request.via_header().ok()?;
    let (_, host_with_port) = SipConnection::parse_target_from_via(via).ok()?;
    host_with_port.try_into().ok()
}

/// Reads a REGISTER into the registrar's terms, or says what is wrong with it.
fn register_request(transaction: &Transaction) -> Result<RegisterRequest, String> {
    let request = &transaction.original;
    let to = request.to_header().map_err(|error| error.to_string())?;
    let user = to
        .uri()
        .map(|uri| user_part(&uri))
        .map_err(|error| format!("unusable To header: {error}"))?;
    let list = parse_contacts(header_values(request, "contact"))?;
    let expires = match request.header_value("expires") {
        Some(value) => Some(
            value
                .trim()
                .parse::<u32>()
                .map_err(|_| format!("Expires {value:?} is not a number"))?,
        ),
        None => None,
    };
    let sequence = request
        .cseq_header()
        .and_then(|cseq| cseq.seq())
        .map_err(|error| format!("unusable CSeq: {error}"))?;
    let source = source_of(request)
        .or_else(|| {
            let connection = transaction.connection.as_ref()?;
            connection.get_addr().get_socketaddr().ok()
        })
        .ok_or("cannot tell where the request came from")?;
    Ok(RegisterRequest {
        user,
        authorization: request.header_value("authorization"),
        contacts: list.contacts,
        wildcard: list.wildcard,
        expires,
        call_id: request
            .call_id_header()
            .map(|call_id| call_id.value().to_string())
            .unwrap_or_default(),
        sequence,
        source,
        transport: transaction
            .connection
            .as_ref()
            .map(|connection| connection.transport().to_string().to_ascii_uppercase())
            .unwrap_or_else(|| "UDP".to_string()),
    })
}

impl Driver {
    pub(super) async fn on_register(&mut self, mut transaction: Transaction) {
        let request = match register_request(&transaction) {
            Ok(request) => request,
            Err(reason) => {
                info!(%reason, "refusing REGISTER: 400");
                return reply(&mut transaction, StatusCode::BadRequest, Some(&reason)).await;
            }
        };
        let decision = self.registrar.handle_register(Instant::now(), &request);
        let (status, headers) = match decision {
            RegisterReply::Challenge(challenge) => (
                StatusCode::Unauthorized,
                vec![Header::WwwAuthenticate(challenge.into())],
            ),
            RegisterReply::Registered(contacts) => {
                info!(
                    agent = %request.user,
                    source = %request.source,
                    transport = %request.transport,
                    contacts = contacts.len(),
                    "registered"
                );
                let headers = contacts
                    .iter()
                    .map(|(uri, seconds)| {
                        Header::Contact(format!("<{uri}>;expires={seconds}").into())
                    })
                    .collect();
                (StatusCode::OK, headers)
            }
            RegisterReply::IntervalTooBrief(minimum) => (
                StatusCode::IntervalTooBrief,
                vec![Header::MinExpires(minimum.to_string().into())],
            ),
            RegisterReply::Refused { status, reason } => {
                warn!(
                    user = %request.user,
                    source = %request.source,
                    status,
                    %reason,
                    "REGISTER refused"
                );
                (StatusCode::from(status), vec![warning(&reason)])
            }
        };
        if let Err(error) = transaction.reply_with(status, headers, None).await {
            debug!(%error, "could not answer REGISTER");
        }
        self.report_registrations();
    }
}

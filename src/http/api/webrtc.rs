//! WebRTC signalling over WebSockets: `/api/webrtc/call` places a browser call to the hotline
//! (the "call us" page; no sign-in), `/api/agent/phone` is a signed-in agent's browser phone.
//! Messages are [`crate::webrtc::signal`]'s JSON; each leg runs in its own driver task, and the
//! socket only relays between the browser and the legs. Closing the socket hangs its legs up.
//! `/api/webrtc/call?test=KEY` calls a draft an admin is trying in the designer instead.

use super::agent::Desk;
use super::shared::send_json;
use crate::dialogue::Flow;
use crate::http::auth::{Principal, trial_flow};
use crate::http::error::AppError;
use crate::http::state::AppState;
use crate::webrtc::driver::{self, LegChannels, LegEvent, LegSignal};
use crate::webrtc::signal::{FromBrowser, ToBrowser};
use crate::webrtc::{Gateway, Ring};
use axum::Router;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{ConnectInfo, Query, State};
use axum::response::Response;
use axum::routing::get;
use serde::Deserialize;
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::sync::mpsc;
use tracing::{debug, info};

/// The largest signalling message accepted: an SDP offer is a few kilobytes.
const MAXIMUM_MESSAGE: usize = 64 * 1024;
/// Legs' events waiting for a socket.
const EVENTS_WAITING: usize = 64;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/webrtc/call", get(call))
        .route("/agent/phone", get(phone))
}

fn gateway(state: &AppState) -> Result<Gateway, AppError> {
    state.webrtc.clone().ok_or_else(|| {
        AppError::Unavailable("browser calls are not available on this server".to_string())
    })
}

#[derive(Deserialize)]
struct CallQuery {
    /// A draft trial's key: the designer's test call (admins only).
    test: Option<String>,
}

async fn call(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    principal: Option<Principal>,
    query: Result<Query<CallQuery>, axum::extract::rejection::QueryRejection>,
    upgrade: WebSocketUpgrade,
) -> Result<Response, AppError> {
    let gateway = gateway(&state)?;
    let Query(query) = query?;
    let trial = match &query.test {
        Some(key) => Some(trial_flow(&state, principal.as_ref(), key)?),
        None => None,
    };
    Ok(upgrade
        .max_message_size(MAXIMUM_MESSAGE)
        .on_upgrade(move |socket| caller_socket(gateway, peer, trial, socket)))
}

async fn phone(
    State(state): State<AppState>,
    desk: Desk,
    upgrade: WebSocketUpgrade,
) -> Result<Response, AppError> {
    let gateway = gateway(&state)?;
    let agent = desk.agent.to_string();
    Ok(upgrade
        .max_message_size(MAXIMUM_MESSAGE)
        .on_upgrade(move |socket| phone_socket(state, gateway, agent, socket)))
}

/// One browser's message, read; `None` when the socket is done.
enum Received {
    Message(FromBrowser),
    Unreadable(String),
    Closed,
}

async fn receive(socket: &mut WebSocket) -> Received {
    loop {
        return match socket.recv().await {
            Some(Ok(Message::Text(text))) => match serde_json::from_str(&text) {
                Ok(message) => Received::Message(message),
                Err(error) => Received::Unreadable(error.to_string()),
            },
            Some(Ok(Message::Close(_))) | Some(Err(_)) | None => Received::Closed,
            Some(Ok(_)) => continue,
        };
    }
}

fn to_browser(leg: u64, event: LegEvent) -> ToBrowser {
    match event {
        LegEvent::Answer(sdp) => ToBrowser::Answer { leg, sdp },
        LegEvent::Reference(reference) => ToBrowser::Call { leg, reference },
        LegEvent::Connected => ToBrowser::Connected { leg },
        LegEvent::Ended(reason) => ToBrowser::Ended { leg, reason },
    }
}

/// The signal a message carries to an existing leg, with the leg's number.
fn leg_signal(message: FromBrowser) -> Option<(u64, LegSignal)> {
    match message {
        FromBrowser::Accept { leg, sdp } => Some((leg, LegSignal::Accept(sdp))),
        FromBrowser::Decline { leg } => Some((leg, LegSignal::Decline)),
        FromBrowser::Candidate { leg, candidate, .. } => {
            Some((leg, LegSignal::Candidate(candidate)))
        }
        FromBrowser::Key { leg, key } => Some((leg, LegSignal::Key(key))),
        FromBrowser::Hangup { leg } => Some((leg, LegSignal::HangUp)),
        FromBrowser::Offer { .. } => None,
    }
}

fn error(message: impl Into<String>) -> ToBrowser {
    ToBrowser::Error {
        message: message.into(),
    }
}

/// A caller's socket: one offer places one call; the socket closes when the call ends.
async fn caller_socket(
    gateway: Gateway,
    peer: SocketAddr,
    trial: Option<Arc<Flow>>,
    mut socket: WebSocket,
) {
    let (events, mut leg_events) = mpsc::channel(EVENTS_WAITING);
    let mut signals: Option<mpsc::Sender<LegSignal>> = None;
    loop {
        tokio::select! {
            received = receive(&mut socket) => {
                let reply = match received {
                    Received::Closed => return,
                    Received::Unreadable(why) => Some(error(format!("unreadable message: {why}"))),
                    Received::Message(FromBrowser::Offer { sdp }) if signals.is_none() => {
                        match gateway.caller_slot(peer.ip()) {
                            Ok(slot) => {
                                let (sender, channels) = LegChannels::open(0, &events);
                                let caller = format!("web-{}", peer.ip());
                                let trial = trial.clone();
                                tokio::spawn(driver::caller(gateway.clone(), sdp, caller, trial, slot, channels));
                                signals = Some(sender);
                                None
                            }
                            Err(refused) => {
                                info!(%refused, "browser call refused");
                                let ended = ToBrowser::Ended { leg: 0, reason: refused.to_string() };
                                let _ = send_json(&mut socket, &ended).await;
                                return;
                            }
                        }
                    }
                    Received::Message(FromBrowser::Offer { .. }) => Some(error("this socket already has a call")),
                    Received::Message(message) => match (leg_signal(message), &signals) {
                        (Some((_, signal)), Some(sender)) => {
                            // A full channel means the leg is stuck or gone; the message is dropped.
                            let _ = sender.try_send(signal);
                            None
                        }
                        _ => Some(error("no call to send that to: send an offer first")),
                    },
                };
                if let Some(reply) = reply && send_json(&mut socket, &reply).await.is_err() {
                    return;
                }
            }
            Some((leg, event)) = leg_events.recv() => {
                let ended = matches!(event, LegEvent::Ended(_));
                if send_json(&mut socket, &to_browser(leg, event)).await.is_err() || ended {
                    return;
                }
            }
        }
    }
}

/// An agent's phone socket: rings arrive, the agent accepts or declines each, and each
/// accepted ring becomes a leg of its own.
async fn phone_socket(state: AppState, gateway: Gateway, agent: String, mut socket: WebSocket) {
    let mut line = state.phones.connect(&agent);
    state.agents.browser_phone(&agent, true);
    info!(%agent, "browser phone connected");
    let (events, mut leg_events) = mpsc::channel(EVENTS_WAITING);
    let mut legs: HashMap<u64, mpsc::Sender<LegSignal>> = HashMap::new();
    let mut next_leg = 1u64;
    loop {
        tokio::select! {
            ring = line.next_ring() => {
                let Some(ring) = ring else {
                    let _ = send_json(&mut socket, &error("the phone was opened in another window")).await;
                    break;
                };
                let number = next_leg;
                next_leg += 1;
                let message = ring_message(number, &ring);
                let (sender, channels) = LegChannels::open(number, &events);
                tokio::spawn(driver::agent(gateway.clone(), ring, channels));
                legs.insert(number, sender);
                if send_json(&mut socket, &message).await.is_err() {
                    break;
                }
            }
            received = receive(&mut socket) => {
                let reply = match received {
                    Received::Closed => break,
                    Received::Unreadable(why) => Some(error(format!("unreadable message: {why}"))),
                    Received::Message(message) => match leg_signal(message) {
                        Some((leg, signal)) => match legs.get(&leg) {
                            Some(sender) => {
                                let _ = sender.try_send(signal);
                                None
                            }
                            None => Some(error(format!("no leg {leg}"))),
                        },
                        None => Some(error("a phone answers rings: send accept with an offer")),
                    },
                };
                if let Some(reply) = reply && send_json(&mut socket, &reply).await.is_err() {
                    break;
                }
            }
            Some((leg, event)) = leg_events.recv() => {
                if matches!(event, LegEvent::Ended(_)) {
                    legs.remove(&leg);
                }
                if send_json(&mut socket, &to_browser(leg, event)).await.is_err() {
                    break;
                }
            }
        }
    }
    debug!(%agent, legs = legs.len(), "browser phone disconnected");
    drop(legs);
    drop(line);
    state.agents.browser_phone(&agent, false);
}

fn ring_message(leg: u64, ring: &Ring) -> ToBrowser {
    ToBrowser::Ring {
        leg,
        call: ring.call.call_id.clone(),
        caller: ring.call.caller.clone(),
        display: ring.call.display_name.clone(),
    }
}

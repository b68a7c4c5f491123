//! JSON APIs.

mod agent;
mod calls;
mod cdr;
mod chat;
mod dashboard;
mod drafts;
mod flows;
mod openapi;
mod recordings;
mod webrtc;

use super::AppState;
use axum::Router;
use axum::extract::ws::{Message, WebSocket};

pub fn router() -> Router<AppState> {
    calls::router()
        .merge(chat::router())
        .merge(agent::router())
        .merge(recordings::router())
        .merge(webrtc::router())
        .merge(flows::router())
        .merge(drafts::router())
        .merge(openapi::router())
        .merge(dashboard::router())
        .merge(cdr::router())
        .merge(super::auth::router())
}

/// Sends `value` as a JSON text message; an error when it cannot be encoded or the socket is
/// gone.
async fn send_json(socket: &mut WebSocket, value: &impl serde::Serialize) -> Result<(), ()> {
    let text = serde_json::to_string(value).map_err(|_| ())?;
    socket
        .send(Message::Text(text.into()))
        .await
        .map_err(|_| ())
}

//! JSON APIs.

mod agent;
mod calls;
mod chat;
mod recordings;
mod webrtc;

use super::AppState;
use axum::Router;

pub fn router() -> Router<AppState> {
    calls::router()
        .merge(chat::router())
        .merge(agent::router())
        .merge(recordings::router())
        .merge(webrtc::router())
        .merge(super::auth::router())
}

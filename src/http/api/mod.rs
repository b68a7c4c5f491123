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
mod shared;
mod webrtc;

use super::state::AppState;
use axum::Router;

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

//! The HTTP server (axum): health, Prometheus metrics, the JSON APIs under `/api/` and, when
//! configured, the demo order system under `/demo/`.
//!
//! Handlers see calls only through stores and handles, never SIP internals. Every error is an
//! [`AppError`]: a status code with a JSON `{"error": ...}` body.

mod api;
mod auth;
mod demo;
mod desk_sessions;
mod error;
mod pages;

pub use auth::{Principal, trial_flow};
pub use desk_sessions::DeskSessions;
pub use error::{AppError, ErrorBody};

use crate::agents::AgentService;
use crate::chat::ChatService;
use crate::config::Config;
use crate::orders::OrderBook;
use crate::recording::RecordingService;
use crate::storage::{AuditLog, CallStore, Role, UserStore};
use crate::telemetry::Metrics;
use axum::Router;
use axum::routing::get;
use std::sync::Arc;

/// What the handlers share.
#[derive(Clone)]
pub struct AppState {
    /// Metrics registry rendered on `/metrics`.
    pub metrics: Metrics,
    /// Call records.
    pub calls: Arc<dyn CallStore>,
    /// The demo order system served under `/demo/`, when the config has one.
    pub orders: Option<Arc<OrderBook>>,
    /// Web chat sessions.
    pub chat: ChatService,
    /// Agents and queues.
    pub agents: AgentService,
    /// The server configuration (agents' credentials, dispositions).
    pub config: Arc<Config>,
    /// Signed-in agent desks.
    pub desk_sessions: DeskSessions,
    /// Users of the pages and APIs, and their tokens.
    pub users: Arc<UserStore>,
    /// The audit log of views, plays and exports.
    pub audit: Arc<AuditLog>,
    /// Sealed recordings.
    pub recordings: Arc<RecordingService>,
    /// Whether cookies are marked `Secure` (HTTP is served over TLS).
    pub secure_cookies: bool,
    /// Browser legs; `None` when they cannot be offered (no address for them).
    pub webrtc: Option<crate::webrtc::Gateway>,
    /// Agents' browser phones.
    pub phones: crate::webrtc::BrowserPhones,
    /// Flow versions: saving, publishing, rollback, trials.
    pub publisher: crate::flows::FlowPublisher,
    /// The server's voice, for previews of what a step will say; `None` when it is off.
    pub speech: Option<crate::tts::SpeechService>,
    /// The live operations dashboard.
    pub dashboard: crate::operations::Dashboard,
}

/// The complete router.
pub fn router(state: AppState) -> Router {
    let mut router = Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/metrics", get(metrics))
        .route("/chat", get(pages::chat))
        .route("/desk", get(pages::desk))
        .route("/review", get(pages::review))
        .route("/call", get(pages::call))
        .route("/admin/flows", get(pages::designer))
        .route("/admin", get(pages::dashboard))
        .route("/staff/staff.js", get(pages::staff_script))
        .route("/staff/staff.css", get(pages::staff_styles))
        .nest("/api", api::router());
    if let Some(orders) = &state.orders {
        router = router.nest("/demo", demo::router(orders.clone()));
    }
    router
        .fallback(|| async { AppError::NotFound("no such page".to_string()) })
        .with_state(state)
}

/// `GET /metrics`, for admins, supervisors and the scraper's token.
async fn metrics(
    axum::extract::State(state): axum::extract::State<AppState>,
    principal: Principal,
) -> Result<impl axum::response::IntoResponse, AppError> {
    principal.require(&[Role::Admin, Role::Supervisor])?;
    Ok((
        [(
            axum::http::header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        state.metrics.render(),
    ))
}

//! The HTTP server (axum): health, Prometheus metrics and the JSON APIs under `/api/`.
//!
//! Handlers see calls only through stores and handles, never SIP internals. Every error is an
//! [`AppError`]: a status code with a JSON `{"error": ...}` body.

mod api;
mod error;

pub use error::AppError;

use crate::storage::CallStore;
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
}

/// The complete router.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/metrics", get(metrics))
        .nest("/api", api::router())
        .fallback(|| async { AppError::NotFound("no such page".to_string()) })
        .with_state(state)
}

async fn metrics(
    axum::extract::State(state): axum::extract::State<AppState>,
) -> impl axum::response::IntoResponse {
    (
        [(
            axum::http::header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        state.metrics.render(),
    )
}

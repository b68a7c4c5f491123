//! The complete router: pages, `/api/`, `/demo/`, health and metrics.

use super::auth::Principal;
use super::error::AppError;
use super::state::AppState;
use super::{api, demo, pages};
use crate::storage::Role;
use axum::Router;
use axum::routing::get;

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
        .route("/staff/{*file}", get(pages::staff_file))
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

//! The live operations dashboard's API: `GET /api/admin/dashboard` (one snapshot) and
//! `GET /api/admin/live` (a WebSocket pushing a snapshot every second). Admins and
//! supervisors only.

use super::shared::send_json;
use crate::http::auth::Principal;
use crate::http::error::AppError;
use crate::http::error::ErrorBody;
use crate::http::state::AppState;
use crate::operations::Snapshot;
use crate::storage::Role;
use axum::extract::State;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::response::Response;
use axum::routing::get;
use axum::{Json, Router};

const WATCHERS: &[Role] = &[Role::Admin, Role::Supervisor];

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/dashboard", get(snapshot))
        .route("/admin/live", get(live))
}

/// Everything the dashboard shows, now. `GET /api/admin/live` (a WebSocket) pushes the same
/// snapshot at once and then every second.
#[utoipa::path(get, path = "/api/admin/dashboard", tag = "operations",
    responses(
        (status = 200, body = Snapshot),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
    ))]
pub async fn snapshot(
    State(state): State<AppState>,
    principal: Principal,
) -> Result<Json<Snapshot>, AppError> {
    principal.require(WATCHERS)?;
    Ok(Json(state.dashboard.snapshot().await?))
}

async fn live(
    State(state): State<AppState>,
    principal: Principal,
    upgrade: WebSocketUpgrade,
) -> Result<Response, AppError> {
    principal.require(WATCHERS)?;
    Ok(upgrade
        .max_message_size(4 * 1024)
        .on_upgrade(move |socket| push(socket, state)))
}

/// Sends each snapshot as it is built until the page goes away.
async fn push(mut socket: WebSocket, state: AppState) {
    let mut snapshots = state.dashboard.watch();
    // The first at once, before the task's next round.
    match state.dashboard.snapshot().await {
        Ok(snapshot) => {
            if send_json(&mut socket, &snapshot).await.is_err() {
                return;
            }
        }
        Err(error) => tracing::warn!(%error, "the dashboard cannot read today's calls"),
    }
    loop {
        tokio::select! {
            changed = snapshots.changed() => {
                if changed.is_err() {
                    return;
                }
                let latest = snapshots.borrow_and_update().clone();
                if let Some(snapshot) = latest
                    && send_json(&mut socket, snapshot.as_ref()).await.is_err()
                {
                    return;
                }
            }
            received = socket.recv() => match received {
                Some(Ok(Message::Close(_))) | Some(Err(_)) | None => return,
                Some(Ok(_)) => {}
            },
        }
    }
}

//! Helpers the API modules share: who reads and who changes admin resources, JSON bodies and
//! their rejections, blocking work off the runtime, the audit trail, and JSON over WebSockets.

use crate::http::error::AppError;
use crate::http::state::AppState;
use crate::storage::Role;
use axum::Json;
use axum::extract::ws::{Message, WebSocket};

/// Who reads flows, the dashboard and call records.
pub const READERS: &[Role] = &[Role::Admin, Role::Supervisor];
/// Who changes flows.
pub const WRITERS: &[Role] = &[Role::Admin];

/// A JSON body, or the reason it is not one.
pub type JsonBody<T> = Result<Json<T>, axum::extract::rejection::JsonRejection>;

/// An internal error for what should not fail.
pub fn internal(error: impl std::fmt::Display) -> AppError {
    AppError::Internal(error.to_string())
}

/// Runs blocking work off the runtime.
pub async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, AppError> + Send + 'static,
) -> Result<T, AppError> {
    tokio::task::spawn_blocking(work).await.map_err(internal)?
}

/// Writes an audit entry, off the runtime.
pub async fn append_audit(
    state: &AppState,
    actor: &str,
    role: &str,
    action: &str,
    target: &str,
    detail: String,
) -> Result<(), AppError> {
    let log = state.audit.clone();
    let (actor, role, action, target) = (
        actor.to_string(),
        role.to_string(),
        action.to_string(),
        target.to_string(),
    );
    blocking(move || Ok(log.append(&actor, &role, &action, &target, &detail)?)).await?;
    Ok(())
}

/// Sends `value` as a JSON text message; an error when it cannot be encoded or the socket is
/// gone.
pub async fn send_json(socket: &mut WebSocket, value: &impl serde::Serialize) -> Result<(), ()> {
    let text = serde_json::to_string(value).map_err(|_| ())?;
    socket
        .send(Message::Text(text.into()))
        .await
        .map_err(|_| ())
}

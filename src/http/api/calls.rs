//! `GET /api/calls` (recent calls, newest first) and `GET /api/calls/{id}`.

use crate::http::{AppError, AppState};
use crate::ids::CallId;
use crate::storage::CallRecord;
use axum::extract::{Path, Query, State};
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;

const DEFAULT_LIMIT: usize = 100;
const MAXIMUM_LIMIT: usize = 1000;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/calls", get(list))
        .route("/calls/{id}", get(one))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ListQuery {
    limit: Option<usize>,
}

async fn list(
    State(state): State<AppState>,
    query: Result<Query<ListQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Vec<CallRecord>>, AppError> {
    let Query(query) = query.map_err(|rejection| AppError::BadRequest(rejection.body_text()))?;
    let limit = query.limit.unwrap_or(DEFAULT_LIMIT);
    if limit == 0 || limit > MAXIMUM_LIMIT {
        return Err(AppError::BadRequest(format!(
            "limit must be between 1 and {MAXIMUM_LIMIT}"
        )));
    }
    let store = state.calls.clone();
    let calls = tokio::task::spawn_blocking(move || store.recent_calls(limit))
        .await
        .map_err(|error| AppError::Internal(error.to_string()))??;
    Ok(Json(calls))
}

async fn one(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<CallRecord>, AppError> {
    let id = CallId::parse(&id)
        .ok_or_else(|| AppError::BadRequest(format!("{id:?} is not a call ID")))?;
    let store = state.calls.clone();
    let call = tokio::task::spawn_blocking(move || store.call(id))
        .await
        .map_err(|error| AppError::Internal(error.to_string()))??;
    call.map(Json)
        .ok_or_else(|| AppError::NotFound(format!("no call {id}")))
}

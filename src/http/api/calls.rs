//! `GET /api/calls` (recent calls, newest first) and `GET /api/calls/{id}`: every role; an
//! agent sees only the calls they took. Transcripts are stored redacted.

use crate::http::auth::Principal;
use crate::http::error::AppError;
use crate::http::state::AppState;
use crate::ids::CallId;
use crate::storage::{CallFilter, CallRecord, Role};
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
    principal: Principal,
    query: Result<Query<ListQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Vec<CallRecord>>, AppError> {
    let Query(query) = query?;
    let limit = query.limit.unwrap_or(DEFAULT_LIMIT);
    if limit == 0 || limit > MAXIMUM_LIMIT {
        return Err(AppError::BadRequest(format!(
            "limit must be between 1 and {MAXIMUM_LIMIT}"
        )));
    }
    let store = state.calls.clone();
    let calls = tokio::task::spawn_blocking(move || {
        if principal.role == Role::Agent {
            let own = CallFilter {
                agent: Some(principal.name),
                ..CallFilter::default()
            };
            store.search_calls(&own, limit)
        } else {
            store.recent_calls(limit)
        }
    })
    .await
    .map_err(|error| AppError::Internal(error.to_string()))??;
    Ok(Json(calls))
}

async fn one(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<String>,
) -> Result<Json<CallRecord>, AppError> {
    let id = CallId::parse(&id)
        .ok_or_else(|| AppError::BadRequest(format!("{id:?} is not a call ID")))?;
    let store = state.calls.clone();
    let call = tokio::task::spawn_blocking(move || store.call(id))
        .await
        .map_err(|error| AppError::Internal(error.to_string()))??
        .ok_or_else(|| AppError::NotFound(format!("no call {id}")))?;
    if principal.role == Role::Agent && call.agent.as_deref() != Some(principal.name.as_str()) {
        return Err(AppError::Forbidden(format!(
            "call {id} was not taken by {}",
            principal.name
        )));
    }
    Ok(Json(call))
}

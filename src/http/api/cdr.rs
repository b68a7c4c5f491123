//! Call detail records for export: `GET /api/admin/cdr?from=DAY&to=DAY&format=csv|json`, one
//! row per call or chat (newest first) without transcripts. Admins and supervisors; every
//! export is written to the audit log.

use super::shared::{append_audit, blocking};
use crate::http::auth::Principal;
use crate::http::error::AppError;
use crate::http::error::ErrorBody;
use crate::http::state::AppState;
use crate::storage::{CallFilter, CallRecord, Role};
use axum::extract::{Query, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// Records one export holds, at most.
const MAXIMUM_ROWS: usize = 100_000;

pub fn router() -> Router<AppState> {
    Router::new().route("/admin/cdr", get(export))
}

/// The export's format.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Csv,
    Json,
}

/// Which records, and how.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportQuery {
    /// Calls started on or after this day (UTC).
    from: Option<NaiveDate>,
    /// Calls started on or before this day (UTC).
    to: Option<NaiveDate>,
    /// `json` (the default) or `csv`.
    format: Option<Format>,
}

/// One call detail record.
#[derive(Debug, Serialize, ToSchema)]
pub struct DetailRecord {
    id: String,
    started_at: DateTime<Utc>,
    ended_at: Option<DateTime<Utc>>,
    duration_seconds: Option<i64>,
    from: String,
    to: String,
    flow: String,
    mode: String,
    #[schema(value_type = String)]
    outcome: &'static str,
    intent: Option<String>,
    handed_over: bool,
    agent: Option<String>,
    disposition: Option<String>,
    digits: String,
    recorded: bool,
}

impl From<&CallRecord> for DetailRecord {
    fn from(record: &CallRecord) -> DetailRecord {
        DetailRecord {
            id: record.id.to_string(),
            started_at: record.started_at,
            ended_at: record.ended_at,
            duration_seconds: record
                .ended_at
                .map(|ended| (ended - record.started_at).num_seconds()),
            from: record.from.clone(),
            to: record.to.clone(),
            flow: record.flow.clone(),
            mode: record.mode.clone(),
            outcome: record.outcome.name(),
            intent: record.variables.get("intent").cloned(),
            handed_over: record.handover.is_some() || record.agent.is_some(),
            agent: record.agent.clone(),
            disposition: record
                .wrap_up
                .as_ref()
                .map(|wrap_up| wrap_up.disposition.clone()),
            digits: record.digits.clone(),
            recorded: record.recording.is_some(),
        }
    }
}

/// Call detail records, newest first, as JSON or CSV (the same columns). Audited.
#[utoipa::path(get, path = "/api/admin/cdr", tag = "operations",
    params(ExportQuery),
    responses(
        (status = 200, content(
            (Vec<DetailRecord> = "application/json"),
            (String = "text/csv"),
        )),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
    ))]
pub async fn export(
    State(state): State<AppState>,
    principal: Principal,
    query: Result<Query<ExportQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, AppError> {
    principal.require(&[Role::Admin, Role::Supervisor])?;
    let Query(query) = query?;
    if let (Some(from), Some(to)) = (query.from, query.to)
        && from > to
    {
        return Err(AppError::BadRequest(format!(
            "`from` ({from}) is after `to` ({to})"
        )));
    }
    let filter = CallFilter {
        from: query.from,
        to: query.to,
        ..CallFilter::default()
    };
    let store = state.calls.clone();
    let records = blocking(move || Ok(store.search_calls(&filter, MAXIMUM_ROWS)?)).await?;
    let rows: Vec<DetailRecord> = records.iter().map(DetailRecord::from).collect();
    let range = |day: Option<NaiveDate>| day.map_or("any".to_string(), |day| day.to_string());
    let detail = format!(
        "{} records, {} to {}",
        rows.len(),
        range(query.from),
        range(query.to)
    );
    let role = principal.role.name();
    append_audit(
        &state,
        &principal.name,
        role,
        "export call records",
        "cdr",
        detail,
    )
    .await?;
    match query.format.unwrap_or(Format::Json) {
        Format::Json => Ok(Json(rows).into_response()),
        Format::Csv => {
            let mut writer = csv::Writer::from_writer(Vec::new());
            for row in &rows {
                writer
                    .serialize(row)
                    .map_err(|error| AppError::Internal(error.to_string()))?;
            }
            let bytes = writer
                .into_inner()
                .map_err(|error| AppError::Internal(error.to_string()))?;
            let headers = [
                (CONTENT_TYPE, "text/csv; charset=utf-8"),
                (
                    CONTENT_DISPOSITION,
                    "attachment; filename=\"hotline-calls.csv\"",
                ),
            ];
            Ok((headers, bytes).into_response())
        }
    }
}

//! The flow designer's API for flows and their versions, under `/api/admin/flows`: list,
//! versions with their files, save, diff, publish and rollback (`drafts` has the checks made
//! while a draft is typed, trials and previews).
//!
//! Admins and supervisors read; only admins save, publish and roll back. Every publish and
//! rollback is written to the audit log.

use super::shared::{JsonBody, READERS, WRITERS, append_audit, blocking};
use crate::flows::{FileDiff, diff};
use crate::http::auth::Principal;
use crate::http::error::AppError;
use crate::http::error::ErrorBody;
use crate::http::state::AppState;
use crate::storage::{FlowFiles, FlowVersion};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use utoipa::{IntoParams, ToSchema};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/flows", get(list))
        .route("/admin/flows/{name}", get(show))
        .route("/admin/flows/{name}/versions", post(save))
        .route("/admin/flows/{name}/versions/{version}", get(version))
        .route(
            "/admin/flows/{name}/versions/{version}/publish",
            post(publish),
        )
        .route("/admin/flows/{name}/rollback", post(roll_back))
        .route("/admin/flows/{name}/diff", get(compare))
}

/// Path parameters, or the reason they do not parse.
type PathOf<T> = Result<Path<T>, axum::extract::rejection::PathRejection>;

/// Every flow.
#[derive(Serialize, ToSchema)]
pub struct FlowList {
    flows: Vec<FlowSummary>,
}

/// A flow published, saved or named by a route.
#[derive(Serialize, ToSchema)]
pub struct FlowSummary {
    name: String,
    /// The version calls start in now; none before the first publish.
    published_version: Option<u32>,
    /// The newest saved version; 0 before the first save.
    latest_version: u32,
    /// The numbers routed to it.
    routes: Vec<RouteSummary>,
}

/// A number routed to a flow.
#[derive(Serialize, ToSchema)]
pub struct RouteSummary {
    number: String,
    /// `speech` or `dtmf`.
    mode: String,
}

/// A flow's versions and the newest one's files.
#[derive(Serialize, ToSchema)]
pub struct FlowDetail {
    name: String,
    published_version: Option<u32>,
    /// Newest first.
    versions: Vec<FlowVersion>,
    /// The newest version's files; none before the first save.
    draft: Option<FlowFiles>,
}

/// One version with its files.
#[derive(Serialize, ToSchema)]
pub struct VersionWithFiles {
    #[serde(flatten)]
    version: FlowVersion,
    files: FlowFiles,
}

/// A new version.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SaveRequest {
    files: FlowFiles,
    /// What changed.
    #[serde(default)]
    note: String,
}

/// The version published now.
#[derive(Serialize, ToSchema)]
pub struct Published {
    name: String,
    published_version: u32,
}

/// Two versions to compare.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct DiffQuery {
    /// The older version.
    from: u32,
    /// The newer version.
    to: u32,
}

/// How two versions differ.
#[derive(Serialize, ToSchema)]
pub struct Differences {
    from: u32,
    to: u32,
    /// The files that differ, line by line.
    files: Vec<FileDiff>,
}

/// Every flow published, saved, or named by a route.
#[utoipa::path(get, path = "/api/admin/flows", tag = "flows",
    responses(
        (status = 200, body = FlowList),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
    ))]
pub async fn list(
    State(state): State<AppState>,
    principal: Principal,
) -> Result<Json<FlowList>, AppError> {
    principal.require(READERS)?;
    let publisher = state.publisher.clone();
    let config = state.config.clone();
    blocking(move || {
        let store = publisher.versions();
        let mut names: BTreeSet<String> = store.flows()?.into_iter().collect();
        names.extend(publisher.published().current().flows.keys().cloned());
        names.extend(config.routes.iter().map(|route| route.flow.clone()));
        let mut flows = Vec::new();
        for name in names {
            let versions = store.versions(&name)?;
            let routes = config
                .routes
                .iter()
                .filter(|route| route.flow == name)
                .map(|route| RouteSummary {
                    number: route.number.clone(),
                    mode: route.mode.name().to_string(),
                })
                .collect();
            flows.push(FlowSummary {
                published_version: store.published(&name)?,
                latest_version: versions.first().map_or(0, |version| version.version),
                name,
                routes,
            });
        }
        Ok(Json(FlowList { flows }))
    })
    .await
}

/// A flow's versions and the newest one's files.
#[utoipa::path(get, path = "/api/admin/flows/{name}", tag = "flows",
    params(("name" = String, Path, description = "The flow", pattern = r"^[A-Za-z0-9_-]{1,64}$")),
    responses(
        (status = 200, body = FlowDetail),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
    ))]
pub async fn show(
    State(state): State<AppState>,
    principal: Principal,
    name: PathOf<String>,
) -> Result<Json<FlowDetail>, AppError> {
    principal.require(READERS)?;
    let Path(name) = name?;
    let publisher = state.publisher.clone();
    blocking(move || {
        publisher.place(&name)?;
        let store = publisher.versions();
        Ok(Json(FlowDetail {
            published_version: store.published(&name)?,
            versions: store.versions(&name)?,
            draft: store.latest(&name)?.map(|(_, files)| files),
            name,
        }))
    })
    .await
}

/// One version with its files.
#[utoipa::path(get, path = "/api/admin/flows/{name}/versions/{version}", tag = "flows",
    params(("name" = String, Path, description = "The flow", pattern = r"^[A-Za-z0-9_-]{1,64}$"), ("version" = u32, Path, description = "The version")),
    responses(
        (status = 200, body = VersionWithFiles),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
    ))]
pub async fn version(
    State(state): State<AppState>,
    principal: Principal,
    path: PathOf<(String, u32)>,
) -> Result<Json<VersionWithFiles>, AppError> {
    principal.require(READERS)?;
    let Path((name, number)) = path?;
    let publisher = state.publisher.clone();
    blocking(move || {
        let (version, files) = publisher
            .versions()
            .version(&name, number)?
            .ok_or_else(|| AppError::NotFound(format!("flow {name} has no version {number}")))?;
        Ok(Json(VersionWithFiles { version, files }))
    })
    .await
}

/// Saves the files as the next version, when they have no errors.
#[utoipa::path(post, path = "/api/admin/flows/{name}/versions", tag = "flows",
    params(("name" = String, Path, description = "The flow", pattern = r"^[A-Za-z0-9_-]{1,64}$")),
    request_body = SaveRequest,
    responses(
        (status = 201, body = FlowVersion),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 422, description = "The files have errors", body = ErrorBody),
    ))]
pub async fn save(
    State(state): State<AppState>,
    principal: Principal,
    name: PathOf<String>,
    request: JsonBody<SaveRequest>,
) -> Result<(StatusCode, Json<FlowVersion>), AppError> {
    principal.require(WRITERS)?;
    let Path(name) = name?;
    let Json(request) = request?;
    super::drafts::check_sizes(&request.files)?;
    let publisher = state.publisher.clone();
    let author = principal.name.clone();
    let saved = blocking(move || {
        Ok(publisher.save(&name, &request.files, &author, request.note.trim())?)
    })
    .await?;
    Ok((StatusCode::CREATED, Json(saved)))
}

/// Publishes a version: new calls and chats start in it at once; calls in progress keep the
/// version they started with.
#[utoipa::path(post, path = "/api/admin/flows/{name}/versions/{version}/publish", tag = "flows",
    params(("name" = String, Path, description = "The flow", pattern = r"^[A-Za-z0-9_-]{1,64}$"), ("version" = u32, Path, description = "The version")),
    responses(
        (status = 200, body = Published),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, description = "The version no longer checks (a prompt file is gone)", body = ErrorBody),
    ))]
pub async fn publish(
    State(state): State<AppState>,
    principal: Principal,
    path: PathOf<(String, u32)>,
) -> Result<Json<Published>, AppError> {
    principal.require(WRITERS)?;
    let Path((name, number)) = path?;
    let published = state
        .publisher
        .publish(&name, number, &principal.name)
        .await?;
    published_answer(&state, &principal, "publish flow", name, published).await
}

/// Publishes again the version that was live before the current one.
#[utoipa::path(post, path = "/api/admin/flows/{name}/rollback", tag = "flows",
    params(("name" = String, Path, description = "The flow", pattern = r"^[A-Za-z0-9_-]{1,64}$")),
    responses(
        (status = 200, body = Published),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 409, description = "No earlier version was published", body = ErrorBody),
        (status = 422, body = ErrorBody),
    ))]
pub async fn roll_back(
    State(state): State<AppState>,
    principal: Principal,
    name: PathOf<String>,
) -> Result<Json<Published>, AppError> {
    principal.require(WRITERS)?;
    let Path(name) = name?;
    let published = state.publisher.roll_back(&name, &principal.name).await?;
    published_answer(&state, &principal, "roll back flow", name, published).await
}

async fn published_answer(
    state: &AppState,
    principal: &Principal,
    action: &str,
    name: String,
    version: u32,
) -> Result<Json<Published>, AppError> {
    let detail = format!("version {version}");
    let role = principal.role.name();
    append_audit(state, &principal.name, role, action, &name, detail).await?;
    Ok(Json(Published {
        name,
        published_version: version,
    }))
}

/// How two versions differ, line by line.
#[utoipa::path(get, path = "/api/admin/flows/{name}/diff", tag = "flows",
    params(("name" = String, Path, description = "The flow", pattern = r"^[A-Za-z0-9_-]{1,64}$"), DiffQuery),
    responses(
        (status = 200, body = Differences),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
    ))]
pub async fn compare(
    State(state): State<AppState>,
    principal: Principal,
    name: PathOf<String>,
    query: Result<Query<DiffQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Differences>, AppError> {
    principal.require(READERS)?;
    let Path(name) = name?;
    let Query(query) = query?;
    let publisher = state.publisher.clone();
    blocking(move || {
        let place = publisher.place(&name)?;
        let store = publisher.versions();
        let files = |number: u32| {
            store
                .version(&name, number)?
                .map(|(_, files)| files)
                .ok_or_else(|| AppError::NotFound(format!("flow {name} has no version {number}")))
        };
        let (old, new) = (files(query.from)?, files(query.to)?);
        let file_name = |path: std::path::PathBuf| {
            path.file_name()
                .map(|name| name.to_string_lossy().into_owned())
                .unwrap_or_default()
        };
        let files = diff(
            &old,
            &new,
            &file_name(place.flow_file()),
            &file_name(place.intents_file()),
        );
        Ok(Json(Differences {
            from: query.from,
            to: query.to,
            files,
        }))
    })
    .await
}

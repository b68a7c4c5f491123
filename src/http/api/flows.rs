//! The flow designer's API under `/api/admin/`: flows and their versions, drafts checked as
//! they are typed, diffs, publishing, rollback, trials of a draft and spoken previews.
//!
//! Admins and supervisors read; only admins save, publish, roll back and try drafts. Every
//! publish and rollback is written to the audit log.

use super::recordings::{append_audit, blocking};
use crate::flows::{Edit, FileProblem, Graph, apply_edits, diff, document, graph};
use crate::http::{AppError, AppState, Principal};
use crate::storage::{FlowFiles, FlowVersion, Role};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use std::collections::BTreeSet;

/// The longest text a spoken preview takes, in bytes.
const MAXIMUM_PREVIEW: usize = 1000;
/// The longest flow file, intents file or article a draft takes, in bytes.
const MAXIMUM_SOURCE: usize = 512 * 1024;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/flows", get(list))
        .route("/admin/flows/draft", post(flow_draft))
        .route("/admin/flows/{name}", get(show))
        .route("/admin/flows/{name}/versions", post(save))
        .route("/admin/flows/{name}/versions/{version}", get(version))
        .route(
            "/admin/flows/{name}/versions/{version}/publish",
            post(publish),
        )
        .route("/admin/flows/{name}/rollback", post(roll_back))
        .route("/admin/flows/{name}/diff", get(compare))
        .route("/admin/intents/draft", post(intents_draft))
        .route("/admin/knowledge/draft", post(knowledge_draft))
        .route("/admin/tests", post(start_trial))
        .route("/admin/speech/preview", post(preview))
}

const READERS: &[Role] = &[Role::Admin, Role::Supervisor];
const WRITERS: &[Role] = &[Role::Admin];

type JsonBody<T> = Result<Json<T>, axum::extract::rejection::JsonRejection>;

#[derive(Serialize)]
struct FlowSummary {
    name: String,
    published_version: Option<u32>,
    latest_version: u32,
    routes: Vec<Value>,
}

/// `GET /api/admin/flows`: every flow published, saved, or named by a route.
async fn list(
    State(state): State<AppState>,
    principal: Principal,
) -> Result<Json<Value>, AppError> {
    principal.require(READERS)?;
    let publisher = state.publisher.clone();
    let config = state.config.clone();
    let flows = blocking(move || {
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
                .map(|route| json!({ "number": route.number, "mode": route.mode.name() }))
                .collect();
            flows.push(FlowSummary {
                published_version: store.published(&name)?,
                latest_version: versions.first().map_or(0, |version| version.version),
                name,
                routes,
            });
        }
        Ok(flows)
    })
    .await?;
    Ok(Json(json!({ "flows": flows })))
}

/// `GET /api/admin/flows/{name}`: the versions of a flow and the newest one's files.
async fn show(
    State(state): State<AppState>,
    principal: Principal,
    Path(name): Path<String>,
) -> Result<Json<Value>, AppError> {
    principal.require(READERS)?;
    let publisher = state.publisher.clone();
    blocking(move || {
        publisher.place(&name)?;
        let store = publisher.versions();
        let versions = store.versions(&name)?;
        let draft = store.latest(&name)?.map(|(_, files)| files);
        Ok(Json(json!({
            "name": name,
            "published_version": store.published(&name)?,
            "versions": versions,
            "draft": draft,
        })))
    })
    .await
}

/// `GET /api/admin/flows/{name}/versions/{version}`: one version with its files.
async fn version(
    State(state): State<AppState>,
    principal: Principal,
    Path((name, number)): Path<(String, u32)>,
) -> Result<Json<Value>, AppError> {
    principal.require(READERS)?;
    let publisher = state.publisher.clone();
    blocking(move || {
        let (saved, files) = publisher
            .versions()
            .version(&name, number)?
            .ok_or_else(|| AppError::NotFound(format!("flow {name} has no version {number}")))?;
        let mut answer = serde_json::to_value(saved).map_err(internal)?;
        answer["files"] = serde_json::to_value(files).map_err(internal)?;
        Ok(Json(answer))
    })
    .await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SaveRequest {
    files: FlowFiles,
    #[serde(default)]
    note: String,
}

/// `POST /api/admin/flows/{name}/versions`: saves the files as the next version, when they
/// have no errors.
async fn save(
    State(state): State<AppState>,
    principal: Principal,
    Path(name): Path<String>,
    request: JsonBody<SaveRequest>,
) -> Result<(StatusCode, Json<FlowVersion>), AppError> {
    principal.require(WRITERS)?;
    let Json(request) = request?;
    check_sizes(&request.files)?;
    let publisher = state.publisher.clone();
    let author = principal.name.clone();
    let saved = blocking(move || {
        Ok(publisher.save(&name, &request.files, &author, request.note.trim())?)
    })
    .await?;
    Ok((StatusCode::CREATED, Json(saved)))
}

/// `POST /api/admin/flows/{name}/versions/{version}/publish`.
async fn publish(
    State(state): State<AppState>,
    principal: Principal,
    Path((name, number)): Path<(String, u32)>,
) -> Result<Json<Value>, AppError> {
    principal.require(WRITERS)?;
    let published = state
        .publisher
        .publish(&name, number, &principal.name)
        .await?;
    published_answer(&state, &principal, "publish flow", name, published).await
}

/// `POST /api/admin/flows/{name}/rollback`: publishes the version live before this one.
async fn roll_back(
    State(state): State<AppState>,
    principal: Principal,
    Path(name): Path<String>,
) -> Result<Json<Value>, AppError> {
    principal.require(WRITERS)?;
    let published = state.publisher.roll_back(&name, &principal.name).await?;
    published_answer(&state, &principal, "roll back flow", name, published).await
}

async fn published_answer(
    state: &AppState,
    principal: &Principal,
    action: &str,
    name: String,
    version: u32,
) -> Result<Json<Value>, AppError> {
    let detail = format!("version {version}");
    let role = principal.role.name();
    append_audit(state, &principal.name, role, action, &name, detail).await?;
    Ok(Json(json!({ "name": name, "published_version": version })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DiffQuery {
    from: u32,
    to: u32,
}

/// `GET /api/admin/flows/{name}/diff?from=A&to=B`: the files that differ, line by line.
async fn compare(
    State(state): State<AppState>,
    principal: Principal,
    Path(name): Path<String>,
    query: Result<Query<DiffQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Value>, AppError> {
    principal.require(READERS)?;
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
        let differences = diff(
            &old,
            &new,
            &file_name(place.flow_file()),
            &file_name(place.intents_file()),
        );
        Ok(Json(
            json!({ "from": query.from, "to": query.to, "files": differences }),
        ))
    })
    .await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FlowDraft {
    name: String,
    source: String,
    #[serde(default)]
    edits: Vec<Edit>,
}

#[derive(Serialize)]
struct CheckedDraft {
    source: String,
    document: Option<Value>,
    graph: Graph,
    problems: Vec<FileProblem>,
    valid: bool,
}

/// `POST /api/admin/flows/draft`: applies the edits to the flow file's text and checks it as
/// `hotline flows check` would, with the graph to draw.
async fn flow_draft(
    State(state): State<AppState>,
    principal: Principal,
    request: JsonBody<FlowDraft>,
) -> Result<Json<CheckedDraft>, AppError> {
    principal.require(READERS)?;
    let Json(request) = request?;
    check_size(&request.source)?;
    let source = apply_edits(&request.source, &request.edits)
        .map_err(|error| AppError::BadRequest(error.to_string()))?;
    let publisher = state.publisher.clone();
    blocking(move || {
        let files = FlowFiles {
            flow: source.clone(),
            ..FlowFiles::default()
        };
        let checked = publisher.check(&request.name, &files)?;
        let document = document(&source);
        let graph = document
            .as_ref()
            .map(|document| graph(document, &source, &checked.references))
            .unwrap_or_default();
        Ok(Json(CheckedDraft {
            valid: !checked.has_errors(),
            source,
            document,
            graph,
            problems: checked.problems,
        }))
    })
    .await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct IntentsDraft {
    source: String,
    #[serde(default)]
    edits: Vec<Edit>,
}

/// `POST /api/admin/intents/draft`: applies the edits to an intents file's text and checks it.
async fn intents_draft(
    principal: Principal,
    request: JsonBody<IntentsDraft>,
) -> Result<Json<Value>, AppError> {
    principal.require(READERS)?;
    let Json(request) = request?;
    check_size(&request.source)?;
    let source = apply_edits(&request.source, &request.edits)
        .map_err(|error| AppError::BadRequest(error.to_string()))?;
    let path = std::path::Path::new("intents.toml");
    let problems: Vec<Value> = match crate::dialogue::intents::Intents::parse(&source, path) {
        Ok(_) => Vec::new(),
        Err(error) => vec![problem_json(error.line(), error.message())],
    };
    Ok(Json(json!({
        "document": document(&source),
        "source": source,
        "problems": problems,
    })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ArticleDraft {
    file: String,
    text: String,
}

/// `POST /api/admin/knowledge/draft`: checks one knowledge article.
async fn knowledge_draft(
    principal: Principal,
    request: JsonBody<ArticleDraft>,
) -> Result<Json<Value>, AppError> {
    principal.require(READERS)?;
    let Json(request) = request?;
    check_size(&request.text)?;
    let path = std::path::Path::new(&request.file);
    let problems: Vec<Value> = match crate::dialogue::knowledge::Article::parse(&request.text, path)
    {
        Ok(_) => Vec::new(),
        Err(error) => vec![problem_json(error.line(), error.message())],
    };
    Ok(Json(json!({ "problems": problems })))
}

fn problem_json(line: usize, message: String) -> Value {
    json!({ "line": line, "step": null, "severity": "error", "message": message })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TrialRequest {
    name: String,
    files: FlowFiles,
}

/// `POST /api/admin/tests`: makes the draft a flow to chat with or call, for half an hour.
async fn start_trial(
    State(state): State<AppState>,
    principal: Principal,
    request: JsonBody<TrialRequest>,
) -> Result<(StatusCode, Json<Value>), AppError> {
    principal.require(WRITERS)?;
    let Json(request) = request?;
    check_sizes(&request.files)?;
    let key = state
        .publisher
        .start_trial(&request.name, &request.files)
        .await?;
    Ok((StatusCode::CREATED, Json(json!({ "test": key }))))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PreviewRequest {
    text: String,
}

/// `POST /api/admin/speech/preview`: the text spoken with the server's voice, as WAV.
async fn preview(
    State(state): State<AppState>,
    principal: Principal,
    request: JsonBody<PreviewRequest>,
) -> Result<impl IntoResponse, AppError> {
    principal.require(READERS)?;
    let Json(request) = request?;
    if request.text.trim().is_empty() || request.text.len() > MAXIMUM_PREVIEW {
        return Err(AppError::BadRequest(format!(
            "a preview needs 1 to {MAXIMUM_PREVIEW} bytes of text"
        )));
    }
    let speech = state
        .speech
        .clone()
        .ok_or_else(|| AppError::Unavailable("speech synthesis is off".into()))?;
    let rate = speech.native_rate();
    let mut stream = speech.speak(&request.text, rate).await.map_err(internal)?;
    let mut samples: Vec<i16> = Vec::new();
    while let Some(chunk) = stream.next().await {
        samples.extend_from_slice(&chunk.map_err(internal)?.samples);
    }
    let wav = crate::audio::wav_bytes_mono(rate, &samples);
    Ok(([(CONTENT_TYPE, "audio/wav")], wav))
}

fn check_sizes(files: &FlowFiles) -> Result<(), AppError> {
    check_size(&files.flow)?;
    if let Some(intents) = &files.intents {
        check_size(intents)?;
    }
    files
        .knowledge
        .values()
        .try_for_each(|text| check_size(text))
}

fn check_size(text: &str) -> Result<(), AppError> {
    if text.len() > MAXIMUM_SOURCE {
        return Err(AppError::BadRequest(format!(
            "a file may have at most {MAXIMUM_SOURCE} bytes"
        )));
    }
    Ok(())
}

fn internal(error: impl std::fmt::Display) -> AppError {
    AppError::Internal(error.to_string())
}

//! The flow designer's checks while a draft is typed, its trials and its spoken previews, under
//! `/api/admin/`: the flow file edited by key and checked as `hotline flows check` checks it,
//! with the step graph; an intents file and a knowledge article checked; a draft made ready to
//! chat with or call for half an hour; a text spoken with the server's voice.

use super::shared::{JsonBody, READERS, WRITERS, blocking, internal};
use crate::dialogue::language::intents::Intents;
use crate::dialogue::language::knowledge::Article;
use crate::flows::{Edit, FileProblem, Graph, apply_edits, document, graph};
use crate::http::auth::Principal;
use crate::http::error::AppError;
use crate::http::error::ErrorBody;
use crate::http::state::AppState;
use crate::language::Language;
use crate::storage::FlowFiles;
use axum::extract::State;
use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use axum::response::IntoResponse;
use axum::routing::post;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

/// The longest text a spoken preview takes, in bytes.
const MAXIMUM_PREVIEW: usize = 1000;
/// The longest flow file, intents file or article a draft takes, in bytes.
const MAXIMUM_SOURCE: usize = 512 * 1024;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/flows/draft", post(flow_draft))
        .route("/admin/intents/draft", post(intents_draft))
        .route("/admin/knowledge/draft", post(knowledge_draft))
        .route("/admin/tests", post(start_trial))
        .route("/admin/speech/preview", post(preview))
}

/// A flow file being typed, and edits to make to it.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FlowDraft {
    /// The flow's name.
    name: String,
    /// The flow file's text.
    source: String,
    /// Edits to make first, in order.
    #[serde(default)]
    edits: Vec<Edit>,
}

/// A flow file, checked.
#[derive(Serialize, ToSchema)]
pub struct CheckedDraft {
    /// The text with the edits made.
    source: String,
    /// The text as JSON; none when it is not TOML.
    document: Option<Value>,
    /// The steps and transitions.
    graph: Graph,
    /// Each problem, as `hotline flows check` finds it.
    problems: Vec<FileProblem>,
    /// Whether it has no errors.
    valid: bool,
}

/// An intents file being typed, and edits to make to it.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IntentsDraft {
    /// The intents file's text.
    source: String,
    /// Edits to make first, in order.
    #[serde(default)]
    edits: Vec<Edit>,
}

/// An intents file, checked.
#[derive(Serialize, ToSchema)]
pub struct CheckedIntents {
    /// The text with the edits made.
    source: String,
    /// The text as JSON; none when it is not TOML.
    document: Option<Value>,
    /// Each problem.
    problems: Vec<FileProblem>,
}

/// A knowledge article being typed.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ArticleDraft {
    /// Its file name under `knowledge/`.
    file: String,
    /// Its text: TOML front matter between `+++` lines, then the answer.
    text: String,
}

/// A knowledge article, checked.
#[derive(Serialize, ToSchema)]
pub struct CheckedArticle {
    /// Each problem.
    problems: Vec<FileProblem>,
}

/// A draft to try.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TrialRequest {
    /// The flow's name.
    name: String,
    /// Its files.
    files: FlowFiles,
}

/// A draft ready to try.
#[derive(Serialize, ToSchema)]
pub struct Trial {
    /// The key to give `/api/chat/ws?test=` or `/api/webrtc/call?test=`.
    test: String,
}

/// A text to hear.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PreviewRequest {
    /// 1 to 1000 bytes.
    text: String,
    /// The language's voice speaks it: `en` (the default) or `zh`.
    #[schema(example = "en")]
    language: Option<String>,
}

/// Makes the edits to a flow file's text and checks it as `hotline flows check` would, with
/// the graph to draw.
#[utoipa::path(post, path = "/api/admin/flows/draft", tag = "drafts",
    request_body = FlowDraft,
    responses(
        (status = 200, body = CheckedDraft),
        (status = 400, description = "Malformed, too large, or edits to text that is not TOML", body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
    ))]
pub async fn flow_draft(
    State(state): State<AppState>,
    principal: Principal,
    request: JsonBody<FlowDraft>,
) -> Result<Json<CheckedDraft>, AppError> {
    principal.require(READERS)?;
    let Json(request) = request?;
    check_size(&request.source)?;
    let source = edited(&request.source, &request.edits)?;
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

/// Makes the edits to an intents file's text and checks it.
#[utoipa::path(post, path = "/api/admin/intents/draft", tag = "drafts",
    request_body = IntentsDraft,
    responses(
        (status = 200, body = CheckedIntents),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
    ))]
pub async fn intents_draft(
    principal: Principal,
    request: JsonBody<IntentsDraft>,
) -> Result<Json<CheckedIntents>, AppError> {
    principal.require(READERS)?;
    let Json(request) = request?;
    check_size(&request.source)?;
    let source = edited(&request.source, &request.edits)?;
    let file = "intents.toml";
    let problems = match Intents::parse(&source, std::path::Path::new(file)) {
        Ok(_) => Vec::new(),
        Err(error) => vec![FileProblem::error(file, error.line(), error.message())],
    };
    Ok(Json(CheckedIntents {
        document: document(&source),
        source,
        problems,
    }))
}

/// Checks one knowledge article.
#[utoipa::path(post, path = "/api/admin/knowledge/draft", tag = "drafts",
    request_body = ArticleDraft,
    responses(
        (status = 200, body = CheckedArticle),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
    ))]
pub async fn knowledge_draft(
    principal: Principal,
    request: JsonBody<ArticleDraft>,
) -> Result<Json<CheckedArticle>, AppError> {
    principal.require(READERS)?;
    let Json(request) = request?;
    check_size(&request.text)?;
    let path = std::path::Path::new(&request.file);
    let problems = match Article::parse(&request.text, path) {
        Ok(_) => Vec::new(),
        Err(error) => vec![FileProblem::error(
            &request.file,
            error.line(),
            error.message(),
        )],
    };
    Ok(Json(CheckedArticle { problems }))
}

/// Makes the draft a flow to chat with or call for half an hour, without publishing it.
#[utoipa::path(post, path = "/api/admin/tests", tag = "drafts",
    request_body = TrialRequest,
    responses(
        (status = 201, body = Trial),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 422, description = "The draft has errors", body = ErrorBody),
        (status = 503, description = "Too many drafts are being tried", body = ErrorBody),
    ))]
pub async fn start_trial(
    State(state): State<AppState>,
    principal: Principal,
    request: JsonBody<TrialRequest>,
) -> Result<(StatusCode, Json<Trial>), AppError> {
    principal.require(WRITERS)?;
    let Json(request) = request?;
    check_sizes(&request.files)?;
    let test = state
        .publisher
        .start_trial(&request.name, &request.files)
        .await?;
    Ok((StatusCode::CREATED, Json(Trial { test })))
}

/// The text spoken with the server's voice, as a WAV file.
#[utoipa::path(post, path = "/api/admin/speech/preview", tag = "drafts",
    request_body = PreviewRequest,
    responses(
        (status = 200, description = "16-bit mono WAV", content_type = "audio/wav", body = Vec<u8>),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 503, description = "Speech synthesis is off", body = ErrorBody),
    ))]
pub async fn preview(
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
    let language = match request.language.as_deref() {
        Some(code) => code.parse::<Language>().map_err(AppError::BadRequest)?,
        None => Language::English,
    };
    let speech = state
        .speech
        .synthesizer(language)
        .cloned()
        .ok_or_else(|| AppError::Unavailable(format!("no voice speaks {language}")))?;
    let rate = speech.native_rate();
    let mut stream = speech.speak(&request.text, rate).await.map_err(internal)?;
    let mut samples: Vec<i16> = Vec::new();
    while let Some(chunk) = stream.next().await {
        samples.extend_from_slice(&chunk.map_err(internal)?.samples);
    }
    let wav = crate::audio::wav_bytes_mono(rate, &samples);
    Ok(([(CONTENT_TYPE, "audio/wav")], wav))
}

fn edited(source: &str, edits: &[Edit]) -> Result<String, AppError> {
    apply_edits(source, edits).map_err(|error| AppError::BadRequest(error.to_string()))
}

/// Refuses files too large to be flows.
pub fn check_sizes(files: &FlowFiles) -> Result<(), AppError> {
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

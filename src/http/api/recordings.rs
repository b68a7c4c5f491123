//! The reviewers' API: search calls with recordings, view one (facts, segments, redacted
//! transcript), play it with seeking (HTTP Range, decrypted as it is read), its waveform,
//! export it as a zip, put it on legal hold, and read the audit log.
//!
//! Roles: compliance and supervisors see every recording, agents only the calls they took,
//! admins none; only compliance exports, holds and reads the audit log. Every view, play and
//! export is written to the audit log before the answer goes out.

use super::shared::{append_audit, blocking, internal};
use crate::http::auth::Principal;
use crate::http::error::AppError;
use crate::http::state::AppState;
use crate::ids::CallId;
use crate::recording::{Manifest, RecordingError, Segment};
use crate::storage::{CallFilter, CallRecord, Role, Speaker};
use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::header::{
    ACCEPT_RANGES, CONTENT_DISPOSITION, CONTENT_LENGTH, CONTENT_RANGE, CONTENT_TYPE, RANGE,
};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::io::Write;

/// Who may review recordings at all.
const REVIEWERS: &[Role] = &[Role::Compliance, Role::Supervisor, Role::Agent];
/// The most bytes one Range answer carries; players ask again for the rest.
const MAXIMUM_RANGE: u64 = 4 * 1024 * 1024;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/recordings", get(search))
        .route("/recordings/{id}", get(view))
        .route("/recordings/{id}/audio", get(audio))
        .route("/recordings/{id}/waveform", get(waveform))
        .route("/recordings/{id}/export", get(export))
        .route("/recordings/{id}/legal_hold", post(legal_hold))
        .route("/audit", get(audit_log))
}

impl From<RecordingError> for AppError {
    fn from(error: RecordingError) -> AppError {
        match error {
            RecordingError::Read { ref source, .. }
                if source.kind() == std::io::ErrorKind::NotFound =>
            {
                AppError::Gone(format!("the recording is no longer kept: {error}"))
            }
            error => AppError::Internal(error.to_string()),
        }
    }
}

/// Writes an audit entry for `principal`.
async fn audit(
    state: &AppState,
    principal: &Principal,
    action: &str,
    target: &str,
    detail: String,
) -> Result<(), AppError> {
    append_audit(
        state,
        &principal.name,
        principal.role.name(),
        action,
        target,
        detail,
    )
    .await
}

/// The call `id`, if the principal may review it, with its recording file.
async fn reviewable(
    state: &AppState,
    principal: &Principal,
    id: &str,
) -> Result<(CallRecord, std::path::PathBuf), AppError> {
    principal.require(REVIEWERS)?;
    let id = CallId::parse(id)
        .ok_or_else(|| AppError::BadRequest(format!("{id:?} is not a call ID")))?;
    let store = state.calls.clone();
    let call = blocking(move || Ok(store.call(id)?))
        .await?
        .ok_or_else(|| AppError::NotFound(format!("no call {id}")))?;
    if principal.role == Role::Agent && call.agent.as_deref() != Some(principal.name.as_str()) {
        return Err(AppError::Forbidden(format!(
            "call {id} was not taken by {}",
            principal.name
        )));
    }
    let path = call
        .recording
        .clone()
        .ok_or_else(|| AppError::NotFound(format!("call {id} has no recording")))?;
    Ok((call, path))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SearchQuery {
    from: Option<String>,
    to: Option<String>,
    caller: Option<String>,
    agent: Option<String>,
    intent: Option<String>,
    text: Option<String>,
    limit: Option<usize>,
}

/// One search result.
#[derive(Debug, Serialize)]
struct Found {
    id: String,
    from: String,
    to: String,
    flow: String,
    started_at: chrono::DateTime<chrono::Utc>,
    ended_at: Option<chrono::DateTime<chrono::Utc>>,
    duration_seconds: Option<f64>,
    agent: Option<String>,
    intent: Option<String>,
    outcome: crate::storage::CallOutcome,
    legal_hold: bool,
    snippet: Option<String>,
}

fn day(text: &Option<String>, name: &str) -> Result<Option<chrono::NaiveDate>, AppError> {
    text.as_deref()
        .filter(|text| !text.is_empty())
        .map(|text| {
            chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .map_err(|_| AppError::BadRequest(format!("{name} must be a date like 2026-12-06")))
        })
        .transpose()
}

fn given(text: Option<String>) -> Option<String> {
    text.map(|text| text.trim().to_string())
        .filter(|text| !text.is_empty())
}

/// Words of the transcript around `text`, if it is said there.
fn snippet(call: &CallRecord, text: &str) -> Option<String> {
    let wanted = text.to_lowercase();
    call.transcript.iter().find_map(|line| {
        let lower = line.text.to_lowercase();
        lower.contains(&wanted).then(|| line.text.clone())
    })
}

async fn search(
    State(state): State<AppState>,
    principal: Principal,
    query: Result<Query<SearchQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Vec<Found>>, AppError> {
    principal.require(REVIEWERS)?;
    let Query(query) = query?;
    let limit = query.limit.unwrap_or(100);
    if !(1..=1000).contains(&limit) {
        return Err(AppError::BadRequest(
            "limit must be between 1 and 1000".to_string(),
        ));
    }
    let mut filter = CallFilter {
        from: day(&query.from, "from")?,
        to: day(&query.to, "to")?,
        caller: given(query.caller),
        agent: given(query.agent),
        intent: given(query.intent),
        text: given(query.text),
        recorded: true,
    };
    if principal.role == Role::Agent {
        filter.agent = Some(principal.name.clone());
    }
    let (store, recordings) = (state.calls.clone(), state.recordings.clone());
    let found = blocking(move || {
        let calls = store.search_calls(&filter, limit)?;
        let mut found = Vec::new();
        for call in calls {
            let entry = recordings.entry(&call.id.to_string())?;
            found.push(Found {
                id: call.id.to_string(),
                snippet: filter.text.as_deref().and_then(|text| snippet(&call, text)),
                duration_seconds: entry.as_ref().map(|entry| entry.duration_seconds),
                legal_hold: entry.is_some_and(|entry| entry.legal_hold),
                intent: call.variables.get("intent").cloned(),
                from: call.from,
                to: call.to,
                flow: call.flow,
                started_at: call.started_at,
                ended_at: call.ended_at,
                agent: call.agent,
                outcome: call.outcome,
            });
        }
        Ok(found)
    })
    .await?;
    Ok(Json(found))
}

/// A recording as the reviewer page shows it.
#[derive(Debug, Serialize)]
struct RecordingInfo {
    duration_seconds: f64,
    sample_rate: u32,
    channels: u16,
    segments: Vec<Segment>,
    legal_hold: bool,
    retain_until: Option<chrono::DateTime<chrono::Utc>>,
    manifest_sha256: Option<String>,
    key_id: String,
    sealed: bool,
}

async fn recording_info(
    state: &AppState,
    call: &CallRecord,
    path: std::path::PathBuf,
) -> Result<RecordingInfo, AppError> {
    let recordings = state.recordings.clone();
    let id = call.id.to_string();
    blocking(move || {
        let entry = recordings.entry(&id)?;
        let manifest: Option<Manifest> = entry
            .as_ref()
            .map(|entry| recordings.manifest(entry))
            .transpose()?;
        let (duration_seconds, sample_rate, segments, key_id) = match (&manifest, &entry) {
            (Some(manifest), _) => (
                manifest.duration_seconds,
                manifest.sample_rate,
                manifest.segments.clone(),
                manifest.key_id.clone(),
            ),
            _ => {
                let recording = recordings.open_call(&path, &id)?;
                let header = recording.reader().header().clone();
                let frames = recording.reader().frames();
                let marks = recording.marks()?;
                (
                    frames as f64 / f64::from(header.sample_rate),
                    header.sample_rate,
                    crate::recording::segments(&marks, frames, header.sample_rate),
                    header.key_id,
                )
            }
        };
        Ok(RecordingInfo {
            duration_seconds,
            sample_rate,
            channels: 2,
            segments,
            legal_hold: entry.as_ref().is_some_and(|entry| entry.legal_hold),
            retain_until: entry.as_ref().map(|entry| entry.retain_until),
            manifest_sha256: entry.map(|entry| entry.manifest_sha256),
            key_id,
            sealed: manifest.is_some(),
        })
    })
    .await
}

/// The transcript with offsets from the start of the recording.
fn transcript_lines(call: &CallRecord) -> Vec<serde_json::Value> {
    call.transcript
        .iter()
        .map(|line| {
            let offset = (line.at - call.started_at).num_milliseconds().max(0) as f64 / 1000.0;
            let speaker = match line.speaker {
                Speaker::Caller => "caller",
                Speaker::Hotline => "hotline",
            };
            json!({ "offset_seconds": offset, "speaker": speaker, "text": line.text })
        })
        .collect()
}

async fn view(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<String>,
) -> Result<Json<serde_json::Value>, AppError> {
    let (call, path) = reviewable(&state, &principal, &id).await?;
    let id = call.id.to_string();
    let recording = recording_info(&state, &call, path).await?;
    audit(&state, &principal, "view", &id, String::new()).await?;
    Ok(Json(json!({
        "call": call,
        "recording": recording,
        "transcript": transcript_lines(&call),
    })))
}

/// The first and last byte a `Range: bytes=` header asks for, within `length` bytes.
fn byte_range(header: &str, length: u64) -> Option<(u64, u64)> {
    let spec = header.trim().strip_prefix("bytes=")?;
    if spec.contains(',') || length == 0 {
        return None;
    }
    let (first, last) = spec.split_once('-')?;
    let (first, last) = match (first.trim(), last.trim()) {
        ("", suffix) => {
            let suffix: u64 = suffix.parse().ok()?;
            (length.saturating_sub(suffix), length - 1)
        }
        (first, "") => (first.parse().ok()?, length - 1),
        (first, last) => (
            first.parse().ok()?,
            last.parse::<u64>().ok()?.min(length - 1),
        ),
    };
    (first <= last && first < length).then_some((first, last))
}

async fn audio(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let (call, path) = reviewable(&state, &principal, &id).await?;
    let id = call.id.to_string();
    let range = headers
        .get(RANGE)
        .and_then(|value| value.to_str().ok())
        .map(str::to_string);
    let recordings = state.recordings.clone();
    let call_id = id.clone();
    let (length, answer) = blocking(move || {
        let recording = recordings.open_call(&path, &call_id)?;
        let length = recording.wav_length();
        let wanted = match range {
            Some(range) => match byte_range(&range, length) {
                Some((first, last)) => Some((first, last.min(first + MAXIMUM_RANGE - 1))),
                None => return Ok((length, None)),
            },
            None => None,
        };
        let (first, last) = wanted.unwrap_or((0, length.saturating_sub(1)));
        let bytes = recording.wav_bytes(first, last + 1)?;
        Ok((length, Some((wanted.is_some(), first, last, bytes))))
    })
    .await?;
    let Some((partial, first, last, bytes)) = answer else {
        return Ok((
            StatusCode::RANGE_NOT_SATISFIABLE,
            [(CONTENT_RANGE, format!("bytes */{length}"))],
        )
            .into_response());
    };
    audit(
        &state,
        &principal,
        "play",
        &id,
        format!("bytes {first}-{last} of {length}"),
    )
    .await?;
    let status = if partial {
        StatusCode::PARTIAL_CONTENT
    } else {
        StatusCode::OK
    };
    let mut response = (status, Body::from(bytes)).into_response();
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, "audio/wav".parse().map_err(internal)?);
    headers.insert(ACCEPT_RANGES, "bytes".parse().map_err(internal)?);
    headers.insert(
        CONTENT_LENGTH,
        (last + 1 - first).to_string().parse().map_err(internal)?,
    );
    if partial {
        headers.insert(
            CONTENT_RANGE,
            format!("bytes {first}-{last}/{length}")
                .parse()
                .map_err(internal)?,
        );
    }
    Ok(response)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct WaveformQuery {
    points: Option<usize>,
}

async fn waveform(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<String>,
    query: Result<Query<WaveformQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<serde_json::Value>, AppError> {
    let Query(query) = query?;
    let points = query.points.unwrap_or(600);
    if !(1..=10_000).contains(&points) {
        return Err(AppError::BadRequest(
            "points must be between 1 and 10000".to_string(),
        ));
    }
    let (call, path) = reviewable(&state, &principal, &id).await?;
    let id = call.id.to_string();
    let recordings = state.recordings.clone();
    let call_id = id.clone();
    let (seconds, peaks) = blocking(move || {
        let recording = recordings.open_call(&path, &call_id)?;
        let rate = f64::from(recording.reader().header().sample_rate);
        Ok((
            recording.reader().frames() as f64 / rate,
            recording.peaks(points)?,
        ))
    })
    .await?;
    Ok(Json(json!({ "duration_seconds": seconds, "peaks": peaks })))
}

async fn export(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    principal.require(&[Role::Compliance])?;
    let (call, path) = reviewable(&state, &principal, &id).await?;
    let id = call.id.to_string();
    let recordings = state.recordings.clone();
    let name = id.clone();
    let zip = blocking(move || {
        let recording = recordings.open_call(&path, &name)?;
        let wav = recording.wav_bytes(0, recording.wav_length())?;
        let sealed_transcript = recording.transcript()?;
        let manifest = recordings
            .entry(&name)?
            .map(|entry| recordings.manifest(&entry))
            .transpose()?;
        let transcript = match sealed_transcript {
            Some(bytes) => bytes,
            None => serde_json::to_vec_pretty(&call.transcript).map_err(internal)?,
        };
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let stored = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        let deflated = zip::write::SimpleFileOptions::default();
        let mut add = |file: &str, bytes: &[u8], options| -> Result<(), AppError> {
            zip.start_file(file, options).map_err(internal)?;
            zip.write_all(bytes).map_err(internal)
        };
        add(&format!("call-{name}.wav"), &wav, stored)?;
        add("transcript.json", &transcript, deflated)?;
        add(
            "call.json",
            &serde_json::to_vec_pretty(&call).map_err(internal)?,
            deflated,
        )?;
        if let Some(manifest) = manifest {
            add(
                "manifest.json",
                &serde_json::to_vec_pretty(&manifest).map_err(internal)?,
                deflated,
            )?;
        }
        Ok(zip.finish().map_err(internal)?.into_inner())
    })
    .await?;
    audit(
        &state,
        &principal,
        "export",
        &id,
        format!("{} bytes", zip.len()),
    )
    .await?;
    Ok((
        [
            (CONTENT_TYPE, "application/zip".to_string()),
            (
                CONTENT_DISPOSITION,
                format!("attachment; filename=\"call-{id}.zip\""),
            ),
        ],
        zip,
    )
        .into_response())
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct HoldChoice {
    hold: bool,
}

async fn legal_hold(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<String>,
    body: Result<Json<HoldChoice>, axum::extract::rejection::JsonRejection>,
) -> Result<Json<RecordingInfo>, AppError> {
    principal.require(&[Role::Compliance])?;
    let Json(choice) = body?;
    let (call, path) = reviewable(&state, &principal, &id).await?;
    let id = call.id.to_string();
    let recordings = state.recordings.clone();
    let target = id.clone();
    let held =
        blocking(move || Ok(recordings.ledger().set_legal_hold(&target, choice.hold)?)).await?;
    if !held {
        return Err(AppError::Conflict(format!(
            "the recording of call {id} is not sealed yet; hold it after the call ends"
        )));
    }
    let detail = if choice.hold { "placed" } else { "lifted" };
    audit(&state, &principal, "legal_hold", &id, detail.to_string()).await?;
    Ok(Json(recording_info(&state, &call, path).await?))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AuditQuery {
    limit: Option<usize>,
    target: Option<String>,
}

async fn audit_log(
    State(state): State<AppState>,
    principal: Principal,
    query: Result<Query<AuditQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Vec<crate::storage::AuditEntry>>, AppError> {
    principal.require(&[Role::Compliance])?;
    let Query(query) = query?;
    let limit = query.limit.unwrap_or(200).clamp(1, 10_000);
    let log = state.audit.clone();
    let entries = blocking(move || Ok(log.recent(limit, query.target.as_deref())?)).await?;
    Ok(Json(entries))
}

#[cfg(test)]
mod tests {
    use super::byte_range;

    #[test]
    fn ranges_are_read_as_players_send_them() {
        let cases = [
            ("bytes=0-", Some((0, 999))),
            ("bytes=0-99", Some((0, 99))),
            ("bytes=500-", Some((500, 999))),
            ("bytes=-100", Some((900, 999))),
            ("bytes=900-5000", Some((900, 999))),
            ("bytes=1000-", None),
            ("bytes=5-2", None),
            ("bytes=0-1,5-6", None),
            ("items=0-1", None),
            ("bytes=x-", None),
        ];
        for (header, expected) in cases {
            assert_eq!(byte_range(header, 1000), expected, "{header}");
        }
    }
}

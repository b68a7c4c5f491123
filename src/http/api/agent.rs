//! The agent API, for desks and scripts: sign-in and presence, the call offered or in hand,
//! accept / reject / hold / transfer, wrap-up notes, and a WebSocket of desk events (the
//! screen-pop of an offered call's context).
//!
//! Every route but sign-in needs the desk token: `Authorization: Bearer TOKEN`, the
//! `hotline_desk` cookie the sign-in sets (or the `hotline_session` cookie of `/api/login`, for
//! an agent), or `?token=` (for WebSockets).

use super::shared::send_json;
use crate::acd::Presence;
use crate::agents::DeskEvent;
use crate::call::{DeskCommand, MonitorMode, TransferTarget};
use crate::http::desk_sessions::SignInRefusal;
use crate::http::error::AppError;
use crate::http::state::AppState;
use crate::ids::{AgentId, CallId};
use crate::storage::WrapUp;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{ConnectInfo, FromRequestParts, Path, State};
use axum::http::header::SET_COOKIE;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;
use std::net::SocketAddr;
use tokio::sync::broadcast::error::RecvError;

/// Longest wrap-up notes accepted.
const MAXIMUM_NOTES: usize = 4000;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/agent/login", post(login))
        .route("/agent/logout", post(logout))
        .route("/agent/me", get(me))
        .route("/agent/presence", post(presence))
        .route("/agent/calls/{id}/{action}", post(act))
        .route("/agent/calls/{id}/wrap_up", post(wrap_up))
        .route("/agent/calls/{id}/monitor", post(monitor))
        .route("/agent/ws", get(events))
        .route("/calls/{id}/recording", get(recording))
        .route("/agents", get(snapshot))
}

/// A request made by a signed-in desk.
pub(super) struct Desk {
    pub(super) agent: AgentId,
    token: String,
}

impl FromRequestParts<AppState> for Desk {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Desk, Response> {
        let unauthorized =
            |message: &str| AppError::Unauthorized(message.to_string()).into_response();
        let tokens = crate::http::auth::tokens_of(parts);
        if tokens.is_empty() {
            return Err(unauthorized("sign in first"));
        }
        tokens
            .into_iter()
            .find_map(|token| {
                let agent = state.desk_sessions.agent(&token)?;
                Some(Desk { agent, token })
            })
            .ok_or_else(|| unauthorized("the desk session has ended; sign in again"))
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Credentials {
    agent: String,
    password: String,
}

fn json_body<T>(
    body: Result<Json<T>, axum::extract::rejection::JsonRejection>,
) -> Result<T, AppError> {
    Ok(body?.0)
}

async fn login(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    body: Result<Json<Credentials>, axum::extract::rejection::JsonRejection>,
) -> Result<Response, AppError> {
    let credentials = json_body(body)?;
    let token = crate::http::auth::sign_in_agent(
        &state,
        peer.ip(),
        &credentials.agent,
        &credentials.password,
    )
    .map_err(|refusal| match refusal {
        SignInRefusal::WrongCredentials => {
            AppError::Unauthorized("wrong agent name or password".to_string())
        }
        SignInRefusal::LockedOut => {
            AppError::TooManyRequests("too many wrong passwords; try again in a minute".to_string())
        }
    })?;
    let agent = AgentId::new(&credentials.agent);
    state
        .agents
        .sign_in(agent.clone())
        .await
        .map_err(|error| AppError::BadRequest(error.to_string()))?;
    let cookie = format!(
        "hotline_desk={token}; Path=/; HttpOnly; SameSite=Strict{}",
        if state.secure_cookies { "; Secure" } else { "" }
    );
    Ok((
        [(SET_COOKIE, cookie)],
        Json(json!({ "agent": agent, "token": token })),
    )
        .into_response())
}

async fn logout(
    State(state): State<AppState>,
    desk: Desk,
) -> Result<Json<serde_json::Value>, AppError> {
    state.desk_sessions.sign_out(&desk.token);
    state
        .agents
        .sign_out(desk.agent.clone())
        .await
        .map_err(|error| AppError::BadRequest(error.to_string()))?;
    Ok(Json(json!({ "agent": desk.agent, "presence": "offline" })))
}

async fn me(
    State(state): State<AppState>,
    desk: Desk,
) -> Result<Json<serde_json::Value>, AppError> {
    let snapshot = state.agents.snapshot().await;
    let status = snapshot
        .agents
        .into_iter()
        .find(|status| status.id == desk.agent)
        .ok_or_else(|| AppError::NotFound(format!("no agent {}", desk.agent)))?;
    let context = match status.call {
        Some(call) => state.agents.context(call).await,
        None => None,
    };
    let supervisor = state.config.is_supervisor(desk.agent.as_str());
    Ok(Json(json!({
        "agent": status,
        "call": context,
        "dispositions": state.config.acd.dispositions,
        "supervisor": supervisor,
    })))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PresenceChoice {
    presence: String,
}

async fn presence(
    State(state): State<AppState>,
    desk: Desk,
    body: Result<Json<PresenceChoice>, axum::extract::rejection::JsonRejection>,
) -> Result<Json<serde_json::Value>, AppError> {
    let choice = json_body(body)?;
    let presence = Presence::from_name(&choice.presence)
        .ok_or_else(|| AppError::BadRequest(format!("unknown presence {:?}", choice.presence)))?;
    state
        .agents
        .choose(desk.agent.clone(), presence)
        .await
        .map_err(|error| AppError::Conflict(error.to_string()))?;
    Ok(Json(json!({ "agent": desk.agent, "presence": presence })))
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ActionBody {
    target: Option<String>,
}

fn call_id(text: &str) -> Result<CallId, AppError> {
    CallId::parse(text).ok_or_else(|| AppError::BadRequest(format!("{text:?} is not a call ID")))
}

async fn act(
    State(state): State<AppState>,
    desk: Desk,
    Path((id, action)): Path<(String, String)>,
    body: Option<Json<ActionBody>>,
) -> Result<Json<serde_json::Value>, AppError> {
    let call = call_id(&id)?;
    let body = body.map(|Json(body)| body).unwrap_or_default();
    let command = match action.as_str() {
        "accept" => DeskCommand::Accept,
        "reject" => DeskCommand::Reject,
        "hold" => DeskCommand::Hold(true),
        "resume" => DeskCommand::Hold(false),
        "pause_recording" => DeskCommand::PauseRecording(true),
        "resume_recording" => DeskCommand::PauseRecording(false),
        "consult" => {
            let target = body.target.unwrap_or_default();
            match TransferTarget::parse(&target) {
                Some(TransferTarget::Agent(agent)) => DeskCommand::Consult(agent),
                _ => {
                    return Err(AppError::BadRequest(format!(
                        "consult target {target:?}: expected agent:NAME"
                    )));
                }
            }
        }
        "complete_consultation" => DeskCommand::CompleteConsultation,
        "cancel_consultation" => DeskCommand::CancelConsultation,
        "transfer" => {
            let target = body.target.unwrap_or_default();
            DeskCommand::Transfer(TransferTarget::parse(&target).ok_or_else(|| {
                AppError::BadRequest(format!(
                    "transfer target {target:?}: expected agent:NAME, group:NAME, ivr or ivr:STEP"
                ))
            })?)
        }
        other => return Err(AppError::NotFound(format!("no call action {other:?}"))),
    };
    state
        .agents
        .desk(desk.agent.clone(), call, command)
        .await
        .map_err(AppError::Conflict)?;
    Ok(Json(json!({ "call": call, "action": action })))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MonitorBody {
    mode: String,
}

/// A supervisor listens to, whispers into or barges into a call (`stop` leaves it); Hotline
/// calls the supervisor's registered phone.
async fn monitor(
    State(state): State<AppState>,
    desk: Desk,
    Path(id): Path<String>,
    body: Result<Json<MonitorBody>, axum::extract::rejection::JsonRejection>,
) -> Result<Json<serde_json::Value>, AppError> {
    let call = call_id(&id)?;
    let body = json_body(body)?;
    if !state.config.is_supervisor(desk.agent.as_str()) {
        return Err(AppError::Forbidden(format!(
            "{} is not a supervisor",
            desk.agent
        )));
    }
    let mode = match body.mode.as_str() {
        "stop" => None,
        name => Some(MonitorMode::parse(name).ok_or_else(|| {
            AppError::BadRequest(format!(
                "mode {name:?}: expected listen, whisper, barge or stop"
            ))
        })?),
    };
    state
        .agents
        .monitor(desk.agent.clone(), call, mode)
        .await
        .map_err(AppError::Conflict)?;
    Ok(Json(json!({ "call": call, "mode": body.mode })))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct WrapUpBody {
    disposition: String,
    #[serde(default)]
    notes: String,
}

async fn wrap_up(
    State(state): State<AppState>,
    desk: Desk,
    Path(id): Path<String>,
    body: Result<Json<WrapUpBody>, axum::extract::rejection::JsonRejection>,
) -> Result<Json<serde_json::Value>, AppError> {
    let call = call_id(&id)?;
    let body = json_body(body)?;
    let codes = &state.config.acd.dispositions;
    if !codes.iter().any(|code| code == &body.disposition) {
        return Err(AppError::BadRequest(format!(
            "disposition {:?} is not one of {}",
            body.disposition,
            codes.join(", ")
        )));
    }
    if body.notes.chars().count() > MAXIMUM_NOTES {
        return Err(AppError::BadRequest(format!(
            "notes are limited to {MAXIMUM_NOTES} characters"
        )));
    }
    if handling(&state, &desk, call).await?.is_none() {
        return Err(AppError::Conflict(format!(
            "call {call} is not handled by {}",
            desk.agent
        )));
    }
    let store = state.calls.clone();
    let wrap_up = WrapUp {
        agent: desk.agent.to_string(),
        disposition: body.disposition,
        notes: body.notes,
        at: chrono::Utc::now(),
    };
    let saved = wrap_up.clone();
    tokio::task::spawn_blocking(move || store.save_wrap_up(call, &saved))
        .await
        .map_err(|error| AppError::Internal(error.to_string()))??;
    Ok(Json(json!({ "call": call, "wrap_up": wrap_up })))
}

/// The call's record, when the desk's agent is offered or handling the call now, or was the
/// agent who took it; `None` for anyone else.
async fn handling(
    state: &AppState,
    desk: &Desk,
    call: CallId,
) -> Result<Option<crate::storage::CallRecord>, AppError> {
    let store = state.calls.clone();
    let record = tokio::task::spawn_blocking(move || store.call(call))
        .await
        .map_err(|error| AppError::Internal(error.to_string()))??
        .ok_or_else(|| AppError::NotFound(format!("no call {call}")))?;
    let now = state
        .agents
        .snapshot()
        .await
        .agents
        .iter()
        .any(|status| status.id == desk.agent && status.call == Some(call));
    let took_it = record.agent.as_deref() == Some(desk.agent.as_str());
    Ok((now || took_it).then_some(record))
}

/// The recording of a call so far (decrypted up to its last sealed second), for the agent
/// offered or handling the call, or who handled it; the play goes into the audit log.
async fn recording(
    State(state): State<AppState>,
    desk: Desk,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let call = call_id(&id)?;
    let record = handling(&state, &desk, call).await?.ok_or_else(|| {
        AppError::Forbidden(format!(
            "call {call} is not offered to or handled by {}",
            desk.agent
        ))
    })?;
    let path = record
        .recording
        .ok_or_else(|| AppError::NotFound(format!("call {call} has no recording")))?;
    let recordings = state.recordings.clone();
    let call_id = call.to_string();
    let audio = tokio::task::spawn_blocking(move || {
        let recording = recordings.open_call(&path, &call_id)?;
        recording.wav_bytes(0, recording.wav_length())
    })
    .await
    .map_err(|error| AppError::Internal(error.to_string()))??;
    let detail = format!("{} bytes, at the desk", audio.len());
    super::shared::append_audit(
        &state,
        desk.agent.as_str(),
        "agent",
        "play",
        &call.to_string(),
        detail,
    )
    .await?;
    Ok(([(axum::http::header::CONTENT_TYPE, "audio/wav")], audio).into_response())
}

async fn snapshot(State(state): State<AppState>, _desk: Desk) -> Json<crate::agents::Snapshot> {
    Json(state.agents.snapshot().await)
}

async fn events(State(state): State<AppState>, desk: Desk, upgrade: WebSocketUpgrade) -> Response {
    upgrade.on_upgrade(move |socket| desk_socket(state, desk.agent, socket))
}

/// How often a desk gets a fresh view of every agent and queue.
const STATUS_EVERY: std::time::Duration = std::time::Duration::from_secs(2);

/// Sends the agent their status (and the call in hand, if any), then every event about them,
/// and a fresh view of agents and queues every [`STATUS_EVERY`].
async fn desk_socket(state: AppState, agent: AgentId, mut socket: WebSocket) {
    let mut events = state.agents.subscribe();
    let mut refresh = tokio::time::interval(STATUS_EVERY);
    refresh.tick().await;
    let snapshot = state.agents.snapshot().await;
    let first = DeskEvent::Status {
        agents: snapshot.agents.clone(),
        queues: snapshot.queues,
    };
    if send_json(&mut socket, &first).await.is_err() {
        return;
    }
    let offered = snapshot
        .agents
        .iter()
        .find(|status| status.id == agent)
        .and_then(|status| status.call);
    if let Some(call) = offered
        && let Some(context) = state.agents.context(call).await
    {
        let event = DeskEvent::Offer {
            agent: agent.clone(),
            context: Box::new(context),
        };
        if send_json(&mut socket, &event).await.is_err() {
            return;
        }
    }
    loop {
        tokio::select! {
            event = events.recv() => match event {
                Ok(event) if event.agent().is_none_or(|about| about == &agent) => {
                    if send_json(&mut socket, &event).await.is_err() {
                        return;
                    }
                }
                Ok(_) => {}
                Err(RecvError::Lagged(_)) => {
                    let snapshot = state.agents.snapshot().await;
                    let status = DeskEvent::Status { agents: snapshot.agents, queues: snapshot.queues };
                    if send_json(&mut socket, &status).await.is_err() {
                        return;
                    }
                }
                Err(RecvError::Closed) => return,
            },
            message = socket.recv() => match message {
                Some(Ok(Message::Close(_))) | None | Some(Err(_)) => return,
                Some(Ok(_)) => {}
            },
            _ = refresh.tick() => {
                let snapshot = state.agents.snapshot().await;
                let status = DeskEvent::Status { agents: snapshot.agents, queues: snapshot.queues };
                if send_json(&mut socket, &status).await.is_err() {
                    return;
                }
            }
        }
    }
}

//! The text channel over HTTP: `POST /api/chat` for one message at a time, and
//! `GET /api/chat/ws` for a WebSocket conversation.
//!
//! `POST /api/chat` takes `{"session"?, "text"?, "flow"?}`. Without `session` it starts one (in
//! `flow`, else the configured chat flow) and answers with the flow's opening, followed by the
//! answer to `text` when given. With `session` it sends `text` and answers with what the flow
//! said. The answer is a chat turn: `{"session", "messages": [..], "ended", "handover"}`.
//!
//! On the WebSocket (`?flow=NAME` optional) the server sends the opening turn as soon as the
//! connection opens, then one turn per message the client sends (`{"text": ".."}` or plain
//! text). A message it cannot use gets `{"error": ".."}` and the conversation goes on; the
//! socket closes when the flow ends the session.

use super::shared::send_json;
use crate::chat::{ChatService, ChatTurn};
use crate::http::auth::{Principal, trial_flow};
use crate::http::error::{AppError, ErrorBody};
use crate::http::state::AppState;
use crate::ids::CallId;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/chat", post(message))
        .route("/chat/ws", get(socket))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ChatRequest {
    session: Option<String>,
    text: Option<String>,
    flow: Option<String>,
}

async fn message(
    State(state): State<AppState>,
    request: Result<Json<ChatRequest>, axum::extract::rejection::JsonRejection>,
) -> Result<Json<ChatTurn>, AppError> {
    let Json(request) = request?;
    let chat = &state.chat;
    let turn = match (&request.session, request.text) {
        (Some(session), Some(text)) => chat.send(parse_session(session)?, &text).await?,
        (Some(_), None) => {
            return Err(AppError::BadRequest(
                "`text` is needed with `session`".into(),
            ));
        }
        (None, text) => {
            let mut turn = chat.start(request.flow.as_deref()).await?;
            if let Some(text) = text.filter(|_| !turn.ended) {
                let answer = chat.send(turn.session, &text).await?;
                turn.messages.extend(answer.messages);
                turn.ended = answer.ended;
                turn.handover = answer.handover.or(turn.handover);
            }
            turn
        }
    };
    Ok(Json(turn))
}

fn parse_session(text: &str) -> Result<CallId, AppError> {
    CallId::parse(text).ok_or_else(|| AppError::BadRequest(format!("{text:?} is not a session ID")))
}

#[derive(Debug, Deserialize)]
struct SocketQuery {
    flow: Option<String>,
    /// A draft trial's key: the designer's test conversation (admins only).
    test: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SocketMessage {
    text: String,
}

async fn socket(
    State(state): State<AppState>,
    principal: Option<Principal>,
    query: Result<Query<SocketQuery>, axum::extract::rejection::QueryRejection>,
    upgrade: WebSocketUpgrade,
) -> Result<Response, AppError> {
    let Query(query) = query?;
    let opening = match &query.test {
        Some(key) => {
            let flow = trial_flow(&state, principal.as_ref(), key)?;
            state.chat.start_in(flow).await?
        }
        None => state.chat.start(query.flow.as_deref()).await?,
    };
    let chat = state.chat.clone();
    Ok(upgrade
        .max_message_size(64 * 1024)
        .on_upgrade(move |socket| converse(socket, chat, opening)))
}

/// Runs one WebSocket conversation.
async fn converse(mut socket: WebSocket, chat: ChatService, opening: ChatTurn) {
    let session = opening.session;
    let mut ended = opening.ended;
    if send_json(&mut socket, &opening).await.is_err() {
        return;
    }
    while !ended {
        let Some(Ok(received)) = socket.recv().await else {
            return;
        };
        let text = match received {
            Message::Text(text) => text.to_string(),
            Message::Close(_) => return,
            Message::Binary(_) | Message::Ping(_) | Message::Pong(_) => continue,
        };
        let text = if text.trim_start().starts_with('{') {
            match serde_json::from_str::<SocketMessage>(&text) {
                Ok(message) => message.text,
                Err(error) => {
                    let reply = ErrorBody::new(format!("bad message: {error}"));
                    if send_json(&mut socket, &reply).await.is_err() {
                        return;
                    }
                    continue;
                }
            }
        } else {
            text
        };
        let reply = match chat.send(session, &text).await {
            Ok(turn) => {
                ended = turn.ended;
                serde_json::to_value(&turn)
            }
            Err(error) => serde_json::to_value(ErrorBody::new(error.to_string())),
        };
        let Ok(reply) = reply else { return };
        if send_json(&mut socket, &reply).await.is_err() {
            return;
        }
    }
    let _ = socket.send(Message::Close(None)).await;
}

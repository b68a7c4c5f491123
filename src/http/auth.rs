//! Who is asking: tokens, roles, sign-in and sign-out for the pages and APIs.
//!
//! A request proves who it is with a token: `Authorization: Bearer TOKEN`, the
//! `hotline_session` or `hotline_desk` cookie, or `?token=` (WebSockets, media elements). A
//! token is a user's (an API token from `hotline users add`, or a session from
//! `POST /api/login`) or an agent desk's. Every route names the roles it admits through
//! [`Principal::require`]; a route that does not take a [`Principal`] is public by intent
//! (health, the chat and its page, the page shells, the demo order system).
//!
//! Invariants: deny by default (no token 401, wrong role 403); user passwords are argon2
//! hashes checked off the async runtime; wrong passwords count toward the same lockout as the
//! desk's and the registrar's.

use crate::http::error::AppError;
use crate::http::state::AppState;
use crate::storage::{Role, User, new_token, password_matches};
use axum::extract::{ConnectInfo, FromRequestParts, State};
use axum::http::header::{AUTHORIZATION, COOKIE, SET_COOKIE};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;
use std::net::SocketAddr;

/// How long a page session lasts.
const SESSION_HOURS: i64 = 12;
/// Password checks run at once: argon2 takes ~19 MiB and tens of milliseconds each, and a
/// source's wrong passwords are counted one check at a time, so parallel guesses gain nothing.
static PASSWORD_CHECKS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);

/// An argon2 hash no password matches, checked for unknown names so that they take as long as
/// known ones.
fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| crate::storage::hash_password(&new_token()).unwrap_or_default())
}

/// The signed-in person a request comes from.
#[derive(Debug, Clone)]
pub struct Principal {
    /// Their name (a user, or an agent).
    pub name: String,
    /// Their role.
    pub role: Role,
    /// The token they used.
    pub token: String,
}

impl Principal {
    /// Refuses (403) unless the principal has one of `roles`.
    pub fn require(&self, roles: &[Role]) -> Result<(), AppError> {
        if roles.contains(&self.role) {
            return Ok(());
        }
        Err(AppError::Forbidden(format!(
            "{} ({}) may not do this",
            self.name,
            self.role.name()
        )))
    }
}

/// The tokens a request carries, in the order they are tried: the bearer token, the session
/// cookie, the desk cookie, `?token=`. A browser may hold a lapsed session beside a live desk.
pub fn tokens_of(parts: &Parts) -> Vec<String> {
    let bearer = parts
        .headers
        .get(AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .map(|token| token.trim().to_string());
    let cookie = |name: &str| {
        parts
            .headers
            .get_all(COOKIE)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(';'))
            .find_map(|pair| pair.trim().strip_prefix(name))
            .map(str::to_string)
    };
    let query = || {
        parts.uri.query().and_then(|query| {
            query
                .split('&')
                .find_map(|pair| pair.strip_prefix("token="))
                .map(str::to_string)
        })
    };
    [
        bearer,
        cookie("hotline_session="),
        cookie("hotline_desk="),
        query(),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// The role of a configured agent: supervisor when the config says so.
fn agent_role(state: &AppState, agent: &str) -> Role {
    if state.config.is_supervisor(agent) {
        Role::Supervisor
    } else {
        Role::Agent
    }
}

/// Checks an agent's password against their HA1 (the same password as their phone's) and
/// opens a desk session; wrong passwords count toward the source's lockout.
pub fn sign_in_agent(
    state: &AppState,
    source: std::net::IpAddr,
    agent: &str,
    password: &str,
) -> Result<String, crate::http::desk_sessions::SignInRefusal> {
    let realm = state.config.acd.realm.as_str();
    let stored = state
        .config
        .agent(agent)
        .map(|configured| (realm, configured.password_ha1.as_str()));
    state.desk_sessions.sign_in(source, agent, password, stored)
}

impl FromRequestParts<AppState> for Principal {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Principal, AppError> {
        let tokens = tokens_of(parts);
        if tokens.is_empty() {
            return Err(AppError::Unauthorized(
                "sign in, or send a bearer token".to_string(),
            ));
        }
        for token in tokens {
            if let Some(agent) = state.desk_sessions.agent(&token) {
                let name = agent.as_str().to_string();
                return Ok(Principal {
                    role: agent_role(state, &name),
                    name,
                    token,
                });
            }
            let users = state.users.clone();
            let lookup = token.clone();
            let user = tokio::task::spawn_blocking(move || users.token_user(&lookup))
                .await
                .map_err(|error| AppError::Internal(error.to_string()))??;
            if let Some(User { name, role }) = user {
                return Ok(Principal { name, role, token });
            }
        }
        Err(AppError::Unauthorized(
            "the token is not valid or has lapsed; sign in again".to_string(),
        ))
    }
}

impl axum::extract::OptionalFromRequestParts<AppState> for Principal {
    type Rejection = AppError;

    /// `None` for a request without a valid token, where signing in is optional.
    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Option<Principal>, AppError> {
        match <Principal as FromRequestParts<AppState>>::from_request_parts(parts, state).await {
            Ok(principal) => Ok(Some(principal)),
            Err(AppError::Unauthorized(_)) => Ok(None),
            Err(error) => Err(error),
        }
    }
}

/// The flow of the draft trial `key`, for a signed-in admin: a chat or a browser call started
/// from the designer.
pub fn trial_flow(
    state: &AppState,
    principal: Option<&Principal>,
    key: &str,
) -> Result<std::sync::Arc<crate::dialogue::Flow>, AppError> {
    let principal = principal
        .ok_or_else(|| AppError::Unauthorized("sign in as an admin to try a draft".to_string()))?;
    principal.require(&[Role::Admin])?;
    state.publisher.trial(key).ok_or_else(|| {
        AppError::NotFound("no such draft trial (they last 30 minutes): start it again".into())
    })
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/login", post(login))
        .route("/logout", post(logout))
        .route("/me", get(me))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Credentials {
    name: String,
    password: String,
}

async fn login(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    body: Result<Json<Credentials>, axum::extract::rejection::JsonRejection>,
) -> Result<Response, AppError> {
    let Json(credentials) = body?;
    let locked_out =
        || AppError::TooManyRequests("too many wrong passwords; try again in a minute".to_string());
    let _turn = PASSWORD_CHECKS
        .acquire()
        .await
        .map_err(|error| AppError::Internal(error.to_string()))?;
    if state.desk_sessions.is_locked(peer.ip()) {
        return Err(locked_out());
    }
    let users = state.users.clone();
    let name = credentials.name.clone();
    let password = credentials.password.clone();
    let checked = tokio::task::spawn_blocking(move || {
        users.user(&name).map(|found| match found {
            Some((user, hash)) => {
                let hash = hash.unwrap_or_else(|| decoy_hash().to_string());
                Some((user, password_matches(&password, &hash)))
            }
            None => {
                password_matches(&password, decoy_hash());
                None
            }
        })
    })
    .await
    .map_err(|error| AppError::Internal(error.to_string()))??;
    let (name, role, token) = match checked {
        Some((user, true)) => {
            state.desk_sessions.succeeded(peer.ip());
            let token = new_token();
            let expires = chrono::Utc::now() + chrono::Duration::hours(SESSION_HOURS);
            let users = state.users.clone();
            let (name, stored) = (user.name.clone(), token.clone());
            tokio::task::spawn_blocking(move || {
                users.add_token(&name, &stored, "session", Some(expires))
            })
            .await
            .map_err(|error| AppError::Internal(error.to_string()))??;
            (user.name, user.role, token)
        }
        Some((user, false)) => {
            tracing::warn!(user = %user.name, source = %peer.ip(), "sign-in with a wrong password");
            return Err(if state.desk_sessions.failed(peer.ip()) {
                locked_out()
            } else {
                AppError::Unauthorized("wrong name or password".to_string())
            });
        }
        None => {
            let token = sign_in_agent(&state, peer.ip(), &credentials.name, &credentials.password)
                .map_err(|refusal| match refusal {
                    crate::http::desk_sessions::SignInRefusal::LockedOut => locked_out(),
                    crate::http::desk_sessions::SignInRefusal::WrongCredentials => {
                        AppError::Unauthorized("wrong name or password".to_string())
                    }
                })?;
            let role = agent_role(&state, &credentials.name);
            (credentials.name, role, token)
        }
    };
    let cookie = format!(
        "hotline_session={token}; Path=/; HttpOnly; SameSite=Strict{}",
        if state.secure_cookies { "; Secure" } else { "" }
    );
    Ok((
        [(SET_COOKIE, cookie)],
        Json(json!({ "name": name, "role": role, "token": token })),
    )
        .into_response())
}

async fn logout(State(state): State<AppState>, principal: Principal) -> Result<Response, AppError> {
    state.desk_sessions.sign_out(&principal.token);
    let users = state.users.clone();
    let token = principal.token.clone();
    tokio::task::spawn_blocking(move || users.remove_token_of_kind(&token, "session"))
        .await
        .map_err(|error| AppError::Internal(error.to_string()))??;
    let cookie = "hotline_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0";
    Ok((
        [(SET_COOKIE, cookie)],
        Json(json!({ "signed_out": principal.name })),
    )
        .into_response())
}

async fn me(principal: Principal) -> Json<serde_json::Value> {
    Json(json!({ "name": principal.name, "role": principal.role }))
}

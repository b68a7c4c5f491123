//! The HTTP server (axum): health, Prometheus metrics, the JSON APIs under `/api/` and, when
//! configured, the demo order system under `/demo/`.
//!
//! Handlers see calls only through stores and handles, never SIP internals. Every error is an
//! [`AppError`]: a status code with a JSON `{"error": ...}` body. `state` is what handlers share,
//! `router` puts the pages, `api` and `demo` behind their paths.

mod api;
mod auth;
mod demo;
mod desk_sessions;
mod error;
mod pages;
mod router;
mod state;

pub use auth::{Principal, trial_flow};
pub use desk_sessions::DeskSessions;
pub use error::{AppError, ErrorBody};
pub use router::router;
pub use state::AppState;

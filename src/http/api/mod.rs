//! JSON APIs.

mod calls;
mod chat;

use super::AppState;
use axum::Router;

pub fn router() -> Router<AppState> {
    calls::router().merge(chat::router())
}

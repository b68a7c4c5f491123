//! JSON APIs.

mod calls;

use super::AppState;
use axum::Router;

pub fn router() -> Router<AppState> {
    calls::router()
}

//! Web pages: plain HTML and JavaScript compiled into the binary, no front-end build.

use super::error::AppError;
use axum::extract::Path;
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};

/// `GET /chat`: the web chat, talking to `/api/chat/ws`.
pub async fn chat() -> Html<&'static str> {
    Html(include_str!("chat.html"))
}

/// `GET /desk`: the agent desk, talking to `/api/agent/...`.
pub async fn desk() -> Html<&'static str> {
    Html(include_str!("desk.html"))
}

/// `GET /review`: the compliance reviewer's page, talking to `/api/recordings/...`.
pub async fn review() -> Html<&'static str> {
    Html(include_str!("review.html"))
}

/// `GET /call`: the "call us" page, a browser call to the hotline over `/api/webrtc/call`.
pub async fn call() -> Html<&'static str> {
    Html(include_str!("call.html"))
}

/// `GET /admin/flows`: the flow designer, talking to `/api/admin/flows/...`.
pub async fn designer() -> Html<&'static str> {
    Html(include_str!("designer.html"))
}

/// `GET /admin`: the live operations dashboard, fed by `/api/admin/live`.
pub async fn dashboard() -> Html<&'static str> {
    Html(include_str!("dashboard.html"))
}

/// `(name, text)` of each file named, the name being its path both under `/staff/` and here.
macro_rules! files {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!($name))),*]
    };
}

/// The scripts and stylesheets the staff pages load, under `/staff/`: what the pages share (and
/// the browser call, which the /call page loads too), and the flow designer's modules.
const STAFF_FILES: &[(&str, &str)] = files![
    "staff.js",
    "staff.css",
    "browser-call.js",
    "designer/designer.css",
    "designer/designer.js",
    "designer/drafts.js",
    "designer/fields.js",
    "designer/flows.js",
    "designer/graph.js",
    "designer/intents.js",
    "designer/knowledge.js",
    "designer/schema.js",
    "designer/state.js",
    "designer/steps.js",
    "designer/test-call.js",
    "designer/test-chat.js",
    "designer/ui.js",
    "designer/versions.js",
];

/// `GET /staff/{*file}`: one of [`STAFF_FILES`], as JavaScript (the pages load them as ES
/// modules) or CSS; any other name is not found.
pub async fn staff_file(Path(file): Path<String>) -> Response {
    let Some((name, text)) = STAFF_FILES.iter().find(|(name, _)| *name == file) else {
        return AppError::NotFound("no such page".to_string()).into_response();
    };
    let content_type = if name.ends_with(".css") {
        "text/css; charset=utf-8"
    } else {
        "text/javascript; charset=utf-8"
    };
    ([(header::CONTENT_TYPE, content_type)], *text).into_response()
}

#[cfg(test)]
mod tests;

//! Web pages: plain HTML and JavaScript compiled into the binary, no front-end build.

use axum::response::Html;

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

/// `GET /staff/staff.js`: what the staff pages share (sign-in, the API helper).
pub async fn staff_script() -> impl axum::response::IntoResponse {
    (
        [(
            axum::http::header::CONTENT_TYPE,
            "text/javascript; charset=utf-8",
        )],
        include_str!("staff.js"),
    )
}

/// `GET /staff/staff.css`: the staff pages' shared stylesheet (frame, forms, sign-in).
pub async fn staff_styles() -> impl axum::response::IntoResponse {
    (
        [(axum::http::header::CONTENT_TYPE, "text/css; charset=utf-8")],
        include_str!("staff.css"),
    )
}

//! The admin API's OpenAPI document, served at `GET /api/openapi.json`: built from the
//! handlers' and types' own annotations, so it says what the server does.

use super::{cdr, dashboard, drafts, flows};
use axum::Json;
use axum::Router;
use axum::routing::get;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Hotline admin API",
        description = "Flows, their versions and drafts, the live operations dashboard and call \
            detail records. Admins and supervisors only: send an API token (`hotline users add`) \
            as a bearer token, or sign in with `POST /api/login` for the `hotline_session` \
            cookie. Admins change flows; supervisors read. `GET /api/admin/live` is a WebSocket \
            that pushes the dashboard snapshot every second."
    ),
    paths(
        flows::list, flows::show, flows::version, flows::save, flows::publish, flows::roll_back,
        flows::compare, drafts::flow_draft, drafts::intents_draft, drafts::knowledge_draft,
        drafts::start_trial, drafts::preview, dashboard::snapshot, cdr::export,
    ),
    components(schemas(cdr::Format)),
    modifiers(&Security),
    security(("bearer" = []), ("session" = [])),
    tags(
        (name = "flows", description = "Flows and their versions"),
        (name = "drafts", description = "Checking, trying and hearing a draft"),
        (name = "operations", description = "The live dashboard and call detail records"),
    )
)]
struct AdminApi;

/// The ways to sign in.
struct Security;

impl Modify for Security {
    fn modify(&self, document: &mut utoipa::openapi::OpenApi) {
        let components = document.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new("hotline_session"))),
        );
    }
}

pub fn router() -> Router<crate::http::state::AppState> {
    Router::new().route("/openapi.json", get(document))
}

/// `GET /api/openapi.json`: public, as API descriptions are.
async fn document() -> Json<utoipa::openapi::OpenApi> {
    Json(AdminApi::openapi())
}

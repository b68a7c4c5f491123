//! The admin API's OpenAPI document against the real server: schemathesis (from PyPI, set up
//! by `make test` in its own virtual environment) generates requests for every documented
//! operation from the document itself and checks each answer's status, content type, headers
//! and body against it, with an admin's token, and without one.

mod common;

use common::{Server, ServerOptions};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Every operation the admin pages use, which the document must describe.
const OPERATIONS: [(&str, &str); 14] = [
    ("get", "/api/admin/flows"),
    ("get", "/api/admin/flows/{name}"),
    ("post", "/api/admin/flows/{name}/versions"),
    ("get", "/api/admin/flows/{name}/versions/{version}"),
    ("post", "/api/admin/flows/{name}/versions/{version}/publish"),
    ("post", "/api/admin/flows/{name}/rollback"),
    ("get", "/api/admin/flows/{name}/diff"),
    ("post", "/api/admin/flows/draft"),
    ("post", "/api/admin/intents/draft"),
    ("post", "/api/admin/knowledge/draft"),
    ("post", "/api/admin/tests"),
    ("post", "/api/admin/speech/preview"),
    ("get", "/api/admin/dashboard"),
    ("get", "/api/admin/cdr"),
];

fn schemathesis() -> PathBuf {
    std::env::var_os("HOTLINE_SCHEMATHESIS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            let home = std::env::var_os("HOME").unwrap_or_default();
            Path::new(&home).join(".cache/hotline-venv/bin/schemathesis")
        })
}

#[test]
fn the_openapi_document_describes_what_the_admin_api_does() {
    let server = Server::start(ServerOptions {
        flows_dir: common::copied_prompts(),
        ..ServerOptions::default()
    });
    let (status, body) = common::http_get(server.http, "/api/openapi.json").expect("HTTP");
    assert_eq!(status, 200, "the document is public");
    let document: Value = serde_json::from_str(&body).expect("JSON");
    for (method, path) in OPERATIONS {
        assert!(
            document["paths"][path][method].is_object(),
            "{method} {path} is not described"
        );
    }
    let url = format!("http://{}/api/openapi.json", server.http);
    let authorization = format!("Authorization: Bearer {}", server.admin_token);
    let run = |extra: &[&str]| {
        let output = Command::new(schemathesis())
            .args(["run", &url, "--checks", "all"])
            // The API refuses drafts with errors (422) and other requests that fit the schema
            // but make no sense; the schema cannot say which.
            .args(["--exclude-checks", "positive_data_acceptance"])
            .args(["--max-examples", "20", "--workers", "1", "--seed", "7"])
            .args(extra)
            .env("NO_COLOR", "1")
            .current_dir(&server.dir)
            .output()
            .expect("schemathesis runs (make test installs it)");
        let report = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(
            output.status.success(),
            "schemathesis found the server and its document disagree:\n{report}\nserver log:\n{}",
            server.log_text()
        );
        report
    };
    let signed_in = run(&["--header", &authorization]);
    assert!(signed_in.contains("Tested: 14"), "{signed_in}");
    run(&["--phases", "coverage"]);
}

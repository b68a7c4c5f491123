//! The live operations dashboard through the real server, sipp and an agent's softphone, and
//! the call detail record export: a supervisor watches a call go through the IVR into a queue,
//! sees the long wait alert pushed, and the call leave the board when it ends.

mod common;

use common::desk::{QUEUES, available, phone, queue_server_with};
use common::playwright::Script;
use common::sipp::{dial, press_after_prompt};
use common::softphone::Answer;
use common::{Server, add_user};
use serde_json::{Value, json};
use std::time::Duration;

const WATCHER_PASSWORD: &str = "watcher-secret";

/// The queue test flow on [`QUEUES`], the demo agents, and a long wait alert after 2 s.
fn dashboard_server() -> Server {
    queue_server_with("", "\n[dashboard]\nlongest_wait_alert = \"2s\"\n")
}

#[test]
fn the_dashboard_follows_a_call_into_a_queue_alerts_on_its_wait_and_counts_it() {
    let server = dashboard_server();
    let _softphone = phone(&server, "agent3", Answer::Automatically);
    let desk = available(&server, "agent3");
    let (status, answer) = desk.request(
        "POST",
        "/api/agent/presence",
        Some(json!({"presence": "away"})),
    );
    assert_eq!(status, 200, "{answer}");
    let watcher = add_user(
        &server.data,
        "watcher",
        "supervisor",
        Some(WATCHER_PASSWORD),
    );
    let mut browser = Script::start(
        "dashboard.mjs",
        &[
            ("DASHBOARD_URL", format!("http://{}/admin", server.http)),
            ("NAME", "watcher".to_string()),
            ("PASSWORD", WATCHER_PASSWORD.to_string()),
            ("AGENT", "agent3".to_string()),
            ("GROUP", "billing".to_string()),
            (
                "SCREENSHOT",
                server.dir.join("dashboard.png").display().to_string(),
            ),
        ],
    );
    let wait = Duration::from_secs(60);
    browser.expect("LIVE", wait, &server);
    browser.expect("AGENTS", wait, &server);
    let (peer, _sipp) = dial(&server, QUEUES, "+15550100009", 25_000);
    browser.tell("CALLING");
    assert_eq!(browser.expect("CALL", wait, &server), "menu");
    press_after_prompt(&peer, "3");
    browser.tell("QUEUED");
    browser.expect("QUEUED billing", wait, &server);
    let alert = browser.expect("ALERTED", wait, &server);
    assert!(
        alert.contains("billing") && alert.contains("2 s"),
        "{alert}"
    );
    // The caller hangs up when sipp's pause ends.
    server.wait_call(wait, |call| {
        call["from"] == "+15550100009" && !call["ended_at"].is_null()
    });
    browser.tell("ENDED");
    assert_eq!(browser.expect("UPDATED", wait, &server), "1");
    browser.expect("DONE", wait, &server);
    browser.finish();

    let (status, body) = server.get_as("/api/admin/dashboard", &watcher);
    assert_eq!(status, 200, "{body}");
    let snapshot: Value = serde_json::from_str(&body).expect("JSON");
    assert_eq!(snapshot["today"]["calls"], 1, "{snapshot:#}");
    assert_eq!(snapshot["today"]["self_service_rate"], 0.0, "{snapshot:#}");
    let confidence = snapshot["series"]["asr_confidence"]
        .as_array()
        .map(Vec::len);
    assert_eq!(confidence, Some(10), "{snapshot:#}");
    assert_eq!(
        snapshot["queues"].as_array().map(Vec::len),
        Some(3),
        "{snapshot:#}"
    );

    // The call's detail record, as CSV and as JSON; exports are audited.
    let (status, csv) = server.get_as("/api/admin/cdr?format=csv", &watcher);
    assert_eq!(status, 200, "{csv}");
    let mut lines = csv.lines();
    let header = lines.next().unwrap_or_default();
    assert!(
        header.starts_with("id,started_at,ended_at,duration_seconds,from,to,flow"),
        "{csv}"
    );
    let row = lines.next().unwrap_or_default();
    assert!(
        row.contains("+15550100009") && row.contains("caller_hangup"),
        "{csv}"
    );
    let (status, json_rows) = server.get_as("/api/admin/cdr?format=json&from=2000-01-01", &watcher);
    assert_eq!(status, 200, "{json_rows}");
    let rows: Value = serde_json::from_str(&json_rows).expect("JSON rows");
    assert_eq!(rows[0]["flow"], "queues", "{rows}");
    assert_eq!(rows[0]["handed_over"], true, "{rows}");
    let (status, _) = server.get_as("/api/admin/cdr?format=xml", &watcher);
    assert_eq!(status, 400);
    let (status, _) = server.get_as("/api/admin/cdr?from=2026-02-30", &watcher);
    assert_eq!(status, 400);
    let (status, _) = server.get_as("/api/admin/cdr?from=2026-12-07&to=2026-12-01", &watcher);
    assert_eq!(status, 400);
    let (status, _) = server.get_as("/api/admin/cdr", &server.reviewer_token);
    assert_eq!(
        status, 403,
        "a compliance reviewer exports recordings, not call records"
    );
    let (_, audit) = server.get_as("/api/audit", &server.reviewer_token);
    assert!(audit.contains("export call records"), "{audit}");
}

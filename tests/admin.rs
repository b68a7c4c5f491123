//! The admin API of the flow designer, through the real server, sipp calls and the chat
//! WebSocket: a flow built from scratch is saved, published and followed by calls; a rollback
//! changes what new calls hear while a call in progress keeps its version; drafts are checked
//! as they are edited; roles and bad input are refused clearly.

mod common;

use common::browser_client::BrowserClient;
use common::playwright::Script;
use common::sipp::dial;
use common::{Server, ServerOptions, add_user, copied_prompts, json_request, lines_by};
use serde_json::{Value, json};
use std::path::PathBuf;
use std::time::Duration;

/// The number routed to the flow the tests build, which does not exist when the server starts.
const PROMO_NUMBER: &str = "2000";
/// The password of the admin who uses the designer.
const DESIGNER_PASSWORD: &str = "designer-secret";

fn promo_server() -> (Server, PathBuf) {
    let prompts = copied_prompts();
    let mut options = ServerOptions {
        flows_dir: prompts.clone(),
        ..ServerOptions::default()
    };
    options.routes.push(common::Route {
        number: PROMO_NUMBER.into(),
        flow: "promo".into(),
        mode: "dtmf".into(),
        ring_time: "0s".into(),
    });
    (Server::start(options), prompts)
}

/// A request with `token`; the status and the JSON answer.
fn edit(path: &[&str], value: Value) -> Value {
    json!({ "path": path, "value": value })
}

/// The promo flow built from nothing by edits: it says `greeting` and hangs up.
fn first_draft(server: &Server) -> Value {
    let edits = json!([
        edit(&["schema"], json!(1)),
        edit(&["name"], json!("promo")),
        edit(&["start"], json!("hello")),
        edit(
            &["steps", "hello"],
            json!({"type": "say", "text": "Welcome to the spring sale.", "next": "goodbye"})
        ),
        edit(&["steps", "goodbye"], json!({"type": "hangup"})),
    ]);
    let (status, draft) = json_request(
        server.http,
        &server.admin_token,
        "POST",
        "/api/admin/flows/draft",
        Some(json!({"name": "promo", "source": "", "edits": edits})),
    );
    assert_eq!(status, 200, "{draft}");
    draft
}

fn files(source: &str) -> Value {
    json!({ "flow": source, "intents": null, "knowledge": {} })
}

/// A call to the promo number follows version 1: it hears the spring sale, and the flow hangs
/// up.
fn assert_first_version_is_followed(server: &Server) {
    let (_peer, _sipp) = dial(server, PROMO_NUMBER, "alice", 20_000);
    let first = ended_call_from(server, "alice");
    assert!(
        lines_by(&first, "hotline")
            .join(" | ")
            .contains("spring sale"),
        "{first}"
    );
    assert_eq!(first["outcome"], "flow_hangup", "{first}");
}

/// With version 2 published, a call starts (and waits in version 2's question); `roll_back`
/// publishes version 1 again; a new call hears version 1, while the call in progress still
/// follows version 2 when its caller presses 1.
fn assert_rollback_keeps_calls_in_progress(server: &Server, roll_back: impl FnOnce()) {
    let (peer, _in_progress) = dial(server, PROMO_NUMBER, "bob", 40_000);
    roll_back();
    let (_new_peer, _new_call) = dial(server, PROMO_NUMBER, "carol", 20_000);
    let after_rollback = ended_call_from(server, "carol");
    assert!(
        lines_by(&after_rollback, "hotline")
            .join(" | ")
            .contains("spring sale"),
        "{after_rollback}"
    );
    peer.send_dtmf("1");
    let kept = ended_call_from(server, "bob");
    let heard = lines_by(&kept, "hotline").join(" | ");
    assert!(
        heard.contains("summer sale") && heard.contains("forty percent"),
        "{kept}"
    );
}

fn ended_call_from(server: &Server, caller: &str) -> Value {
    server.wait_call(Duration::from_secs(60), |call| {
        call["from"] == caller && !call["ended_at"].is_null()
    })
}

#[test]
fn a_flow_built_from_scratch_is_published_rolled_back_and_followed_by_calls() {
    let (server, prompts) = promo_server();
    let admin = server.admin_token.clone();
    let (status, listed) = json_request(server.http, &admin, "GET", "/api/admin/flows", None);
    assert_eq!(status, 200, "{listed}");
    let flows = listed["flows"].as_array().expect("flows");
    let named = |name: &str| flows.iter().find(|flow| flow["name"] == name).cloned();
    assert_eq!(
        named("main").expect("main")["published_version"],
        1,
        "{listed}"
    );
    let promo = named("promo").expect("promo is routed");
    assert!(promo["published_version"].is_null() && promo["latest_version"] == 0);

    // Built from nothing: a valid draft, its graph, and comments kept by a later edit.
    let draft = first_draft(&server);
    assert_eq!(draft["valid"], true, "{draft}");
    assert_eq!(draft["graph"]["start"], "hello");
    assert_eq!(draft["graph"]["nodes"].as_array().map(Vec::len), Some(2));
    assert_eq!(
        draft["graph"]["edges"][0],
        json!({"from": "hello", "to": "goodbye", "label": "next"})
    );
    let source = draft["source"].as_str().expect("source").to_string();

    // A transition to nowhere is found as it is typed, placed on its step, and cannot be saved.
    let (_, broken) = json_request(
        server.http,
        &admin,
        "POST",
        "/api/admin/flows/draft",
        Some(
            json!({"name": "promo", "source": source, "edits": [edit(&["steps", "hello", "next"], json!("nowhere"))]}),
        ),
    );
    assert_eq!(broken["valid"], false, "{broken}");
    let problem = &broken["problems"][0];
    assert_eq!(problem["step"], "hello", "{broken}");
    assert!(
        problem["message"]
            .as_str()
            .unwrap_or_default()
            .contains("nowhere")
    );
    let (status, refused) = json_request(
        server.http,
        &admin,
        "POST",
        "/api/admin/flows/promo/versions",
        Some(
            json!({"files": files(broken["source"].as_str().unwrap_or_default()), "note": "broken"}),
        ),
    );
    assert_eq!(status, 422, "{refused}");
    assert_eq!(refused["problems"][0]["step"], "hello");

    let (status, _) = json_request(
        server.http,
        &admin,
        "POST",
        "/api/admin/flows/promo/rollback",
        None,
    );
    assert_eq!(status, 409, "nothing was published yet");
    let (status, saved) = json_request(
        server.http,
        &admin,
        "POST",
        "/api/admin/flows/promo/versions",
        Some(json!({"files": files(&source), "note": "spring sale"})),
    );
    assert_eq!((status, &saved["version"]), (201, &json!(1)), "{saved}");
    let (status, published) = json_request(
        server.http,
        &admin,
        "POST",
        "/api/admin/flows/promo/versions/1/publish",
        None,
    );
    assert_eq!(status, 200, "{published}");
    assert!(
        prompts.join("promo/promo.flow.toml").is_file(),
        "the published file is written"
    );

    assert_first_version_is_followed(&server);

    // Version 2 asks for a key first.
    let (_, second) = json_request(
        server.http,
        &admin,
        "POST",
        "/api/admin/flows/draft",
        Some(json!({"name": "promo", "source": source, "edits": [
            edit(&["steps", "hello"], json!({"type": "ask", "text": "Welcome to the summer sale. Press 1 for our offers.", "choices": {"1": "offers"}, "timeout": "30s", "on_failure": "goodbye"})),
            edit(&["steps", "offers"], json!({"type": "say", "text": "Summer offers are forty percent off.", "next": "goodbye"})),
        ]})),
    );
    assert_eq!(second["valid"], true, "{second}");
    let (status, _) = json_request(
        server.http,
        &admin,
        "POST",
        "/api/admin/flows/promo/versions",
        Some(
            json!({"files": files(second["source"].as_str().unwrap_or_default()), "note": "summer"}),
        ),
    );
    assert_eq!(status, 201);
    let (status, _) = json_request(
        server.http,
        &admin,
        "POST",
        "/api/admin/flows/promo/versions/2/publish",
        None,
    );
    assert_eq!(status, 200);
    let (_, difference) = json_request(
        server.http,
        &admin,
        "GET",
        "/api/admin/flows/promo/diff?from=1&to=2",
        None,
    );
    let lines = difference["files"][0]["lines"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(
        lines
            .iter()
            .any(|line| line["kind"] == "added" && line["text"] == "type = \"ask\""),
        "{difference}"
    );

    assert_rollback_keeps_calls_in_progress(&server, || {
        let (status, rolled) = json_request(
            server.http,
            &admin,
            "POST",
            "/api/admin/flows/promo/rollback",
            None,
        );
        assert_eq!(
            (status, &rolled["published_version"]),
            (200, &json!(1)),
            "{rolled}"
        );
    });

    let (_, shown) = json_request(server.http, &admin, "GET", "/api/admin/flows/promo", None);
    let versions: Vec<(u64, bool)> = shown["versions"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|version| {
            (
                version["version"].as_u64().unwrap_or(0),
                version["published"] == true,
            )
        })
        .collect();
    assert_eq!(versions, [(2, false), (1, true)], "{shown}");
    let written = std::fs::read_to_string(prompts.join("promo/promo.flow.toml")).expect("file");
    assert!(
        written.contains("spring sale"),
        "the rollback rewrote the file:\n{written}"
    );
}

#[test]
fn drafts_are_tried_by_chat_and_by_voice_and_the_api_refuses_other_roles_and_bad_input() {
    let (server, _prompts) = promo_server();
    let admin = server.admin_token.clone();
    let supervisor = add_user(&server.data, "watcher", "supervisor", None);
    let (status, _) = json_request(
        server.http,
        &server.reviewer_token,
        "GET",
        "/api/admin/flows",
        None,
    );
    assert_eq!(status, 403, "a compliance reviewer does not design flows");
    let (status, _) = json_request(server.http, "not-a-token", "GET", "/api/admin/flows", None);
    assert_eq!(status, 401);
    let (status, _) = json_request(
        server.http,
        &supervisor,
        "GET",
        "/api/admin/flows/main",
        None,
    );
    assert_eq!(status, 200, "supervisors read");
    let (status, _) = json_request(
        server.http,
        &supervisor,
        "POST",
        "/api/admin/flows/main/versions/1/publish",
        None,
    );
    assert_eq!(status, 403, "only admins publish");
    let (status, body) = json_request(
        server.http,
        &admin,
        "GET",
        "/api/admin/flows/..%2Fetc",
        None,
    );
    assert_eq!(status, 400, "{body}");
    let (status, body) = json_request(
        server.http,
        &admin,
        "POST",
        "/api/admin/flows/main/versions/99/publish",
        None,
    );
    assert_eq!(status, 404, "{body}");
    let (status, body) = json_request(
        server.http,
        &admin,
        "POST",
        "/api/admin/flows/draft",
        Some(
            json!({"name": "promo", "source": "name = ", "edits": [edit(&["start"], json!("x"))]}),
        ),
    );
    assert_eq!(status, 400, "{body}");
    let (status, body) = json_request(
        server.http,
        &admin,
        "POST",
        "/api/admin/flows/draft",
        Some(json!({"name": 5})),
    );
    assert_eq!(status, 400, "{body}");
    let (_, syntax) = json_request(
        server.http,
        &admin,
        "POST",
        "/api/admin/flows/draft",
        Some(json!({"name": "promo", "source": "schema = 1\nname = \"promo\"\nstart = [\n"})),
    );
    assert_eq!(
        (&syntax["valid"], &syntax["document"]),
        (&json!(false), &Value::Null),
        "{syntax}"
    );
    let (status, body) = json_request(
        server.http,
        &admin,
        "POST",
        "/api/admin/tests",
        Some(json!({"name": "promo", "files": {"flow": "", "knowledge": {"../escape.md": "x"}}})),
    );
    assert_eq!(status, 422, "{body}");
    let (_, intents) = json_request(
        server.http,
        &admin,
        "POST",
        "/api/admin/intents/draft",
        Some(json!({"source": "schema = 1\n", "edits": [edit(&["intents"], json!([]))]})),
    );
    assert!(intents["document"].is_object(), "{intents}");

    // The draft is tried in a chat without being published.
    let draft = first_draft(&server);
    let (status, trial) = json_request(
        server.http,
        &admin,
        "POST",
        "/api/admin/tests",
        Some(
            json!({"name": "promo", "files": files(draft["source"].as_str().unwrap_or_default())}),
        ),
    );
    assert_eq!(status, 201, "{trial}");
    let key = trial["test"].as_str().expect("a trial key");
    let anonymous = format!("ws://{}/api/chat/ws?test={key}", server.http);
    assert!(
        tungstenite::connect(anonymous.as_str()).is_err(),
        "trials need an admin"
    );
    let url = format!("ws://{}/api/chat/ws?test={key}&token={admin}", server.http);
    let (mut socket, _) = tungstenite::connect(url.as_str()).expect("WebSocket connects");
    let opening = loop {
        if let tungstenite::Message::Text(text) = socket.read().expect("a frame") {
            break serde_json::from_str::<Value>(text.as_str()).expect("JSON turn");
        }
    };
    assert!(
        opening["messages"].to_string().contains("spring sale"),
        "{opening}"
    );
    assert_eq!(
        opening["ended"], true,
        "the draft hangs up after its greeting"
    );

    // And by voice, as the designer's test call does from the browser.
    let anonymous = format!("ws://{}/api/webrtc/call?test={key}", server.http);
    assert!(
        tungstenite::connect(anonymous.as_str()).is_err(),
        "trials need an admin"
    );
    let path = format!("/api/webrtc/call?test={key}&token={admin}");
    let caller = BrowserClient::call_at(server.http, &path, 500.0);
    assert!(
        caller.wait_connected(Duration::from_secs(20)),
        "{}",
        server.log_text()
    );
    let reference = caller.reference.clone();
    let tried = server.wait_call(Duration::from_secs(60), |call| {
        call["id"] == reference.as_str() && !call["ended_at"].is_null()
    });
    assert!(
        lines_by(&tried, "hotline")
            .join(" | ")
            .contains("spring sale"),
        "{tried}"
    );
    assert_eq!(tried["flow"], "promo", "{tried}");
    caller.hang_up();

    let (_, listed) = json_request(server.http, &admin, "GET", "/api/admin/flows/promo", None);
    assert!(
        listed["published_version"].is_null(),
        "trying is not publishing"
    );
}

#[test]
fn an_admin_builds_publishes_and_rolls_back_a_flow_in_the_designer() {
    let (server, prompts) = promo_server();
    add_user(&server.data, "designer", "admin", Some(DESIGNER_PASSWORD));
    let mut browser = Script::start(
        "designer.mjs",
        &[
            (
                "DESIGNER_URL",
                format!("http://{}/admin/flows", server.http),
            ),
            ("NAME", "designer".to_string()),
            ("PASSWORD", DESIGNER_PASSWORD.to_string()),
            ("FLOW", "promo".to_string()),
            (
                "SCREENSHOT",
                server.dir.join("designer.png").display().to_string(),
            ),
        ],
    );
    let wait = Duration::from_secs(60);
    for step in [
        "SIGNED_IN",
        "VALIDATED",
        "PREVIEWED",
        "PUBLISHED 1",
        "CHATTED",
    ] {
        browser.expect(step, wait, &server);
    }
    assert_first_version_is_followed(&server);
    browser.tell("NEXT");
    browser.expect("PUBLISHED 2", wait, &server);
    let intents = prompts.join("promo/promo.intents.toml");
    let article = prompts.join("promo/knowledge/summer-sale.md");
    assert!(
        intents.is_file() && article.is_file(),
        "version 2's intents and article"
    );
    assert_rollback_keeps_calls_in_progress(&server, || {
        browser.tell("NEXT");
        browser.expect("ROLLED_BACK 1", wait, &server);
    });
    assert!(
        !intents.exists() && !article.exists(),
        "version 1 has neither"
    );
    browser.tell("NEXT");
    browser.expect("DONE", wait, &server);
    browser.finish();
}

//! The text channel on a real server with the real embedding model and the demo order system:
//! multi-turn chats over HTTP and WebSocket (an order tracked, a refund asked about, the return
//! policy, a lost card and an agent offered and accepted), a backend that never answers, and bad
//! requests.

mod common;

use common::{Server, ServerOptions, http_request};
use serde_json::{Value, json};
use std::net::TcpListener;
use std::time::Duration;

/// Sends one chat request and returns the turn.
fn chat(server: &Server, request: Value) -> Value {
    let (status, body) = http_request(server.http, "POST", "/api/chat", Some(&request.to_string()))
        .unwrap_or_else(|error| panic!("POST /api/chat: {error}"));
    assert_eq!(status, 200, "{request} -> {body}\n{}", server.log_text());
    serde_json::from_str(&body).unwrap_or_else(|error| panic!("{error}: {body}"))
}

/// Says `text` in `session` and returns the turn.
fn say(server: &Server, session: &str, text: &str) -> Value {
    chat(server, json!({ "session": session, "text": text }))
}

/// Everything Hotline said in a turn, lower case, one line.
fn said(turn: &Value) -> String {
    turn["messages"]
        .as_array()
        .map(|messages| {
            messages
                .iter()
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_default()
        .to_lowercase()
}

#[test]
fn a_chat_tracks_an_order_answers_questions_and_offers_an_agent() {
    let server = Server::start(ServerOptions::default());
    let opening = chat(&server, json!({}));
    assert!(
        said(&opening).contains("how can i help you today"),
        "{opening}"
    );
    let session = opening["session"]
        .as_str()
        .expect("a session ID")
        .to_string();

    let turn = say(&server, &session, "hi, where's my order 12345?");
    assert!(
        said(&turn).contains("order 12345 has shipped with ups and should arrive on 2026-11-27"),
        "{turn}"
    );
    let turn = say(&server, &session, "and the refund?");
    assert!(
        said(&turn).contains("there is no refund on order 12345"),
        "{turn}"
    );
    let turn = say(&server, &session, "whats your return policy");
    assert!(said(&turn).contains("within 60 days"), "{turn}");
    let turn = say(&server, &session, "i lost my membership card");
    let text = said(&turn);
    assert!(
        text.contains("membership card") && text.contains("points"),
        "{turn}"
    );
    assert!(
        text.contains("would you like to speak with one of our team"),
        "{turn}"
    );
    let turn = say(&server, &session, "yes please");
    assert!(
        said(&turn).contains("let me get you one of our team"),
        "{turn}"
    );
    let handover = &turn["handover"];
    assert_eq!(handover["group"], "support", "{turn}");
    assert_eq!(
        handover["reason"], "the caller asked for an agent",
        "{turn}"
    );
    assert_eq!(handover["summary"]["intent"], "lost_card", "{turn}");
    assert_eq!(
        handover["summary"]["details"]["order_number"], "12345",
        "{turn}"
    );
    let lookups = handover["summary"]["lookups"].as_array().expect("lookups");
    assert!(
        lookups.iter().any(|lookup| lookup["outcome"] == "found"),
        "{turn}"
    );
    let brief = handover["summary"]["brief"].as_str().unwrap_or_default();
    assert!(
        brief.contains("lost card") && brief.contains("12345"),
        "{brief}"
    );

    // The chat is kept like a call, with both sides and the hand-over (written in the
    // background, so wait for it).
    let record = server.wait_call(Duration::from_secs(10), |record| {
        record["id"] == session.as_str() && !record["handover"].is_null()
    });
    assert_eq!(record["mode"], "chat", "{record}");
    assert_eq!(record["handover"]["group"], "support", "{record}");
    let lines = record["transcript"].as_array().expect("transcript");
    assert!(
        lines
            .iter()
            .any(|line| line["speaker"] == "caller" && line["text"] == "and the refund?")
    );
    assert!(lines.iter().any(|line| {
        line["speaker"] == "hotline"
            && line["text"]
                .as_str()
                .is_some_and(|text| text.contains("within 60 days"))
    }));
}

#[test]
fn a_websocket_chat_cancels_an_order_after_a_yes() {
    let server = Server::start(ServerOptions::default());
    let url = format!("ws://{}/api/chat/ws", server.http);
    let (mut socket, _) = tungstenite::connect(url.as_str()).expect("WebSocket connects");
    let next_turn = |socket: &mut tungstenite::WebSocket<_>| -> Value {
        loop {
            match socket.read().expect("a frame") {
                tungstenite::Message::Text(text) => {
                    return serde_json::from_str(text.as_str()).expect("JSON turn");
                }
                tungstenite::Message::Close(_) => panic!("closed early"),
                _ => {}
            }
        }
    };
    let opening = next_turn(&mut socket);
    assert!(
        said(&opening).contains("how can i help you today"),
        "{opening}"
    );
    socket
        .send(tungstenite::Message::text("{not json"))
        .expect("sent");
    let error = next_turn(&mut socket);
    assert!(
        error["error"]
            .as_str()
            .is_some_and(|text| text.contains("bad message"))
    );
    socket
        .send(tungstenite::Message::text(
            json!({"text": "I'd like to cancel order 34567"}).to_string(),
        ))
        .expect("sent");
    let turn = next_turn(&mut socket);
    assert!(
        said(&turn).contains("do you want to cancel order 34567"),
        "{turn}"
    );
    socket
        .send(tungstenite::Message::text("yes"))
        .expect("sent");
    let turn = next_turn(&mut socket);
    assert!(said(&turn).contains("order 34567 is cancelled"), "{turn}");
    let (status, body) = server.get("/demo/orders/34567");
    assert_eq!(status, 200);
    let order: Value = serde_json::from_str(&body).expect("order JSON");
    assert_eq!(order["status"], "cancelled", "{order}");
    socket.close(None).expect("closes");
}

#[test]
fn a_backend_that_never_answers_gets_an_apology_and_an_agent_offer() {
    // A backend that accepts connections and never answers.
    let silent = TcpListener::bind("127.0.0.1:0").expect("listener");
    let address = silent.local_addr().expect("address");
    let accepted = std::thread::spawn(move || {
        let mut connections = Vec::new();
        for stream in silent.incoming().take(2) {
            connections.push(stream);
        }
        std::thread::sleep(Duration::from_secs(5));
    });
    let flows = common::temp_dir("slow-flow");
    std::fs::write(
        flows.join("slow.flow.toml"),
        format!(
            r#"schema = 1
name = "slow"
start = "find"

[steps.find]
type = "lookup"
url = "http://{address}/orders/12345"
timeout = "1s"
retries = 1
map = {{ status = "/status" }}
wait_text = "Let me look that up."
next = "found"
on_not_found = "found"
on_error = "sorry"

[steps.found]
type = "say"
text = "It is {{status}}."
next = "offer"

[steps.sorry]
type = "say"
text = "I'm sorry, our order system is not answering."
next = "offer"

[steps.offer]
type = "ask"
text = "Shall I get you a person?"
choices = {{ "1" = "person", "2" = "bye" }}
phrases.1 = ["yes"]
phrases.2 = ["no"]
on_failure = "bye"

[steps.person]
type = "transfer"
group = "orders"
reason = "the order system failed"
on_unavailable = "bye"

[steps.bye]
type = "hangup"
reason = "done"
"#
        ),
    )
    .expect("flow written");
    let server = Server::start(ServerOptions {
        flows_dir: flows,
        ..ServerOptions::default()
    });
    let opening = chat(&server, json!({ "flow": "slow" }));
    let text = said(&opening);
    assert!(
        text.contains("let me look that up. i'm sorry, our order system is not answering. shall i get you a person?"),
        "{opening}"
    );
    let session = opening["session"].as_str().expect("session").to_string();
    let turn = say(&server, &session, "yes");
    let handover = &turn["handover"];
    assert_eq!(handover["group"], "orders", "{turn}");
    let lookup = &handover["summary"]["lookups"][0];
    assert_eq!(
        lookup["outcome"], "failed: timed out after 1s (2 attempts)",
        "{turn}"
    );
    assert_eq!(turn["ended"], true, "{turn}");
    accepted.join().expect("listener thread");
}

#[test]
fn bad_chat_requests_get_clear_errors() {
    let server = Server::start(ServerOptions::default());
    let post =
        |body: &str| http_request(server.http, "POST", "/api/chat", Some(body)).expect("request");
    let (status, body) = post("{\"text\": ");
    assert_eq!(status, 400, "{body}");
    let (status, body) = post(&json!({"session": "nope", "text": "hi"}).to_string());
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("not a session ID"), "{body}");
    let unknown = "01a209be-47ec-75fa-92e9-cde4a3c0ffcb";
    let (status, body) = post(&json!({"session": unknown, "text": "hi"}).to_string());
    assert_eq!(status, 404, "{body}");
    let (status, body) = post(&json!({"flow": "nowhere"}).to_string());
    assert_eq!(status, 404, "{body}");
    assert!(body.contains("no flow named 'nowhere'"), "{body}");
    let session = chat(&server, json!({}))["session"]
        .as_str()
        .expect("session")
        .to_string();
    let (status, body) = post(&json!({"session": session, "text": "   "}).to_string());
    assert_eq!(status, 400, "{body}");
    let long = "a".repeat(5000);
    let (status, body) = post(&json!({"session": session, "text": long}).to_string());
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("longer than"), "{body}");
    let (status, body) = post(&json!({"session": session, "text": "hi", "extra": 1}).to_string());
    assert_eq!(status, 400, "{body}");
    // The session still works.
    let turn = say(&server, &session, "what time do you open on sunday");
    assert!(
        said(&turn).contains("on sunday from 10 am to 6 pm"),
        "{turn}"
    );
    let (status, page) = server.get("/chat");
    assert_eq!(status, 200);
    assert!(
        page.contains("/api/chat/ws"),
        "the chat page talks to the WebSocket"
    );
}

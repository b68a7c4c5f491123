//! The lookup client against real HTTP servers on 127.0.0.1 (axum, and a bare TCP listener that
//! never answers): found, not found, timeouts, retries counted on the server side, refused
//! connections, and answers that are not usable.

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post};
use hotline::dialogue::flow_file::lookup::{LookupMethod, LookupOutcome, LookupRequest};
use hotline::lookup::{LookupClient, MAXIMUM_BODY_BYTES};
use serde_json::json;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// Requests seen by a test server.
type Counter = Arc<AtomicUsize>;

/// Serves `app` on a free port of 127.0.0.1 for the rest of the test.
async fn serve(app: Router) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let address = listener.local_addr().expect("address");
    tokio::spawn(async move { axum::serve(listener, app).await });
    address
}

fn request(url: String, retries: u32) -> LookupRequest {
    LookupRequest {
        method: LookupMethod::Get,
        url,
        headers: Vec::new(),
        body: None,
        timeout: Duration::from_secs(5),
        retries,
    }
}

fn failed(reason: String) -> LookupOutcome {
    LookupOutcome::Failed { reason }
}

async fn counted(State(counter): State<Counter>) -> (StatusCode, String) {
    let seen = counter.fetch_add(1, Ordering::SeqCst) + 1;
    match seen {
        1 => (StatusCode::INTERNAL_SERVER_ERROR, "busy".to_string()),
        _ => (StatusCode::OK, json!({"status": "shipped"}).to_string()),
    }
}

async fn always_failing(State(counter): State<Counter>) -> StatusCode {
    counter.fetch_add(1, Ordering::SeqCst);
    StatusCode::SERVICE_UNAVAILABLE
}

async fn conflict(State(counter): State<Counter>) -> (StatusCode, &'static str) {
    counter.fetch_add(1, Ordering::SeqCst);
    (StatusCode::CONFLICT, r#"{"error":"already shipped"}"#)
}

async fn echo(headers: HeaderMap, body: String) -> axum::Json<serde_json::Value> {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|value| value.to_str().ok())
            .unwrap_or_default()
            .to_string()
    };
    axum::Json(json!({
        "body": body,
        "content_type": header("content-type"),
        "accept": header("accept"),
        "api_key": header("x-api-key"),
    }))
}

async fn backend() -> (SocketAddr, Counter, Counter, Counter) {
    let flaky = Counter::default();
    let failing = Counter::default();
    let conflicting = Counter::default();
    let app = Router::new()
        .route(
            "/orders/12345",
            get(|| async { axum::Json(json!({"number": "12345", "refund": {"amount": "59.90"}})) }),
        )
        .route("/empty", post(|| async { StatusCode::NO_CONTENT }))
        .route("/html", get(|| async { "<html>order</html>" }))
        .route(
            "/huge",
            get(|| async { "x".repeat(MAXIMUM_BODY_BYTES + 1) }),
        )
        .route("/echo", post(echo))
        .route("/flaky", get(counted).with_state(flaky.clone()))
        .route("/failing", get(always_failing).with_state(failing.clone()))
        .route("/conflict", post(conflict).with_state(conflicting.clone()));
    (serve(app).await, flaky, failing, conflicting)
}

#[tokio::test]
async fn answers_become_outcomes() {
    let (address, ..) = backend().await;
    let client = LookupClient::new().expect("client");
    assert_eq!(
        client
            .execute(&request(format!("http://{address}/orders/12345"), 0))
            .await,
        LookupOutcome::Found(json!({"number": "12345", "refund": {"amount": "59.90"}}))
    );
    assert_eq!(
        client
            .execute(&request(format!("http://{address}/orders/99999"), 2))
            .await,
        LookupOutcome::NotFound
    );
    assert_eq!(
        client
            .execute(&request(format!("http://{address}/html"), 2))
            .await,
        failed(format!("response from {address} is not JSON"))
    );
    assert_eq!(
        client
            .execute(&request(format!("http://{address}/huge"), 2))
            .await,
        failed(format!("response from {address} is larger than 1 MiB"))
    );
    let empty = LookupRequest {
        method: LookupMethod::Post,
        ..request(format!("http://{address}/empty"), 0)
    };
    assert_eq!(
        client.execute(&empty).await,
        LookupOutcome::Found(serde_json::Value::Null)
    );
    assert_eq!(
        client
            .execute(&request("ftp://example.invalid/x".to_string(), 0))
            .await,
        failed("invalid lookup URL \"ftp://example.invalid/x\"".to_string())
    );
}

#[tokio::test]
async fn bodies_and_headers_are_sent() {
    let (address, ..) = backend().await;
    let client = LookupClient::new().expect("client");
    let posted = LookupRequest {
        method: LookupMethod::Post,
        headers: vec![("X-Api-Key".to_string(), "secret".to_string())],
        body: Some(r#"{"address":"9 Elm Street"}"#.to_string()),
        ..request(format!("http://{address}/echo"), 0)
    };
    assert_eq!(
        client.execute(&posted).await,
        LookupOutcome::Found(json!({
            "body": r#"{"address":"9 Elm Street"}"#,
            "content_type": "application/json",
            "accept": "application/json",
            "api_key": "secret",
        }))
    );
    let bad_header = LookupRequest {
        headers: vec![("Bad Header".to_string(), "x".to_string())],
        ..posted
    };
    assert_eq!(
        client.execute(&bad_header).await,
        failed("invalid header name \"Bad Header\"".to_string())
    );
}

#[tokio::test]
async fn server_errors_are_retried_and_other_errors_are_not() {
    let (address, flaky, failing, conflicting) = backend().await;
    let client = LookupClient::new().expect("client");
    assert_eq!(
        client
            .execute(&request(format!("http://{address}/flaky"), 1))
            .await,
        LookupOutcome::Found(json!({"status": "shipped"}))
    );
    assert_eq!(flaky.load(Ordering::SeqCst), 2, "one 500, then the retry");
    assert_eq!(
        client
            .execute(&request(format!("http://{address}/failing"), 2))
            .await,
        failed(format!("HTTP 503 from {address} (3 attempts)"))
    );
    assert_eq!(failing.load(Ordering::SeqCst), 3);
    let cancel = LookupRequest {
        method: LookupMethod::Post,
        ..request(format!("http://{address}/conflict"), 2)
    };
    assert_eq!(
        client.execute(&cancel).await,
        failed(format!("HTTP 409 from {address}"))
    );
    assert_eq!(
        conflicting.load(Ordering::SeqCst),
        1,
        "a 409 is not retried"
    );
}

#[tokio::test]
async fn a_server_that_never_answers_times_out_on_every_attempt() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let address = listener.local_addr().expect("address");
    let accepted = Counter::default();
    let counter = accepted.clone();
    tokio::spawn(async move {
        // Connections are kept open, unanswered, until the test ends.
        let mut connections = Vec::new();
        while let Ok((connection, _)) = listener.accept().await {
            counter.fetch_add(1, Ordering::SeqCst);
            connections.push(connection);
        }
    });
    let client = LookupClient::new().expect("client");
    let silent = LookupRequest {
        timeout: Duration::from_millis(300),
        ..request(format!("http://{address}/orders/12345"), 1)
    };
    assert_eq!(
        client.execute(&silent).await,
        failed("timed out after 300ms (2 attempts)".to_string())
    );
    assert_eq!(accepted.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_refused_connection_is_retried_then_fails() {
    let address = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.local_addr().expect("address")
    };
    let client = LookupClient::new().expect("client");
    let outcome = client
        .execute(&request(format!("http://{address}/orders/12345"), 1))
        .await;
    let LookupOutcome::Failed { reason } = outcome else {
        panic!("{outcome:?}");
    };
    assert!(
        reason.starts_with(&format!("cannot connect to {address}: ")),
        "{reason}"
    );
    assert!(reason.ends_with("(2 attempts)"), "{reason}");
}

#[tokio::test]
async fn https_runs_a_tls_handshake() {
    // A plain HTTP server cannot complete a TLS handshake: the lookup fails as a connection
    // error, which shows the TLS stack (rustls with its crypto provider) is in place.
    let (address, ..) = backend().await;
    let client = LookupClient::new().expect("client");
    let outcome = client
        .execute(&request(format!("https://{address}/orders/12345"), 0))
        .await;
    let LookupOutcome::Failed { reason } = outcome else {
        panic!("{outcome:?}");
    };
    assert!(
        reason.starts_with(&format!("cannot connect to {address}: ")),
        "{reason}"
    );
    assert!(
        reason.contains("corrupt message"),
        "rustls's words: {reason}"
    );
}

//! The lookup client: one reqwest client (connection pool) shared by every call, executing
//! lookup requests with per-attempt timeouts and retries.

use super::LookupError;
use super::answer::{
    Attempt, MAXIMUM_BODY_BYTES, StatusVerdict, after_attempts, backoff, failed, judge_body,
    judge_status, timed_out, too_large,
};
use crate::dialogue::flow_file::lookup::{LookupMethod, LookupOutcome, LookupRequest};
use reqwest::header::{ACCEPT, CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue};
use reqwest::{Method, Url};

/// Executes lookups over HTTP(S). Cheap to clone; clones share the connection pool.
#[derive(Debug, Clone)]
pub struct LookupClient {
    http: reqwest::Client,
}

impl LookupClient {
    /// A client with its own connection pool. Installs rustls's ring crypto provider as the
    /// process default unless one is installed already.
    pub fn new() -> Result<LookupClient, LookupError> {
        if rustls::crypto::CryptoProvider::get_default().is_none() {
            // Another thread may install a provider in between; then that one is used.
            let _ = rustls::crypto::ring::default_provider().install_default();
        }
        let http = reqwest::Client::builder()
            .user_agent(concat!("hotline/", env!("CARGO_PKG_VERSION")))
            .build()?;
        Ok(LookupClient { http })
    }

    /// Makes the request, trying again after connection errors, timeouts and 5xx answers as
    /// `request.retries` allows, and says how it went.
    pub async fn execute(&self, request: &LookupRequest) -> LookupOutcome {
        let url = match Url::parse(&request.url) {
            Ok(url) if matches!(url.scheme(), "http" | "https") && url.has_host() => url,
            _ => return failed(format!("invalid lookup URL {:?}", request.url)),
        };
        let headers = match headers(request) {
            Ok(headers) => headers,
            Err(reason) => return failed(reason),
        };
        let origin = origin(&url);
        let attempts = request.retries.saturating_add(1);
        let mut attempt = 1;
        loop {
            let reason = match tokio::time::timeout(
                request.timeout,
                self.attempt(request, &url, &headers, &origin),
            )
            .await
            {
                Ok(Attempt::Done(outcome)) => return outcome,
                Ok(Attempt::Retry(reason)) => reason,
                Err(_) => timed_out(request.timeout),
            };
            if attempt >= attempts {
                return after_attempts(reason, attempt);
            }
            tokio::time::sleep(backoff(attempt)).await;
            attempt += 1;
        }
    }

    async fn attempt(
        &self,
        request: &LookupRequest,
        url: &Url,
        headers: &HeaderMap,
        origin: &str,
    ) -> Attempt {
        let mut builder = self
            .http
            .request(method(request.method), url.clone())
            .headers(headers.clone());
        if let Some(body) = &request.body {
            builder = builder.body(body.clone());
        }
        let mut response = match builder.send().await {
            Ok(response) => response,
            Err(error) => return transport_failure(&error, origin),
        };
        match judge_status(response.status().as_u16(), origin) {
            StatusVerdict::Ended(attempt) => return attempt,
            StatusVerdict::ReadBody => {}
        }
        let declared = response.content_length().unwrap_or(0);
        if declared > MAXIMUM_BODY_BYTES as u64 {
            return Attempt::Done(too_large(origin));
        }
        let mut body = Vec::with_capacity(declared as usize);
        loop {
            match response.chunk().await {
                Ok(Some(chunk)) if body.len() + chunk.len() > MAXIMUM_BODY_BYTES => {
                    return Attempt::Done(too_large(origin));
                }
                Ok(Some(chunk)) => body.extend_from_slice(&chunk),
                Ok(None) => return Attempt::Done(judge_body(&body, origin)),
                Err(error) => return transport_failure(&error, origin),
            }
        }
    }
}

/// The request's headers, with JSON as the accepted type and, when there is a body, its type,
/// unless the request sets them.
fn headers(request: &LookupRequest) -> Result<HeaderMap, String> {
    let mut headers = HeaderMap::new();
    for (name, value) in &request.headers {
        let name = HeaderName::try_from(name.as_str())
            .map_err(|_| format!("invalid header name {name:?}"))?;
        let value = HeaderValue::try_from(value.as_str())
            .map_err(|_| format!("invalid value of header {name}"))?;
        headers.append(name, value);
    }
    let json = HeaderValue::from_static("application/json");
    if !headers.contains_key(ACCEPT) {
        headers.insert(ACCEPT, json.clone());
    }
    if request.body.is_some() && !headers.contains_key(CONTENT_TYPE) {
        headers.insert(CONTENT_TYPE, json);
    }
    Ok(headers)
}

fn method(method: LookupMethod) -> Method {
    match method {
        LookupMethod::Get => Method::GET,
        LookupMethod::Post => Method::POST,
        LookupMethod::Put => Method::PUT,
        LookupMethod::Patch => Method::PATCH,
        LookupMethod::Delete => Method::DELETE,
    }
}

/// `host:port` of a URL, naming the backend in failure reasons.
fn origin(url: &Url) -> String {
    let host = url.host_str().unwrap_or_default();
    match url.port_or_known_default() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_string(),
    }
}

/// A request that got no complete answer: too many redirects is final, anything else (no
/// connection, a connection closed early) is worth another attempt.
fn transport_failure(error: &reqwest::Error, origin: &str) -> Attempt {
    if error.is_redirect() {
        return Attempt::Done(failed(format!("too many redirects from {origin}")));
    }
    let what = if error.is_connect() {
        "cannot connect to"
    } else {
        "no answer from"
    };
    Attempt::Retry(format!("{what} {origin}: {}", root_cause(error)))
}

/// The innermost error of a chain: the operating system's or the protocol's own words
/// ("Connection refused (os error 111)") rather than reqwest's wrapping.
fn root_cause(error: &(dyn std::error::Error + 'static)) -> String {
    let mut innermost = error;
    while let Some(source) = innermost.source() {
        innermost = source;
    }
    innermost.to_string()
}

//! Business lookups as data: the HTTP request a `lookup` step asks the driver to make, and what
//! came back. The engine builds requests (URL and body templates filled from variables) and maps
//! a JSON response into variables; the HTTP client that executes requests lives outside the
//! dialogue core (`crate::lookup`).

use std::time::Duration;

/// An HTTP method a lookup may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LookupMethod {
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

impl LookupMethod {
    /// The method's name on the wire, e.g. `GET`.
    pub fn name(self) -> &'static str {
        match self {
            LookupMethod::Get => "GET",
            LookupMethod::Post => "POST",
            LookupMethod::Put => "PUT",
            LookupMethod::Patch => "PATCH",
            LookupMethod::Delete => "DELETE",
        }
    }

    /// The method called `name` (upper case, as on the wire).
    pub fn from_name(name: &str) -> Option<LookupMethod> {
        [
            LookupMethod::Get,
            LookupMethod::Post,
            LookupMethod::Put,
            LookupMethod::Patch,
            LookupMethod::Delete,
        ]
        .into_iter()
        .find(|method| method.name() == name)
    }
}

/// One request for the driver to make.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LookupRequest {
    /// The method.
    pub method: LookupMethod,
    /// The absolute URL, placeholders already filled (and percent-encoded).
    pub url: String,
    /// Headers to send, in order.
    pub headers: Vec<(String, String)>,
    /// A JSON body, for methods that send one.
    pub body: Option<String>,
    /// How long one attempt may take, from connecting to the last byte of the response.
    pub timeout: Duration,
    /// How many more attempts after a failed one (connection errors, timeouts and 5xx
    /// responses are retried; other answers are final).
    pub retries: u32,
}

/// How a lookup ended.
#[derive(Debug, Clone, PartialEq)]
pub enum LookupOutcome {
    /// A 2xx response with a JSON body.
    Found(serde_json::Value),
    /// The backend answered 404: what was looked up does not exist.
    NotFound,
    /// No usable answer: every attempt failed or timed out, the status was another error, or
    /// the body was not JSON. `reason` says which, for logs and the escalation context.
    Failed {
        /// What went wrong, e.g. "timed out after 2s (2 attempts)".
        reason: String,
    },
}

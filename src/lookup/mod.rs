//! The HTTP client that executes the flow engine's lookups ([`LookupRequest`] →
//! [`LookupOutcome`]) for the call actor and the chat driver.
//!
//! Each attempt may take the request's `timeout`, from connecting to the last byte of the body.
//! Connection errors, timeouts and 5xx answers are tried again, `retries` times, after a short
//! pause that doubles each time (100 ms, 200 ms, ... at most 1 s). A 2xx answer with a JSON body
//! is [`LookupOutcome::Found`]; a 2xx answer with an empty body (such as 204) is found with
//! `null`; 404 is [`LookupOutcome::NotFound`]; any other answer, a body that is not JSON and a
//! body larger than [`MAXIMUM_BODY_BYTES`] are [`LookupOutcome::Failed`] at once. Failure
//! reasons are short and name the backend, e.g. "timed out after 2s (2 attempts)" or
//! "HTTP 500 from 127.0.0.1:8080".
//!
//! `answer` judges status codes and bodies (pure); `client` does the I/O with reqwest (rustls
//! with the ring provider, so `https` backends work).
//!
//! [`LookupRequest`]: crate::dialogue::flow_file::lookup::LookupRequest
//! [`LookupOutcome`]: crate::dialogue::flow_file::lookup::LookupOutcome
//! [`LookupOutcome::Found`]: crate::dialogue::flow_file::lookup::LookupOutcome::Found
//! [`LookupOutcome::NotFound`]: crate::dialogue::flow_file::lookup::LookupOutcome::NotFound
//! [`LookupOutcome::Failed`]: crate::dialogue::flow_file::lookup::LookupOutcome::Failed

mod answer;
mod client;
mod error;

pub use answer::MAXIMUM_BODY_BYTES;
pub use client::LookupClient;
pub use error::LookupError;

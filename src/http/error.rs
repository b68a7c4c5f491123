//! HTTP errors as JSON responses.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

/// The body of every error answer: `{"error": ...}`, with each problem on 422.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// What is wrong, in a sentence.
    error: String,
    /// Each problem of a draft with errors (422 answers only).
    #[serde(skip_serializing_if = "Option::is_none")]
    problems: Option<Vec<crate::flows::FileProblem>>,
}

impl ErrorBody {
    /// A body that says `error`.
    pub fn new(error: impl Into<String>) -> ErrorBody {
        ErrorBody {
            error: error.into(),
            problems: None,
        }
    }
}

/// An error an HTTP handler returns.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The request is malformed.
    #[error("{0}")]
    BadRequest(String),
    /// Nothing at that path or with that ID.
    #[error("{0}")]
    NotFound(String),
    /// Wrong or missing credentials.
    #[error("{0}")]
    Unauthorized(String),
    /// Signed in, but not allowed this.
    #[error("{0}")]
    Forbidden(String),
    /// Too many attempts.
    #[error("{0}")]
    TooManyRequests(String),
    /// The request conflicts with the current state (cancelling a shipped order).
    #[error("{0}")]
    Conflict(String),
    /// The thing asked about existed but is gone (an ended chat session).
    #[error("{0}")]
    Gone(String),
    /// The server cannot take more of this now.
    #[error("{0}")]
    Unavailable(String),
    /// The request is well formed but what it holds has problems (a flow with errors): 422
    /// with each problem.
    #[error("{message}")]
    Invalid {
        /// What is wrong, in a sentence.
        message: String,
        /// Each problem.
        problems: Vec<crate::flows::FileProblem>,
    },
    /// The store failed.
    #[error("storage: {0}")]
    Storage(#[from] crate::storage::StorageError),
    /// A blocking task failed.
    #[error("internal error: {0}")]
    Internal(String),
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = match self {
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::Gone(_) => StatusCode::GONE,
            AppError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Invalid { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Storage(_) | AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        };
        if status.is_server_error() {
            tracing::warn!(error = %self, "HTTP request failed");
        }
        let error = self.to_string();
        let body = match self {
            AppError::Invalid { problems, .. } => ErrorBody {
                error,
                problems: Some(problems),
            },
            _ => ErrorBody::new(error),
        };
        (status, Json(body)).into_response()
    }
}

impl From<crate::chat::ChatError> for AppError {
    fn from(error: crate::chat::ChatError) -> AppError {
        use crate::chat::ChatError;
        let message = error.to_string();
        match error {
            ChatError::UnknownFlow { .. } | ChatError::UnknownSession => {
                AppError::NotFound(message)
            }
            ChatError::Empty | ChatError::TooLong { .. } => AppError::BadRequest(message),
            ChatError::Ended => AppError::Gone(message),
            ChatError::Busy => AppError::Unavailable(message),
        }
    }
}

impl From<crate::flows::PublishError> for AppError {
    fn from(error: crate::flows::PublishError) -> AppError {
        use crate::flows::PublishError;
        let message = error.to_string();
        match error {
            PublishError::Invalid(problems) => AppError::Invalid { message, problems },
            PublishError::BadName(_) => AppError::BadRequest(message),
            PublishError::NotFound(_) => AppError::NotFound(message),
            PublishError::NothingToRollBack(_) => AppError::Conflict(message),
            PublishError::Busy => AppError::Unavailable(message),
            PublishError::Storage(error) => AppError::Storage(error),
            PublishError::Write { .. } | PublishError::Understanding(_) => {
                AppError::Internal(message)
            }
        }
    }
}

/// Malformed request parts (a JSON body, a query string, a path) are the client's mistake:
/// 400 with the extractor's own explanation.
macro_rules! bad_request_from {
    ($($rejection:ty),*) => {$(
        impl From<$rejection> for AppError {
            fn from(rejection: $rejection) -> AppError {
                AppError::BadRequest(rejection.body_text())
            }
        }
    )*};
}

bad_request_from!(
    axum::extract::rejection::JsonRejection,
    axum::extract::rejection::QueryRejection,
    axum::extract::rejection::PathRejection
);

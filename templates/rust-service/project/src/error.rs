//! How a failed request is answered (a status and `{"error": "..."}`), and how errors are logged.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// Why a request failed.
#[derive(Debug)]
pub enum ApiError {
    NotFound,
    /// The request was well-formed but its content is not acceptable; the message says why.
    Invalid(String),
    Database(tokio_postgres::Error),
}

impl From<tokio_postgres::Error> for ApiError {
    fn from(error: tokio_postgres::Error) -> ApiError {
        ApiError::Database(error)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, message) = match self {
            ApiError::NotFound => (StatusCode::NOT_FOUND, "not found".to_string()),
            ApiError::Invalid(message) => (StatusCode::UNPROCESSABLE_ENTITY, message),
            ApiError::Database(error) => {
                // The client learns nothing about the database; the log gets the detail.
                eprintln!("error: database: {}", with_causes(&error));
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal error".to_string(),
                )
            }
        };
        (status, Json(json!({ "error": message }))).into_response()
    }
}

/// Returns `error` followed by its causes, as `db error: ERROR: relation "items" does not exist`.
///
/// tokio-postgres keeps the useful part of an error (the server's message, why a connection was
/// refused) in its causes, which `Display` leaves out.
pub fn with_causes(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut cause = error.source();
    while let Some(error) = cause {
        text = format!("{text}: {error}");
        cause = error.source();
    }
    text
}

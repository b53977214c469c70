//! Errors of the API, always answered as JSON.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("no such API endpoint")]
    NotFound,
    #[error("the database is unavailable")]
    Database(#[from] sqlx::Error),
}

/// Body of every API error.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// Stable machine-readable code.
    pub error: &'static str,
    /// Human-readable explanation in English, for logs and developers.
    pub message: String,
}

impl ApiError {
    fn status_and_code(&self) -> (StatusCode, &'static str) {
        match self {
            ApiError::NotFound => (StatusCode::NOT_FOUND, "not_found"),
            ApiError::Database(_) => (StatusCode::SERVICE_UNAVAILABLE, "database_unavailable"),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, error) = self.status_and_code();
        if let ApiError::Database(cause) = &self {
            // The cause may name tables or queries but never carries request data.
            tracing::error!(%cause, "database error");
        }
        let body = ErrorBody {
            error,
            message: self.to_string(),
        };
        (status, Json(body)).into_response()
    }
}

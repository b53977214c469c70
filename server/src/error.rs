//! Errors of the API, always answered as JSON.

use axum::extract::rejection::JsonRejection;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use domain::validation::FieldError;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("no such API endpoint")]
    NotFound,
    #[error("the request body is not valid JSON: {0}")]
    MalformedJson(String),
    #[error("the request body does not match the schema: {0}")]
    Schema(String),
    #[error("the request body is larger than the limit")]
    TooLarge,
    #[error("the request body must be JSON (Content-Type: application/json)")]
    NotJson,
    #[error("some fields are invalid")]
    Validation(Vec<FieldError>),
    #[error("this id was already used for different content")]
    IdConflict,
    #[error("another request with this id is being stored; retry")]
    InFlight,
    #[error("the database is unavailable")]
    Database(String),
    /// Over a limit; the answer's `Retry-After` says when the window frees (at least 1 s).
    #[error("too many requests from this client; retry after the time in Retry-After")]
    RateLimited { retry_after_s: u64 },
    #[error("the X-Tokhai-Device header is missing or not a device key")]
    BadDeviceKey,
    #[error("sign-in refused: {0}")]
    SignIn(&'static str),
    #[error("not signed in")]
    SignedOut,
    #[error("this account may not do that")]
    Forbidden,
    #[error("this account already belongs to an organisation")]
    AlreadyMember,
    #[error("the sign-in code could not be sent: {0}")]
    CodeNotSent(String),
}

/// Body of every API error.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// Stable machine-readable code.
    pub error: &'static str,
    /// Human-readable explanation in English, for developers. It may quote the request back to
    /// its sender, so it is never logged.
    pub message: String,
    /// The refused fields, for `validation` errors: shown by the app next to each field.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schema(value_type = Vec<Object>)]
    pub fields: Vec<FieldError>,
}

impl ApiError {
    /// A validation error of one field.
    pub fn field(field: &str, code: domain::validation::ErrorCode) -> ApiError {
        ApiError::Validation(vec![FieldError {
            field: field.to_owned(),
            code,
        }])
    }

    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::NotFound => StatusCode::NOT_FOUND,
            ApiError::MalformedJson(_) | ApiError::BadDeviceKey => StatusCode::BAD_REQUEST,
            ApiError::NotJson => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::Schema(_) | ApiError::Validation(_) | ApiError::IdConflict => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
            ApiError::InFlight => StatusCode::CONFLICT,
            ApiError::SignIn(_) | ApiError::SignedOut => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden => StatusCode::FORBIDDEN,
            ApiError::AlreadyMember => StatusCode::CONFLICT,
            ApiError::CodeNotSent(_) => StatusCode::BAD_GATEWAY,
            ApiError::Database(_) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            ApiError::NotFound => "not_found",
            ApiError::MalformedJson(_) => "malformed_json",
            ApiError::NotJson => "not_json",
            ApiError::TooLarge => "too_large",
            ApiError::Schema(_) => "schema",
            ApiError::Validation(_) => "validation",
            ApiError::IdConflict => "id_conflict",
            ApiError::InFlight => "in_flight",
            ApiError::Database(_) => "database_unavailable",
            ApiError::RateLimited { .. } => "rate_limited",
            ApiError::BadDeviceKey => "bad_device_key",
            ApiError::SignIn(reason) => reason,
            ApiError::SignedOut => "signed_out",
            ApiError::Forbidden => "forbidden",
            ApiError::AlreadyMember => "already_member",
            ApiError::CodeNotSent(_) => "code_not_sent",
        }
    }

    pub fn body(self) -> ErrorBody {
        let error = self.code();
        let message = self.to_string();
        let fields = match self {
            ApiError::Validation(fields) => fields,
            _ => Vec::new(),
        };
        ErrorBody {
            error,
            message,
            fields,
        }
    }
}

impl From<JsonRejection> for ApiError {
    fn from(rejection: JsonRejection) -> Self {
        match rejection {
            JsonRejection::JsonSyntaxError(error) => ApiError::MalformedJson(error.body_text()),
            JsonRejection::JsonDataError(error) => ApiError::Schema(error.body_text()),
            JsonRejection::MissingJsonContentType(_) => ApiError::NotJson,
            JsonRejection::BytesRejection(_) => ApiError::TooLarge,
            other => ApiError::MalformedJson(other.body_text()),
        }
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(error: sqlx::Error) -> Self {
        ApiError::Database(error.to_string())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let ApiError::Database(cause) = &self {
            // The cause may name tables or queries but never carries request data.
            tracing::error!(%cause, "database error");
        }
        if let ApiError::CodeNotSent(cause) = &self {
            tracing::error!(%cause, "sign-in code not sent");
        }
        let status = self.status();
        let retry_after_s = match &self {
            ApiError::RateLimited { retry_after_s } => Some((*retry_after_s).max(1)),
            _ => None,
        };
        let mut response = (status, Json(self.body())).into_response();
        if let Some(seconds) = retry_after_s {
            response.headers_mut().insert(
                axum::http::header::RETRY_AFTER,
                axum::http::HeaderValue::from(seconds),
            );
        }
        response
    }
}

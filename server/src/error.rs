//! Errors of the API, always answered as JSON.

use axum::extract::rejection::BytesRejection;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
pub use domain::api::{ApiErrorCode, ErrorBody};
use domain::validation::FieldError;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("no such API endpoint")]
    NotFound,
    #[error("the request body is not valid JSON: {0}")]
    MalformedJson(String),
    #[error("the request body is larger than the limit")]
    TooLarge,
    /// The body did not arrive within the body read timeout (`crate::listen`).
    #[error("the request body did not arrive in time")]
    RequestTimeout,
    #[error("the request body must be JSON (Content-Type: application/json)")]
    NotJson,
    #[error("some fields are invalid")]
    Validation(Vec<FieldError>),
    #[error("this id was already used for different content")]
    IdConflict,
    #[error("another request with this id is being stored; retry")]
    InFlight,
    /// A transient database failure (busy, pool timeout, lost connection): `503` with
    /// `Retry-After`. The cause is logged, never sent.
    #[error("the database is unavailable; retry after the time in Retry-After")]
    Database(String),
    /// A bug, corrupt data or a refused write (a constraint violation…): `500`, which retrying
    /// cannot mend. The cause is logged, never sent.
    #[error("internal error")]
    Internal(String),
    /// Over a limit; the answer's `Retry-After` says when the window frees (at least 1 s).
    #[error("too many requests from this client; retry after the time in Retry-After")]
    RateLimited { retry_after_s: u64 },
    #[error("the X-Tokhai-Device header is missing or not a device key")]
    BadDeviceKey,
    /// `no_code`, `wrong_code`, `code_locked` or `code_expired`.
    #[error("sign-in refused: {0:?}")]
    SignIn(ApiErrorCode),
    #[error("not signed in")]
    SignedOut,
    #[error("this account may not do that")]
    Forbidden,
    #[error("this account already belongs to an organisation")]
    AlreadyMember,
    #[error("the sign-in code could not be sent: {0}")]
    CodeNotSent(String),
    #[error("the latest declaration for this phone number has expired")]
    DeclarationExpired,
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
            ApiError::RequestTimeout => StatusCode::REQUEST_TIMEOUT,
            ApiError::Validation(_) | ApiError::IdConflict | ApiError::DeclarationExpired => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
            ApiError::InFlight => StatusCode::CONFLICT,
            ApiError::SignIn(_) | ApiError::SignedOut => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden => StatusCode::FORBIDDEN,
            ApiError::AlreadyMember => StatusCode::CONFLICT,
            ApiError::CodeNotSent(_) => StatusCode::BAD_GATEWAY,
            ApiError::Database(_) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
            ApiError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
        }
    }

    pub fn code(&self) -> ApiErrorCode {
        match self {
            ApiError::NotFound => ApiErrorCode::NotFound,
            ApiError::MalformedJson(_) => ApiErrorCode::MalformedJson,
            ApiError::NotJson => ApiErrorCode::NotJson,
            ApiError::TooLarge => ApiErrorCode::TooLarge,
            ApiError::RequestTimeout => ApiErrorCode::RequestTimeout,
            ApiError::Validation(_) => ApiErrorCode::Validation,
            ApiError::IdConflict => ApiErrorCode::IdConflict,
            ApiError::InFlight => ApiErrorCode::InFlight,
            ApiError::Database(_) => ApiErrorCode::DatabaseUnavailable,
            ApiError::Internal(_) => ApiErrorCode::Internal,
            ApiError::RateLimited { .. } => ApiErrorCode::RateLimited,
            ApiError::BadDeviceKey => ApiErrorCode::BadDeviceKey,
            ApiError::SignIn(reason) => *reason,
            ApiError::SignedOut => ApiErrorCode::SignedOut,
            ApiError::Forbidden => ApiErrorCode::Forbidden,
            ApiError::AlreadyMember => ApiErrorCode::AlreadyMember,
            ApiError::CodeNotSent(_) => ApiErrorCode::CodeNotSent,
            ApiError::DeclarationExpired => ApiErrorCode::DeclarationExpired,
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

impl From<BytesRejection> for ApiError {
    fn from(_: BytesRejection) -> Self {
        ApiError::TooLarge
    }
}

/// Seconds a client is told to wait after a transient database failure.
pub const DATABASE_RETRY_AFTER_S: u64 = 2;

/// Whether `error` may go away by itself, so that the same request can succeed later: the
/// database is busy, locked, out of connections, restarting or unreachable. Everything else (a
/// constraint violation, a missing table, a decoding error) is a bug or bad data.
pub fn is_transient(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::WorkerCrashed
        | sqlx::Error::Io(_) => true,
        sqlx::Error::Database(database) => {
            if database
                .try_downcast_ref::<sqlx::sqlite::SqliteError>()
                .is_some()
            {
                // SQLite's code is the extended result code, whose low byte is the primary
                // code: SQLITE_BUSY (5, with BUSY_SNAPSHOT 517…) and SQLITE_LOCKED (6).
                let code = database
                    .code()
                    .and_then(|code| code.parse::<i32>().ok())
                    .unwrap_or(0);
                matches!(code & 0xff, 5 | 6)
            } else if let Some(postgres) =
                database.try_downcast_ref::<sqlx::postgres::PgDatabaseError>()
            {
                is_transient_sqlstate(postgres.code())
            } else {
                false
            }
        }
        _ => false,
    }
}

/// PostgreSQL's transient SQLSTATEs: serialization failure, deadlock, lock not available,
/// statement cancelled, server shutting down or starting, too many connections, and every
/// connection exception (class 08).
fn is_transient_sqlstate(code: &str) -> bool {
    matches!(
        code,
        "40001" | "40P01" | "55P03" | "57014" | "57P01" | "57P02" | "57P03" | "53300"
    ) || code.starts_with("08")
}

impl From<sqlx::Error> for ApiError {
    fn from(error: sqlx::Error) -> Self {
        if is_transient(&error) {
            ApiError::Database(error.to_string())
        } else {
            ApiError::Internal(error.to_string())
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        // The causes may name tables or queries but never carry request data.
        if let ApiError::Internal(cause) = &self {
            tracing::error!(%cause, "internal error");
        }
        if let ApiError::Database(cause) = &self {
            tracing::warn!(%cause, "database unavailable");
            let mut response = (self.status(), Json(self.body())).into_response();
            response.headers_mut().insert(
                axum::http::header::RETRY_AFTER,
                axum::http::HeaderValue::from(DATABASE_RETRY_AFTER_S),
            );
            return response;
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

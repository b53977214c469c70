//! `/api`: the JSON API, version 1 under `/api/v1` (DESIGN.md §6).

use axum::extract::State;
use axum::extract::{DefaultBodyLimit, FromRef};
use axum::http::{header, HeaderValue};
use axum::routing::{any, get, post};
use axum::{Json, Router};
use serde::Serialize;
use tower_http::set_header::SetResponseHeaderLayer;
use utoipa::{OpenApi, ToSchema};

use crate::declarations;
use crate::error::{ApiError, ErrorBody};
use crate::rate_limit::{self, Limiter, RateLimit};
use crate::submissions::{self, Submissions};
use crate::Db;
use domain::status::Policy;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "tokhai API",
        description = "Health declarations and QR check-in (DESIGN.md §6)."
    ),
    paths(
        health,
        openapi_json,
        submissions::submit_one,
        submissions::submit_batch,
        declarations::list
    ),
    components(schemas(
        Health,
        ErrorBody,
        submissions::ReceiptBody,
        submissions::Batch,
        submissions::BatchResults,
        submissions::ItemResult,
        declarations::ListedDeclaration,
        declarations::DeclarationList
    ))
)]
struct ApiDoc;

/// Largest request body: a batch of a few hundred declarations fits well inside it.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// What the API handlers share.
#[derive(Debug, Clone)]
pub struct AppState {
    pub db: Db,
    pub submissions: Submissions,
    pub policy: Policy,
}

impl FromRef<AppState> for Policy {
    fn from_ref(state: &AppState) -> Policy {
        state.policy
    }
}

impl FromRef<AppState> for Db {
    fn from_ref(state: &AppState) -> Db {
        state.db.clone()
    }
}

impl FromRef<AppState> for Submissions {
    fn from_ref(state: &AppState) -> Submissions {
        state.submissions.clone()
    }
}

/// Everything under `/api`; unknown paths there are JSON 404s, never the app shell.
pub fn router(state: AppState, rate_limit: Option<RateLimit>) -> Router {
    let router = Router::new()
        .route("/api/v1/health", get(health))
        .route("/api/v1/openapi.json", get(openapi_json))
        .route("/api/v1/policy", get(policy))
        .route("/api/v1/submissions", post(submissions::submit_one))
        .route("/api/v1/submissions/batch", post(submissions::submit_batch))
        .route("/api/v1/declarations", get(declarations::list))
        .route("/api", any(not_found))
        .route("/api/", any(not_found))
        .route("/api/{*rest}", any(not_found))
        .with_state(state)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES));
    let router = match rate_limit {
        Some(limit) => router.layer(axum::middleware::from_fn_with_state(
            Limiter::new(limit),
            rate_limit::limit,
        )),
        None => router,
    };
    router
        // API answers are personal or live; no cache may keep them (DESIGN.md §6).
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
}

async fn not_found() -> ApiError {
    ApiError::NotFound
}

/// The server's state, for load balancers and the app's connectivity check.
#[derive(Debug, Serialize, ToSchema)]
struct Health {
    /// `ok` when the server and its database answer.
    status: &'static str,
    /// Server build.
    version: &'static str,
}

#[utoipa::path(
    get,
    path = "/api/v1/health",
    responses(
        (status = 200, description = "Server and database answer", body = Health),
        (status = 503, description = "Database unavailable", body = ErrorBody),
    )
)]
async fn health(State(db): State<Db>) -> Result<Json<Health>, ApiError> {
    db.ping().await?;
    Ok(Json(Health {
        status: "ok",
        version: crate::VERSION,
    }))
}

/// The server's declaration policy (`domain::status::Policy`), cached by the app for offline use.
#[derive(Debug, Serialize, ToSchema)]
struct PolicyBody {
    /// Hours a declaration stays valid after it was made.
    declaration_validity_hours: u32,
}

#[utoipa::path(
    get,
    path = "/api/v1/policy",
    responses((status = 200, description = "Declaration policy", body = PolicyBody))
)]
async fn policy(State(policy): State<Policy>) -> Json<PolicyBody> {
    Json(PolicyBody {
        declaration_validity_hours: policy.declaration_validity_hours,
    })
}

#[utoipa::path(
    get,
    path = "/api/v1/openapi.json",
    responses((status = 200, description = "This document"))
)]
async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

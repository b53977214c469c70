//! `/api`: the JSON API, version 1 under `/api/v1` (DESIGN.md §6).

use axum::extract::State;
use axum::http::{header, HeaderValue};
use axum::routing::{any, get};
use axum::{Json, Router};
use serde::Serialize;
use tower_http::set_header::SetResponseHeaderLayer;
use utoipa::{OpenApi, ToSchema};

use crate::error::{ApiError, ErrorBody};
use crate::Db;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "tokhai API",
        description = "Health declarations and QR check-in (DESIGN.md §6)."
    ),
    paths(health, openapi_json),
    components(schemas(Health, ErrorBody))
)]
struct ApiDoc;

/// Everything under `/api`; unknown paths there are JSON 404s, never the app shell.
pub fn router(db: Db) -> Router {
    Router::new()
        .route("/api/v1/health", get(health))
        .route("/api/v1/openapi.json", get(openapi_json))
        .route("/api", any(not_found))
        .route("/api/", any(not_found))
        .route("/api/{*rest}", any(not_found))
        .with_state(db)
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

#[utoipa::path(
    get,
    path = "/api/v1/openapi.json",
    responses((status = 200, description = "This document"))
)]
async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

//! `/api`: the JSON API, version 1 under `/api/v1` (DESIGN.md §6).

use axum::extract::State;
use axum::extract::{DefaultBodyLimit, FromRef};
use axum::handler::Handler;
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::routing::{any, MethodFilter, MethodRouter};
use axum::{Json, Router};
use serde::Serialize;
use tower_http::set_header::SetResponseHeaderLayer;
use utoipa::{OpenApi, ToSchema};

use crate::accounts::{self, Accounts};
use crate::client_addr::TrustedProxies;
use crate::declarations;
use crate::error::{ApiError, ErrorBody};
use crate::exposures;
use crate::gate;
use crate::keys::{self, ServerKeys};
use crate::officers;
use crate::rate_limit::{self, Limiter, RateLimit};
use crate::statistics;
use crate::store::WriterState;
use crate::submissions::{self, Submissions};
use crate::venues;
use crate::visitors;
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
        policy,
        submissions::submit_one,
        submissions::submit_batch,
        declarations::list,
        keys::keys,
        accounts::request_code,
        accounts::sign_in,
        accounts::me,
        accounts::sign_out,
        venues::get_organisation,
        venues::access,
        venues::create_organisation,
        venues::register,
        venues::list,
        venues::get,
        venues::reissue_poster,
        venues::poster_svg,
        venues::install_svg,
        venues::resolve_short_code,
        venues::members,
        venues::add_member,
        venues::remove_member,
        visitors::list,
        visitors::export,
        gate::request_code,
        gate::confirm,
        exposures::published,
        officers::access,
        officers::search_venues,
        exposures::list,
        exposures::publish,
        exposures::edit,
        exposures::withdraw,
        statistics::statistics,
        statistics::export,
        officers::read_case,
        officers::own_reads
    ),
    components(schemas(
        Health,
        ErrorBody,
        domain::api::Receipt,
        domain::api::BatchResults,
        domain::api::ItemResult,
        domain::api::ApiErrorCode,
        declarations::ListedDeclaration,
        declarations::DeclarationList,
        domain::api::KeysBody,
        domain::api::CodeRequest,
        domain::api::SignInRequest,
        accounts::Me,
        domain::api::Membership,
        domain::api::VenueAccess,
        domain::api::NewOrganisationRequest,
        domain::api::Venue,
        domain::api::ResolvedPoster,
        domain::api::Role,
        domain::api::Member,
        domain::api::Removal,
        domain::api::ListedVisit,
        domain::api::VisitorPage,
        domain::api::VisitorQuery,
        domain::gate::PhoneVisitor,
        domain::gate::PhoneCheckIn,
        domain::exposure::ExposureLevel,
        domain::exposure::ExposureEvent,
        domain::exposure::ExposureDraft,
        domain::exposure::SignedExposureList,
        domain::api::VenueSearch,
        domain::api::OfficerVenue,
        domain::api::PublishedExposure,
        domain::api::StatisticsQuery,
        domain::api::DayCounts,
        domain::api::Statistics,
        domain::api::CaseRequest,
        domain::api::CaseVisitors,
        domain::api::CaseRead,
        officers::OfficerAccess,
        Policy
    ))
)]
struct ApiDoc;

/// Largest request body: a batch of a few hundred declarations fits well inside it.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// What the API handlers share.
#[derive(Debug, Clone)]
pub struct AppState {
    pub accounts: Accounts,
    pub keys: ServerKeys,
    pub db: Db,
    pub submissions: Submissions,
    pub policy: Policy,
    pub public_origin: Option<String>,
}

impl FromRef<AppState> for Accounts {
    fn from_ref(state: &AppState) -> Accounts {
        state.accounts.clone()
    }
}

impl FromRef<AppState> for TrustedProxies {
    fn from_ref(state: &AppState) -> TrustedProxies {
        TrustedProxies::from_ref(&state.accounts)
    }
}

impl FromRef<AppState> for ServerKeys {
    fn from_ref(state: &AppState) -> ServerKeys {
        state.keys.clone()
    }
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
    let proxies = TrustedProxies::from_ref(&state);
    let router = endpoints()
        .into_iter()
        .fold(Router::new(), |router, endpoint| {
            router.route(endpoint.path, endpoint.handler)
        })
        .route("/api", any(not_found))
        .route("/api/", any(not_found))
        .route("/api/{*rest}", any(not_found))
        .with_state(state)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES));
    let router = match rate_limit {
        Some(limit) => router.layer(axum::middleware::from_fn_with_state(
            Limiter::new(limit, proxies),
            rate_limit::limit,
        )),
        None => router,
    };
    router
        // API answers are personal or live; no cache may keep them (DESIGN.md §6), unless the
        // handler says otherwise (the public keys).
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
}

/// One endpoint of the API: its method and path, and the handler that serves them.
struct Endpoint {
    method: Method,
    path: &'static str,
    handler: MethodRouter<AppState>,
}

fn endpoint<H, T>(method: Method, path: &'static str, handler: H) -> Endpoint
where
    H: Handler<T, AppState>,
    T: 'static,
{
    let filter = MethodFilter::try_from(method.clone()).expect("a method axum can route");
    Endpoint {
        method,
        path,
        handler: axum::routing::on(filter, handler),
    }
}

/// Every endpoint of the API. The router is built from this list, so it is also what the OpenAPI
/// document must describe, no more and no less (checked by the tests through [`endpoints_served`]).
fn endpoints() -> Vec<Endpoint> {
    use Method as M;
    vec![
        endpoint(M::GET, "/api/v1/health", health),
        endpoint(M::GET, "/api/v1/openapi.json", openapi_json),
        endpoint(M::GET, "/api/v1/policy", policy),
        endpoint(M::POST, "/api/v1/submissions", submissions::submit_one),
        endpoint(
            M::POST,
            "/api/v1/submissions/batch",
            submissions::submit_batch,
        ),
        endpoint(M::GET, "/api/v1/declarations", declarations::list),
        endpoint(M::GET, "/api/v1/keys", keys::keys),
        endpoint(M::GET, "/api/v1/organisation", venues::get_organisation),
        endpoint(M::GET, "/api/v1/venue-access", venues::access),
        endpoint(M::POST, "/api/v1/organisation", venues::create_organisation),
        endpoint(M::GET, "/api/v1/venues", venues::list),
        endpoint(M::POST, "/api/v1/venues", venues::register),
        endpoint(M::GET, "/api/v1/venues/{id}", venues::get),
        endpoint(
            M::POST,
            "/api/v1/venues/{id}/poster",
            venues::reissue_poster,
        ),
        endpoint(M::GET, "/api/v1/venues/{id}/qr", venues::poster_svg),
        endpoint(M::POST, "/api/v1/venues/{id}/visitors", visitors::list),
        endpoint(M::GET, "/api/v1/venues/{id}/visitors.csv", visitors::export),
        endpoint(
            M::POST,
            "/api/v1/venues/{id}/gate/phone",
            gate::request_code,
        ),
        endpoint(
            M::POST,
            "/api/v1/venues/{id}/gate/phone/confirm",
            gate::confirm,
        ),
        endpoint(
            M::GET,
            "/api/v1/organisations/{id}/members",
            venues::members,
        ),
        endpoint(
            M::POST,
            "/api/v1/organisations/{id}/members",
            venues::add_member,
        ),
        endpoint(
            M::DELETE,
            "/api/v1/organisations/{id}/members",
            venues::remove_member,
        ),
        endpoint(M::GET, "/api/v1/install-qr", venues::install_svg),
        endpoint(
            M::GET,
            "/api/v1/posters/{short_code}",
            venues::resolve_short_code,
        ),
        endpoint(M::POST, "/api/v1/auth/code", accounts::request_code),
        endpoint(M::POST, "/api/v1/auth/session", accounts::sign_in),
        endpoint(M::GET, "/api/v1/auth/session", accounts::me),
        endpoint(M::DELETE, "/api/v1/auth/session", accounts::sign_out),
        endpoint(M::GET, "/api/v1/exposures", exposures::published),
        endpoint(M::GET, "/api/v1/officer/access", officers::access),
        endpoint(M::POST, "/api/v1/officer/venues", officers::search_venues),
        endpoint(M::GET, "/api/v1/officer/exposures", exposures::list),
        endpoint(M::POST, "/api/v1/officer/exposures", exposures::publish),
        endpoint(M::PUT, "/api/v1/officer/exposures/{id}", exposures::edit),
        endpoint(
            M::DELETE,
            "/api/v1/officer/exposures/{id}",
            exposures::withdraw,
        ),
        endpoint(
            M::POST,
            "/api/v1/officer/statistics",
            statistics::statistics,
        ),
        endpoint(M::GET, "/api/v1/officer/statistics.csv", statistics::export),
        endpoint(M::POST, "/api/v1/officer/cases", officers::read_case),
        endpoint(M::GET, "/api/v1/officer/cases", officers::own_reads),
    ]
}

/// The method and path of every endpoint [`router`] serves (besides the JSON 404s), in the
/// path syntax of axum and OpenAPI alike (`/api/v1/venues/{id}`).
pub fn endpoints_served() -> Vec<(Method, &'static str)> {
    endpoints()
        .into_iter()
        .map(|endpoint| (endpoint.method, endpoint.path))
        .collect()
}

async fn not_found() -> ApiError {
    ApiError::NotFound
}

/// The server's state, for load balancers and the app's connectivity check.
#[derive(Debug, Serialize, ToSchema)]
struct Health {
    /// `ok` when the server and its database answer and submissions can be stored;
    /// `unavailable` otherwise.
    status: &'static str,
    /// Server build.
    version: &'static str,
    /// The group-commit writer that stores submissions: `running` or `stopped`.
    writer: &'static str,
}

#[utoipa::path(
    get,
    path = "/api/v1/health",
    responses(
        (status = 200, description = "Server and database answer", body = Health),
        (status = 503, description = "The submission writer stopped (`Health`) or the database is unavailable (`ErrorBody`)", body = Health),
    )
)]
async fn health(
    State(db): State<Db>,
    State(submissions): State<Submissions>,
) -> Result<(StatusCode, Json<Health>), ApiError> {
    if submissions.store().state() == WriterState::Stopped {
        return Ok((
            StatusCode::SERVICE_UNAVAILABLE,
            Json(Health {
                status: "unavailable",
                version: crate::VERSION,
                writer: "stopped",
            }),
        ));
    }
    db.ping().await?;
    Ok((
        StatusCode::OK,
        Json(Health {
            status: "ok",
            version: crate::VERSION,
            writer: "running",
        }),
    ))
}

/// The server's declaration policy, cached by the app for offline use.
#[utoipa::path(
    get,
    path = "/api/v1/policy",
    responses((status = 200, description = "Declaration policy", body = Policy))
)]
async fn policy(State(policy): State<Policy>) -> Json<Policy> {
    Json(policy)
}

#[utoipa::path(
    get,
    path = "/api/v1/openapi.json",
    responses((status = 200, description = "This document"))
)]
async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

//! Gate mode's path for a visitor without a phone at hand (DESIGN.md §4): the staff member types
//! the visitor's number; the server finds the latest declaration made with it and, once the
//! visitor reads back the one-time code sent to that number, records the gate scan itself. The
//! staff see only the masked name and number, as the visitor list shows them.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use uuid::Uuid;

use domain::api::CodeRequest;
use domain::gate::{GateScan, PhoneCheckIn, PhoneVisitor};
use domain::status::PersonDeclarations;
use domain::submission::{Content, Submission};

use crate::accounts::{issue_code, judge_code, phone_of, CodePurpose, Session};
use crate::api::AppState;
use crate::client_addr::ClientAddr;
use crate::db::with_pool;
use crate::error::{ApiError, ErrorBody};
use crate::json::ApiJson;
use crate::store::now_ms;
use crate::submissions::VenuePlace;
use crate::venues::own_venue;

/// The person whose latest declaration carries `phone`, if it is still valid.
async fn declared_visitor(state: &AppState, phone: &str) -> Result<PhoneVisitor, ApiError> {
    let row: Option<(String, i64, i64)> = with_pool!(&state.db, pool => {
        let mut query = sqlx::QueryBuilder::new(
            "SELECT body, created_at_ms, received_at_ms FROM submissions WHERE phone = ",
        );
        query
            .push_bind(phone)
            .push(" ORDER BY received_at_ms DESC, created_at_ms DESC LIMIT 1");
        query.build_query_as().fetch_optional(pool).await
    })?;
    let (body, created_at_ms, received_at_ms) = row.ok_or(ApiError::NotFound)?;
    let content: Content = serde_json::from_str(&body).map_err(|error| {
        ApiError::Internal(format!("a stored declaration does not read: {error}"))
    })?;
    let person = content.person().ok_or(ApiError::Internal(
        "a row with a phone is not a declaration".into(),
    ))?;
    let made_at_ms = created_at_ms.min(received_at_ms);
    let declarations = PersonDeclarations {
        delivered_at_ms: Some(made_at_ms),
        waiting: false,
        latest_made_at_ms: Some(made_at_ms),
    };
    if !state.policy.covers_check_in(declarations, now_ms()) {
        return Err(ApiError::DeclarationExpired);
    }
    Ok(PhoneVisitor::of(&person.details.full_name, phone))
}

#[utoipa::path(
    post,
    path = "/api/v1/venues/{id}/gate/phone",
    params(("id" = Uuid, Path)),
    request_body = CodeRequest,
    responses(
        (status = 202, description = "A code was sent to the visitor's phone; whom it names, masked", body = PhoneVisitor),
        (status = 404, description = "No such control point in the caller's organisation, or no declaration with this number", body = ErrorBody),
        (status = 422, description = "Not a mobile number, or the declaration has expired (`declaration_expired`)", body = ErrorBody),
        (status = 429, description = "Too many codes for this phone or this client", body = ErrorBody),
    )
)]
pub async fn request_code(
    State(state): State<AppState>,
    session: Session,
    client: ClientAddr,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<CodeRequest>,
) -> Result<(StatusCode, Json<PhoneVisitor>), ApiError> {
    own_venue(&state, &session, &id).await?;
    let phone = phone_of(&request.phone)?;
    let visitor = declared_visitor(&state, &phone).await?;
    issue_code(&state.accounts, &client, &phone, CodePurpose::GateCheckIn).await?;
    Ok((StatusCode::ACCEPTED, Json(visitor)))
}

#[utoipa::path(
    post,
    path = "/api/v1/venues/{id}/gate/phone/confirm",
    params(("id" = Uuid, Path)),
    request_body = PhoneCheckIn,
    responses(
        (status = 201, description = "The arrival or departure is recorded", body = PhoneVisitor),
        (status = 401, description = "Wrong, expired, spent or locked code", body = ErrorBody),
        (status = 404, description = "No such control point in the caller's organisation, or no declaration", body = ErrorBody),
        (status = 422, description = "Not a mobile number, or the declaration has expired", body = ErrorBody),
    )
)]
pub async fn confirm(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<PhoneCheckIn>,
) -> Result<(StatusCode, Json<PhoneVisitor>), ApiError> {
    let (_, venue) = own_venue(&state, &session, &id).await?;
    let venue_id: Uuid = id.parse().map_err(|_| ApiError::NotFound)?;
    let phone = phone_of(&request.phone)?;
    judge_code(
        &state.accounts,
        &phone,
        &request.code,
        CodePurpose::GateCheckIn,
    )
    .await?;
    let visitor = declared_visitor(&state, &phone).await?;
    let submission = Submission {
        id: Uuid::new_v4(),
        created_at_ms: now_ms(),
        content: Content::GateScan(GateScan {
            venue_id,
            visitor: visitor.visitor(),
            visit_id: request.visit_id,
            direction: request.direction,
        }),
    };
    let place = VenuePlace {
        id,
        province: venue.4,
    };
    state.submissions.record(&submission, place).await?;
    Ok((StatusCode::CREATED, Json(visitor)))
}

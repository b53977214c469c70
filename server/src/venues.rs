//! Organisations and their control points (DESIGN.md §4): registration, the signed poster and
//! its short code. Every endpoint answers only members of the venue's organisation; anyone else
//! gets the same 404 as for an id that does not exist, so ids cannot be enumerated.

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use uuid::Uuid;

use domain::api::{
    Member, Membership, NewOrganisationRequest, Removal, ResolvedPoster, Role, Venue, VenueAccess,
};
use domain::poster::{Poster, VenueType};
use domain::venue::{
    normalise_short_code, short_code, Position, VenueDraft, VenueFields, SHORT_CODE_LEN,
};
use domain::visit::VisitorView;

use crate::accounts::Session;
use crate::api::AppState;
use crate::db::{with_pool, Db};
use crate::error::{ApiError, ErrorBody};
use crate::json::ApiJson;
use crate::store::now_ms;

pub async fn membership(
    state: &AppState,
    session: &Session,
) -> Result<Option<Membership>, ApiError> {
    let row: Option<(String, String, String)> = with_pool!(&state.db, pool => {
        let mut query = sqlx::QueryBuilder::new(
            "SELECT organisations.id, organisations.name, members.role FROM members \
             JOIN organisations ON organisations.id = members.organisation_id WHERE members.account_id = ",
        );
        query.push_bind(session.me.account_id.to_string());
        query.build_query_as().fetch_optional(pool).await
    })?;
    row.map(|(id, name, role)| {
        Ok(Membership {
            organisation_id: parse_id(&id)?,
            organisation_name: name,
            role: Role::from_name(&role),
        })
    })
    .transpose()
}

fn parse_id(id: &str) -> Result<Uuid, ApiError> {
    id.parse()
        .map_err(|_| ApiError::Internal("a stored id is not a UUID".into()))
}

#[utoipa::path(
    get,
    path = "/api/v1/organisation",
    responses(
        (status = 200, description = "The caller's organisation", body = Membership),
        (status = 404, description = "The caller belongs to none yet", body = ErrorBody),
    )
)]
pub async fn get_organisation(
    State(state): State<AppState>,
    session: Session,
) -> Result<Json<Membership>, ApiError> {
    membership(&state, &session)
        .await?
        .map(Json)
        .ok_or(ApiError::NotFound)
}

#[utoipa::path(
    get,
    path = "/api/v1/venue-access",
    responses(
        (status = 200, description = "Signed out, signed in without an organisation, or a member", body = VenueAccess),
    )
)]
pub async fn access(
    State(state): State<AppState>,
    session: Result<Session, ApiError>,
) -> Result<Json<VenueAccess>, ApiError> {
    let session = match session {
        Ok(session) => session,
        Err(ApiError::SignedOut) => return Ok(Json(VenueAccess::SignedOut)),
        Err(other) => return Err(other),
    };
    Ok(Json(match membership(&state, &session).await? {
        Some(membership) => VenueAccess::Member { membership },
        None => VenueAccess::NoOrganisation,
    }))
}

#[utoipa::path(
    post,
    path = "/api/v1/organisation",
    request_body = NewOrganisationRequest,
    responses(
        (status = 201, description = "Created; the caller is its manager", body = Membership),
        (status = 409, description = "The caller already belongs to an organisation", body = ErrorBody),
        (status = 422, description = "No name", body = ErrorBody),
    )
)]
pub async fn create_organisation(
    State(state): State<AppState>,
    session: Session,
    ApiJson(request): ApiJson<NewOrganisationRequest>,
) -> Result<(StatusCode, Json<Membership>), ApiError> {
    let name = domain::text::required_line(&request.name, domain::venue::NAME_MAX_CHARS)
        .map_err(|code| ApiError::field("name", code))?;
    // A quick answer for the usual case; the unique index on members.account_id (0009) is what
    // holds when requests race.
    if membership(&state, &session).await?.is_some() {
        return Err(ApiError::AlreadyMember);
    }
    let id = Uuid::new_v4();
    with_pool!(&state.db, pool => {
        async {
            let mut transaction = pool.begin().await?;
            let mut organisation = sqlx::QueryBuilder::new("INSERT INTO organisations (id, name, created_at_ms) ");
            organisation.push_values([()], |mut row, ()| {
                row.push_bind(id.to_string()).push_bind(name.as_str()).push_bind(now_ms());
            });
            organisation.build().execute(&mut *transaction).await?;
            let mut member = sqlx::QueryBuilder::new("INSERT INTO members (organisation_id, account_id, role) ");
            member.push_values([()], |mut row, ()| {
                row.push_bind(id.to_string())
                    .push_bind(session.me.account_id.to_string())
                    .push_bind(Role::Manager.name());
            });
            member.build().execute(&mut *transaction).await?;
            transaction.commit().await
        }
        .await
    })
    .map_err(membership_error)?;
    Ok((
        StatusCode::CREATED,
        Json(Membership {
            organisation_id: id,
            organisation_name: name,
            role: Role::Manager,
        }),
    ))
}

/// A second membership of one account, refused by the unique index on `members.account_id`
/// (0009), is "already a member"; any other failure is what it is.
fn membership_error(error: sqlx::Error) -> ApiError {
    match &error {
        sqlx::Error::Database(cause) if cause.is_unique_violation() => ApiError::AlreadyMember,
        _ => ApiError::from(error),
    }
}

pub type VenueRow = (
    String,
    String,
    String,
    Option<String>,
    i64,
    Option<i64>,
    String,
    Option<f64>,
    Option<f64>,
    String,
    i64,
    String,
    String,
    i64,
    i64,
    // Whether the authority granted full access (0 or 1).
    i64,
);

const VENUE_COLUMNS: &str = "id, name, venue_type, phone, province, ward, street, latitude, \
    longitude, intro, default_stay_minutes, poster_id, short_code, poster_issued_at_s, poster_key_id";

/// The columns of a `VenueRow`: the stored ones and whether the authority granted full access.
fn venue_select() -> String {
    format!(
        "SELECT {VENUE_COLUMNS}, (SELECT COUNT(*) FROM access_grants \
         WHERE access_grants.venue_id = venues.id) FROM venues"
    )
}

/// What the venue of `row` sees of its visitors: its type must allow full access and the
/// authority must have granted it.
pub fn visitor_view(row: &VenueRow) -> VisitorView {
    VenueType::from_name(&row.2).map_or(VisitorView::Masked, |venue_type| {
        VisitorView::of(venue_type, row.15 > 0)
    })
}

/// Where the app is served, for the poster URL: `TOKHAI_PUBLIC_ORIGIN`, else the request's host
/// (http on a local address, https elsewhere).
fn origin(state: &AppState, headers: &HeaderMap) -> String {
    if let Some(origin) = &state.public_origin {
        return origin.clone();
    }
    let host = headers
        .get(header::HOST)
        .and_then(|host| host.to_str().ok())
        .unwrap_or("localhost");
    let name = host.rsplit_once(':').map_or(host, |(name, _)| name);
    let scheme = if matches!(name, "localhost" | "127.0.0.1" | "[::1]") {
        "http"
    } else {
        "https"
    };
    format!("{scheme}://{host}")
}

fn venue_of(state: &AppState, headers: &HeaderMap, row: VenueRow) -> Result<Venue, ApiError> {
    let full_access = visitor_view(&row).is_full();
    let (
        id,
        name,
        venue_type,
        phone,
        province,
        ward,
        street,
        latitude,
        longitude,
        intro,
        stay,
        poster_id,
        short_code,
        issued_at_s,
        key_id,
        _,
    ) = row;
    let corrupt = || ApiError::Internal("a stored venue is malformed".into());
    let venue_type = VenueType::from_name(&venue_type).ok_or_else(corrupt)?;
    let poster = Poster {
        venue_id: poster_bytes(&poster_id).ok_or_else(corrupt)?,
        key_id: u16::try_from(key_id).map_err(|_| corrupt())?,
        issued_at_s: u32::try_from(issued_at_s).map_err(|_| corrupt())?,
        province: u8::try_from(province).map_err(|_| corrupt())?,
        ward: ward.map_or(Ok(0), u32::try_from).map_err(|_| corrupt())?,
        venue_type,
        default_stay_minutes: u16::try_from(stay).map_err(|_| corrupt())?,
        short_name: name.clone(),
    };
    Ok(Venue {
        id: parse_id(&id)?,
        poster_url: state
            .keys
            .venue
            .poster_url(&poster, &origin(state, headers)),
        fields: VenueFields {
            name,
            venue_type,
            phone,
            province: province as u16,
            ward: ward.map(|ward| ward as u32),
            street,
            position: latitude
                .zip(longitude)
                .map(|(latitude, longitude)| Position {
                    latitude,
                    longitude,
                }),
            intro,
            default_stay_minutes: poster.default_stay_minutes,
        },
        short_code,
        poster_issued_at_s: issued_at_s,
        full_access,
    })
}

fn poster_bytes(hex: &str) -> Option<[u8; 16]> {
    let mut bytes = [0u8; 16];
    if hex.len() != 32 {
        return None;
    }
    for (index, byte) in bytes.iter_mut().enumerate() {
        *byte = u8::from_str_radix(hex.get(index * 2..index * 2 + 2)?, 16).ok()?;
    }
    Some(bytes)
}

/// A new poster identity: random venue id (hex) and short code.
fn new_poster_identity() -> Result<(String, String), ApiError> {
    let mut id = [0u8; 16];
    let mut code = [0u8; SHORT_CODE_LEN];
    getrandom::fill(&mut id).map_err(|error| ApiError::Internal(error.to_string()))?;
    getrandom::fill(&mut code).map_err(|error| ApiError::Internal(error.to_string()))?;
    let hex = id.iter().map(|byte| format!("{byte:02x}")).collect();
    Ok((hex, short_code(&code)))
}

/// The venue `id` if the caller's organisation owns it; `NotFound` otherwise, exactly as for an
/// id that does not exist.
pub async fn own_venue(
    state: &AppState,
    session: &Session,
    id: &str,
) -> Result<(Membership, VenueRow), ApiError> {
    let member = membership(state, session)
        .await?
        .ok_or(ApiError::NotFound)?;
    let row: Option<VenueRow> = with_pool!(&state.db, pool => {
        let mut query = sqlx::QueryBuilder::new(format!("{} WHERE id = ", venue_select()));
        query
            .push_bind(id)
            .push(" AND organisation_id = ")
            .push_bind(member.organisation_id.to_string());
        query.build_query_as().fetch_optional(pool).await
    })?;
    Ok((member, row.ok_or(ApiError::NotFound)?))
}

#[utoipa::path(
    post,
    path = "/api/v1/venues",
    request_body(content = domain::venue::VenueDraft, description = "The registration form as typed; checked as the app checks it"),
    responses(
        (status = 201, description = "Registered, with its signed poster", body = Venue),
        (status = 403, description = "Only the organisation's managers register venues", body = ErrorBody),
        (status = 404, description = "The caller has no organisation yet", body = ErrorBody),
        (status = 422, description = "Field errors", body = ErrorBody),
    )
)]
pub async fn register(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    ApiJson(draft): ApiJson<VenueDraft>,
) -> Result<(StatusCode, Json<Venue>), ApiError> {
    let fields: VenueFields = draft.validate().map_err(ApiError::Validation)?;
    let member = membership(&state, &session)
        .await?
        .ok_or(ApiError::NotFound)?;
    if member.role != Role::Manager {
        return Err(ApiError::Forbidden);
    }
    let id = Uuid::new_v4();
    let (poster_id, short_code) = new_poster_identity()?;
    let issued_at_s = now_ms() / 1000;
    let venue_type = fields.venue_type.name();
    with_pool!(&state.db, pool => {
        let mut insert = sqlx::QueryBuilder::new(format!(
            "INSERT INTO venues ({VENUE_COLUMNS}, organisation_id, created_at_ms) "
        ));
        insert.push_values([()], |mut row, ()| {
            row.push_bind(id.to_string())
                .push_bind(fields.name.as_str())
                .push_bind(venue_type)
                .push_bind(fields.phone.as_deref())
                .push_bind(i64::from(fields.province))
                .push_bind(fields.ward.map(i64::from))
                .push_bind(fields.street.as_str())
                .push_bind(fields.position.map(|at| at.latitude))
                .push_bind(fields.position.map(|at| at.longitude))
                .push_bind(fields.intro.as_str())
                .push_bind(i64::from(fields.default_stay_minutes))
                .push_bind(poster_id.as_str())
                .push_bind(short_code.as_str())
                .push_bind(issued_at_s)
                .push_bind(i64::from(state.keys.venue.current_key_id()))
                .push_bind(member.organisation_id.to_string())
                .push_bind(now_ms());
        });
        insert.build().execute(pool).await.map(drop)
    })?;
    let (_, row) = own_venue(&state, &session, &id.to_string()).await?;
    Ok((StatusCode::CREATED, Json(venue_of(&state, &headers, row)?)))
}

#[utoipa::path(
    get,
    path = "/api/v1/venues",
    responses((status = 200, description = "The caller's organisation's venues", body = Vec<Venue>))
)]
pub async fn list(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
) -> Result<Json<Vec<Venue>>, ApiError> {
    let Some(member) = membership(&state, &session).await? else {
        return Ok(Json(Vec::new()));
    };
    let rows: Vec<VenueRow> = with_pool!(&state.db, pool => {
        let mut query = sqlx::QueryBuilder::new(format!("{} WHERE organisation_id = ", venue_select()));
        query
            .push_bind(member.organisation_id.to_string())
            .push(" ORDER BY created_at_ms");
        query.build_query_as().fetch_all(pool).await
    })?;
    rows.into_iter()
        .map(|row| venue_of(&state, &headers, row))
        .collect::<Result<_, _>>()
        .map(Json)
}

#[utoipa::path(
    get,
    path = "/api/v1/venues/{id}",
    params(("id" = Uuid, Path)),
    responses(
        (status = 200, description = "The venue", body = Venue),
        (status = 404, description = "No such venue in the caller's organisation", body = ErrorBody),
    )
)]
pub async fn get(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Json<Venue>, ApiError> {
    let (_, row) = own_venue(&state, &session, &id).await?;
    Ok(Json(venue_of(&state, &headers, row)?))
}

#[utoipa::path(
    post,
    path = "/api/v1/venues/{id}/poster",
    params(("id" = Uuid, Path)),
    responses(
        (status = 200, description = "A new poster; the old one no longer resolves", body = Venue),
        (status = 403, description = "Only managers re-issue posters", body = ErrorBody),
        (status = 404, description = "No such venue in the caller's organisation", body = ErrorBody),
    )
)]
pub async fn reissue_poster(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Json<Venue>, ApiError> {
    let (member, _) = own_venue(&state, &session, &id).await?;
    if member.role != Role::Manager {
        return Err(ApiError::Forbidden);
    }
    let (poster_id, short_code) = new_poster_identity()?;
    let now = now_ms();
    // The old poster is kept as retired in the same transaction, so that exposure events still
    // reach the visits made under it; of two re-issues at once, the second finds the poster it
    // read already retired, changes nothing, and answers with the poster the first made.
    with_pool!(&state.db, pool => async {
        let mut transaction = pool.begin().await?;
        let mut retire = sqlx::QueryBuilder::new(
            "INSERT INTO retired_posters (poster_id, venue_id, issued_at_ms, retired_at_ms) \
             SELECT poster_id, id, poster_issued_at_s * 1000, ",
        );
        retire
            .push_bind(now)
            .push(" FROM venues WHERE id = ")
            .push_bind(id.as_str())
            .push(" ON CONFLICT (poster_id) DO NOTHING");
        let retired = retire.build().execute(&mut *transaction).await?.rows_affected();
        if retired == 1 {
            let mut update = sqlx::QueryBuilder::new("UPDATE venues SET poster_id = ");
            update
                .push_bind(poster_id.as_str())
                .push(", short_code = ")
                .push_bind(short_code.as_str())
                .push(", poster_issued_at_s = ")
                .push_bind(now / 1000)
                .push(", poster_key_id = ")
                .push_bind(i64::from(state.keys.venue.current_key_id()))
                .push(" WHERE id = ")
                .push_bind(id.as_str());
            update.build().execute(&mut *transaction).await?;
        }
        transaction.commit().await
    }
    .await)?;
    let (_, row) = own_venue(&state, &session, &id).await?;
    Ok(Json(venue_of(&state, &headers, row)?))
}

/// A QR code as SVG, dark modules on white with the standard quiet zone.
fn qr_svg(text: &str) -> Result<impl IntoResponse, ApiError> {
    let code = qrcode::QrCode::with_error_correction_level(text.as_bytes(), qrcode::EcLevel::M)
        .map_err(|error| ApiError::Internal(error.to_string()))?;
    let svg = code
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(256, 256)
        .build();
    Ok((
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("image/svg+xml"),
        )],
        svg,
    ))
}

#[utoipa::path(
    get,
    path = "/api/v1/venues/{id}/qr",
    params(("id" = Uuid, Path)),
    responses(
        (status = 200, description = "The poster's QR code (SVG)", body = String, content_type = "image/svg+xml"),
        (status = 404, description = "No such venue in the caller's organisation", body = ErrorBody),
    )
)]
pub async fn poster_svg(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<impl IntoResponse, ApiError> {
    let (_, row) = own_venue(&state, &session, &id).await?;
    qr_svg(&venue_of(&state, &headers, row)?.poster_url)
}

#[utoipa::path(
    get,
    path = "/api/v1/install-qr",
    responses((status = 200, description = "A QR code of the app's install page (SVG)", body = String, content_type = "image/svg+xml"))
)]
pub async fn install_svg(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<impl IntoResponse, ApiError> {
    qr_svg(&format!("{}/install", origin(&state, &headers)))
}

#[utoipa::path(
    get,
    path = "/api/v1/posters/{short_code}",
    params(("short_code" = String, Path, description = "As printed; case, spaces and dashes do not matter")),
    responses(
        (status = 200, description = "The poster URL", body = ResolvedPoster),
        (status = 404, description = "No current poster has this code", body = ErrorBody),
    )
)]
pub async fn resolve_short_code(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(short_code): Path<String>,
) -> Result<Json<ResolvedPoster>, ApiError> {
    let code = normalise_short_code(&short_code);
    let row: Option<VenueRow> = with_pool!(&state.db, pool => {
        let mut query = sqlx::QueryBuilder::new(format!("{} WHERE short_code = ", venue_select()));
        query.push_bind(code.as_str());
        query.build_query_as().fetch_optional(pool).await
    })?;
    let venue = venue_of(&state, &headers, row.ok_or(ApiError::NotFound)?)?;
    Ok(Json(ResolvedPoster {
        poster_url: venue.poster_url,
    }))
}

/// Grants venue `id` full access to its visitors' names and phone numbers, on the health
/// authority's decision (DESIGN.md §4): for the server's administrator command, never an
/// endpoint. Refused for a venue whose type cannot have it; granting twice changes nothing.
pub async fn grant_full_access(db: &Db, id: Uuid) -> anyhow::Result<()> {
    let venue_type: Option<String> = with_pool!(db, pool => {
        let mut query = sqlx::QueryBuilder::new("SELECT venue_type FROM venues WHERE id = ");
        query.push_bind(id.to_string());
        query.build_query_scalar().fetch_optional(pool).await
    })?;
    let venue_type = venue_type.ok_or_else(|| anyhow::anyhow!("no venue has the id {id}"))?;
    let eligible = VenueType::from_name(&venue_type).is_some_and(VenueType::sees_full_visitor_data);
    if !eligible {
        anyhow::bail!(
            "venue {id} is a {venue_type}: only hospitals and clinics (clinic) and quarantine \
             checkpoints (quarantine_checkpoint) can be granted full access"
        );
    }
    with_pool!(db, pool => {
        let mut insert = sqlx::QueryBuilder::new(
            "INSERT INTO access_grants (venue_id, granted_by, granted_at_ms) ",
        );
        insert.push_values([()], |mut row, ()| {
            row.push_bind(id.to_string())
                .push_bind("administrator")
                .push_bind(now_ms());
        });
        insert.push(" ON CONFLICT (venue_id) DO NOTHING");
        insert.build().execute(pool).await.map(drop)
    })?;
    Ok(())
}

/// Withdraws venue `id`'s full access; its views are masked again from the next read. Whether
/// it had been granted.
pub async fn revoke_full_access(db: &Db, id: Uuid) -> anyhow::Result<bool> {
    let removed = with_pool!(db, pool => {
        let mut delete = sqlx::QueryBuilder::new("DELETE FROM access_grants WHERE venue_id = ");
        delete.push_bind(id.to_string());
        delete.build().execute(pool).await.map(|done| done.rows_affected())
    })?;
    Ok(removed > 0)
}

/// The caller's membership, if they manage organisation `id`; `NotFound` for anyone else.
async fn managed(state: &AppState, session: &Session, id: &str) -> Result<Membership, ApiError> {
    let member = membership(state, session)
        .await?
        .filter(|member| member.organisation_id.to_string() == id)
        .ok_or(ApiError::NotFound)?;
    if member.role == Role::Manager {
        Ok(member)
    } else {
        Err(ApiError::Forbidden)
    }
}

#[utoipa::path(
    get,
    path = "/api/v1/organisations/{id}/members",
    params(("id" = Uuid, Path)),
    responses(
        (status = 200, description = "The organisation's members", body = Vec<Member>),
        (status = 404, description = "Not the caller's organisation", body = ErrorBody),
    )
)]
pub async fn members(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
) -> Result<Json<Vec<Member>>, ApiError> {
    managed(&state, &session, &id).await?;
    let rows: Vec<(String, String)> = with_pool!(&state.db, pool => {
        let mut query = sqlx::QueryBuilder::new(
            "SELECT accounts.phone, members.role FROM members \
             JOIN accounts ON accounts.id = members.account_id WHERE members.organisation_id = ",
        );
        query.push_bind(id.as_str()).push(" ORDER BY accounts.phone");
        query.build_query_as().fetch_all(pool).await
    })?;
    Ok(Json(
        rows.into_iter()
            .map(|(phone, role)| Member {
                phone,
                role: Role::from_name(&role),
            })
            .collect(),
    ))
}

#[utoipa::path(
    post,
    path = "/api/v1/organisations/{id}/members",
    params(("id" = Uuid, Path)),
    request_body = Member,
    responses(
        (status = 201, description = "Added; they sign in with this phone", body = Member),
        (status = 404, description = "Not the caller's organisation", body = ErrorBody),
        (status = 409, description = "That phone already belongs to an organisation", body = ErrorBody),
        (status = 422, description = "Not a Vietnamese mobile number", body = ErrorBody),
    )
)]
pub async fn add_member(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    payload: Result<ApiJson<Member>, ApiError>,
) -> Result<(StatusCode, Json<Member>), ApiError> {
    // Another organisation's id is refused before the body is looked at.
    managed(&state, &session, &id).await?;
    let ApiJson(request) = payload?;
    let phone = crate::accounts::phone_of(&request.phone)?;
    let new_account = Uuid::new_v4().to_string();
    // The unique index on members.account_id (0009) refuses a phone that already belongs to an
    // organisation, however many requests race.
    with_pool!(&state.db, pool => {
        async {
            let mut transaction = pool.begin().await?;
            let mut account = sqlx::QueryBuilder::new("INSERT INTO accounts (id, phone, created_at_ms) ");
            account.push_values([()], |mut row, ()| {
                row.push_bind(new_account.as_str()).push_bind(phone.as_str()).push_bind(now_ms());
            });
            account.push(" ON CONFLICT (phone) DO NOTHING");
            account.build().execute(&mut *transaction).await?;
            let mut member = sqlx::QueryBuilder::new(
                "INSERT INTO members (organisation_id, account_id, role) SELECT ",
            );
            member
                .push_bind(id.as_str())
                .push(", id, ")
                .push_bind(request.role.name())
                .push(" FROM accounts WHERE phone = ")
                .push_bind(phone.as_str());
            member.build().execute(&mut *transaction).await?;
            transaction.commit().await
        }
        .await
    })
    .map_err(membership_error)?;
    Ok((
        StatusCode::CREATED,
        Json(Member {
            phone,
            role: request.role,
        }),
    ))
}

#[utoipa::path(
    delete,
    path = "/api/v1/organisations/{id}/members",
    params(("id" = Uuid, Path)),
    request_body = Removal,
    responses(
        (status = 204, description = "Removed; their sessions no longer reach the organisation"),
        (status = 404, description = "Not the caller's organisation, or not a member", body = ErrorBody),
        (status = 409, description = "Managers cannot remove themselves", body = ErrorBody),
    )
)]
pub async fn remove_member(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    payload: Result<ApiJson<Removal>, ApiError>,
) -> Result<StatusCode, ApiError> {
    // Another organisation's id is refused before the body is looked at.
    managed(&state, &session, &id).await?;
    let ApiJson(removal) = payload?;
    let phone = crate::accounts::phone_of(&removal.phone)?;
    if phone == session.me.phone {
        return Err(ApiError::AlreadyMember);
    }
    let removed = with_pool!(&state.db, pool => {
        let mut delete = sqlx::QueryBuilder::new("DELETE FROM members WHERE organisation_id = ");
        delete
            .push_bind(id.as_str())
            .push(" AND account_id IN (SELECT id FROM accounts WHERE phone = ")
            .push_bind(phone.as_str())
            .push(")");
        delete.build().execute(pool).await.map(|done| done.rows_affected())
    })?;
    if removed == 0 {
        return Err(ApiError::NotFound);
    }
    Ok(StatusCode::NO_CONTENT)
}

//! Health officers (DESIGN.md §4): the role is granted to a phone number by the server's
//! administrator command only; officers sign in like venue staff. Every officer endpoint takes
//! an [`Officer`], which a session without the role cannot be (403). Officers find venues,
//! and read a venue's visitors unmasked only for a case: each such read appends one row to the
//! audit log, which no endpoint edits or deletes, and officers see the trail of their own reads.

use axum::extract::{FromRef, FromRequestParts, State};
use axum::http::request::Parts;
use axum::Json;
use uuid::Uuid;

use domain::api::{CaseRead, CaseRequest, CaseVisitors, OfficerVenue, VenueSearch};
use domain::divisions::fold;
use domain::poster::VenueType;
use domain::validation::vn_mobile;
use domain::venue::normalise_short_code;
use domain::visit::{pair_visits, sort_visits, VisitOrder, VisitorView};

use crate::accounts::{Accounts, Session};
use crate::api::AppState;
use crate::db::with_pool;
use crate::error::{ApiError, ErrorBody};
use crate::json::ApiJson;
use crate::store::now_ms;
use crate::visitors::venue_events;
use crate::Db;

/// Makes `phone` an officer; granting twice changes nothing. Returns the number as stored.
pub async fn grant_officer(db: &Db, phone: &str) -> anyhow::Result<String> {
    let phone = vn_mobile(phone)
        .map_err(|_| anyhow::anyhow!("{phone:?} is not a Vietnamese mobile number"))?;
    with_pool!(db, pool => {
        let mut insert = sqlx::QueryBuilder::new("INSERT INTO officers (phone, granted_at_ms) ");
        insert.push_values([()], |mut row, ()| {
            row.push_bind(phone.as_str()).push_bind(now_ms());
        });
        insert.push(" ON CONFLICT (phone) DO NOTHING");
        insert.build().execute(pool).await.map(drop)
    })?;
    Ok(phone)
}

/// Takes the role from `phone`; `false` when it had none.
pub async fn revoke_officer(db: &Db, phone: &str) -> anyhow::Result<bool> {
    let phone = vn_mobile(phone)
        .map_err(|_| anyhow::anyhow!("{phone:?} is not a Vietnamese mobile number"))?;
    let deleted = with_pool!(db, pool => {
        let mut delete = sqlx::QueryBuilder::new("DELETE FROM officers WHERE phone = ");
        delete.push_bind(phone.as_str());
        delete.build().execute(pool).await.map(|done| done.rows_affected())
    })?;
    Ok(deleted > 0)
}

/// Whether the account of `session` holds the role now (checked on every request, so a
/// revocation takes effect at once).
async fn is_officer(db: &Db, session: &Session) -> Result<bool, ApiError> {
    // The phone itself is read back: a bare `SELECT 1` is a 4-byte integer on PostgreSQL and an
    // 8-byte one on SQLite.
    let found: Option<String> = with_pool!(db, pool => {
        let mut query = sqlx::QueryBuilder::new("SELECT phone FROM officers WHERE phone = ");
        query.push_bind(session.me.phone.as_str());
        query.build_query_scalar().fetch_optional(pool).await
    })?;
    Ok(found.is_some())
}

/// A request by a signed-in health officer: 401 signed out, 403 for any other account.
#[derive(Debug, Clone)]
pub struct Officer {
    pub session: Session,
}

impl<S> FromRequestParts<S> for Officer
where
    S: Send + Sync,
    Accounts: FromRef<S>,
    Db: FromRef<S>,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let session = Session::from_request_parts(parts, state).await?;
        if is_officer(&Db::from_ref(state), &session).await? {
            Ok(Officer { session })
        } else {
            Err(ApiError::Forbidden)
        }
    }
}

/// `GET /api/v1/officer/access`: where the caller stands; always a 200, so that opening the
/// officer screens signed out is no error in the browser's console.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum OfficerAccess {
    SignedOut,
    /// Signed in without the role.
    NotOfficer,
    Officer {
        phone: String,
    },
}

#[utoipa::path(
    get,
    path = "/api/v1/officer/access",
    responses((status = 200, description = "Whether the caller is a signed-in officer", body = OfficerAccess))
)]
pub async fn access(
    State(state): State<AppState>,
    session: Result<Session, ApiError>,
) -> Result<Json<OfficerAccess>, ApiError> {
    let session = match session {
        Ok(session) => session,
        Err(ApiError::SignedOut) => return Ok(Json(OfficerAccess::SignedOut)),
        Err(error) => return Err(error),
    };
    Ok(Json(if is_officer(&state.db, &session).await? {
        OfficerAccess::Officer {
            phone: session.me.phone,
        }
    } else {
        OfficerAccess::NotOfficer
    }))
}

/// A venue row as officers see it.
#[derive(Debug, sqlx::FromRow)]
pub struct OfficerVenueRow {
    id: String,
    name: String,
    short_code: String,
    venue_type: String,
    province: i64,
    street: String,
}

pub const OFFICER_VENUE_COLUMNS: &str =
    "venues.id, venues.name, venues.short_code, venues.venue_type, venues.province, venues.street";

impl OfficerVenueRow {
    pub fn id(&self) -> &str {
        &self.id
    }

    pub fn venue(self) -> Result<OfficerVenue, ApiError> {
        let corrupt =
            |what: &str| ApiError::Internal(format!("a stored venue's {what} is unreadable"));
        Ok(OfficerVenue {
            id: self.id.parse().map_err(|_| corrupt("id"))?,
            name: self.name,
            short_code: self.short_code,
            venue_type: VenueType::from_name(&self.venue_type).ok_or_else(|| corrupt("type"))?,
            province: u16::try_from(self.province).map_err(|_| corrupt("province"))?,
            street: self.street,
        })
    }
}

/// How long after a case window check-ins made in it may still arrive.
const DELIVERY_SLACK_MS: i64 = 86_400_000;

/// The most venues one search lists.
const SEARCH_LIMIT: usize = 20;

/// The most venues one search reads to match names in Rust (Vietnamese folding, which SQL
/// `LIKE` does not do the same way on both databases).
const SEARCH_SCAN_LIMIT: i64 = 20_000;

#[utoipa::path(
    post,
    path = "/api/v1/officer/venues",
    request_body = VenueSearch,
    responses(
        (status = 200, description = "Venues whose name or short code matches, at most 20", body = [OfficerVenue]),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not a health officer", body = ErrorBody),
    )
)]
pub async fn search_venues(
    State(state): State<AppState>,
    _officer: Officer,
    ApiJson(search): ApiJson<VenueSearch>,
) -> Result<Json<Vec<OfficerVenue>>, ApiError> {
    let code = normalise_short_code(&search.q);
    let words = fold(&search.q);
    let rows: Vec<OfficerVenueRow> = with_pool!(&state.db, pool => {
        let mut query = sqlx::QueryBuilder::new(format!(
            "SELECT {OFFICER_VENUE_COLUMNS} FROM venues WHERE 1 = 1"
        ));
        if let Some(province) = search.province {
            query.push(" AND province = ").push_bind(i64::from(province));
        }
        query
            .push(" ORDER BY created_at_ms DESC LIMIT ")
            .push_bind(SEARCH_SCAN_LIMIT);
        query.build_query_as().fetch_all(pool).await
    })?;
    let mut found = Vec::new();
    for row in rows {
        let matches = words.is_empty()
            || (!code.is_empty() && row.short_code == code)
            || fold(&row.name).contains(&words);
        if matches {
            found.push(row.venue()?);
            if found.len() == SEARCH_LIMIT {
                break;
            }
        }
    }
    Ok(Json(found))
}

/// The venue `id` for an officer, or 404.
pub async fn venue(state: &AppState, id: Uuid) -> Result<OfficerVenue, ApiError> {
    let row: Option<OfficerVenueRow> = with_pool!(&state.db, pool => {
        let mut query = sqlx::QueryBuilder::new(format!(
            "SELECT {OFFICER_VENUE_COLUMNS} FROM venues WHERE id = "
        ));
        query.push_bind(id.to_string());
        query.build_query_as().fetch_optional(pool).await
    })?;
    row.ok_or(ApiError::NotFound)?.venue()
}

#[utoipa::path(
    post,
    path = "/api/v1/officer/cases",
    request_body = CaseRequest,
    responses(
        (status = 200, description = "The venue's visitors in the window, names and phones in full; the read is audited", body = CaseVisitors),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not a health officer", body = ErrorBody),
        (status = 404, description = "No such venue", body = ErrorBody),
        (status = 422, description = "No case reference, or a bad window", body = ErrorBody),
    )
)]
pub async fn read_case(
    State(state): State<AppState>,
    officer: Officer,
    ApiJson(request): ApiJson<CaseRequest>,
) -> Result<Json<CaseVisitors>, ApiError> {
    let request = request.validate(now_ms()).map_err(ApiError::Validation)?;
    let venue = venue(&state, request.venue_id).await?;
    // A check-in made offline reaches the server later: what arrived up to a day after the
    // window is read, and the visits are kept by their own times.
    let events = venue_events(
        &state,
        &request.venue_id.to_string(),
        VisitorView::Full,
        request.from_ms,
        request.to_ms.saturating_add(DELIVERY_SLACK_MS),
    )
    .await?;
    let mut visitors = pair_visits(events);
    visitors.retain(|visit| {
        visit.arrived_at_ms.or(visit.left_at_ms).unwrap_or(i64::MIN) < request.to_ms
            && visit.left_at_ms.or(visit.arrived_at_ms).unwrap_or(i64::MAX) >= request.from_ms
    });
    sort_visits(&mut visitors, VisitOrder::NewestFirst);
    // Written before the answer leaves: a read that cannot be audited is not answered.
    with_pool!(&state.db, pool => {
        let mut insert = sqlx::QueryBuilder::new(
            "INSERT INTO audit_log (id, account_id, venue_id, action, row_count, at_ms, \
             case_reference, window_from_ms, window_to_ms) ",
        );
        insert.push_values([()], |mut row, ()| {
            row.push_bind(Uuid::new_v4().to_string())
                .push_bind(officer.session.me.account_id.to_string())
                .push_bind(request.venue_id.to_string())
                .push_bind("case_read")
                .push_bind(visitors.len() as i64)
                .push_bind(now_ms())
                .push_bind(request.case_reference.as_str())
                .push_bind(request.from_ms)
                .push_bind(request.to_ms);
        });
        insert.build().execute(pool).await.map(drop)
    })?;
    Ok(Json(CaseVisitors { venue, visitors }))
}

#[derive(Debug, sqlx::FromRow)]
struct CaseReadRow {
    at_ms: i64,
    venue_id: String,
    venue_name: Option<String>,
    window_from_ms: i64,
    window_to_ms: i64,
    case_reference: String,
    row_count: i64,
}

#[utoipa::path(
    get,
    path = "/api/v1/officer/cases",
    responses(
        (status = 200, description = "The caller's own case reads, newest first", body = [CaseRead]),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not a health officer", body = ErrorBody),
    )
)]
pub async fn own_reads(
    State(state): State<AppState>,
    officer: Officer,
) -> Result<Json<Vec<CaseRead>>, ApiError> {
    let rows: Vec<CaseReadRow> = with_pool!(&state.db, pool => {
        let mut query = sqlx::QueryBuilder::new(
            "SELECT audit_log.at_ms, audit_log.venue_id, venues.name AS venue_name, \
             audit_log.window_from_ms, audit_log.window_to_ms, audit_log.case_reference, \
             audit_log.row_count FROM audit_log LEFT JOIN venues ON venues.id = audit_log.venue_id \
             WHERE audit_log.action = 'case_read' AND audit_log.account_id = ",
        );
        query
            .push_bind(officer.session.me.account_id.to_string())
            .push(" ORDER BY audit_log.at_ms DESC LIMIT 500");
        query.build_query_as().fetch_all(pool).await
    })?;
    rows.into_iter()
        .map(|row| {
            Ok(CaseRead {
                at_ms: row.at_ms,
                venue_id: row
                    .venue_id
                    .parse()
                    .map_err(|_| ApiError::Internal("a stored venue id is not a UUID".into()))?,
                venue_name: row.venue_name.unwrap_or_default(),
                from_ms: row.window_from_ms,
                to_ms: row.window_to_ms,
                case_reference: row.case_reference,
                row_count: row.row_count,
            })
        })
        .collect::<Result<_, _>>()
        .map(Json)
}

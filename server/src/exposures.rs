//! Exposure events (DESIGN.md §3.5, §4): officers publish, edit and withdraw them; everyone can
//! read the signed list of what changed since a version, which a CDN may cache. The list holds
//! venue ids (as posters carry them), windows, levels and advice: no personal data and no
//! counts of visitors. Phones match it against their own diaries.
//!
//! Every change takes the next version (one more than the highest), held unique by the
//! database: two instances that pick the same one cannot both commit, and the loser retries,
//! so versions commit in order and a device that has version N has seen every change up to N.

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

use domain::api::{ExposureDraft, ExposureList, PublishedExposure, SignedExposureList};
use domain::exposure::{ExposureEvent, ExposureLevel};
use domain::retention::RETENTION_DAYS;

use crate::api::AppState;
use crate::db::with_pool;
use crate::error::{ApiError, ErrorBody};
use crate::json::ApiJson;
use crate::officers::{venue, Officer, OfficerVenueRow, OFFICER_VENUE_COLUMNS};
use crate::store::now_ms;

/// Attempts at taking the next version when another writer took it first.
const VERSION_ATTEMPTS: usize = 8;

/// How long a cache may serve the list: a new event reaches phones within this, plus their own
/// polling interval.
const LIST_MAX_AGE_S: u32 = 60;

/// The next version, taken inside the statement that writes it.
const NEXT_VERSION: &str = "(SELECT COALESCE(MAX(version), 0) + 1 FROM exposure_events)";

/// Runs `write` until it does not lose the race for a version.
async fn with_next_version<F, Fut>(mut write: F) -> Result<u64, ApiError>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<u64, sqlx::Error>>,
{
    for _ in 1..VERSION_ATTEMPTS {
        match write().await {
            Err(sqlx::Error::Database(cause)) if cause.is_unique_violation() => continue,
            done => return done.map_err(ApiError::from),
        }
    }
    write().await.map_err(|error| match error {
        sqlx::Error::Database(cause) if cause.is_unique_violation() => {
            ApiError::Database("exposure versions contended".into())
        }
        error => ApiError::from(error),
    })
}

#[derive(Debug, sqlx::FromRow)]
struct EventRow {
    event_id: String,
    starts_at_ms: i64,
    ends_at_ms: i64,
    level: String,
    advice_vi: String,
    advice_en: String,
    withdrawn: bool,
    version: i64,
    updated_at_ms: i64,
    poster_id: String,
    #[sqlx(flatten)]
    venue: OfficerVenueRow,
}

const EVENT_COLUMNS: &str = "exposure_events.id AS event_id, exposure_events.starts_at_ms, \
    exposure_events.ends_at_ms, exposure_events.level, exposure_events.advice_vi, \
    exposure_events.advice_en, exposure_events.withdrawn, exposure_events.version, \
    exposure_events.updated_at_ms, venues.poster_id";

fn corrupt(what: &str) -> ApiError {
    ApiError::Internal(format!("a stored exposure event's {what} is unreadable"))
}

impl EventRow {
    fn id(&self) -> Result<Uuid, ApiError> {
        self.event_id.parse().map_err(|_| corrupt("id"))
    }

    fn level(&self) -> Result<ExposureLevel, ApiError> {
        ExposureLevel::parse(&self.level).ok_or_else(|| corrupt("level"))
    }

    /// The event as phones get it, naming the venue by its current poster and by each poster it
    /// `retired` that was still on the wall when the window began.
    fn event(&self, retired: &[RetiredPoster]) -> Result<ExposureEvent, ApiError> {
        let venue_ids = poster_ids(&self.poster_id, self.venue.id(), retired, self.starts_at_ms);
        Ok(ExposureEvent {
            event_id: self.id()?,
            venue_ids,
            starts_at_ms: self.starts_at_ms,
            ends_at_ms: self.ends_at_ms,
            level: self.level()?,
            advice_vi: self.advice_vi.clone(),
            advice_en: self.advice_en.clone(),
        })
    }

    /// The event as officers list it.
    fn published(self) -> Result<PublishedExposure, ApiError> {
        Ok(PublishedExposure {
            event_id: self.id()?,
            level: self.level()?,
            starts_at_ms: self.starts_at_ms,
            ends_at_ms: self.ends_at_ms,
            advice_vi: self.advice_vi,
            advice_en: self.advice_en,
            withdrawn: self.withdrawn,
            version: self.version,
            updated_at_ms: self.updated_at_ms,
            venue: self.venue.venue()?,
        })
    }
}

/// A poster a venue had before re-issuing it (`venues::reissue_poster`).
#[derive(sqlx::FromRow)]
struct RetiredPoster {
    poster_id: String,
    venue_id: String,
    retired_at_ms: i64,
}

/// The poster ids of `venue` for a window starting at `starts_at_ms`: the current one (a
/// device's clock may put a visit under it anywhere), and the retired ones still on the wall
/// when the window began.
fn poster_ids(
    current: &str,
    venue: &str,
    retired: &[RetiredPoster],
    starts_at_ms: i64,
) -> Vec<String> {
    std::iter::once(current.to_owned())
        .chain(
            retired
                .iter()
                .filter(|poster| poster.venue_id == venue && poster.retired_at_ms > starts_at_ms)
                .map(|poster| poster.poster_id.clone()),
        )
        .collect()
}

/// The retired posters of the venues of `rows`.
async fn retired_posters(
    state: &AppState,
    rows: &[EventRow],
) -> Result<Vec<RetiredPoster>, ApiError> {
    let mut venues: Vec<&str> = rows.iter().map(|row| row.venue.id()).collect();
    venues.sort_unstable();
    venues.dedup();
    let mut posters = Vec::new();
    for chunk in venues.chunks(500) {
        let found: Vec<RetiredPoster> = with_pool!(&state.db, pool => {
            let mut query = sqlx::QueryBuilder::new(
                "SELECT poster_id, venue_id, retired_at_ms FROM retired_posters WHERE venue_id IN (",
            );
            let mut ids = query.separated(", ");
            for id in chunk {
                ids.push_bind(*id);
            }
            query.push(")");
            query.build_query_as().fetch_all(pool).await
        })?;
        posters.extend(found);
    }
    Ok(posters)
}

/// The events changed after `since` whose window ended within retention, oldest change first.
async fn events_since(state: &AppState, since: i64) -> Result<Vec<EventRow>, ApiError> {
    let oldest = now_ms().saturating_sub((RETENTION_DAYS + 1) * 86_400_000);
    with_pool!(&state.db, pool => {
        let mut query = sqlx::QueryBuilder::new(format!(
            "SELECT {EVENT_COLUMNS}, {OFFICER_VENUE_COLUMNS} FROM exposure_events \
             JOIN venues ON venues.id = exposure_events.venue_id WHERE exposure_events.version > "
        ));
        query
            .push_bind(since)
            .push(" AND exposure_events.ends_at_ms >= ")
            .push_bind(oldest)
            .push(" ORDER BY exposure_events.version");
        query.build_query_as().fetch_all(pool).await
    })
    .map_err(ApiError::from)
}

async fn published_event(state: &AppState, id: Uuid) -> Result<PublishedExposure, ApiError> {
    let row: Option<EventRow> = with_pool!(&state.db, pool => {
        let mut query = sqlx::QueryBuilder::new(format!(
            "SELECT {EVENT_COLUMNS}, {OFFICER_VENUE_COLUMNS} FROM exposure_events \
             JOIN venues ON venues.id = exposure_events.venue_id WHERE exposure_events.id = "
        ));
        query.push_bind(id.to_string());
        query.build_query_as().fetch_optional(pool).await
    })?;
    row.ok_or(ApiError::NotFound)?.published()
}

#[utoipa::path(
    get,
    path = "/api/v1/officer/exposures",
    responses(
        (status = 200, description = "Every exposure event within retention, withdrawn ones included, newest change first", body = [PublishedExposure]),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not a health officer", body = ErrorBody),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    _officer: Officer,
) -> Result<Json<Vec<PublishedExposure>>, ApiError> {
    let mut events = events_since(&state, 0)
        .await?
        .into_iter()
        .map(EventRow::published)
        .collect::<Result<Vec<_>, _>>()?;
    events.reverse();
    Ok(Json(events))
}

#[utoipa::path(
    post,
    path = "/api/v1/officer/exposures",
    request_body = ExposureDraft,
    responses(
        (status = 201, description = "Published", body = PublishedExposure),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not a health officer", body = ErrorBody),
        (status = 404, description = "No such venue", body = ErrorBody),
        (status = 422, description = "Refused fields", body = ErrorBody),
    )
)]
pub async fn publish(
    State(state): State<AppState>,
    officer: Officer,
    ApiJson(draft): ApiJson<ExposureDraft>,
) -> Result<(StatusCode, Json<PublishedExposure>), ApiError> {
    let draft = draft.validate(now_ms()).map_err(ApiError::Validation)?;
    venue(&state, draft.venue_id).await?;
    let id = Uuid::new_v4();
    let by = officer.session.me.account_id.to_string();
    with_next_version(|| {
        let (state, draft, by) = (&state, &draft, &by);
        async move {
            with_pool!(&state.db, pool => {
                let mut insert = sqlx::QueryBuilder::new(
                    "INSERT INTO exposure_events (id, venue_id, starts_at_ms, ends_at_ms, level, \
                     advice_vi, advice_en, withdrawn, version, created_by, updated_by, \
                     updated_at_ms) SELECT ",
                );
                insert
                    .push_bind(id.to_string())
                    .push(", ")
                    .push_bind(draft.venue_id.to_string())
                    .push(", ")
                    .push_bind(draft.starts_at_ms)
                    .push(", ")
                    .push_bind(draft.ends_at_ms)
                    .push(", ")
                    .push_bind(draft.level.as_str())
                    .push(", ")
                    .push_bind(draft.advice_vi.as_str())
                    .push(", ")
                    .push_bind(draft.advice_en.as_str())
                    .push(", ")
                    .push_bind(false)
                    .push(format!(", {NEXT_VERSION}, "))
                    .push_bind(by.as_str())
                    .push(", ")
                    .push_bind(by.as_str())
                    .push(", ")
                    .push_bind(now_ms());
                insert.build().execute(pool).await.map(|done| done.rows_affected())
            })
        }
    })
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(published_event(&state, id).await?),
    ))
}

/// Writes a change of event `id` (an edit, or the withdrawal) under the next version.
async fn change(
    state: &AppState,
    officer: &Officer,
    id: Uuid,
    draft: Option<&ExposureDraft>,
) -> Result<PublishedExposure, ApiError> {
    let by = officer.session.me.account_id.to_string();
    let changed = with_next_version(|| {
        let by = &by;
        async move {
            with_pool!(&state.db, pool => {
                let mut update = sqlx::QueryBuilder::new("UPDATE exposure_events SET ");
                match draft {
                    Some(draft) => {
                        update
                            .push("venue_id = ")
                            .push_bind(draft.venue_id.to_string())
                            .push(", starts_at_ms = ")
                            .push_bind(draft.starts_at_ms)
                            .push(", ends_at_ms = ")
                            .push_bind(draft.ends_at_ms)
                            .push(", level = ")
                            .push_bind(draft.level.as_str())
                            .push(", advice_vi = ")
                            .push_bind(draft.advice_vi.as_str())
                            .push(", advice_en = ")
                            .push_bind(draft.advice_en.as_str());
                    }
                    None => {
                        update.push("withdrawn = ").push_bind(true);
                    }
                }
                update
                    .push(format!(", version = {NEXT_VERSION}, updated_by = "))
                    .push_bind(by.as_str())
                    .push(", updated_at_ms = ")
                    .push_bind(now_ms())
                    .push(" WHERE id = ")
                    .push_bind(id.to_string())
                    // A withdrawn event stays withdrawn: it cannot be edited back to alerting.
                    .push(" AND withdrawn = ")
                    .push_bind(false);
                update.build().execute(pool).await.map(|done| done.rows_affected())
            })
        }
    })
    .await?;
    let event = published_event(state, id).await?;
    if changed == 0 && !event.withdrawn {
        return Err(ApiError::NotFound);
    }
    Ok(event)
}

#[utoipa::path(
    put,
    path = "/api/v1/officer/exposures/{id}",
    params(("id" = Uuid, Path)),
    request_body = ExposureDraft,
    responses(
        (status = 200, description = "Edited; devices that alerted for it do not alert again", body = PublishedExposure),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not a health officer", body = ErrorBody),
        (status = 404, description = "No such event or venue, or the event was withdrawn", body = ErrorBody),
        (status = 422, description = "Refused fields", body = ErrorBody),
    )
)]
pub async fn edit(
    State(state): State<AppState>,
    officer: Officer,
    Path(id): Path<Uuid>,
    ApiJson(draft): ApiJson<ExposureDraft>,
) -> Result<Json<PublishedExposure>, ApiError> {
    let draft = draft.validate(now_ms()).map_err(ApiError::Validation)?;
    venue(&state, draft.venue_id).await?;
    // A withdrawn event stays withdrawn: editing it is editing an event that no longer exists.
    if published_event(&state, id).await?.withdrawn {
        return Err(ApiError::NotFound);
    }
    Ok(Json(change(&state, &officer, id, Some(&draft)).await?))
}

#[utoipa::path(
    delete,
    path = "/api/v1/officer/exposures/{id}",
    params(("id" = Uuid, Path)),
    responses(
        (status = 200, description = "Withdrawn: devices that have not alerted for it never will", body = PublishedExposure),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not a health officer", body = ErrorBody),
        (status = 404, description = "No such event", body = ErrorBody),
    )
)]
pub async fn withdraw(
    State(state): State<AppState>,
    officer: Officer,
    Path(id): Path<Uuid>,
) -> Result<Json<PublishedExposure>, ApiError> {
    Ok(Json(change(&state, &officer, id, None).await?))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(default)]
pub struct Since {
    /// The version the device has; 0 (or none) for everything live.
    pub since: i64,
}

#[utoipa::path(
    get,
    path = "/api/v1/exposures",
    params(Since),
    responses(
        (status = 200, description = "The events changed after `since`, signed by the exposure key; cacheable", body = SignedExposureList),
        (status = 304, description = "Unchanged since the ETag sent in If-None-Match"),
    )
)]
pub async fn published(
    State(state): State<AppState>,
    Query(Since { since }): Query<Since>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let since = since.max(0);
    let rows = events_since(&state, since).await?;
    let version = rows.last().map_or(since, |row| row.version);
    let retired = retired_posters(&state, &rows).await?;
    let mut list = ExposureList {
        since,
        version,
        events: Vec::new(),
        withdrawn: Vec::new(),
    };
    for row in &rows {
        if row.withdrawn {
            // A device starting from nothing never had it.
            if since > 0 {
                list.withdrawn.push(row.id()?);
            }
        } else {
            list.events.push(row.event(&retired)?);
        }
    }
    let etag = format!(
        "\"exposures-{since}-{version}-{}\"",
        state.keys.exposure.current_key_id()
    );
    let cache = [
        (
            header::CACHE_CONTROL,
            HeaderValue::from_str(&format!("public, max-age={LIST_MAX_AGE_S}"))
                .map_err(|error| ApiError::Internal(error.to_string()))?,
        ),
        (
            header::ETAG,
            HeaderValue::from_str(&etag).map_err(|error| ApiError::Internal(error.to_string()))?,
        ),
    ];
    let unchanged = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|tags| tags.split(',').any(|tag| tag.trim() == etag));
    if unchanged {
        return Ok((StatusCode::NOT_MODIFIED, cache).into_response());
    }
    Ok((cache, Json(state.keys.exposure.sign_exposures(list))).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_event_names_the_posters_on_the_wall_during_its_window() {
        let retired = |poster_id: &str, venue_id: &str, retired_at_ms: i64| RetiredPoster {
            poster_id: poster_id.into(),
            venue_id: venue_id.into(),
            retired_at_ms,
        };
        let posters = [
            retired("taken-down-before", "v1", 1_000),
            retired("taken-down-during", "v1", 5_000),
            retired("another-venue", "v2", 9_000),
        ];
        assert_eq!(
            poster_ids("current", "v1", &posters, 2_000),
            ["current", "taken-down-during"]
        );
        assert_eq!(poster_ids("current", "v1", &posters, 6_000), ["current"]);
    }
}

//! A venue's visitors (DESIGN.md §4): one row per visit (arrival, departure), masked unless the
//! health authority granted this hospital or checkpoint full access (never the manager's choice
//! of type), in which case every read is audited. ID numbers are masked in every view (§7). The
//! list and its CSV export share one query, so the export can never show more than the list.

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue};
use axum::response::IntoResponse;
use axum::Json;
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

use domain::api::{VisitorPage, VisitorQuery};
use domain::date::{local_minute, Date, VIETNAM_OFFSET_MINUTES};
use domain::gate::GATE_SCAN_KIND;
use domain::i18n::{Lang, Text};
use domain::submission::{Content, CHECK_IN_KIND};
use domain::visit::{
    csv_line, pair_visits, search_visits, sort_visits, ListedVisit, VisitEvent, VisitOrder,
    VisitorView,
};

use crate::accounts::Session;
use crate::api::AppState;
use crate::db::with_pool;
use crate::error::{ApiError, ErrorBody};
use crate::json::ApiJson;
use crate::store::now_ms;
use crate::venues::{own_venue, visitor_view};

/// Visits per page.
const PAGE_SIZE: usize = 50;

/// The export's filters: days and order only, so they can travel in the download link.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(default)]
pub struct ExportQuery {
    /// First day, `YYYY-MM-DD` (Vietnam time).
    pub from: Option<String>,
    /// Last day, inclusive.
    pub to: Option<String>,
    /// `time` or `name`.
    pub sort: Option<String>,
}

/// The visits matching `query`, sorted, with whether they are unmasked.
async fn visits(
    state: &AppState,
    session: &Session,
    venue_id: &str,
    query: &VisitorQuery,
    action: &str,
) -> Result<(Vec<ListedVisit>, bool), ApiError> {
    let (_, venue) = own_venue(state, session, venue_id).await?;
    let view = visitor_view(&venue);
    let day = |field: &str, text: &Option<String>| -> Result<Option<Date>, ApiError> {
        text.as_deref()
            .filter(|text| !text.is_empty())
            .map(|text| {
                Date::parse(text).ok_or_else(|| {
                    ApiError::field(field, domain::validation::ErrorCode::InvalidDate)
                })
            })
            .transpose()
    };
    let from_ms =
        day("from", &query.from)?.map_or(i64::MIN, |day| day.start_unix_ms(VIETNAM_OFFSET_MINUTES));
    let to_ms = day("to", &query.to)?.map_or(i64::MAX, |day| {
        day.add_days(1).start_unix_ms(VIETNAM_OFFSET_MINUTES)
    });
    let events = venue_events(state, venue_id, view, from_ms, to_ms).await?;
    let mut list = pair_visits(events);
    search_visits(&mut list, query.q.as_deref().unwrap_or_default());
    sort_visits(&mut list, VisitOrder::from_name(query.sort.as_deref()));
    if view.is_full() {
        audit(state, session, venue_id, action, list.len()).await?;
    }
    Ok((list, view.is_full()))
}

/// The arrivals and departures at `venue_id` that the server received from `from_ms` until
/// before `to_ms`, in the order received, with visitors as `view` shows them.
pub async fn venue_events(
    state: &AppState,
    venue_id: &str,
    view: VisitorView,
    from_ms: i64,
    to_ms: i64,
) -> Result<Vec<VisitEvent>, ApiError> {
    // The days asked for are days of the server's receive time, which the device cannot forge.
    // The time shown is the device's (a check-in made offline is sent later), but never later
    // than the server received it, so a forged future stamp cannot sort a visit first.
    let rows: Vec<(String, i64, i64)> = with_pool!(&state.db, pool => {
        let mut select = sqlx::QueryBuilder::new(
            "SELECT body, created_at_ms, received_at_ms FROM submissions WHERE venue_id = ",
        );
        select
            .push_bind(venue_id)
            .push(" AND kind IN (")
            .push_bind(CHECK_IN_KIND)
            .push(", ")
            .push_bind(GATE_SCAN_KIND)
            .push(")")
            .push(" AND received_at_ms >= ")
            .push_bind(from_ms)
            .push(" AND received_at_ms < ")
            .push_bind(to_ms)
            // In the order received, so that a later check-in of a visit (a corrected time)
            // overrides an earlier one, the same way on SQLite and PostgreSQL.
            .push(" ORDER BY received_at_ms, created_at_ms, id");
        select.build_query_as().fetch_all(pool).await
    })?;
    // Stored bodies are `{kind, body}` as the domain serialised them.
    Ok(rows
        .into_iter()
        .filter_map(|(body, created_at_ms, received_at_ms)| {
            let at_ms = created_at_ms.min(received_at_ms);
            match serde_json::from_str(&body) {
                Ok(Content::CheckIn(check_in)) => Some(check_in.event(at_ms, view)),
                Ok(Content::GateScan(scan)) => scan.event(at_ms),
                _ => None,
            }
        })
        .collect())
}

async fn audit(
    state: &AppState,
    session: &Session,
    venue_id: &str,
    action: &str,
    rows: usize,
) -> Result<(), ApiError> {
    with_pool!(&state.db, pool => {
        let mut insert = sqlx::QueryBuilder::new(
            "INSERT INTO audit_log (id, account_id, venue_id, action, row_count, at_ms) ",
        );
        insert.push_values([()], |mut row, ()| {
            row.push_bind(Uuid::new_v4().to_string())
                .push_bind(session.me.account_id.to_string())
                .push_bind(venue_id)
                .push_bind(action)
                .push_bind(rows as i64)
                .push_bind(now_ms());
        });
        insert.build().execute(pool).await.map(drop)
    })?;
    Ok(())
}

#[utoipa::path(
    post,
    path = "/api/v1/venues/{id}/visitors",
    params(("id" = Uuid, Path)),
    request_body = VisitorQuery,
    responses(
        (status = 200, description = "One page of visits", body = VisitorPage),
        (status = 404, description = "No such venue in the caller's organisation", body = ErrorBody),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    payload: Result<ApiJson<VisitorQuery>, ApiError>,
) -> Result<Json<VisitorPage>, ApiError> {
    // Another organisation's venue is a 404 whatever the body holds.
    own_venue(&state, &session, &id).await?;
    let ApiJson(query) = payload?;
    let (list, unmasked) = visits(&state, &session, &id, &query, "list").await?;
    let total = list.len();
    let pages = total.div_ceil(PAGE_SIZE).max(1);
    let page = query.page.unwrap_or(1).clamp(1, pages);
    let visitors = list
        .into_iter()
        .skip((page - 1) * PAGE_SIZE)
        .take(PAGE_SIZE)
        .collect();
    Ok(Json(VisitorPage {
        visitors,
        total,
        page,
        pages,
        unmasked,
    }))
}

/// A time as people in Vietnam read it (`YYYY-MM-DD HH:MM`, UTC+7); empty when there is none.
fn local_time(ms: Option<i64>) -> String {
    ms.map(|ms| local_minute(ms, VIETNAM_OFFSET_MINUTES))
        .unwrap_or_default()
}

#[utoipa::path(
    get,
    path = "/api/v1/venues/{id}/visitors.csv",
    params(("id" = Uuid, Path), ExportQuery),
    responses(
        (status = 200, description = "Every matching visit as CSV (RFC 4180, formula-safe)", body = String, content_type = "text/csv"),
        (status = 404, description = "No such venue in the caller's organisation", body = ErrorBody),
    )
)]
pub async fn export(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    Query(filters): Query<ExportQuery>,
) -> Result<impl IntoResponse, ApiError> {
    let query = VisitorQuery {
        from: filters.from,
        to: filters.to,
        sort: filters.sort,
        ..VisitorQuery::default()
    };
    let (list, _) = visits(&state, &session, &id, &query, "export").await?;
    // A byte-order mark, so that spreadsheets read the Vietnamese names as UTF-8.
    let mut csv = String::from("\u{feff}");
    // Headers in Vietnamese and English: the file is read by managers and by the authority.
    let header: Vec<String> = [
        Text::ColumnArrived,
        Text::ColumnLeft,
        Text::ColumnName,
        Text::ColumnPhone,
        Text::ColumnDocument,
    ]
    .iter()
    .map(|text| format!("{} / {}", text.in_lang(Lang::Vi), text.in_lang(Lang::En)))
    .collect();
    csv.push_str(&csv_line(&header));
    for visit in list {
        csv.push_str(&csv_line(&[
            local_time(visit.arrived_at_ms),
            local_time(visit.left_at_ms),
            visit.name,
            visit.phone.unwrap_or_default(),
            visit.id_number.unwrap_or_default(),
        ]));
    }
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/csv; charset=utf-8"),
            ),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_static("attachment; filename=\"visitors.csv\""),
            ),
        ],
        csv,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_written_in_vietnam_time() {
        assert_eq!(local_time(Some(1_700_002_800_000)), "2023-11-15 06:00");
        assert_eq!(local_time(None), "");
    }
}

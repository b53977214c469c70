//! Statistics for the health authority (DESIGN.md §4): control points registered, check-ins
//! (arrivals, by poster or at a gate) and declarations, per province and per day (Vietnam time,
//! by the server's receive time, which no device can forge). Counted by SQL aggregates over
//! indexed columns, never by loading rows; the CSV export has the visitor export's formula
//! protection.

use std::collections::BTreeMap;

use axum::extract::{Query, State};
use axum::http::{header, HeaderValue};
use axum::response::IntoResponse;
use axum::Json;

use domain::api::{DayCounts, Statistics, StatisticsQuery};
use domain::date::{Date, VIETNAM_OFFSET_MINUTES};
use domain::i18n::{Lang, Text};
use domain::submission::Counted;
use domain::visit::csv_line;

use crate::api::AppState;
use crate::db::with_pool;
use crate::divisions::CATALOGUE;
use crate::error::{ApiError, ErrorBody};
use crate::json::ApiJson;
use crate::officers::Officer;

const DAY_MS: i64 = 86_400_000;
const OFFSET_MS: i64 = VIETNAM_OFFSET_MINUTES as i64 * 60_000;

/// The Vietnam day number of a stored time, in SQL that both databases compute alike (integer
/// division of non-negative numbers).
fn day_of(column: &str) -> String {
    format!("({column} + {OFFSET_MS}) / {DAY_MS}")
}

async fn count(state: &AppState, query: &StatisticsQuery) -> Result<Statistics, ApiError> {
    let (from, to) = query.days().map_err(ApiError::Validation)?;
    let from_ms = from.start_unix_ms(VIETNAM_OFFSET_MINUTES);
    let to_ms = to.add_days(1).start_unix_ms(VIETNAM_OFFSET_MINUTES);
    // Grouped in the index's own order, with no expression in the GROUP BY, so that SQLite
    // aggregates while it walks the index instead of sorting a million rows first.
    let submissions: Vec<(String, Option<i64>, i64, i64)> = with_pool!(&state.db, pool => {
        let mut select = sqlx::QueryBuilder::new(
            "SELECT counted_as, province, counted_day, COUNT(*) FROM submissions \
             WHERE counted_as IS NOT NULL AND counted_day >= ",
        );
        select
            .push_bind(i64::from(from.number()))
            .push(" AND counted_day <= ")
            .push_bind(i64::from(to.number()))
            .push(" GROUP BY counted_day, counted_as, province");
        select.build_query_as().fetch_all(pool).await
    })?;
    let venues: Vec<(i64, i64, i64)> = with_pool!(&state.db, pool => {
        let day = day_of("created_at_ms");
        let mut select = sqlx::QueryBuilder::new(format!(
            "SELECT province, {day}, COUNT(*) FROM venues WHERE created_at_ms >= "
        ));
        select
            .push_bind(from_ms)
            .push(" AND created_at_ms < ")
            .push_bind(to_ms)
            .push(format!(" GROUP BY province, {day}"));
        select.build_query_as().fetch_all(pool).await
    })?;
    // (day, province) orders the rows by day, then province.
    let mut rows: BTreeMap<(i64, i64), DayCounts> = BTreeMap::new();
    fn row(
        rows: &mut BTreeMap<(i64, i64), DayCounts>,
        day: i64,
        province: i64,
    ) -> Result<&mut DayCounts, ApiError> {
        let code = u16::try_from(province)
            .map_err(|_| ApiError::Internal("a stored province code is out of range".into()))?;
        let day = i32::try_from(day)
            .map_err(|_| ApiError::Internal("a stored day is out of range".into()))?;
        Ok(rows
            .entry((i64::from(day), province))
            .or_insert_with(|| DayCounts {
                day: Date::from_number(day).to_string(),
                province: code,
                venues: 0,
                check_ins: 0,
                declarations: 0,
            }))
    }
    for (counted_as, province, day, n) in submissions {
        let counts = row(&mut rows, day, province.unwrap_or(0))?;
        let n = n.unsigned_abs();
        if counted_as == Counted::CheckIn.name() {
            counts.check_ins += n;
        } else if counted_as == Counted::Declaration.name() {
            counts.declarations += n;
        }
    }
    for (province, day, n) in venues {
        row(&mut rows, day, province)?.venues += n.unsigned_abs();
    }
    Ok(Statistics {
        from: from.to_string(),
        to: to.to_string(),
        rows: rows.into_values().collect(),
    })
}

#[utoipa::path(
    post,
    path = "/api/v1/officer/statistics",
    request_body = StatisticsQuery,
    responses(
        (status = 200, description = "Counts per province and day", body = Statistics),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not a health officer", body = ErrorBody),
        (status = 422, description = "Bad days, or more than 92 of them", body = ErrorBody),
    )
)]
pub async fn statistics(
    State(state): State<AppState>,
    _officer: Officer,
    ApiJson(query): ApiJson<StatisticsQuery>,
) -> Result<Json<Statistics>, ApiError> {
    Ok(Json(count(&state, &query).await?))
}

#[utoipa::path(
    get,
    path = "/api/v1/officer/statistics.csv",
    params(("from" = String, Query), ("to" = String, Query)),
    responses(
        (status = 200, description = "The same counts as CSV (RFC 4180, formula-safe)", body = String, content_type = "text/csv"),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not a health officer", body = ErrorBody),
        (status = 422, description = "Bad days", body = ErrorBody),
    )
)]
pub async fn export(
    State(state): State<AppState>,
    _officer: Officer,
    Query(query): Query<StatisticsQuery>,
) -> Result<impl IntoResponse, ApiError> {
    let statistics = count(&state, &query).await?;
    // A byte-order mark, so that spreadsheets read Vietnamese names as UTF-8.
    let mut csv = String::from("\u{feff}");
    let header: Vec<String> = [
        Text::StatisticsDay,
        Text::StatisticsProvinceCode,
        Text::StatisticsProvince,
        Text::StatisticsVenues,
        Text::StatisticsCheckIns,
        Text::StatisticsDeclarations,
    ]
    .iter()
    .map(|text| format!("{} / {}", text.in_lang(Lang::Vi), text.in_lang(Lang::En)))
    .collect();
    csv.push_str(&csv_line(&header));
    for row in statistics.rows {
        let province = CATALOGUE
            .province(row.province)
            .map(|province| province.name.clone())
            .unwrap_or_default();
        csv.push_str(&csv_line(&[
            row.day,
            row.province.to_string(),
            province,
            row.venues.to_string(),
            row.check_ins.to_string(),
            row.declarations.to_string(),
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
                HeaderValue::from_static("attachment; filename=\"statistics.csv\""),
            ),
        ],
        csv,
    ))
}

//! Declarations read back: a device lists its own (never anyone else's), and everything past the
//! retention period is deleted (DESIGN.md §7).

use std::time::Duration;

use axum::extract::State;
use axum::Json;
use serde::Serialize;
use serde_json::value::RawValue;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::db::with_pool;
use crate::device::Device;
use crate::error::{ApiError, ErrorBody};
use crate::Db;

/// Most declarations listed back at once: three weeks of daily declarations for a large family.
const MAX_LISTED: i64 = 1_000;

const DAY_MS: i64 = 24 * 3_600_000;

/// How often expired declarations are looked for.
const PURGE_EVERY: Duration = Duration::from_secs(3_600);

/// One stored declaration, as its device sees it: the submission as sent, with its receipt time.
#[derive(Debug, Serialize, ToSchema)]
pub struct ListedDeclaration {
    pub id: Uuid,
    pub created_at_ms: i64,
    pub received_at_ms: i64,
    /// As sent and stored: the submission's `kind` and `body`.
    #[schema(value_type = domain::submission::Content)]
    pub content: Box<RawValue>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DeclarationList {
    /// Newest first.
    pub declarations: Vec<ListedDeclaration>,
}

#[utoipa::path(
    get,
    path = "/api/v1/declarations",
    params(("X-Tokhai-Device" = String, Header, description = "The device key the declarations were sent with")),
    responses(
        (status = 200, description = "This device's stored declarations, newest first", body = DeclarationList),
        (status = 400, description = "No device key, or a malformed one", body = ErrorBody),
        (status = 500, description = "Internal error, logged; retrying cannot help", body = ErrorBody),
        (status = 503, description = "Database unavailable; retry after `Retry-After` seconds", body = ErrorBody),
    )
)]
pub async fn list(State(db): State<Db>, device: Device) -> Result<Json<DeclarationList>, ApiError> {
    let device_hash = device.required()?;
    let rows: Vec<(String, i64, i64, String)> = with_pool!(&db, pool => {
        let mut query = sqlx::QueryBuilder::new(
            "SELECT id, created_at_ms, received_at_ms, body FROM submissions \
             WHERE device_hash = ",
        );
        // A deletion request holds nothing to list back.
        query
            .push_bind(device_hash.as_str())
            .push(" AND kind <> ")
            .push_bind(domain::submission::ERASURE_KIND)
            .push(" ORDER BY received_at_ms DESC, id LIMIT ")
            .push_bind(MAX_LISTED);
        query.build_query_as().fetch_all(pool).await
    })?;
    let declarations = rows
        .into_iter()
        .map(|(id, created_at_ms, received_at_ms, body)| {
            Ok(ListedDeclaration {
                id: id
                    .parse()
                    .map_err(|_| ApiError::Internal("a stored id is not a UUID".into()))?,
                created_at_ms,
                received_at_ms,
                content: RawValue::from_string(body)
                    .map_err(|_| ApiError::Internal("a stored body is not JSON".into()))?,
            })
        })
        .collect::<Result<_, ApiError>>()?;
    Ok(Json(DeclarationList { declarations }))
}

/// Deletes every submission received more than `retention_days` before `now_ms`; returns how
/// many were deleted.
pub async fn purge(db: &Db, retention_days: u32, now_ms: i64) -> Result<u64, sqlx::Error> {
    let cutoff = now_ms.saturating_sub(i64::from(retention_days) * DAY_MS);
    with_pool!(db, pool => {
        let mut query = sqlx::QueryBuilder::new("DELETE FROM submissions WHERE received_at_ms < ");
        query.push_bind(cutoff);
        query.build().execute(pool).await.map(|done| done.rows_affected())
    })
}

/// Purges at start and then every hour, for as long as the server runs.
pub fn spawn_purger(db: Db, retention_days: u32) {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(PURGE_EVERY);
        loop {
            every.tick().await;
            match purge(&db, retention_days, crate::store::now_ms()).await {
                Ok(0) => {}
                Ok(deleted) => tracing::info!(deleted, "deleted submissions past retention"),
                Err(error) => tracing::error!(%error, "retention purge failed"),
            }
        }
    });
}

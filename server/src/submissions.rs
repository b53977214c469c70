//! `POST /api/v1/submissions` and `/api/v1/submissions/batch`: the outbox's endpoints, with the
//! idempotency rules of DESIGN.md §6.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use domain::api::{BatchRequest, BatchResults, ItemResult, Receipt, MAX_BATCH_ITEMS};
use domain::date::Date;
use domain::gate::GateScan;
use domain::pass::GateKeys;
use domain::poster::{ScannedPoster, VenueKeys};
use domain::status::Policy;
use domain::submission::{Content, Counted, Submission, ERASURE_KIND};
use domain::visit::CheckIn;

use crate::accounts::Session;
use crate::db::with_pool;
use crate::device::Device;
use crate::error::{ApiError, ErrorBody};
use crate::json::ApiJson;
use crate::keys::{KeyRing, ServerKeys};
use crate::store::{NewSubmission, Store, Stored};
use crate::Db;

/// What the submission endpoints share.
#[derive(Debug, Clone)]
pub struct Submissions {
    store: Store,
    in_flight: Arc<Mutex<HashSet<Uuid>>>,
    db: Db,
    /// The venue keys, to verify the posters that check-ins name.
    venue_keys: Arc<VenueKeys>,
    /// The pass keys (and venue keys), to verify again the passes that gate scans admitted.
    gate_keys: Arc<GateKeys>,
    /// Signs the pass a declaration's receipt carries.
    pass_keys: KeyRing,
    policy: Policy,
    clock: crate::Clock,
    /// Submissions stamped earlier than this many days ago are refused: past retention.
    retention_days: u32,
}

/// Removes an id from the in-flight set when its request ends, however it ends.
struct InFlightGuard {
    ids: Vec<Uuid>,
    registry: Arc<Mutex<HashSet<Uuid>>>,
}

impl Drop for InFlightGuard {
    fn drop(&mut self) {
        let mut registry = self
            .registry
            .lock()
            .unwrap_or_else(|poison| poison.into_inner());
        for id in &self.ids {
            registry.remove(id);
        }
    }
}

impl Submissions {
    pub fn new(
        store: Store,
        db: Db,
        keys: &ServerKeys,
        policy: Policy,
        clock: crate::Clock,
        retention_days: u32,
    ) -> Submissions {
        Submissions {
            store,
            in_flight: Arc::default(),
            db,
            venue_keys: Arc::new(VenueKeys::from_published(&keys.venue.public_keys())),
            gate_keys: Arc::new(GateKeys::from_published(&keys.public_keys())),
            pass_keys: keys.pass.clone(),
            policy,
            clock,
            retention_days,
        }
    }

    /// Today on the server (UTC): the reference for years of birth and dates, which the domain
    /// checks with a day of slack where the device's date may already be tomorrow.
    fn today(&self) -> Date {
        Date::from_unix_ms((self.clock)(), 0)
    }

    /// Adds the pass the server issues for `submission` (a declaration that gives a status) to
    /// its receipt: made again on every delivery, replays included, so a receipt lost on the
    /// way still brings the pass with its replay.
    fn with_pass(&self, submission: &Submission, mut receipt: Receipt) -> Receipt {
        receipt.pass = self
            .pass_keys
            .issue_pass(submission, receipt.received_at_ms, self.policy);
        receipt
    }

    /// The group-commit writer.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The venue whose current poster a check-in names: the signature must verify and the
    /// poster must not have been re-issued since.
    async fn venue_of(&self, check_in: &CheckIn) -> Result<VenuePlace, ApiError> {
        let refused = || ApiError::field("poster", domain::validation::ErrorCode::UnknownChoice);
        let poster = ScannedPoster::parse(&check_in.poster)
            .and_then(|scanned| scanned.verify(&self.venue_keys))
            .map_err(|_| refused())?;
        let poster_id: String = poster
            .venue_id
            .iter()
            .map(|byte| format!("{byte:02x}"))
            .collect();
        let venue: Option<VenuePlace> = with_pool!(&self.db, pool => {
            let mut query =
                sqlx::QueryBuilder::new("SELECT id, province FROM venues WHERE poster_id = ");
            query.push_bind(poster_id.as_str());
            query.build_query_as().fetch_optional(pool).await
        })?;
        venue.ok_or_else(refused)
    }

    /// The control point a gate scan was made at, which must belong to the organisation of the
    /// signed-in staff member; and the pass must have admitted its holder at the scan's time,
    /// checked with the same domain code the gate ran.
    async fn gate_venue(
        &self,
        scan: &GateScan,
        scanned_at_ms: i64,
        session: &Result<Session, ApiError>,
    ) -> Result<VenuePlace, ApiError> {
        let session = match session {
            Ok(session) => session,
            Err(ApiError::SignedOut) => return Err(ApiError::SignedOut),
            Err(error) => return Err(ApiError::Database(format!("reading the session: {error}"))),
        };
        scan.admitted(&self.gate_keys, scanned_at_ms).map_err(|_| {
            ApiError::field("visitor.pass", domain::validation::ErrorCode::UnknownChoice)
        })?;
        let venue_id = scan.venue_id.to_string();
        let venue: Option<VenuePlace> = with_pool!(&self.db, pool => {
            let mut query = sqlx::QueryBuilder::new(
                "SELECT venues.id, venues.province FROM venues JOIN members \
                 ON members.organisation_id = venues.organisation_id WHERE venues.id = ",
            );
            query
                .push_bind(venue_id.as_str())
                .push(" AND members.account_id = ")
                .push_bind(session.me.account_id.to_string());
            query.build_query_as().fetch_optional(pool).await
        })?;
        // Another organisation's venue is answered as one that does not exist.
        venue.ok_or(ApiError::NotFound)
    }

    /// Checks a submission with the shared domain rules and prepares its row. `session` is
    /// needed only by gate scans, which staff make signed in.
    async fn prepare(
        &self,
        submission: &Submission,
        today: Date,
        device: &Device,
        session: &Result<Session, ApiError>,
    ) -> Result<NewSubmission, ApiError> {
        // The visitor list orders by the server's receive time; the device's stamp is shown but
        // must still be plausible, or a forged one could sort first or never expire.
        domain::retention::check_device_time(
            submission.created_at_ms,
            (self.clock)(),
            i64::from(self.retention_days),
        )
        .map_err(|code| ApiError::field("created_at_ms", code))?;
        submission
            .content
            .validate(today)
            .map_err(ApiError::Validation)?;
        crate::divisions::CATALOGUE
            .check_addresses(submission.content.addresses())
            .map_err(ApiError::Validation)?;
        let venue_id = match &submission.content {
            Content::CheckIn(check_in) => Some(self.venue_of(check_in).await?),
            Content::GateScan(scan) => Some(
                self.gate_venue(scan, submission.created_at_ms, session)
                    .await?,
            ),
            // Erasing "what this device sent" needs to know the device.
            Content::Erasure(_) => {
                device.clone().required()?;
                None
            }
            _ => None,
        };
        row(submission, device.0.clone(), venue_id)
    }

    /// Stores a submission the server made itself (a gate's phone check-in), already checked.
    pub async fn record(&self, submission: &Submission, venue: VenuePlace) -> Result<(), ApiError> {
        self.insert_one(row(submission, None, Some(venue))?)
            .await
            .map(drop)
    }

    /// Stores one row through the group-commit writer.
    async fn insert_one(&self, row: NewSubmission) -> Result<(StatusCode, Receipt), ApiError> {
        let stored = self.store.insert(vec![row]).await.map_err(ApiError::from)?;
        let stored = stored
            .into_iter()
            .next()
            .ok_or(ApiError::Internal("the writer returned no result".into()))?;
        outcome(stored)
    }

    /// Honours a stored deletion request: deletes what the device sent before the request was
    /// received (DESIGN.md §7). It runs on every delivery of the request, replays included, so
    /// when it fails (answered as an error, which the app retries) the next attempt makes it
    /// good; what the device sends afterwards is not touched.
    async fn erase(&self, row: &Erasing, receipt: &Receipt) -> Result<(), ApiError> {
        with_pool!(&self.db, pool => {
            let mut query = sqlx::QueryBuilder::new("DELETE FROM submissions WHERE device_hash = ");
            query
                .push_bind(row.device_hash.as_str())
                .push(" AND kind <> ")
                .push_bind(ERASURE_KIND)
                .push(" AND received_at_ms <= ")
                .push_bind(receipt.received_at_ms);
            query.build().execute(pool).await.map(drop)
        })?;
        Ok(())
    }

    /// Marks the ids as being stored; those already being stored by another request are
    /// returned as refused instead.
    fn claim(&self, ids: &[Uuid]) -> (InFlightGuard, HashSet<Uuid>) {
        let mut registry = self
            .in_flight
            .lock()
            .unwrap_or_else(|poison| poison.into_inner());
        let mut claimed = Vec::with_capacity(ids.len());
        let mut refused = HashSet::new();
        for id in ids {
            if registry.insert(*id) {
                claimed.push(*id);
            } else {
                refused.insert(*id);
            }
        }
        let guard = InFlightGuard {
            ids: claimed,
            registry: self.in_flight.clone(),
        };
        (guard, refused)
    }
}

/// The row of a checked submission.
/// The venue a check-in or gate scan was made at: its id, and its province for the statistics.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct VenuePlace {
    pub id: String,
    pub province: i64,
}

fn row(
    submission: &Submission,
    device_hash: Option<String>,
    venue: Option<VenuePlace>,
) -> Result<NewSubmission, ApiError> {
    let body = serde_json::to_string(&submission.content)
        .map_err(|error| ApiError::Internal(format!("serialising a submission: {error}")))?;
    let gives_status = submission
        .content
        .declaration_kind()
        .is_some_and(|kind| kind.gives_status());
    let phone = submission
        .content
        .person()
        .filter(|_| gives_status)
        .and_then(|person| person.details.phone.as_deref())
        .and_then(|phone| domain::validation::vn_mobile(phone).ok());
    let counted = submission.content.counted();
    let province = match counted {
        Some(Counted::Declaration) => submission
            .content
            .person()
            .and_then(|person| person.details.address.province)
            .map(i64::from),
        Some(Counted::CheckIn) => venue.as_ref().map(|venue| venue.province),
        None => None,
    };
    Ok(NewSubmission {
        id: submission.id,
        kind: submission.content.kind_name(),
        content_hash: format!("{:x}", Sha256::digest(body.as_bytes())),
        body,
        created_at_ms: submission.created_at_ms,
        device_hash,
        venue_id: venue.map(|venue| venue.id),
        phone,
        counted_as: counted.map(Counted::name),
        province,
    })
}

/// A deletion request about to be stored: the device whose rows it erases once stored.
struct Erasing {
    device_hash: String,
}

impl Erasing {
    fn of(row: &NewSubmission) -> Option<Erasing> {
        // `prepare` refuses a deletion request without a device key.
        let device_hash = row
            .device_hash
            .clone()
            .filter(|_| row.kind == ERASURE_KIND)?;
        Some(Erasing { device_hash })
    }
}

fn outcome(stored: Stored) -> Result<(StatusCode, Receipt), ApiError> {
    match stored {
        Stored::Created(receipt) => Ok((StatusCode::CREATED, receipt)),
        Stored::Replayed(receipt) => Ok((StatusCode::OK, receipt)),
        Stored::Conflict => Err(ApiError::IdConflict),
        Stored::Refused(error) => Err(error.into()),
    }
}

#[utoipa::path(
    post,
    path = "/api/v1/submissions",
    request_body(content = Submission, description = "One submission: its client-made id (the idempotency key), when it was made, and its `content`: a `kind` and that kind's `body`."),
    responses(
        (status = 201, description = "Stored for the first time", body = Receipt),
        (status = 200, description = "Already stored with the same content: the original receipt", body = Receipt),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 409, description = "The same id is being stored by another request; retry", body = ErrorBody),
        (status = 413, description = "Body over the size limit", body = ErrorBody),
        (status = 422, description = "Schema or field validation failed, or the id was used for other content", body = ErrorBody),
        (status = 429, description = "Too many requests from this client; retry after `Retry-After` seconds", body = ErrorBody),
        (status = 500, description = "Internal error, logged; retrying cannot help", body = ErrorBody),
        (status = 503, description = "Database unavailable; retry after `Retry-After` seconds", body = ErrorBody),
    )
)]
pub async fn submit_one(
    State(submissions): State<Submissions>,
    device: Device,
    session: Result<Session, ApiError>,
    ApiJson(submission): ApiJson<Submission>,
) -> Result<(StatusCode, Json<Receipt>), ApiError> {
    let row = submissions
        .prepare(&submission, submissions.today(), &device, &session)
        .await?;
    let (_guard, refused) = submissions.claim(&[submission.id]);
    if !refused.is_empty() {
        return Err(ApiError::InFlight);
    }
    let erasing = Erasing::of(&row);
    let (status, receipt) = submissions.insert_one(row).await?;
    if let Some(erasing) = &erasing {
        submissions.erase(erasing, &receipt).await?;
    }
    Ok((status, Json(submissions.with_pass(&submission, receipt))))
}

/// A batch as the server reads it: each item parsed on its own, so one bad item does not refuse
/// the others.
type Batch = BatchRequest<Box<serde_json::value::RawValue>>;

/// Just the id of a batch item that failed to parse, to name it in the result when possible.
#[derive(Deserialize)]
struct ItemId {
    id: Option<Uuid>,
}

fn item_error(id: Option<Uuid>, error: ApiError) -> ItemResult {
    ItemResult {
        id,
        status: error.status().as_u16(),
        receipt: None,
        error: Some(error.body()),
    }
}

#[utoipa::path(
    post,
    path = "/api/v1/submissions/batch",
    request_body(content = BatchRequest<Submission>, description = "At most 500 submissions; each is read and answered on its own, as if sent alone."),
    responses(
        (status = 200, description = "Each item's own status, receipt or error", body = BatchResults),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 413, description = "Body over the size limit", body = ErrorBody),
        (status = 422, description = "Not a batch, or more than 500 items", body = ErrorBody),
        (status = 429, description = "Too many requests from this client; retry after `Retry-After` seconds", body = ErrorBody),
        (status = 500, description = "Internal error, logged; retrying cannot help", body = ErrorBody),
        (status = 503, description = "Database unavailable; retry after `Retry-After` seconds", body = ErrorBody),
    )
)]
pub async fn submit_batch(
    State(submissions): State<Submissions>,
    device: Device,
    session: Result<Session, ApiError>,
    ApiJson(batch): ApiJson<Batch>,
) -> Result<Json<BatchResults>, ApiError> {
    if batch.items.len() > MAX_BATCH_ITEMS {
        return Err(ApiError::field(
            "items",
            domain::validation::ErrorCode::TooLong {
                max: MAX_BATCH_ITEMS,
            },
        ));
    }
    let today = submissions.today();
    let mut results: Vec<Option<ItemResult>> = Vec::with_capacity(batch.items.len());
    let mut rows = Vec::new();
    let mut row_slots = Vec::new();
    for (slot, item) in batch.items.into_iter().enumerate() {
        let prepared = match crate::json::parse::<Submission>(item.get().as_bytes()) {
            Ok(submission) => submissions
                .prepare(&submission, today, &device, &session)
                .await
                .map(|row| (row, submission)),
            Err(error) => Err(error),
        };
        match prepared {
            // An id named twice in one batch is stored in order: the later copy is a replay.
            Ok(row) => {
                results.push(None);
                row_slots.push(slot);
                rows.push(row);
            }
            Err(error) => {
                let id = serde_json::from_str::<ItemId>(item.get())
                    .ok()
                    .and_then(|item| item.id);
                results.push(Some(item_error(id, error)))
            }
        }
    }
    let ids: Vec<Uuid> = rows
        .iter()
        .map(|(row, _)| row.id)
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let (_guard, refused) = submissions.claim(&ids);
    let (rows, slots): (Vec<_>, Vec<_>) = rows
        .into_iter()
        .zip(row_slots)
        .filter(|((row, _), slot)| {
            if refused.contains(&row.id) {
                results[*slot] = Some(item_error(Some(row.id), ApiError::InFlight));
                false
            } else {
                true
            }
        })
        .unzip();
    let (rows, submitted): (Vec<_>, Vec<_>) = rows.into_iter().unzip();
    let erasing: Vec<Option<Erasing>> = rows.iter().map(Erasing::of).collect();
    if !rows.is_empty() {
        let stored = submissions
            .store
            .insert(rows)
            .await
            .map_err(ApiError::from)?;
        for (((slot, submission), stored), erasing) in
            slots.into_iter().zip(submitted).zip(stored).zip(erasing)
        {
            let id = submission.id;
            let honoured = match (outcome(stored), erasing) {
                (Ok((status, receipt)), Some(erasing)) => submissions
                    .erase(&erasing, &receipt)
                    .await
                    .map(|()| (status, receipt)),
                (result, _) => result,
            };
            results[slot] = Some(match honoured {
                Ok((status, receipt)) => ItemResult {
                    id: Some(id),
                    status: status.as_u16(),
                    receipt: Some(submissions.with_pass(&submission, receipt)),
                    error: None,
                },
                Err(error) => item_error(Some(id), error),
            });
        }
    }
    Ok(Json(BatchResults {
        results: results.into_iter().flatten().collect(),
    }))
}

//! Durable storage of submissions with group commit.
//!
//! Every 2xx must follow a durable commit (SQLite `synchronous=FULL`), and a commit costs an
//! fsync. One writer task therefore takes every insert waiting in its queue, writes them all in
//! one transaction, commits once and answers each request: under load the fsync is shared by many
//! requests, and durability is never weakened.
//!
//! One bad row must not fail the others: when a group's transaction fails for a reason other
//! than a transient one, its rows are committed again one by one, so only the row at fault is
//! refused (a batch's other items are stored). The writer's state (running or stopped) is published for `/api/v1/health`.

use std::sync::Arc;

use tokio::sync::{mpsc, oneshot, watch, Notify};
use uuid::Uuid;

use domain::outbox::Receipt;

use crate::Db;

/// Most rows written in one transaction, to bound the latency of the requests in it.
const MAX_ROWS_PER_COMMIT: usize = 2_000;

/// A checked submission, ready to store.
#[derive(Debug, Clone)]
pub struct NewSubmission {
    pub id: Uuid,
    pub kind: &'static str,
    pub content_hash: String,
    pub body: String,
    pub created_at_ms: i64,
    /// SHA-256 of the delivering device's key (`crate::device`), when it sent one.
    pub device_hash: Option<String>,
    /// The venue a check-in was made at.
    pub venue_id: Option<String>,
    /// The person's phone number, normalised, on a declaration that gives a status: what gate
    /// mode finds a visitor by.
    pub phone: Option<String>,
    /// What statistics count it as (`domain::submission::Counted::name`), and for which
    /// province: the declarer's, or the venue's for an arrival.
    pub counted_as: Option<&'static str>,
    pub province: Option<i64>,
}

/// What storing one submission did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stored {
    /// First delivery: a new row.
    Created(Receipt),
    /// The same id with the same content was stored before: its original receipt.
    Replayed(Receipt),
    /// The same id was stored before with other content; nothing was written.
    Conflict,
    /// This row was refused by the database (a constraint, a bug), alone: the rows committed
    /// with it are stored.
    Refused(StoreError),
}

struct Job {
    rows: Vec<NewSubmission>,
    reply: oneshot::Sender<Result<Vec<Stored>, StoreError>>,
}

/// Whether the writer task still takes jobs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriterState {
    Running,
    /// The task ended (it panicked, or was stopped): nothing can be stored any more.
    Stopped,
}

/// Handle to the writer task.
#[derive(Debug, Clone)]
pub struct Store {
    jobs: mpsc::Sender<Job>,
    state: watch::Receiver<WriterState>,
    stop: Arc<Notify>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    /// The database is busy or unreachable (`crate::error::is_transient`): retry later.
    #[error("database write failed for now: {0}")]
    Unavailable(String),
    /// The write was refused (a constraint, a bug): retrying cannot help.
    #[error("database write failed: {0}")]
    Failed(String),
    #[error("the writer stopped")]
    Stopped,
}

impl From<&sqlx::Error> for StoreError {
    fn from(error: &sqlx::Error) -> StoreError {
        if crate::error::is_transient(error) {
            StoreError::Unavailable(error.to_string())
        } else {
            StoreError::Failed(error.to_string())
        }
    }
}

impl From<StoreError> for crate::error::ApiError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::Unavailable(cause) => crate::error::ApiError::Database(cause),
            StoreError::Failed(cause) => crate::error::ApiError::Internal(cause),
            // Health answers 503 from now on, so the load balancer sends clients elsewhere.
            StoreError::Stopped => crate::error::ApiError::Database(error.to_string()),
        }
    }
}

/// Marks the writer stopped when its task ends, however it ends (a panic included).
struct Running(watch::Sender<WriterState>);

impl Drop for Running {
    fn drop(&mut self) {
        self.0.send_replace(WriterState::Stopped);
        if std::thread::panicking() {
            tracing::error!("the submission writer panicked; submissions cannot be stored");
        } else {
            tracing::info!("the submission writer stopped");
        }
    }
}

impl Store {
    pub fn start(db: Db) -> Store {
        let (jobs, queue) = mpsc::channel(4_096);
        let (running, state) = watch::channel(WriterState::Running);
        let stop = Arc::new(Notify::new());
        tokio::spawn(writer(db, queue, Running(running), stop.clone()));
        Store { jobs, state, stop }
    }

    /// The writer's state now.
    pub fn state(&self) -> WriterState {
        *self.state.borrow()
    }

    /// Stops the writer after the group it is committing; later inserts fail with
    /// [`StoreError::Stopped`].
    pub fn stop(&self) {
        self.stop.notify_one();
    }

    /// Stores `rows` durably; the results are in the same order.
    pub async fn insert(&self, rows: Vec<NewSubmission>) -> Result<Vec<Stored>, StoreError> {
        let (reply, answer) = oneshot::channel();
        self.jobs
            .send(Job { rows, reply })
            .await
            .map_err(|_| StoreError::Stopped)?;
        answer.await.map_err(|_| StoreError::Stopped)?
    }
}

/// Rows per INSERT statement: few statements per commit, well under SQLite's 32,766 bound
/// parameters (11 per row).
const ROWS_PER_STATEMENT: usize = 1_000;

/// What the database already held for an id.
#[derive(Debug, Clone)]
struct Existing {
    content_hash: String,
    received_at_ms: i64,
}

/// Writes every row of `jobs` (each a job's rows) in one transaction on `pool` and returns each
/// row's fate, in the jobs' order. Rows are inserted with multi-row `INSERT … ON CONFLICT DO NOTHING RETURNING id`
/// statements; ids that were not inserted are looked up to tell a replay from a conflict.
///
/// A macro rather than a function generic over sqlx's database traits: the SQL is the same for
/// SQLite and PostgreSQL, only the pool type differs.
macro_rules! commit {
    ($pool:expr, $jobs:expr) => {
        async {
            let jobs: &[&[NewSubmission]] = $jobs;
            let received_at_ms = now_ms();
            let rows: Vec<&NewSubmission> = jobs.iter().flat_map(|job| job.iter()).collect();
            // The first occurrence of each id is written; later ones compare with it.
            let mut first_seen = std::collections::HashSet::new();
            let unique: Vec<&NewSubmission> = rows
                .iter()
                .copied()
                .filter(|row| first_seen.insert(row.id))
                .collect();

            // The Vietnam day statistics count these rows on (`crate::statistics`).
            let counted_day = i64::from(
                domain::date::Date::from_unix_ms(
                    received_at_ms,
                    domain::date::VIETNAM_OFFSET_MINUTES,
                )
                .number(),
            );
            let mut transaction = $pool.begin().await?;
            let mut inserted = std::collections::HashSet::new();
            for chunk in unique.chunks(ROWS_PER_STATEMENT) {
                let mut insert = sqlx::QueryBuilder::new(
                    "INSERT INTO submissions \
                     (id, kind, content_hash, body, created_at_ms, received_at_ms, device_hash, venue_id, phone, counted_as, province, counted_day) ",
                );
                insert.push_values(chunk, |mut values, row| {
                    values
                        .push_bind(row.id.to_string())
                        .push_bind(row.kind)
                        .push_bind(row.content_hash.as_str())
                        .push_bind(row.body.as_str())
                        .push_bind(row.created_at_ms)
                        .push_bind(received_at_ms)
                        .push_bind(row.device_hash.as_deref())
                        .push_bind(row.venue_id.as_deref())
                        .push_bind(row.phone.as_deref())
                        .push_bind(row.counted_as)
                        .push_bind(row.province)
                        .push_bind(row.counted_as.map(|_| counted_day));
                });
                insert.push(" ON CONFLICT (id) DO NOTHING RETURNING id");
                let ids: Vec<String> = insert
                    .build_query_scalar()
                    .fetch_all(&mut *transaction)
                    .await?;
                inserted.extend(ids);
            }
            let mut existing = std::collections::HashMap::new();
            let missing: Vec<String> = unique
                .iter()
                .map(|row| row.id.to_string())
                .filter(|id| !inserted.contains(id))
                .collect();
            for chunk in missing.chunks(ROWS_PER_STATEMENT) {
                let mut select = sqlx::QueryBuilder::new(
                    "SELECT id, content_hash, received_at_ms FROM submissions WHERE id IN (",
                );
                let mut ids = select.separated(", ");
                for id in chunk {
                    ids.push_bind(id.as_str());
                }
                select.push(")");
                let found: Vec<(String, String, i64)> =
                    select.build_query_as().fetch_all(&mut *transaction).await?;
                for (id, content_hash, received_at_ms) in found {
                    existing.insert(
                        id,
                        Existing {
                            content_hash,
                            received_at_ms,
                        },
                    );
                }
            }
            transaction.commit().await?;

            // Rows written now count as existing for the later copies of their id.
            let mut results = Vec::with_capacity(jobs.len());
            for job in jobs {
                let mut stored = Vec::with_capacity(job.len());
                for row in job.iter() {
                    let id = row.id.to_string();
                    let fate = if inserted.remove(&id) {
                        existing.insert(
                            id,
                            Existing {
                                content_hash: row.content_hash.clone(),
                                received_at_ms,
                            },
                        );
                        Stored::Created(Receipt {
                            id: row.id,
                            received_at_ms,
                            pass: None,
                        })
                    } else {
                        match existing.get(&id) {
                            Some(held) if held.content_hash == row.content_hash => {
                                Stored::Replayed(Receipt {
                                    id: row.id,
                                    received_at_ms: held.received_at_ms,
                                    pass: None,
                                })
                            }
                            Some(_) => Stored::Conflict,
                            None => {
                                return Err(sqlx::Error::Protocol(format!(
                                    "submission {id} neither inserted nor found"
                                )))
                            }
                        }
                    };
                    stored.push(fate);
                }
                results.push(stored);
            }
            Ok::<_, sqlx::Error>(results)
        }
        .await
    };
}

/// Commits `jobs` in one transaction on whichever database `db` is.
async fn commit_group(db: &Db, jobs: &[&[NewSubmission]]) -> Result<Vec<Vec<Stored>>, sqlx::Error> {
    match db {
        Db::Sqlite(pool) => commit!(pool, jobs),
        Db::Postgres(pool) => commit!(pool, jobs),
    }
}

/// Commits each of `rows` in a transaction of its own, after their group was refused: a row the
/// database refuses is [`Stored::Refused`], and the others are stored. A transient failure stops
/// there and fails the whole job, since retrying it will do.
async fn commit_rows_one_by_one(
    db: &Db,
    rows: &[NewSubmission],
) -> Result<Vec<Stored>, StoreError> {
    let mut results = Vec::with_capacity(rows.len());
    for row in rows {
        match commit_group(db, &[std::slice::from_ref(row)]).await {
            Ok(mut stored) => results.extend(stored.pop().unwrap_or_default()),
            Err(error) if crate::error::is_transient(&error) => {
                return Err(StoreError::from(&error))
            }
            Err(error) => {
                tracing::error!(%error, "a row was refused by the database");
                results.push(Stored::Refused(StoreError::from(&error)));
            }
        }
    }
    Ok(results)
}

async fn writer(db: Db, mut queue: mpsc::Receiver<Job>, _running: Running, stop: Arc<Notify>) {
    loop {
        let first = tokio::select! {
            biased;
            () = stop.notified() => break,
            job = queue.recv() => match job {
                Some(job) => job,
                None => break,
            },
        };
        let mut jobs = vec![first];
        let mut rows = jobs[0].rows.len();
        while rows < MAX_ROWS_PER_COMMIT {
            match queue.try_recv() {
                Ok(job) => {
                    rows += job.rows.len();
                    jobs.push(job);
                }
                Err(_) => break,
            }
        }
        let groups: Vec<&[NewSubmission]> = jobs.iter().map(|job| job.rows.as_slice()).collect();
        match commit_group(&db, &groups).await {
            Ok(results) => {
                for (job, result) in jobs.into_iter().zip(results) {
                    let _ = job.reply.send(Ok(result));
                }
            }
            // A refused row fails its whole transaction: commit each job on its own so that
            // only the one at fault is refused. A transient failure would only repeat.
            Err(error) if rows > 1 && !crate::error::is_transient(&error) => {
                tracing::warn!(%error, jobs = jobs.len(), rows, "group commit failed; committing its rows one by one");
                for job in jobs {
                    let result = commit_rows_one_by_one(&db, &job.rows).await;
                    let _ = job.reply.send(result);
                }
            }
            Err(error) => {
                tracing::error!(%error, jobs = jobs.len(), "group commit failed");
                let failure = StoreError::from(&error);
                for job in jobs {
                    let _ = job.reply.send(Err(failure.clone()));
                }
            }
        }
    }
}

pub(crate) fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_millis() as i64)
}

//! Durable storage of submissions with group commit.
//!
//! Every 2xx must follow a durable commit (SQLite `synchronous=FULL`), and a commit costs an
//! fsync. One writer task therefore takes every insert waiting in its queue, writes them all in
//! one transaction, commits once and answers each request: under load the fsync is shared by many
//! requests, and durability is never weakened.

use tokio::sync::{mpsc, oneshot};
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
}

struct Job {
    rows: Vec<NewSubmission>,
    reply: oneshot::Sender<Result<Vec<Stored>, String>>,
}

/// Handle to the writer task.
#[derive(Debug, Clone)]
pub struct Store {
    jobs: mpsc::Sender<Job>,
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database write failed: {0}")]
    Write(String),
    #[error("the writer stopped")]
    Stopped,
}

impl Store {
    pub fn start(db: Db) -> Store {
        let (jobs, queue) = mpsc::channel(4_096);
        tokio::spawn(writer(db, queue));
        Store { jobs }
    }

    /// Stores `rows` durably; the results are in the same order.
    pub async fn insert(&self, rows: Vec<NewSubmission>) -> Result<Vec<Stored>, StoreError> {
        let (reply, answer) = oneshot::channel();
        self.jobs
            .send(Job { rows, reply })
            .await
            .map_err(|_| StoreError::Stopped)?;
        answer
            .await
            .map_err(|_| StoreError::Stopped)?
            .map_err(StoreError::Write)
    }
}

/// Rows per INSERT statement: few statements per commit, well under SQLite's 32,766 bound
/// parameters (8 per row).
const ROWS_PER_STATEMENT: usize = 1_000;

/// What the database already held for an id.
#[derive(Debug, Clone)]
struct Existing {
    content_hash: String,
    received_at_ms: i64,
}

/// Writes every row of `jobs` in one transaction on `pool` and returns each row's fate, in the
/// jobs' order. Rows are inserted with multi-row `INSERT … ON CONFLICT DO NOTHING RETURNING id`
/// statements; ids that were not inserted are looked up to tell a replay from a conflict.
///
/// A macro rather than a function generic over sqlx's database traits: the SQL is the same for
/// SQLite and PostgreSQL, only the pool type differs.
macro_rules! commit {
    ($pool:expr, $jobs:expr) => {
        async {
            let jobs: &[Job] = $jobs;
            let received_at_ms = now_ms();
            let rows: Vec<&NewSubmission> = jobs.iter().flat_map(|job| job.rows.iter()).collect();
            // The first occurrence of each id is written; later ones compare with it.
            let mut first_seen = std::collections::HashSet::new();
            let unique: Vec<&NewSubmission> = rows
                .iter()
                .copied()
                .filter(|row| first_seen.insert(row.id))
                .collect();

            let mut transaction = $pool.begin().await?;
            let mut inserted = std::collections::HashSet::new();
            for chunk in unique.chunks(ROWS_PER_STATEMENT) {
                let mut insert = sqlx::QueryBuilder::new(
                    "INSERT INTO submissions \
                     (id, kind, content_hash, body, created_at_ms, received_at_ms, device_hash, venue_id) ",
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
                        .push_bind(row.venue_id.as_deref());
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
                let mut stored = Vec::with_capacity(job.rows.len());
                for row in &job.rows {
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
                        })
                    } else {
                        match existing.get(&id) {
                            Some(held) if held.content_hash == row.content_hash => {
                                Stored::Replayed(Receipt {
                                    id: row.id,
                                    received_at_ms: held.received_at_ms,
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

async fn writer(db: Db, mut queue: mpsc::Receiver<Job>) {
    while let Some(first) = queue.recv().await {
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
        let committed = match &db {
            Db::Sqlite(pool) => commit!(pool, &jobs),
            Db::Postgres(pool) => commit!(pool, &jobs),
        };
        match committed {
            Ok(results) => {
                for (job, result) in jobs.into_iter().zip(results) {
                    let _ = job.reply.send(Ok(result));
                }
            }
            Err(error) => {
                tracing::error!(%error, "group commit failed");
                for job in jobs {
                    let _ = job.reply.send(Err(error.to_string()));
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

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

/// Writes every row of `jobs` in one transaction on `pool` and returns each row's fate. A macro
/// rather than a function generic over sqlx's database traits: the SQL is the same for SQLite and
/// PostgreSQL (`$n` placeholders, `ON CONFLICT`), only the pool type differs.
macro_rules! commit {
    ($pool:expr, $jobs:expr) => {
        async {
            let received_at_ms = now_ms();
            let mut transaction = $pool.begin().await?;
            let mut results = Vec::with_capacity($jobs.len());
            for job in $jobs {
                let mut stored = Vec::with_capacity(job.rows.len());
                for row in &job.rows {
                    let id = row.id.to_string();
                    let inserted = sqlx::query(
                        "INSERT INTO submissions \
                         (id, kind, content_hash, body, created_at_ms, received_at_ms) \
                         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING",
                    )
                    .bind(&id)
                    .bind(row.kind)
                    .bind(&row.content_hash)
                    .bind(&row.body)
                    .bind(row.created_at_ms)
                    .bind(received_at_ms)
                    .execute(&mut *transaction)
                    .await?
                    .rows_affected();
                    if inserted == 1 {
                        stored.push(Stored::Created(Receipt {
                            id: row.id,
                            received_at_ms,
                        }));
                        continue;
                    }
                    let (hash, original_received_at_ms): (String, i64) = sqlx::query_as(
                        "SELECT content_hash, received_at_ms FROM submissions WHERE id = $1",
                    )
                    .bind(&id)
                    .fetch_one(&mut *transaction)
                    .await?;
                    stored.push(if hash == row.content_hash {
                        Stored::Replayed(Receipt {
                            id: row.id,
                            received_at_ms: original_received_at_ms,
                        })
                    } else {
                        Stored::Conflict
                    });
                }
                results.push(stored);
            }
            transaction.commit().await?;
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

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_millis() as i64)
}

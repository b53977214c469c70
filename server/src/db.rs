//! The database: SQLite under the data directory by default, PostgreSQL when `DATABASE_URL`
//! names one (DESIGN.md §6). One set of migrations serves both.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, SqlitePool};

/// Runs the same sqlx code on whichever pool the database uses: the SQL is written once (with
/// `QueryBuilder` binds, which follow each database's placeholder syntax).
macro_rules! with_pool {
    ($db:expr, $pool:ident => $body:expr) => {
        match $db {
            $crate::Db::Sqlite($pool) => $body,
            $crate::Db::Postgres($pool) => $body,
        }
    };
}
pub(crate) use with_pool;

#[derive(Debug, Clone)]
pub enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

impl Db {
    /// PostgreSQL for a `postgres://` URL, else SQLite in `data_dir`.
    pub async fn open(database_url: Option<&str>, data_dir: &Path) -> anyhow::Result<Db> {
        match database_url {
            Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
                Db::open_postgres(url).await
            }
            Some(other) => anyhow::bail!(
                "DATABASE_URL must be a postgres:// URL (got a {} URL); leave it unset for SQLite",
                other.split(':').next().unwrap_or("malformed")
            ),
            None => Db::open_sqlite(data_dir).await,
        }
    }

    /// Opens (creating on first run) `tokhai.sqlite` in `data_dir`, in WAL mode with
    /// `synchronous=FULL` so that a committed transaction survives power loss, and brings its
    /// schema up to date.
    async fn open_sqlite(data_dir: &Path) -> anyhow::Result<Db> {
        std::fs::create_dir_all(data_dir)?;
        let options = SqliteConnectOptions::from_str("sqlite:")?
            .filename(data_dir.join("tokhai.sqlite"))
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .busy_timeout(Duration::from_secs(5))
            .foreign_keys(true);
        let pool = SqlitePoolOptions::new().connect_with(options).await?;
        sqlx::migrate!("./migrations").run(&pool).await?;
        Ok(Db::Sqlite(pool))
    }

    /// Connects to PostgreSQL with `synchronous_commit=on`, so a commit is on disk (or on the
    /// synchronous standby) before it returns, and brings the schema up to date.
    async fn open_postgres(url: &str) -> anyhow::Result<Db> {
        let options = PgConnectOptions::from_str(url)?.options([("synchronous_commit", "on")]);
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .connect_with(options)
            .await?;
        sqlx::migrate!("./migrations").run(&pool).await?;
        Ok(Db::Postgres(pool))
    }

    /// Checks that the database answers.
    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        with_pool!(self, pool => sqlx::query("SELECT 1").execute(pool).await.map(drop))
    }
}

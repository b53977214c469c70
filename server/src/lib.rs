//! tokhai's API server: `/api/v1` (DESIGN.md §6) and static hosting of the built app.

mod api;
mod db;
mod declarations;
mod device;
mod error;
mod rate_limit;
mod static_files;
mod store;
mod submissions;

use std::path::PathBuf;

use axum::Router;

pub use db::Db;
pub use declarations::purge;
pub use rate_limit::RateLimit;

/// The server's version.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Where the server keeps and finds its files.
#[derive(Debug, Clone)]
pub struct Config {
    /// SQLite database (and, later, signing keys) live here.
    pub data_dir: PathBuf,
    /// A `postgres://` URL to use PostgreSQL instead of SQLite.
    pub database_url: Option<String>,
    /// Per-client limit on API requests; `None` turns limiting off (benchmarks).
    pub rate_limit: Option<RateLimit>,
    /// How long declarations stay valid, told to the app.
    pub policy: domain::status::Policy,
    /// The app built by Trunk.
    pub dist: PathBuf,
    /// Days submissions are kept after they arrive (DESIGN.md §7).
    pub retention_days: u32,
}

/// Opens the database and assembles the whole HTTP service.
pub async fn build(config: &Config) -> anyhow::Result<Router> {
    let db = Db::open(config.database_url.as_deref(), &config.data_dir).await?;
    let store = store::Store::start(db.clone());
    declarations::spawn_purger(db.clone(), config.retention_days);
    let state = api::AppState {
        db,
        submissions: submissions::Submissions::new(store),
        policy: config.policy,
    };
    let site = static_files::Site::load(&config.dist)?;
    let csp = site.csp();
    Ok(Router::new()
        .merge(api::router(state, config.rate_limit))
        .merge(site.router())
        .layer(axum::middleware::from_fn_with_state(
            csp,
            static_files::security_headers,
        )))
}

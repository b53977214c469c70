//! tokhai's API server: `/api/v1` (DESIGN.md §6) and static hosting of the built app.

mod api;
mod db;
mod error;
mod static_files;
mod store;
mod submissions;

use std::path::PathBuf;

use axum::Router;

pub use db::Db;

/// The server's version.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Where the server keeps and finds its files.
#[derive(Debug, Clone)]
pub struct Config {
    /// SQLite database (and, later, signing keys) live here.
    pub data_dir: PathBuf,
    /// The app built by Trunk.
    pub dist: PathBuf,
}

/// Opens the database and assembles the whole HTTP service.
pub async fn build(config: &Config) -> anyhow::Result<Router> {
    let db = Db::open_sqlite(&config.data_dir).await?;
    let store = store::Store::start(db.pool().clone());
    let state = api::AppState {
        db,
        submissions: submissions::Submissions::new(store),
    };
    let site = static_files::Site::load(&config.dist)?;
    let csp = site.csp();
    Ok(Router::new()
        .merge(api::router(state))
        .merge(site.router())
        .layer(axum::middleware::from_fn_with_state(
            csp,
            static_files::security_headers,
        )))
}

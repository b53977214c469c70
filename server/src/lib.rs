//! tokhai's API server: `/api/v1` (DESIGN.md §6) and static hosting of the built app.

mod accounts;
mod api;
mod client_addr;
mod db;
mod declarations;
mod device;
mod divisions;
mod error;
mod exposures;
mod gate;
mod json;
mod keys;
mod listen;
mod officers;
mod rate_limit;
mod static_files;
mod statistics;
mod store;
mod submissions;
mod venues;
mod visitors;

use std::path::PathBuf;

use axum::Router;

pub use accounts::CodeSender;
pub use api::endpoints_served;
pub use client_addr::TrustedProxies;
pub use db::Db;
pub use declarations::purge;
pub use keys::rotate as rotate_key;
pub use listen::{serve, Limits};
pub use officers::{grant_officer, revoke_officer};
pub use rate_limit::RateLimit;
pub use venues::{grant_full_access, revoke_full_access};

/// The server's version.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Where the server keeps and finds its files.
#[derive(Debug, Clone)]
pub struct Config {
    /// The SQLite database and the signing keys live here.
    pub data_dir: PathBuf,
    /// A `postgres://` URL to use PostgreSQL instead of SQLite.
    pub database_url: Option<String>,
    /// Per-client limit on API requests; `None` turns limiting off (benchmarks).
    pub rate_limit: Option<RateLimit>,
    /// How long declarations stay valid, told to the app.
    pub policy: domain::status::Policy,
    /// The app built by `cargo xtask`.
    pub dist: PathBuf,
    /// Days submissions are kept after they arrive (DESIGN.md §7).
    pub retention_days: u32,
    /// Where sign-in codes go.
    pub code_sender: CodeSender,
    /// Timeouts and connection cap of [`serve`] (slow and hostile clients).
    pub limits: Limits,
    /// Peers (load balancers) whose `X-Forwarded-For` names the client for rate limits.
    pub trusted_proxies: TrustedProxies,
    /// The app's public address for poster URLs (`https://tokhai.example.vn`); `None` uses the
    /// request's host.
    pub public_origin: Option<String>,
    /// What time it is, for checking submissions: [`system_clock`], or a fixed time in tests.
    pub clock: Clock,
}

/// Milliseconds since the Unix epoch.
pub type Clock = fn() -> i64;

/// The machine's clock.
pub fn system_clock() -> i64 {
    store::now_ms()
}

/// Days of retention the server accepts: at least a day (0 would delete every submission at
/// the first purge), at most ten years.
pub const RETENTION_DAYS_RANGE: std::ops::RangeInclusive<u32> = 1..=3650;

impl Config {
    /// Refuses settings out of their sane ranges, naming the setting.
    pub fn validate(&self) -> anyhow::Result<()> {
        if !RETENTION_DAYS_RANGE.contains(&self.retention_days) {
            anyhow::bail!(
                "retention days (TOKHAI_RETENTION_DAYS) must be from {} to {}, got {}",
                RETENTION_DAYS_RANGE.start(),
                RETENTION_DAYS_RANGE.end(),
                self.retention_days
            );
        }
        self.limits.validate()
    }
}

/// Opens the database and assembles the whole HTTP service, after checking `config`.
pub async fn build(config: &Config) -> anyhow::Result<Router> {
    Ok(build_app(config).await?.router)
}

/// The whole HTTP service and a handle on its submission writer.
pub struct App {
    pub router: Router,
    writer: store::Store,
}

impl App {
    /// Stops the group-commit writer: submissions fail with 503 and `/api/v1/health` answers
    /// 503 from then on. For tests of that state.
    #[doc(hidden)]
    pub fn stop_writer(&self) {
        self.writer.stop();
    }
}

/// [`build`], keeping the handle on the writer.
pub async fn build_app(config: &Config) -> anyhow::Result<App> {
    config.validate()?;
    let db = Db::open(config.database_url.as_deref(), &config.data_dir).await?;
    let store = store::Store::start(db.clone());
    declarations::spawn_purger(db.clone(), config.retention_days);
    let keys = keys::ServerKeys::load_or_create(&config.data_dir)?;
    let submissions = submissions::Submissions::new(
        store.clone(),
        db.clone(),
        &keys,
        config.policy,
        config.clock,
        config.retention_days,
    );
    let state = api::AppState {
        accounts: accounts::Accounts::new(
            db.clone(),
            config.code_sender.clone(),
            config.trusted_proxies.clone(),
        ),
        keys,
        db,
        submissions,
        policy: config.policy,
        public_origin: config.public_origin.clone(),
    };
    let site = static_files::Site::load(&config.dist)?;
    let csp = site.csp();
    let router = Router::new()
        .merge(api::router(state, config.rate_limit))
        .merge(site.router())
        .layer(axum::middleware::from_fn_with_state(
            csp,
            static_files::security_headers,
        ));
    Ok(App {
        router,
        writer: store,
    })
}

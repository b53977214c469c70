use std::net::SocketAddr;
use std::num::NonZeroU32;
use std::path::PathBuf;
use std::time::Duration;

use clap::Parser;
use tracing_subscriber::EnvFilter;

/// tokhai's API server. Serves `/api/v1` and the built app.
#[derive(Debug, Parser)]
#[command(version)]
struct Args {
    /// Address to listen on.
    #[arg(long, env = "TOKHAI_ADDR", default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// Directory for the SQLite database and keys; created when missing.
    #[arg(long, env = "TOKHAI_DATA_DIR", default_value = "data")]
    data_dir: PathBuf,
    /// PostgreSQL to use instead of SQLite in the data directory.
    #[arg(long, env = "DATABASE_URL")]
    database_url: Option<String>,
    /// API requests per second allowed per client address (0: no limit).
    #[arg(long, env = "TOKHAI_RATE_LIMIT_PER_SECOND", default_value_t = 200)]
    rate_limit_per_second: u32,
    /// Burst of API requests allowed per client above the steady rate.
    #[arg(long, env = "TOKHAI_RATE_LIMIT_BURST", default_value_t = 1_000)]
    rate_limit_burst: u32,
    /// Hours a declaration stays valid after it was made.
    #[arg(long, env = "TOKHAI_DECLARATION_VALIDITY_HOURS", default_value_t = domain::status::DEFAULT_VALIDITY_HOURS)]
    declaration_validity_hours: u32,
    /// Days submissions are kept after they arrive (1 to 3650); older ones are deleted hourly.
    #[arg(
        long,
        env = "TOKHAI_RETENTION_DAYS",
        default_value_t = domain::retention::RETENTION_DAYS as u32,
        value_parser = clap::value_parser!(u32).range(
            i64::from(*server::RETENTION_DAYS_RANGE.start())..=i64::from(*server::RETENTION_DAYS_RANGE.end())
        )
    )]
    retention_days: u32,
    /// SMS gateway webhook for sign-in codes (http://…). Unset: codes go to the log (development).
    #[arg(long, env = "TOKHAI_SMS_WEBHOOK_URL")]
    sms_webhook_url: Option<String>,
    /// Bearer secret sent to the SMS gateway webhook.
    #[arg(long, env = "TOKHAI_SMS_WEBHOOK_SECRET", default_value = "")]
    sms_webhook_secret: String,
    /// Load balancers whose X-Forwarded-For names the client, for rate limits: IP addresses and
    /// CIDR blocks, comma-separated (e.g. 10.0.0.0/8,192.0.2.7). Unset: the peer is the client.
    #[arg(long, env = "TOKHAI_TRUSTED_PROXIES", default_value = "")]
    trusted_proxies: server::TrustedProxies,
    /// Seconds a client may take to send a request's headers (1 to 3600); also how long an
    /// idle kept-alive connection stays open.
    #[arg(long, env = "TOKHAI_HEADER_READ_TIMEOUT_SECONDS", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=3600))]
    header_read_timeout_seconds: u64,
    /// Seconds a client may take to send a request's body once its headers arrived (1 to 3600);
    /// a body that is not complete by then is answered 408.
    #[arg(long, env = "TOKHAI_BODY_READ_TIMEOUT_SECONDS", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=3600))]
    body_read_timeout_seconds: u64,
    /// Connections open at once from one client address (0: no cap). Behind a load balancer
    /// all connections come from it: raise this or set 0.
    #[arg(long, env = "TOKHAI_CONNECTIONS_PER_ADDRESS", default_value_t = 64)]
    connections_per_address: usize,
    /// The app's public address, used in poster URLs (e.g. https://tokhai.example.vn).
    #[arg(long, env = "TOKHAI_PUBLIC_ORIGIN")]
    public_origin: Option<String>,
    /// Administration instead of serving.
    #[command(subcommand)]
    command: Option<Command>,
    /// Directory holding the app built by `cargo xtask`.
    #[arg(long, env = "TOKHAI_DIST", default_value = "dist")]
    dist: PathBuf,
}

#[derive(Debug, clap::Subcommand)]
enum Command {
    /// Make a new venue-signing key in the data directory; the old ones keep verifying.
    RotateVenueKey,
    /// Make a new pass-signing key in the data directory; the old ones keep verifying.
    RotatePassKey,
    /// Make a new key for signing the exposure list; the old ones keep verifying.
    RotateExposureKey,
    /// Make the account of this phone number a health officer (signing in as usual). The only
    /// way to grant the role: no endpoint can.
    GrantOfficer {
        /// The officer's mobile number, e.g. 0912345678.
        phone: String,
    },
    /// Take the officer role away from this phone number; their sessions lose it at once.
    RevokeOfficer { phone: String },
    /// On the health authority's decision, let a hospital or quarantine checkpoint see its
    /// visitors' full names and phone numbers (every such read is audited).
    GrantFullAccess {
        /// The venue's id, as its manager's venue page shows it.
        #[arg(long)]
        venue: uuid::Uuid,
    },
    /// Withdraw a venue's full access: its visitor list is masked again.
    RevokeFullAccess {
        /// The venue's id.
        #[arg(long)]
        venue: uuid::Uuid,
    },
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stdout()))
        .init();
    let args = Args::parse();
    match args.command {
        Some(Command::RotateVenueKey) => {
            let key_id = server::rotate_key(&args.data_dir, domain::poster::KeyUse::Venue)?;
            println!("venue key {key_id} made; it signs new posters from the next start");
            return Ok(());
        }
        Some(Command::RotatePassKey) => {
            let key_id = server::rotate_key(&args.data_dir, domain::poster::KeyUse::Pass)?;
            println!("pass key {key_id} made; it signs new passes from the next start");
            return Ok(());
        }
        Some(Command::RotateExposureKey) => {
            let key_id = server::rotate_key(&args.data_dir, domain::poster::KeyUse::Exposure)?;
            println!("exposure key {key_id} made; it signs the exposure list from the next start");
            return Ok(());
        }
        Some(Command::GrantOfficer { phone }) => {
            let db = server::Db::open(args.database_url.as_deref(), &args.data_dir).await?;
            let phone = server::grant_officer(&db, &phone).await?;
            println!("{phone} is a health officer from their next request");
            return Ok(());
        }
        Some(Command::RevokeOfficer { phone }) => {
            let db = server::Db::open(args.database_url.as_deref(), &args.data_dir).await?;
            if server::revoke_officer(&db, &phone).await? {
                println!("{phone} is no longer a health officer");
            } else {
                println!("{phone} was not a health officer; nothing changed");
            }
            return Ok(());
        }
        Some(Command::GrantFullAccess { venue }) => {
            let db = server::Db::open(args.database_url.as_deref(), &args.data_dir).await?;
            server::grant_full_access(&db, venue).await?;
            println!("venue {venue} sees its visitors' full names and phone numbers; every read is audited");
            return Ok(());
        }
        Some(Command::RevokeFullAccess { venue }) => {
            let db = server::Db::open(args.database_url.as_deref(), &args.data_dir).await?;
            if server::revoke_full_access(&db, venue).await? {
                println!("venue {venue} sees its visitors masked again");
            } else {
                println!("venue {venue} had no full access; nothing changed");
            }
            return Ok(());
        }
        None => {}
    }
    let config = server::Config {
        data_dir: args.data_dir,
        database_url: args.database_url,
        rate_limit: NonZeroU32::new(args.rate_limit_per_second).map(|per_second| {
            server::RateLimit {
                per_second,
                burst: NonZeroU32::new(args.rate_limit_burst).unwrap_or(per_second),
            }
        }),
        dist: args.dist,
        retention_days: args.retention_days,
        limits: server::Limits {
            header_read_timeout: Duration::from_secs(args.header_read_timeout_seconds),
            body_read_timeout: Duration::from_secs(args.body_read_timeout_seconds),
            connections_per_address: args.connections_per_address,
        },
        public_origin: args.public_origin,
        trusted_proxies: args.trusted_proxies,
        clock: server::system_clock,
        code_sender: match args.sms_webhook_url {
            Some(url) => server::CodeSender::Webhook {
                url,
                secret: args.sms_webhook_secret,
            },
            None => {
                tracing::warn!(
                    "no TOKHAI_SMS_WEBHOOK_URL: sign-in codes are written to this log (development only)"
                );
                server::CodeSender::Log
            }
        },
        policy: domain::status::Policy {
            declaration_validity_hours: args.declaration_validity_hours,
        },
    };
    let app = server::build(&config).await?;
    let listener = tokio::net::TcpListener::bind(args.addr).await?;
    let addr = listener.local_addr()?;
    tracing::info!(version = server::VERSION, "listening on http://{addr}/");
    server::serve(listener, app, config.limits, shutdown_signal()).await?;
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let terminate = async {
        if let Ok(mut signal) =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            signal.recv().await;
        }
    };
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}

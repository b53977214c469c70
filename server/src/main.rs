use std::net::SocketAddr;
use std::path::PathBuf;

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
    /// Directory holding the app built by Trunk.
    #[arg(long, env = "TOKHAI_DIST", default_value = "dist")]
    dist: PathBuf,
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
    let config = server::Config {
        data_dir: args.data_dir,
        dist: args.dist,
    };
    let app = server::build(&config).await?;
    let listener = tokio::net::TcpListener::bind(args.addr).await?;
    let addr = listener.local_addr()?;
    tracing::info!(version = server::VERSION, "listening on http://{addr}/");
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await?;
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

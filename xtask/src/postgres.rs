//! A throwaway PostgreSQL cluster for the server's test suite: Debian's `postgresql` (installed
//! when missing), initialised in a temporary directory, listening on a local port, stopped and
//! removed when dropped.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context};

use crate::build::run;

pub struct Cluster {
    bin: PathBuf,
    dir: PathBuf,
    pub url: String,
}

/// The newest installed PostgreSQL's `bin` directory.
fn installed_bin() -> Option<PathBuf> {
    let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|entry| Some(entry.ok()?.path().join("bin")))
        .filter(|bin| bin.join("initdb").exists())
        .collect();
    versions.sort();
    versions.pop()
}

fn ensure_installed() -> anyhow::Result<PathBuf> {
    if let Some(bin) = installed_bin() {
        return Ok(bin);
    }
    crate::tools::ensure_debian_package(false, "postgresql")?;
    installed_bin().context("postgresql installed but initdb not found")
}

/// Whether this process runs as root (PostgreSQL and nginx workers need another user then).
pub fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|output| String::from_utf8_lossy(&output.stdout).trim() == "0")
}

/// PostgreSQL refuses to run as root: as root, run its tools as the `postgres` user.
fn as_cluster_owner(program: &Path) -> Command {
    if is_root() {
        let mut command = Command::new("runuser");
        command.args(["-u", "postgres", "--"]).arg(program);
        command
    } else {
        Command::new(program)
    }
}

/// A loopback port nobody listens on now: a fixed port may be held by another cluster on a
/// shared CI machine, and PostgreSQL then exits during start-up.
fn free_port() -> anyhow::Result<u16> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    Ok(listener.local_addr()?.port())
}

impl Cluster {
    /// Starts a cluster, trying again on another port (and with memory settings that need no
    /// large `/dev/shm`) when the first start fails; the server's log is printed on failure.
    pub fn start() -> anyhow::Result<Cluster> {
        let bin = ensure_installed()?;
        let mut last_error = None;
        for attempt in 0..3 {
            match Cluster::start_once(&bin, free_port()?, attempt > 0) {
                Ok(cluster) => return Ok(cluster),
                Err(error) => {
                    eprintln!("PostgreSQL start {} failed: {error:#}", attempt + 1);
                    last_error = Some(error);
                }
            }
        }
        Err(last_error.expect("three attempts were made"))
    }

    fn start_once(bin: &Path, port: u16, frugal: bool) -> anyhow::Result<Cluster> {
        let bin = bin.to_path_buf();
        let dir = std::env::temp_dir().join(format!("tokhai-pg-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir)?;
        if is_root() {
            run(Command::new("chown").arg("postgres").arg(&dir))?;
        }
        let data = dir.join("data");
        run(as_cluster_owner(&bin.join("initdb"))
            .arg("--pgdata")
            .arg(&data)
            .args(["--auth=trust", "--username=postgres", "--encoding=UTF8"]))?;
        let cluster = Cluster {
            bin,
            dir: dir.clone(),
            url: format!("postgres://postgres@127.0.0.1:{port}/postgres"),
        };
        let mut options = format!(
            "-p {port} -k {} -c listen_addresses=127.0.0.1 -c fsync=on -c synchronous_commit=on",
            dir.display()
        );
        if frugal {
            options.push_str(" -c dynamic_shared_memory_type=mmap -c shared_buffers=32MB");
        }
        let log = dir.join("server.log");
        let started = run(as_cluster_owner(&cluster.bin.join("pg_ctl"))
            .arg("--pgdata")
            .arg(&data)
            .args(["--options", &options, "--log"])
            .arg(&log)
            .args(["--wait", "start"]));
        if started.is_err() || !data.join("postmaster.pid").exists() {
            let logged = std::fs::read_to_string(&log).unwrap_or_default();
            eprintln!("--- PostgreSQL server log ---\n{logged}--- end of log ---");
            bail!("PostgreSQL did not start on port {port}");
        }
        Ok(cluster)
    }
}

impl Cluster {
    /// The cluster's `psql`, for tests that read what the server stored.
    pub fn psql(&self) -> PathBuf {
        self.bin.join("psql")
    }

    /// Runs `sql` (statements separated by semicolons) on the cluster's database, stopping at the
    /// first error.
    pub fn execute(&self, sql: &str) -> anyhow::Result<()> {
        run(Command::new(self.psql())
            .args([
                "--quiet",
                "-v",
                "ON_ERROR_STOP=1",
                "--dbname",
                &self.url,
                "--command",
            ])
            .arg(sql))
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = as_cluster_owner(&self.bin.join("pg_ctl"))
            .arg("--pgdata")
            .arg(self.dir.join("data"))
            .args(["--mode=fast", "--wait", "stop"])
            .status();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

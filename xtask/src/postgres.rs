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

fn is_root() -> bool {
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

impl Cluster {
    pub fn start(port: u16) -> anyhow::Result<Cluster> {
        let bin = ensure_installed()?;
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
        let options = format!(
            "-p {port} -k {} -c listen_addresses=127.0.0.1 -c fsync=on -c synchronous_commit=on",
            dir.display()
        );
        run(as_cluster_owner(&cluster.bin.join("pg_ctl"))
            .arg("--pgdata")
            .arg(&data)
            .args(["--options", &options, "--log"])
            .arg(dir.join("server.log"))
            .args(["--wait", "start"]))?;
        if !data.join("postmaster.pid").exists() {
            bail!(
                "PostgreSQL did not start; see {}",
                dir.join("server.log").display()
            );
        }
        Ok(cluster)
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

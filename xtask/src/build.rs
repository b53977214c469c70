//! Building the app and the server, and running the test suites.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{bail, Context};
use sha2::{Digest, Sha256};

use crate::tools::{self, path_env};
use crate::Tally;

/// Runs a command with inherited output and fails if it fails.
pub fn run(command: &mut Command) -> anyhow::Result<()> {
    println!("$ {}", describe(command));
    let status = command
        .status()
        .with_context(|| format!("starting {}", describe(command)))?;
    if !status.success() {
        bail!("{} failed with {status}", describe(command));
    }
    Ok(())
}

fn describe(command: &Command) -> String {
    std::iter::once(command.get_program())
        .chain(command.get_args())
        .map(|part| part.to_string_lossy())
        .collect::<Vec<_>>()
        .join(" ")
}

/// `cargo` in the workspace, with the project's tools on `PATH`.
pub fn cargo(root: &Path) -> Command {
    let mut command = Command::new("cargo");
    command.current_dir(root).env("PATH", path_env(root));
    command
}

pub fn clippy(root: &Path) -> anyhow::Result<()> {
    run(cargo(root).args([
        "clippy",
        "--workspace",
        "--exclude",
        "app",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]))?;
    run(cargo(root).args([
        "clippy",
        "--package",
        "app",
        "--target",
        "wasm32-unknown-unknown",
        "--",
        "-D",
        "warnings",
    ]))
}

/// `cargo test` of the native crates (xtask's own parsers included), counting results from
/// libtest's summary lines. With `postgres`, only the server's suite, against that cluster.
pub fn native_tests(root: &Path, postgres: Option<&str>) -> anyhow::Result<Tally> {
    let mut command = cargo(root);
    // Every test binary runs even after one fails, so one failure never hides another.
    command.args(["test", "--no-fail-fast"]);
    // `ensure_all` installed the external programs some tests use (LibreOffice): here a missing
    // one fails its test instead of skipping it, as a plain `cargo test` does.
    command.env("TOKHAI_REQUIRE_EXTERNAL_TOOLS", "1");
    match postgres {
        Some(url) => {
            command
                .args(["--package", "server"])
                .env("TOKHAI_TEST_DATABASE_URL", url);
        }
        None => {
            command.args([
                "--package",
                "domain",
                "--package",
                "server",
                "--package",
                "xtask",
                "--package",
                "decoder",
                // Both decoders natively (a Wasm build has one each).
                "--features",
                "decoder/rxing",
            ]);
        }
    }
    let output = command
        .stderr(Stdio::inherit())
        .output()
        .context("running cargo test")?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    print!("{stdout}");
    let mut tally = Tally::default();
    for line in stdout.lines() {
        if let Some(summary) = line.strip_prefix("test result: ") {
            tally += libtest_counts(summary);
        }
    }
    if !output.status.success() && tally.failed == 0 {
        bail!("cargo test failed with {}", output.status);
    }
    Ok(tally)
}

/// Reads `ok. 12 passed; 1 failed; …`.
fn libtest_counts(summary: &str) -> Tally {
    let mut tally = Tally::default();
    for part in summary.split(';') {
        let words: Vec<&str> = part.split_whitespace().collect();
        if let [.., count, label] = words.as_slice() {
            let count = count.parse().unwrap_or(0);
            match *label {
                "passed" => tally.passed += count,
                "failed" => tally.failed += count,
                _ => {}
            }
        }
    }
    tally
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Profile {
    Dev,
    Release,
}

/// Builds the server binary and returns its path.
pub fn server(root: &Path, profile: Profile) -> anyhow::Result<PathBuf> {
    let mut command = cargo(root);
    command.args(["build", "--package", "server"]);
    if profile == Profile::Release {
        command.arg("--release");
    }
    run(&mut command)?;
    let dir = match profile {
        Profile::Dev => "debug",
        Profile::Release => "release",
    };
    Ok(root.join("target").join(dir).join("server"))
}

/// Installs the tools, then builds the app unless `dist/` already holds this exact source.
pub fn ensure_app(root: &Path) -> anyhow::Result<()> {
    tools::ensure_all(root, tools::Purpose::Run)?;
    app(root)
}

/// Directories and files whose content determines the built app.
const APP_INPUTS: &[&str] = &[
    "app",
    "decoder",
    "domain/src",
    "domain/Cargo.toml",
    "domain/build.rs",
    "locales",
    "style",
    "public",
    "Cargo.toml",
    "Cargo.lock",
    "rust-toolchain.toml",
    ".cargo/config.toml",
];

/// The app into `dist/` (see `wasm.rs` and `site.rs`), then the service worker and precompressed
/// files; skipped when `dist/` already holds this exact source.
pub fn app(root: &Path) -> anyhow::Result<()> {
    let fingerprint = fingerprint(root)?;
    let stamp = root.join("target/tokhai-app.stamp");
    let dist = root.join("dist");
    if dist.join("sw.js").exists()
        && std::fs::read_to_string(&stamp).ok().as_deref() == Some(fingerprint.as_str())
    {
        println!("app unchanged since the last build ({fingerprint}), not rebuilding");
        return Ok(());
    }
    let build_id = format!("{}+{}", env!("CARGO_PKG_VERSION"), &fingerprint[..8]);
    crate::wasm::recreate_dir(&dist)?;
    crate::site::write(root, &dist, &fingerprint[..12], &build_id)?;
    crate::dist::finish(root, &dist, &build_id)?;
    std::fs::create_dir_all(root.join("target"))?;
    std::fs::write(stamp, &fingerprint)?;
    Ok(())
}

/// A tool from the project's PATH (wasm-opt from npm, wasm-bindgen from cargo's bin directory).
pub fn tools_bin(root: &Path, name: &str) -> PathBuf {
    std::env::split_paths(&path_env(root))
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
        .unwrap_or_else(|| PathBuf::from(name))
}

/// SHA-256 over the paths and contents of every app input.
fn fingerprint(root: &Path) -> anyhow::Result<String> {
    let mut files = Vec::new();
    for input in APP_INPUTS {
        collect_files(&root.join(input), &mut files)?;
    }
    files.sort();
    let mut hasher = Sha256::new();
    for file in files {
        hasher.update(file.strip_prefix(root)?.to_string_lossy().as_bytes());
        hasher.update([0]);
        hasher.update(std::fs::read(&file)?);
        hasher.update([0]);
    }
    Ok(format!("{:x}", hasher.finalize()))
}

pub fn collect_files(path: &Path, files: &mut Vec<PathBuf>) -> anyhow::Result<()> {
    if path.is_dir() {
        for entry in std::fs::read_dir(path)? {
            collect_files(&entry?.path(), files)?;
        }
    } else if path.is_file() {
        files.push(path.to_owned());
    }
    Ok(())
}

/// The Playwright suite in Debian's chromium; each test starts its own server.
pub fn e2e(root: &Path, server: &Path) -> anyhow::Result<Tally> {
    e2e_with(root, server, &[], &[])
}

/// [`e2e`] with more Playwright `args` and environment.
pub fn e2e_with(
    root: &Path,
    server: &Path,
    args: &[&str],
    env: &[(&str, &std::ffi::OsStr)],
) -> anyhow::Result<Tally> {
    let mut all = vec!["--reporter=list,json"];
    all.extend_from_slice(args);
    let status = playwright_with(root, server, &all, env)?;
    // Where the JSON reporter writes (PLAYWRIGHT_JSON_OUTPUT_NAME, set by `playwright`).
    let results = root.join("target/e2e-results.json");
    let report: serde_json::Value = serde_json::from_slice(
        &std::fs::read(&results).context("playwright wrote no JSON report")?,
    )?;
    let stats = &report["stats"];
    let count = |key: &str| stats[key].as_u64().unwrap_or(0);
    let tally = Tally {
        // A flaky test passed on retry; it is reported, not hidden.
        passed: count("expected") + count("flaky"),
        failed: count("unexpected"),
    };
    if count("flaky") > 0 {
        println!(
            "warning: {} e2e test(s) passed only on retry",
            count("flaky")
        );
    }
    if !status.success() && tally.failed == 0 {
        bail!("playwright failed with {status}");
    }
    Ok(tally)
}

/// `playwright test` in `e2e/` with the server binary and the built app, plus `args` and
/// environment variables for the tests.
pub fn playwright_with(
    root: &Path,
    server: &Path,
    args: &[&str],
    env: &[(&str, &std::ffi::OsStr)],
) -> anyhow::Result<std::process::ExitStatus> {
    let e2e = root.join("e2e");
    Command::new(e2e.join("node_modules/.bin/playwright"))
        .envs(env.iter().copied())
        .current_dir(&e2e)
        .env("PATH", path_env(root))
        .env("TOKHAI_SERVER_BIN", server)
        .env("TOKHAI_DIST", root.join("dist"))
        .env("CHROMIUM_PATH", tools::CHROMIUM)
        .env("TOKHAI_BENCH_FIGURES", crate::figures::file(root))
        .env(
            "PLAYWRIGHT_JSON_OUTPUT_NAME",
            root.join("target/e2e-results.json"),
        )
        .arg("test")
        .args(args)
        .status()
        .context("starting playwright")
}

/// The fuzz targets of `fuzz/`, each for a bounded time. A crash fails the phase and leaves its
/// input under `fuzz/artifacts/`.
/// Each fuzz target and its seconds per run: the poster and pass parsers read bytes from any camera.
const FUZZ_TARGETS: &[(&str, u32)] = &[
    ("submission", 30),
    ("profile", 30),
    ("poster", 60),
    ("pass", 60),
    ("locale", 30),
    ("frame", 30),
    ("exposures", 30),
];

pub fn fuzz(root: &Path) -> anyhow::Result<Tally> {
    // cargo-fuzz has no `--locked` and its build would rewrite a drifted lock file: resolve the
    // fuzz crate (its own workspace, nightly like the build) against the committed one first.
    let lock_file = root.join("fuzz/Cargo.lock");
    run(cargo(root)
        .args(["+nightly", "metadata", "--locked", "--format-version", "1"])
        .arg("--manifest-path")
        .arg(root.join("fuzz/Cargo.toml"))
        .stdout(Stdio::null()))
    .context(
        "fuzz/Cargo.lock is out of date: update it with `cargo +nightly metadata --manifest-path \
         fuzz/Cargo.toml --format-version 1 >/dev/null` and commit it",
    )?;
    let locked = std::fs::read(&lock_file).context("reading fuzz/Cargo.lock")?;
    let mut tally = Tally::default();
    for &(target, seconds) in FUZZ_TARGETS {
        // New inputs go to the (ignored) corpus; the committed seeds start the search from one
        // valid example of each kind, which random bytes would take long to find.
        let mut command = cargo(root);
        command.args(["+nightly", "fuzz", "run", target]);
        let seeds = root.join("fuzz/seeds").join(target);
        if seeds.is_dir() {
            // cargo-fuzz makes the default corpus only when no directory is named.
            let corpus = root.join("fuzz/corpus").join(target);
            std::fs::create_dir_all(&corpus)?;
            command.arg(corpus).arg(seeds);
        }
        let result = run(command.args(["--", &format!("-max_total_time={seconds}")]));
        match result {
            Ok(()) => tally.passed += 1,
            Err(error) => {
                eprintln!("fuzz target {target} failed: {error:#}");
                tally.failed += 1;
            }
        }
    }
    if std::fs::read(&lock_file).context("reading fuzz/Cargo.lock")? != locked {
        bail!("the fuzz builds changed fuzz/Cargo.lock, which they must only read");
    }
    Ok(tally)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_libtest_summaries() {
        let tally =
            libtest_counts("ok. 12 passed; 3 failed; 1 ignored; 0 measured; 0 filtered out");
        assert_eq!((tally.passed, tally.failed), (12, 3));
    }
}

//! tokhai's developer commands (`cargo xtask …`, see README.md).
//!
//! Each command installs what it needs and is missing, so that a fresh machine needs nothing but
//! the stock toolchain and the package registries.

mod balancer;
mod bench;
mod build;
mod countries;
mod dist;
mod divisions;
mod figures;
mod icons;
mod locales;
mod postgres;
mod site;
mod tools;
mod wasm;

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{bail, Context};

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  run [--addr HOST:PORT]   install missing tools, build the app and serve it (default 127.0.0.1:8080)
  build                    the release Wasm build of the app into dist/ (what run and test serve)
  test                     formatting, lints, native tests (SQLite, PostgreSQL), fuzzing,
                           release Wasm build, e2e in Chromium
  bench                    every benchmark below, then one table of their figures and budgets,
                           also written to target/bench/bench.json with the commit
  bench size               brotli bytes a first visit downloads, per screen and first-time path
  bench ingest             API throughput and latency: SQLite, PostgreSQL, and PostgreSQL with one
                           and two instances behind nginx (wrk, loopback)
  bench outbox             send → saved time and draining 1,000 queued items, in Chromium
  bench lighthouse         Lighthouse mobile on home, profile form, all-citizen declaration, pass and
                           a poster link (npm lighthouse, system Chromium, reports in target/bench/)
  bench paint              first text and blocking time of a first visit on a throttled phone
  bench stats              the officer's statistics over 1,000,000 check-ins (SQLite, PostgreSQL)
  bench gate               gate mode: decoded pass → verdict painted, QR versions, 500 scans
  bench decode [DIR]       the scanner's decoders in Chromium: read rate and time on photos
                           (default ../shared/qr-samples) and generated frames, poster → check-in
  icons                    redraw public/icons/*.png
  divisions [FILE]         regenerate public/data/divisions.json from the official list
  countries                regenerate public/data/countries.json (ISO 3166-1, four languages)
";

fn main() {
    if let Err(error) = run_cli() {
        eprintln!("xtask: error: {error:#}");
        std::process::exit(1);
    }
}

fn run_cli() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = workspace_root();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        ["run", rest @ ..] => serve(&root, parse_addr(rest)?),
        ["build"] => build::ensure_app(&root),
        ["test"] => test(&root),
        ["bench"] => {
            figures::reset(&root)?;
            // One failing benchmark does not hide the others' figures.
            let mut failed = Vec::new();
            for name in BENCHES {
                println!("\n==> bench {name}");
                if let Err(error) = run_bench(&root, name, None) {
                    eprintln!("bench {name} failed: {error:#}");
                    failed.push(name);
                }
            }
            figures::report(&root, "bench")?;
            if !failed.is_empty() {
                bail!("these benchmarks failed: {}", failed.join(", "));
            }
            Ok(())
        }
        ["bench", name] if BENCHES.contains(name) => {
            figures::reset(&root)?;
            run_bench(&root, name, None)?;
            figures::report(&root, name)
        }
        ["bench", "decode", dir] => {
            figures::reset(&root)?;
            run_bench(&root, "decode", Some(std::fs::canonicalize(dir)?))?;
            figures::report(&root, "decode")
        }
        ["icons"] => icons::generate(&root),
        ["divisions"] => divisions::generate(&root, None),
        ["divisions", source] => divisions::generate(&root, Some(source)),
        ["countries"] => countries::generate(&root),
        _ => {
            eprint!("{USAGE}");
            bail!("unknown command: {}", args.join(" "))
        }
    }
}

/// Every benchmark, in the order `cargo xtask bench` runs them.
const BENCHES: [&str; 8] = [
    "size",
    "lighthouse",
    "decode",
    "gate",
    "outbox",
    "paint",
    "ingest",
    "stats",
];

/// One benchmark; `decode` reads the photos in `samples` (default `../shared/qr-samples`).
fn run_bench(root: &Path, name: &str, samples: Option<PathBuf>) -> anyhow::Result<()> {
    match name {
        "size" => bench::size(root),
        "ingest" => bench::ingest(root, 10),
        "stats" => bench::stats(root),
        "decode" => {
            let samples = samples.unwrap_or_else(|| root.join("../shared/qr-samples"));
            browser_bench(
                root,
                "decode",
                &[("TOKHAI_DECODE_DIR", samples.as_os_str())],
            )
        }
        "lighthouse" => {
            let lighthouse = tools::ensure_lighthouse(root)?;
            browser_bench(
                root,
                "lighthouse",
                &[
                    ("TOKHAI_LIGHTHOUSE_DIR", lighthouse.as_os_str()),
                    ("CHROME_PATH", std::ffi::OsStr::new(tools::CHROMIUM)),
                ],
            )
        }
        _ => browser_bench(root, name, &[]),
    }
}

/// A benchmark of `e2e/bench/<name>.bench.ts` in Chromium against the release server.
fn browser_bench(root: &Path, name: &str, env: &[(&str, &std::ffi::OsStr)]) -> anyhow::Result<()> {
    tools::ensure_all(root, tools::Purpose::Test)?;
    build::app(root)?;
    let server = build::server(root, build::Profile::Release)?;
    let file = format!("{name}.bench.ts");
    let status =
        build::playwright_with(root, &server, &["--config", "bench.config.ts", &file], env)?;
    if !status.success() {
        bail!("the {name} benchmark failed with {status}");
    }
    Ok(())
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives one level below the workspace root")
        .to_owned()
}

fn parse_addr(args: &[&str]) -> anyhow::Result<String> {
    match args {
        [] => Ok(std::env::var("TOKHAI_ADDR").unwrap_or_else(|_| "127.0.0.1:8080".into())),
        ["--addr", addr] => Ok((*addr).to_owned()),
        _ => bail!("run takes only --addr HOST:PORT"),
    }
}

/// `cargo xtask run`.
fn serve(root: &Path, addr: String) -> anyhow::Result<()> {
    build::ensure_app(root)?;
    let server = build::server(root, build::Profile::Release)?;
    println!("tokhai is starting on http://{addr}/ (data in ./data, Ctrl-C to stop)");
    let status = std::process::Command::new(server)
        .current_dir(root)
        .env("TOKHAI_ADDR", &addr)
        .env("TOKHAI_DIST", root.join("dist"))
        .env("TOKHAI_DATA_DIR", root.join("data"))
        .status()
        .context("starting the server")?;
    if !status.success() {
        bail!("the server stopped with {status}");
    }
    Ok(())
}

/// Counts of tests run, summed over every phase of `cargo xtask test`.
#[derive(Debug, Default, Clone, Copy)]
pub struct Tally {
    pub passed: u64,
    pub failed: u64,
}

impl std::ops::AddAssign for Tally {
    fn add_assign(&mut self, other: Tally) {
        self.passed += other.passed;
        self.failed += other.failed;
    }
}

/// `cargo xtask test`: every check, each phase timed; ends with `N passed, N failed`.
fn test(root: &Path) -> anyhow::Result<()> {
    let started = Instant::now();
    let mut tally = Tally::default();
    let mut timings: Vec<(&str, f64)> = Vec::new();
    let mut failure: Option<anyhow::Error> = None;

    let mut phase = |name: &'static str, step: &mut dyn FnMut() -> anyhow::Result<Tally>| {
        if failure.is_some() {
            return;
        }
        println!("\n==> {name}");
        let phase_start = Instant::now();
        match step() {
            Ok(counts) => tally += counts,
            Err(error) => failure = Some(error.context(name)),
        }
        let seconds = phase_start.elapsed().as_secs_f64();
        println!("<== {name}: {seconds:.1} s");
        timings.push((name, seconds));
    };

    phase("install tools", &mut || {
        tools::ensure_all(root, tools::Purpose::Test)?;
        Ok(Tally::default())
    });
    phase("rustfmt", &mut || {
        build::run(build::cargo(root).args(["fmt", "--all", "--check"]))?;
        Ok(Tally::default())
    });
    phase("clippy", &mut || {
        build::clippy(root)?;
        Ok(Tally::default())
    });
    phase("native tests (SQLite)", &mut || {
        build::native_tests(root, None)
    });
    phase("server tests (PostgreSQL)", &mut || {
        let cluster = postgres::Cluster::start()?;
        build::native_tests(root, Some(&cluster.url))
    });
    phase("fuzz (30–60 s per target)", &mut || build::fuzz(root));
    phase("release Wasm build", &mut || {
        build::app(root)?;
        Ok(Tally::default())
    });
    phase("e2e (Chromium)", &mut || {
        let server = build::server(root, build::Profile::Dev)?;
        build::e2e(root, &server)
    });
    phase("scale-out: 2 instances, PostgreSQL, nginx", &mut || {
        let server = build::server(root, build::Profile::Dev)?;
        let nginx = tools::ensure_nginx()?;
        let cluster = postgres::Cluster::start()?;
        build::e2e_with(
            root,
            &server,
            &["--grep", "@scale-out"],
            &[
                ("TOKHAI_SCALE_OUT_DATABASE_URL", cluster.url.as_ref()),
                ("TOKHAI_PSQL", cluster.psql().as_os_str()),
                ("TOKHAI_NGINX", nginx.as_os_str()),
            ],
        )
    });

    println!("\nphase timings:");
    for (name, seconds) in &timings {
        println!("  {name:<26} {seconds:>7.1} s");
    }
    println!(
        "  {:<26} {:>7.1} s",
        "total",
        started.elapsed().as_secs_f64()
    );
    if let Some(error) = &failure {
        eprintln!("\nxtask test: {error:#}");
        tally.failed = tally.failed.max(1);
    }
    println!("\n{} passed, {} failed", tally.passed, tally.failed);
    if tally.failed > 0 {
        std::process::exit(1);
    }
    Ok(())
}

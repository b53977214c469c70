//! `cargo xtask bench …`: measurements printed as numbers (DESIGN.md §8), never asserted.

use std::path::Path;

use crate::dist::{brotli, built_files, url_path};
use crate::figures::{at_least, at_most, record};

/// DESIGN.md §8 and the split issue: what a first visit may download, brotli.
const SHELL_BUDGET: usize = 110 * 1024;
const SHELL_AIM: usize = 80 * 1024;
const SCREEN_BUDGET: usize = 200 * 1024;
const FIRST_TIME_PATH_BUDGET: usize = 250 * 1024;
/// The scanner worker with rqrr (DESIGN.md §8).
const WORKER_BUDGET: usize = 90 * 1024;

/// One recorded visit of `e2e/bench/size.bench.ts`: the paths the browser fetched.
#[derive(serde::Deserialize)]
struct Visit {
    name: String,
    urls: Vec<String>,
}

/// `cargo xtask bench size`: the files and brotli bytes a first visit downloads, recorded in
/// Chromium for every screen and for the first-time path, beside the shell alone and the
/// service worker's background precache.
pub fn size(root: &Path) -> anyhow::Result<()> {
    crate::tools::ensure_all(root, crate::tools::Purpose::Test)?;
    crate::build::app(root)?;
    let server = crate::build::server(root, crate::build::Profile::Release)?;
    let report = root.join("target/bench/size-report.json");
    std::fs::create_dir_all(report.parent().expect("has a parent"))?;
    let status = crate::build::playwright_with(
        root,
        &server,
        &["--config", "bench.config.ts", "size.bench.ts"],
        &[("TOKHAI_SIZE_REPORT", report.as_os_str())],
    )?;
    anyhow::ensure!(status.success(), "the size benchmark failed with {status}");
    let visits: Vec<Visit> = serde_json::from_slice(&std::fs::read(&report)?)?;
    let dist = root.join("dist");
    let sizes = Sizes::of(&dist)?;

    let shell: Vec<String> = built_files(&dist)?
        .iter()
        .map(|file| url_path(&dist, file))
        .filter(|url| is_shell(url))
        .collect();
    println!("shell (index.html, app.js, split loader, main Wasm, CSS):");
    let shell_total = sizes.print(&shell);
    record(
        root,
        "size",
        "first visit: the shell",
        kb(shell_total),
        "KB",
        at_most(kb(SHELL_BUDGET)),
    )?;
    record(
        root,
        "size",
        "first visit: the shell (aim)",
        kb(shell_total),
        "KB",
        at_most(kb(SHELL_AIM)),
    )?;
    println!(
        "  budget {:.1} KB: {}; aim {:.1} KB: {}",
        kb(SHELL_BUDGET),
        verdict(shell_total, SHELL_BUDGET),
        kb(SHELL_AIM),
        verdict(shell_total, SHELL_AIM)
    );

    println!("\nfirst visit of each screen (everything fetched, shell included):");
    println!(
        "  {:<20} {:>6} {:>12}  budget {:.0} KB",
        "screen",
        "files",
        "KB brotli",
        kb(SCREEN_BUDGET)
    );
    let mut path_files = None;
    for visit in &visits {
        let files = sizes.files_of(&visit.urls);
        let total: usize = files.iter().map(|url| sizes.brotli(url)).sum();
        if visit.name == "first-time path" {
            path_files = Some((files, total));
            continue;
        }
        record(
            root,
            "size",
            &format!("first visit: {}", visit.name),
            kb(total),
            "KB",
            at_most(kb(SCREEN_BUDGET)),
        )?;
        println!(
            "  {:<20} {:>6} {:>12.1}  {}",
            visit.name,
            files.len(),
            kb(total),
            verdict(total, SCREEN_BUDGET)
        );
        for url in files.iter().filter(|url| !is_shell(url)) {
            println!("      {url:<56} {:>8.1}", kb(sizes.brotli(url)));
        }
    }
    if let Some((files, total)) = path_files {
        println!("\nfirst-time path (poster link → new profile → consent → all-citizen declaration → check-in):");
        sizes.print(&files);
        record(
            root,
            "size",
            "first-time path, all bytes",
            kb(total),
            "KB",
            at_most(kb(FIRST_TIME_PATH_BUDGET)),
        )?;
        println!(
            "  budget {:.1} KB: {}",
            kb(FIRST_TIME_PATH_BUDGET),
            verdict(total, FIRST_TIME_PATH_BUDGET)
        );
    }

    let scanner = |names: &[&str]| -> anyhow::Result<Vec<String>> {
        Ok(built_files(&dist)?
            .iter()
            .map(|file| url_path(&dist, file))
            .filter(|url| names.iter().any(|name| url.ends_with(name)))
            .collect())
    };
    println!("\nscanner worker (rqrr), fetched when the scanner opens without a native detector:");
    let worker = sizes.print(&scanner(&[
        "/scanner-worker.js",
        "/decoder.js",
        "/decoder_bg.wasm",
    ])?);
    record(
        root,
        "size",
        "scanner worker (rqrr)",
        kb(worker),
        "KB",
        at_most(kb(WORKER_BUDGET)),
    )?;
    println!(
        "  budget {:.1} KB: {}",
        kb(WORKER_BUDGET),
        verdict(worker, WORKER_BUDGET)
    );
    println!(
        "fallback decoder (rxing), fetched by the worker when rqrr reads nothing for a second:"
    );
    let fallback = sizes.print(&scanner(&[
        "/decoder_fallback.js",
        "/decoder_fallback_bg.wasm",
    ])?);
    record(
        root,
        "size",
        "fallback decoder (rxing)",
        kb(fallback),
        "KB",
        None,
    )?;
    println!("languages, fetched when chosen (Vietnamese is in the shell):");
    let locales = sizes.print(&scanner(&[
        "/locales/en.json",
        "/locales/zh.json",
        "/locales/ko.json",
    ])?);
    record(
        root,
        "size",
        "one other language, mean",
        kb(locales) / 3.0,
        "KB",
        None,
    )?;
    let in_routes = visits
        .iter()
        .flat_map(|visit| sizes.files_of(&visit.urls))
        .any(|url| url.contains("decoder"));
    println!(
        "  decoder files among the shell's and the screens' first-visit downloads: {}",
        if in_routes {
            "YES (they should not be)"
        } else {
            "none"
        }
    );

    let precache: Vec<String> = built_files(&dist)?
        .iter()
        .map(|file| url_path(&dist, file))
        .chain(["/sw.js".to_owned()])
        .collect();
    let precache_total: usize = precache.iter().map(|url| sizes.brotli(url)).sum();
    record(
        root,
        "size",
        "service worker precache, everything",
        kb(precache_total),
        "KB",
        None,
    )?;
    println!(
        "\nbackground precache by the service worker after the first render: {} files, {:.1} KB brotli \
         (what the first visit already downloaded comes from the HTTP cache)",
        precache.len(),
        kb(precache_total)
    );
    Ok(())
}

/// The files every screen needs before it can show anything.
fn is_shell(url: &str) -> bool {
    url == "/index.html"
        || url.starts_with("/pkg/")
            && ["/app.js", "/__wasm_split.js", "/app_bg.wasm", "/main.css"]
                .iter()
                .any(|name| url.ends_with(name))
}

fn verdict(bytes: usize, budget: usize) -> String {
    if bytes <= budget {
        format!("met ({:.0} %)", 100.0 * bytes as f64 / budget as f64)
    } else {
        format!("MISSED by {:.1} KB", kb(bytes - budget))
    }
}

/// Raw and brotli sizes of the files of `dist/`, by URL path.
struct Sizes {
    files: std::collections::BTreeMap<String, (usize, usize)>,
}

impl Sizes {
    fn of(dist: &Path) -> anyhow::Result<Sizes> {
        let mut files = std::collections::BTreeMap::new();
        for file in built_files(dist)?.into_iter().chain([dist.join("sw.js")]) {
            let bytes = std::fs::read(&file)?;
            let compressed = brotli(&bytes)?.len().min(bytes.len());
            files.insert(url_path(dist, &file), (bytes.len(), compressed));
        }
        Ok(Sizes { files })
    }

    fn brotli(&self, url: &str) -> usize {
        self.files.get(url).map_or(0, |(_, compressed)| *compressed)
    }

    /// The built files among fetched paths, each once; any other path that is not the API is
    /// a navigation, answered with `index.html`.
    fn files_of(&self, urls: &[String]) -> Vec<String> {
        let mut files: Vec<String> = urls
            .iter()
            .filter(|url| !url.starts_with("/api/"))
            .map(|url| {
                if self.files.contains_key(url.as_str()) {
                    url.clone()
                } else {
                    "/index.html".to_owned()
                }
            })
            .collect();
        files.sort();
        files.dedup();
        files
    }

    fn print(&self, urls: &[String]) -> usize {
        let mut raw = 0;
        let mut compressed = 0;
        for url in urls {
            let (file_raw, file_compressed) = self.files.get(url).copied().unwrap_or_default();
            println!(
                "  {url:<58} {:>9.1} KB raw {:>8.1} KB brotli",
                kb(file_raw),
                kb(file_compressed)
            );
            raw += file_raw;
            compressed += file_compressed;
        }
        println!(
            "  {:<58} {:>9.1} KB raw {:>8.1} KB brotli",
            "total",
            kb(raw),
            kb(compressed)
        );
        compressed
    }
}

fn kb(bytes: usize) -> f64 {
    bytes as f64 / 1024.0
}

/// One configuration of `bench ingest`.
struct IngestRun {
    label: &'static str,
    batch: usize,
    connections: u32,
}

const INGEST_RUNS: [IngestRun; 2] = [
    IngestRun {
        label: "one submission per POST",
        batch: 0,
        connections: 64,
    },
    IngestRun {
        label: "batch endpoint, 500 per POST",
        batch: 500,
        connections: 8,
    },
];

/// `cargo xtask bench ingest`: durable submissions per second through the real server binary
/// (release build, rate limit off), on SQLite and on PostgreSQL, driven by `wrk` on loopback.
/// Where `bench ingest` runs: a name, its PostgreSQL database (`None`: SQLite) and how many
/// instances sit behind nginx (0: the server alone, no balancer).
const INGEST_TOPOLOGIES: [(&str, Option<&str>, u16); 4] = [
    ("SQLite", None, 0),
    ("PostgreSQL", Some("bench_direct"), 0),
    ("PostgreSQL, nginx, 1", Some("bench_one"), 1),
    ("PostgreSQL, nginx, 2", Some("bench_two"), 2),
];

pub fn ingest(root: &Path, seconds: u32) -> anyhow::Result<()> {
    crate::tools::ensure_wrk()?;
    let server = crate::build::server(root, crate::build::Profile::Release)?;
    let work = std::env::temp_dir().join(format!("tokhai-bench-{}", std::process::id()));
    let dist = work.join("dist");
    std::fs::create_dir_all(&dist)?;
    std::fs::write(
        dist.join("index.html"),
        "<!DOCTYPE html><title>bench</title>",
    )?;
    let cluster = crate::postgres::Cluster::start()?;
    let mut rows = Vec::new();
    let spawn =
        |port: u16, data: &Path, database_url: Option<&str>| -> anyhow::Result<ServerProcess> {
            let mut process = std::process::Command::new(&server);
            process
                .env("TOKHAI_ADDR", format!("127.0.0.1:{port}"))
                .env("TOKHAI_DATA_DIR", data)
                .env("TOKHAI_DIST", &dist)
                .env("TOKHAI_RATE_LIMIT_PER_SECOND", "0")
                // wrk's (or the balancer's) connections all come from one address.
                .env("TOKHAI_CONNECTIONS_PER_ADDRESS", "0")
                .env("TOKHAI_TRUSTED_PROXIES", "127.0.0.1")
                .env("RUST_LOG", "warn")
                .env_remove("DATABASE_URL");
            if let Some(url) = database_url {
                process.env("DATABASE_URL", url);
            }
            let child = ServerProcess(process.spawn()?);
            wait_for_health(&format!("http://127.0.0.1:{port}/api/v1/health"))?;
            Ok(child)
        };
    // wrk always hits port 18090: a server there, or nginx in front of instances on 18092….
    for (topology, database, instances) in INGEST_TOPOLOGIES {
        let data = work.join(topology.replace(' ', "-"));
        let database_url = match database {
            None => None,
            Some(name) => {
                cluster.execute(&format!("CREATE DATABASE {name}"))?;
                let (server, _) = cluster
                    .url
                    .rsplit_once('/')
                    .expect("a PostgreSQL URL ends with its database");
                Some(format!("{server}/{name}"))
            }
        };
        let mut processes = Vec::new();
        let mut balancer = None;
        if instances == 0 {
            processes.push(spawn(18090, &data, database_url.as_deref())?);
        } else {
            // One after the other: the first makes the schema and the keys the others load.
            let ports: Vec<u16> = (0..instances).map(|n| 18092 + n).collect();
            for port in &ports {
                processes.push(spawn(*port, &data, database_url.as_deref())?);
            }
            balancer = Some(crate::balancer::Nginx::start(
                &data.join("nginx"),
                18090,
                &ports,
            )?);
            wait_for_health("http://127.0.0.1:18090/api/v1/health")?;
        }
        for run in &INGEST_RUNS {
            let result = wrk(root, run, seconds)?;
            let direct_sqlite = topology == "SQLite";
            if run.batch == 0 {
                record(
                    root,
                    "ingest",
                    &format!("{topology}: submissions/s, one per POST"),
                    result.requests_per_second,
                    "/s",
                    if direct_sqlite {
                        at_least(15_000.0)
                    } else {
                        None
                    },
                )?;
                record(
                    root,
                    "ingest",
                    &format!("{topology}: p99, one per POST"),
                    result.p99_ms,
                    "ms",
                    if direct_sqlite { at_most(20.0) } else { None },
                )?;
            } else {
                record(
                    root,
                    "ingest",
                    &format!("{topology}: rows/s, batch endpoint"),
                    result.requests_per_second * run.batch as f64,
                    "/s",
                    if direct_sqlite {
                        at_least(150_000.0)
                    } else {
                        None
                    },
                )?;
            }
            rows.push((topology, run.label, run.batch, result));
        }
        drop(balancer);
        for mut process in processes {
            process.stop();
        }
    }
    drop(cluster);
    let _ = std::fs::remove_dir_all(&work);

    println!("\ningest, {seconds} s per run, server and wrk on this machine:");
    println!(
        "  {:<24} {:<30} {:>12} {:>12} {:>9} {:>9} {:>8}",
        "backend", "run", "requests/s", "rows/s", "p50 ms", "p99 ms", "non-2xx"
    );
    for (backend, label, batch, result) in rows {
        let rows_per_second = result.requests_per_second * batch.max(1) as f64;
        println!(
            "  {backend:<24} {label:<30} {:>12.0} {:>12.0} {:>9.2} {:>9.2} {:>8}",
            result.requests_per_second,
            rows_per_second,
            result.p50_ms,
            result.p99_ms,
            result.non_2xx
        );
    }
    println!("\nbudgets (DESIGN.md §8): single ≥ 15,000/s with p99 ≤ 20 ms on SQLite; batch ≥ 150,000 rows/s");
    println!("behind nginx, every process (wrk, nginx, instances, PostgreSQL) shares this machine's cores");
    Ok(())
}

/// Kills the server if a benchmark step fails half-way.
struct ServerProcess(std::process::Child);

impl ServerProcess {
    fn stop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        self.stop();
    }
}

fn wait_for_health(url: &str) -> anyhow::Result<()> {
    for _ in 0..100 {
        let answered = std::process::Command::new("curl")
            .args(["-sf", "-o", "/dev/null", url])
            .status()
            .is_ok_and(|status| status.success());
        if answered {
            return Ok(());
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    anyhow::bail!("the server did not answer {url}")
}

struct WrkResult {
    requests_per_second: f64,
    p50_ms: f64,
    p99_ms: f64,
    non_2xx: u64,
}

fn wrk(root: &Path, run: &IngestRun, seconds: u32) -> anyhow::Result<WrkResult> {
    let output = std::process::Command::new("wrk")
        .args([
            "-t2",
            &format!("-c{}", run.connections),
            &format!("-d{seconds}s"),
        ])
        .args(["--latency", "-s"])
        .arg(root.join("xtask/bench/submission.lua"))
        .arg("http://127.0.0.1:18090")
        .env("BATCH", run.batch.to_string())
        .output()?;
    let text = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        anyhow::bail!(
            "wrk failed: {text}{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    parse_wrk(&text).ok_or_else(|| anyhow::anyhow!("unexpected wrk output:\n{text}"))
}

/// Reads requests/s, the 50 % and 99 % latencies and the non-2xx count from wrk's report.
fn parse_wrk(text: &str) -> Option<WrkResult> {
    let value_after = |label: &str| -> Option<&str> {
        text.lines()
            .find_map(|line| line.trim().strip_prefix(label))
            .map(str::trim)
    };
    let requests_per_second = value_after("Requests/sec:")?.parse().ok()?;
    let p50_ms = wrk_duration_ms(value_after("50%")?)?;
    let p99_ms = wrk_duration_ms(value_after("99%")?)?;
    let non_2xx = value_after("non-2xx:")
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    Some(WrkResult {
        requests_per_second,
        p50_ms,
        p99_ms,
        non_2xx,
    })
}

/// wrk writes durations as `812.00us`, `3.41ms` or `1.02s`.
fn wrk_duration_ms(value: &str) -> Option<f64> {
    let (number, factor) = if let Some(number) = value.strip_suffix("us") {
        (number, 0.001)
    } else if let Some(number) = value.strip_suffix("ms") {
        (number, 1.0)
    } else if let Some(number) = value.strip_suffix('s') {
        (number, 1_000.0)
    } else {
        return None;
    };
    Some(number.parse::<f64>().ok()? * factor)
}

/// Check-ins `bench stats` seeds.
const STATS_CHECK_INS: u64 = 1_000_000;

/// The session token `bench stats` signs the officer in with (a bench database only).
const STATS_TOKEN: &str = "bench-statistics-officer";

/// SQL that seeds `STATS_CHECK_INS` arrivals over the last 14 days at 500 venues in the 34
/// provinces, 200,000 declarations, and an officer signed in with [`STATS_TOKEN`]; `series` is
/// the database's row generator, yielding `i` from 0 to `n - 1`.
fn stats_seed(series: &dyn Fn(u64) -> String, now_ms: i64) -> String {
    use sha2::{Digest, Sha256};
    let token_hash = format!(
        "{:x}",
        Sha256::new()
            .chain_update(STATS_TOKEN.as_bytes())
            .chain_update([0])
            .finalize()
    );
    let provinces = "(ABS(i) % 34) * 3 + 1";
    format!(
        "INSERT INTO submissions (id, kind, content_hash, body, created_at_ms, received_at_ms, \
         venue_id, counted_as, province, counted_day) SELECT 'bench-c-' || i, 'check_in', '', '{{}}', \
         {now_ms} - (i % 14) * 86400000 - (i % 86400000), {now_ms} - (i % 14) * 86400000 - (i % 86400000), \
         'venue-' || (i % 500), 'check_in', {provinces}, \
         ({now_ms} - (i % 14) * 86400000 - (i % 86400000) + {offset}) / 86400000 FROM {checks};
         INSERT INTO submissions (id, kind, content_hash, body, created_at_ms, received_at_ms, \
         counted_as, province, counted_day) SELECT 'bench-d-' || i, 'daily_health', '', '{{}}', \
         {now_ms} - (i % 14) * 86400000, {now_ms} - (i % 14) * 86400000, 'declaration', {provinces}, \
         ({now_ms} - (i % 14) * 86400000 + {offset}) / 86400000 FROM {declarations};
         INSERT INTO accounts (id, phone, created_at_ms) VALUES ('00000000-0000-4000-8000-000000000001', '0912000000', 0);
         INSERT INTO sessions (token_hash, account_id, expires_at_ms) VALUES \
         ('{token_hash}', '00000000-0000-4000-8000-000000000001', {far});
         INSERT INTO officers (phone, granted_at_ms) VALUES ('0912000000', 0)",
        checks = series(STATS_CHECK_INS),
        declarations = series(200_000),
        far = now_ms + 86_400_000,
        offset = i64::from(domain::date::VIETNAM_OFFSET_MINUTES) * 60_000,
    )
}

/// `cargo xtask bench stats`: the officer's statistics over 14 days and 1,000,000 check-ins, on
/// SQLite and PostgreSQL, through the real server binary: median and worst of 5 requests.
pub fn stats(root: &Path) -> anyhow::Result<()> {
    let server = crate::build::server(root, crate::build::Profile::Release)?;
    let work = std::env::temp_dir().join(format!("tokhai-bench-stats-{}", std::process::id()));
    let dist = work.join("dist");
    std::fs::create_dir_all(&dist)?;
    std::fs::write(
        dist.join("index.html"),
        "<!DOCTYPE html><title>bench</title>",
    )?;
    let now_ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)?
        .as_millis() as i64;
    let today = domain::date::Date::from_unix_ms(now_ms, domain::date::VIETNAM_OFFSET_MINUTES);
    let body = format!(r#"{{"from":"{}","to":"{}"}}"#, today.add_days(-13), today);
    let cluster = crate::postgres::Cluster::start()?;
    let mut rows = Vec::new();
    for backend in ["SQLite", "PostgreSQL"] {
        let data = work.join(backend);
        let start = || -> anyhow::Result<ServerProcess> {
            let mut process = std::process::Command::new(&server);
            process
                .env("TOKHAI_ADDR", "127.0.0.1:18091")
                .env("TOKHAI_DATA_DIR", &data)
                .env("TOKHAI_DIST", &dist)
                .env("TOKHAI_RATE_LIMIT_PER_SECOND", "0")
                .env("RUST_LOG", "warn")
                .env_remove("DATABASE_URL");
            if backend == "PostgreSQL" {
                process.env("DATABASE_URL", &cluster.url);
            }
            let child = ServerProcess(process.spawn()?);
            wait_for_health("http://127.0.0.1:18091/api/v1/health")?;
            Ok(child)
        };
        // The first start makes the schema; the rows go in with the server stopped.
        start()?.stop();
        let seeding = std::time::Instant::now();
        if backend == "SQLite" {
            let sql = stats_seed(
                &|n| {
                    format!("(WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i < {}) SELECT i FROM s)", n - 1)
                },
                now_ms,
            );
            let script = "import sqlite3, sys\ndb = sqlite3.connect(sys.argv[1])\ndb.executescript(sys.argv[2])\ndb.commit()\n";
            crate::build::run(
                std::process::Command::new("python3")
                    .arg("-c")
                    .arg(script)
                    .arg(data.join("tokhai.sqlite"))
                    .arg(format!("BEGIN; {sql}; COMMIT;")),
            )?;
        } else {
            let sql = stats_seed(
                &|n| format!("generate_series(0, {}) AS s(i)", n - 1),
                now_ms,
            );
            cluster.execute(&format!("BEGIN; {sql}; COMMIT"))?;
            // What autovacuum does on a live database: marks the pages all-visible, so the
            // aggregate can read the index alone.
            cluster.execute("VACUUM ANALYZE submissions")?;
        }
        println!(
            "{backend}: seeded in {:.1} s",
            seeding.elapsed().as_secs_f64()
        );
        let mut child = start()?;
        let mut times = Vec::new();
        let mut answer = String::new();
        for _ in 0..5 {
            let begun = std::time::Instant::now();
            let output = std::process::Command::new("curl")
                .args(["-sf", "-H", "Content-Type: application/json", "-H"])
                .arg(format!("Cookie: tokhai_session={STATS_TOKEN}"))
                .args([
                    "--data",
                    &body,
                    "http://127.0.0.1:18091/api/v1/officer/statistics",
                ])
                .output()?;
            times.push(begun.elapsed().as_secs_f64() * 1000.0);
            anyhow::ensure!(output.status.success(), "the statistics request failed");
            answer = String::from_utf8_lossy(&output.stdout).into_owned();
        }
        child.stop();
        let statistics: domain::api::Statistics = serde_json::from_str(&answer)?;
        let counted: u64 = statistics.rows.iter().map(|row| row.check_ins).sum();
        anyhow::ensure!(
            counted == STATS_CHECK_INS,
            "{backend} counted {counted} check-ins, not {STATS_CHECK_INS}"
        );
        times.sort_by(f64::total_cmp);
        record(
            root,
            "stats",
            &format!("{backend}: 14 days over 1M check-ins, median"),
            times[2],
            "ms",
            at_most(1000.0),
        )?;
        rows.push((backend, times[2], times[4], statistics.rows.len()));
    }
    drop(cluster);
    let _ = std::fs::remove_dir_all(&work);
    println!("\nstatistics over 14 days, {STATS_CHECK_INS} check-ins and 200,000 declarations, 5 requests each:");
    println!(
        "  {:<11} {:>10} {:>10} {:>6}",
        "backend", "median ms", "max ms", "rows"
    );
    for (backend, median, max, count) in rows {
        println!("  {backend:<11} {median:>10.1} {max:>10.1} {count:>6}");
    }
    println!("\nbudget (issue 14): under 1 s on SQLite and PostgreSQL");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_wrk_report() {
        let report = "Running 10s test @ http://127.0.0.1:18090\n  2 threads and 64 connections\n  Latency Distribution\n     50%  812.00us\n     75%    1.20ms\n     90%    2.00ms\n     99%    3.41ms\n  120000 requests in 10.00s, 20.00MB read\nRequests/sec:  12000.50\nTransfer/sec:      2.00MB\nnon-2xx: 3\n";
        let result = parse_wrk(report).unwrap();
        assert_eq!(result.requests_per_second, 12000.5);
        assert!((result.p50_ms - 0.812).abs() < 1e-9);
        assert!((result.p99_ms - 3.41).abs() < 1e-9);
        assert_eq!(result.non_2xx, 3);
        assert_eq!(wrk_duration_ms("1.5s"), Some(1500.0));
    }
}

//! `cargo xtask bench …`: measurements printed as numbers (DESIGN.md §8), never asserted.

use std::path::Path;

use crate::dist::{brotli, built_files, url_path};

/// DESIGN.md §8: HTML + JS + Wasm + CSS of the main app, brotli.
const FIRST_VISIT_BUDGET: usize = 80 * 1024;

/// Prints the brotli size of every file a first visit downloads: the critical files that render
/// the app (budgeted), then what the browser fetches after (manifest, icons, service worker and
/// its precache of the same files).
pub fn size(root: &Path) -> anyhow::Result<()> {
    let dist = root.join("dist");
    let mut critical = Vec::new();
    let mut after = Vec::new();
    for file in built_files(&dist)?.into_iter().chain([dist.join("sw.js")]) {
        let bytes = std::fs::read(&file)?;
        let compressed = brotli(&bytes)?.len().min(bytes.len());
        let url = url_path(&dist, &file);
        let is_critical = [".html", ".js", ".wasm", ".css"]
            .iter()
            .any(|extension| url.ends_with(extension))
            && url != "/sw.js";
        let row = (url, bytes.len(), compressed);
        if is_critical {
            critical.push(row);
        } else {
            after.push(row);
        }
    }
    println!("first visit, main app (HTML + JS + Wasm + CSS):");
    let critical_total = print_rows(&critical);
    println!(
        "  budget {:>10.1} KB  ({:.0} % used)",
        kb(FIRST_VISIT_BUDGET),
        100.0 * critical_total as f64 / FIRST_VISIT_BUDGET as f64
    );
    println!("\nalso fetched on a first visit (manifest, icons, service worker):");
    let after_total = print_rows(&after);
    println!(
        "\nall first-visit downloads: {:.1} KB brotli",
        kb(critical_total + after_total)
    );
    Ok(())
}

fn print_rows(rows: &[(String, usize, usize)]) -> usize {
    for (url, raw, compressed) in rows {
        println!(
            "  {url:<44} {:>10.1} KB raw {:>10.1} KB brotli",
            kb(*raw),
            kb(*compressed)
        );
    }
    let raw: usize = rows.iter().map(|row| row.1).sum();
    let compressed: usize = rows.iter().map(|row| row.2).sum();
    println!(
        "  {:<44} {:>10.1} KB raw {:>10.1} KB brotli",
        "total",
        kb(raw),
        kb(compressed)
    );
    compressed
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
    let cluster = crate::postgres::Cluster::start(55433)?;
    let mut rows = Vec::new();
    for (backend, database_url) in [("SQLite", None), ("PostgreSQL", Some(cluster.url.as_str()))] {
        let data = work.join(backend);
        let mut process = std::process::Command::new(&server);
        process
            .env("TOKHAI_ADDR", "127.0.0.1:18090")
            .env("TOKHAI_DATA_DIR", &data)
            .env("TOKHAI_DIST", &dist)
            .env("TOKHAI_RATE_LIMIT_PER_SECOND", "0")
            .env("RUST_LOG", "warn")
            .env_remove("DATABASE_URL");
        if let Some(url) = database_url {
            process.env("DATABASE_URL", url);
        }
        let mut child = ServerProcess(process.spawn()?);
        wait_for_health("http://127.0.0.1:18090/api/v1/health")?;
        for run in &INGEST_RUNS {
            let result = wrk(root, run, seconds)?;
            rows.push((backend, run.label, run.batch, result));
        }
        child.stop();
    }
    drop(cluster);
    let _ = std::fs::remove_dir_all(&work);

    println!("\ningest, {seconds} s per run, server and wrk on this machine:");
    println!(
        "  {:<11} {:<30} {:>12} {:>12} {:>9} {:>9} {:>8}",
        "backend", "run", "requests/s", "rows/s", "p50 ms", "p99 ms", "non-2xx"
    );
    for (backend, label, batch, result) in rows {
        let rows_per_second = result.requests_per_second * batch.max(1) as f64;
        println!(
            "  {backend:<11} {label:<30} {:>12.0} {:>12.0} {:>9.2} {:>9.2} {:>8}",
            result.requests_per_second,
            rows_per_second,
            result.p50_ms,
            result.p99_ms,
            result.non_2xx
        );
    }
    println!("\nbudgets (DESIGN.md §8): single ≥ 15,000/s with p99 ≤ 20 ms on SQLite; batch ≥ 150,000 rows/s");
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

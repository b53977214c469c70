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

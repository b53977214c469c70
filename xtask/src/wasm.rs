//! The app's Wasm pipeline: build, split into the shell and a chunk per screen, bind, optimise.
//!
//! Trunk 0.21 cannot split (its hooks run only before or after its whole build), so xtask runs
//! the steps itself, in the order the split needs: the splitter reads the linker's relocations
//! from the unoptimised module (app/build.rs asks for them), wasm-bindgen then processes the main
//! module keeping the exports the chunks import, and wasm-opt shrinks every file last.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::Context;

use crate::build::{cargo, run, tools_bin};

/// The cargo profile of the app's Wasm (Cargo.toml).
const PROFILE: &str = "wasm-release";

/// What the pipeline wrote into the package directory.
pub struct Package {
    /// Each split point's name (`home`, `declare`, …) and the Wasm files, without extension, that
    /// must be loaded for it, shared chunks first.
    pub splits: BTreeMap<String, Vec<String>>,
}

/// Builds the app into `pkg_dir` (`app.js`, `app_bg.wasm`, `__wasm_split.js` and the chunks).
/// `pkg_url` is where the browser finds that directory; the app's code is told (TOKHAI_PKG) so
/// it can fetch its own assets from there.
pub fn build(
    root: &Path,
    pkg_dir: &Path,
    pkg_url: &str,
    build_id: &str,
) -> anyhow::Result<Package> {
    run(cargo(root)
        .args([
            "build",
            "--package",
            "app",
            "--target",
            "wasm32-unknown-unknown",
            "--profile",
            PROFILE,
        ])
        .env("TOKHAI_BUILD", build_id)
        .env("TOKHAI_PKG", pkg_url))?;
    let linked = root
        .join("target/wasm32-unknown-unknown")
        .join(PROFILE)
        .join("app.wasm");
    let staging = root.join("target/tokhai-split");
    recreate_dir(&staging)?;
    std::fs::create_dir_all(pkg_dir)?;

    let main_module = staging.join("main.wasm");
    let input = std::fs::read(&linked).with_context(|| format!("reading {}", linked.display()))?;
    let split = wasm_split_cli_support::transform({
        let mut options = wasm_split_cli_support::Options::new(&input);
        options.output_dir = pkg_dir;
        options.main_out_path = &main_module;
        // Both relative to the loader, which sits beside app.js in the package directory.
        options.main_module = "./app.js";
        options.link_name = "./__wasm_split.js";
        options
    })
    .map_err(|error| anyhow::anyhow!("splitting the Wasm: {error:#}"))?;

    run(Command::new(tools_bin(root, "wasm-bindgen"))
        .args([
            "--target",
            "web",
            // The chunks import the main module's functions by their linker names.
            "--keep-lld-exports",
            "--no-demangle",
            "--no-typescript",
            "--out-name",
            "app",
            "--out-dir",
        ])
        .arg(pkg_dir)
        .arg(&main_module))?;

    let mut modules = Vec::new();
    for file in std::fs::read_dir(pkg_dir)? {
        let file = file?.path();
        if file
            .extension()
            .is_some_and(|extension| extension == "wasm")
        {
            modules.push(file);
        }
    }
    optimise_all(root, &modules)?;
    Ok(Package {
        splits: split.prefetch_map.into_iter().collect(),
    })
}

/// `wasm-opt` on every module, as many at once as there are cores (a split build has a hundred
/// small chunks, where starting the tool costs more than its work).
fn optimise_all(root: &Path, modules: &[PathBuf]) -> anyhow::Result<()> {
    println!(
        "optimising {} Wasm modules with wasm-opt -Oz",
        modules.len()
    );
    let workers = std::thread::available_parallelism().map_or(1, usize::from);
    let next = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| loop {
                    let index = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(module) = modules.get(index) else {
                        return Ok(());
                    };
                    optimise(root, module, "-Oz")?;
                })
            })
            .collect();
        handles
            .into_iter()
            .try_for_each(|handle| handle.join().expect("an optimiser thread panicked"))
    })
}

/// `wasm-opt` at `level` in place, with the features Rust's wasm32 target emits, dropping the
/// names section (wasm-bindgen has used it; browsers only show it in stack traces).
fn optimise(root: &Path, file: &Path, level: &str) -> anyhow::Result<()> {
    let output = Command::new(tools_bin(root, "wasm-opt"))
        .args([
            level,
            "--strip-debug",
            "--strip-producers",
            "--enable-bulk-memory",
            "--enable-nontrapping-float-to-int",
            "--enable-sign-ext",
            "--enable-mutable-globals",
            "--enable-reference-types",
            "--enable-multivalue",
        ])
        .arg(file)
        .arg("-o")
        .arg(file)
        .output()
        .context("starting wasm-opt")?;
    anyhow::ensure!(
        output.status.success(),
        "wasm-opt failed on {}: {}",
        file.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    Ok(())
}

/// The scanner's decoders (the `decoder` crate), each its own module beside the worker that
/// runs them: `decoder` (rqrr), fetched when the scanner opens without a native detector, and
/// `decoder_fallback` (rxing), fetched by the worker only when rqrr keeps failing. Both are
/// optimised for speed (`-O3`): they run on every camera frame.
pub fn build_decoders(root: &Path, pkg_dir: &Path) -> anyhow::Result<()> {
    for (feature, name) in [("rqrr", "decoder"), ("rxing", "decoder_fallback")] {
        run(cargo(root).args([
            "build",
            "--package",
            "decoder",
            "--no-default-features",
            "--features",
            feature,
            "--target",
            "wasm32-unknown-unknown",
            "--profile",
            PROFILE,
        ]))?;
        let linked = root
            .join("target/wasm32-unknown-unknown")
            .join(PROFILE)
            .join("decoder.wasm");
        run(Command::new(tools_bin(root, "wasm-bindgen"))
            .args([
                "--target",
                "web",
                "--no-typescript",
                "--out-name",
                name,
                "--out-dir",
            ])
            .arg(pkg_dir)
            .arg(&linked))?;
        optimise(root, &pkg_dir.join(format!("{name}_bg.wasm")), "-O3")?;
    }
    std::fs::copy(
        root.join("app/scanner-worker.js"),
        pkg_dir.join("scanner-worker.js"),
    )?;
    Ok(())
}

pub fn recreate_dir(dir: &Path) -> anyhow::Result<()> {
    if dir.exists() {
        std::fs::remove_dir_all(dir).with_context(|| format!("removing {}", dir.display()))?;
    }
    std::fs::create_dir_all(dir)?;
    Ok(())
}

/// The screens of `app/src/routes.rs`, as `(module, path pattern)` (the module is the split the
/// screen's code is in, shared by a group of screens), read from its `screens!` table so that
/// the route list exists once.
pub fn screens(root: &Path) -> anyhow::Result<Vec<(String, String)>> {
    let source = std::fs::read_to_string(root.join("app/src/routes.rs"))?;
    let table = source
        .split_once("screens! {")
        .and_then(|(_, rest)| rest.split_once("\n}"))
        .map(|(table, _)| table)
        .context("app/src/routes.rs has no `screens! { … }` table")?;
    let screens: Vec<(String, String)> = table
        .lines()
        .filter_map(|line| {
            let (module, rest) = line.trim().split_once(": ")?;
            let path = rest.split_once('"')?.1.split_once('"')?.0;
            Some((module.to_owned(), path.to_owned()))
        })
        .collect();
    anyhow::ensure!(!screens.is_empty(), "the screens! table lists no screen");
    Ok(screens)
}

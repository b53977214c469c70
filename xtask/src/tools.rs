//! Installs the build and test tools, each only when missing or at the wrong version.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context};
use sha2::{Digest, Sha256};

use crate::build::run;

/// The fuzzing front end; the fuzz targets themselves build with the machine's nightly toolchain.
const CARGO_FUZZ_VERSION: &str = "0.13.2";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// `cargo xtask run`: what building the app needs.
    Run,
    /// `cargo xtask test`: that, plus the browser.
    Test,
}

pub fn ensure_all(root: &Path, purpose: Purpose) -> anyhow::Result<()> {
    ensure_wasm_target(root)?;
    let wasm_bindgen = wasm_bindgen_version(root)?;
    // wasm-bindgen-cli's own lock file names a crate version the registry no longer serves, so it
    // is installed without --locked.
    ensure_cargo_tool("wasm-bindgen", "wasm-bindgen-cli", &wasm_bindgen, false)?;
    ensure_npm_packages(root)?;
    if purpose == Purpose::Test {
        ensure_chromium()?;
        ensure_libreoffice()?;
        ensure_cjk_fonts()?;
        ensure_pdf_tools()?;
        ensure_cargo_tool("cargo-fuzz", "cargo-fuzz", CARGO_FUZZ_VERSION, true)?;
    }
    Ok(())
}

/// `PATH` with the project's npm tools (wasm-opt from `binaryen`) and cargo's install directory
/// in front, so the pinned tools are the ones found.
pub fn path_env(root: &Path) -> OsString {
    let mut paths = vec![root.join("e2e/node_modules/.bin"), cargo_bin_dir()];
    if let Some(path) = std::env::var_os("PATH") {
        paths.extend(std::env::split_paths(&path));
    }
    std::env::join_paths(paths).expect("PATH entries contain no separator")
}

fn cargo_bin_dir() -> PathBuf {
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo")))
        .unwrap_or_else(|| PathBuf::from(".cargo"));
    cargo_home.join("bin")
}

fn ensure_wasm_target(root: &Path) -> anyhow::Result<()> {
    let installed = Command::new("rustup")
        .current_dir(root)
        .args(["target", "list", "--installed"])
        .output()
        .context("running rustup")?;
    if String::from_utf8_lossy(&installed.stdout)
        .lines()
        .any(|line| line.trim() == "wasm32-unknown-unknown")
    {
        return Ok(());
    }
    // RUSTUP_AUTO_INSTALL=0 on this machine kind: rust-toolchain.toml alone adds no target.
    run(Command::new("rustup")
        .current_dir(root)
        .args(["target", "add", "wasm32-unknown-unknown"]))
}

/// The wasm-bindgen version in Cargo.lock: wasm-bindgen-cli must be exactly that version.
fn wasm_bindgen_version(root: &Path) -> anyhow::Result<String> {
    let lock: toml::Table = toml::from_str(&std::fs::read_to_string(root.join("Cargo.lock"))?)?;
    let versions: Vec<&str> = lock["package"]
        .as_array()
        .context("Cargo.lock has no packages")?
        .iter()
        .filter(|package| package["name"].as_str() == Some("wasm-bindgen"))
        .filter_map(|package| package["version"].as_str())
        .collect();
    let [version] = versions.as_slice() else {
        bail!("expected exactly one wasm-bindgen in Cargo.lock, found {versions:?}");
    };
    Ok((*version).to_owned())
}

fn installed_version(binary: &str) -> Option<String> {
    let output = Command::new(cargo_bin_dir().join(binary))
        .arg("--version")
        .output()
        .ok()?;
    // Both tools print `<name> <version>`.
    String::from_utf8_lossy(&output.stdout)
        .split_whitespace()
        .nth(1)
        .map(str::to_owned)
}

fn ensure_cargo_tool(
    binary: &str,
    package: &str,
    version: &str,
    locked: bool,
) -> anyhow::Result<()> {
    if installed_version(binary).as_deref() == Some(version) {
        return Ok(());
    }
    println!("installing {package} {version} (once per machine, several minutes)");
    let mut install = Command::new("cargo");
    // Outside the workspace, so the pinned toolchain file does not apply to the tool's build.
    install
        .current_dir(std::env::temp_dir())
        .args(["install", package, "--version", version]);
    if locked {
        install.arg("--locked");
    }
    run(&mut install)
}

/// `npm ci` in `e2e/` when `node_modules` does not match `package-lock.json`.
fn ensure_npm_packages(root: &Path) -> anyhow::Result<()> {
    let e2e = root.join("e2e");
    let lock =
        std::fs::read(e2e.join("package-lock.json")).context("reading e2e/package-lock.json")?;
    let wanted = format!("{:x}", Sha256::digest(&lock));
    let stamp = e2e.join("node_modules/.tokhai-lock-sha256");
    if std::fs::read_to_string(&stamp).ok().as_deref() == Some(wanted.as_str()) {
        return Ok(());
    }
    run(Command::new("npm")
        .current_dir(&e2e)
        .args(["ci", "--no-audit", "--no-fund"])
        // Playwright must never fetch its own browser here: the tests use Debian's chromium.
        .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1"))?;
    std::fs::write(stamp, wanted)?;
    Ok(())
}

pub const CHROMIUM: &str = "/usr/bin/chromium";

fn ensure_chromium() -> anyhow::Result<()> {
    ensure_debian_package(Path::new(CHROMIUM).exists(), "chromium")
}

/// LibreOffice's headless Calc, which the CSV export test opens the export with.
pub const SOFFICE: &str = "/usr/bin/soffice";

fn ensure_libreoffice() -> anyhow::Result<()> {
    ensure_debian_package(Path::new(SOFFICE).exists(), "libreoffice-calc-nogui")
}

/// Chinese and Korean glyphs, without which Chromium draws those screens in boxes and the e2e
/// screenshots and line breaks of zh and ko say nothing.
fn ensure_cjk_fonts() -> anyhow::Result<()> {
    let present = Path::new("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc").exists();
    ensure_debian_package(present, "fonts-noto-cjk")
}

/// `pdfinfo`, with which the poster e2e counts the pages a printed poster takes.
fn ensure_pdf_tools() -> anyhow::Result<()> {
    ensure_debian_package(Path::new("/usr/bin/pdfinfo").exists(), "poppler-utils")
}

/// `wrk`, the HTTP load generator of `bench ingest` (Debian's package).
pub fn ensure_wrk() -> anyhow::Result<()> {
    let present = Command::new("wrk").arg("--version").output().is_ok();
    ensure_debian_package(present, "wrk")
}

/// Lighthouse, pinned, for `bench lighthouse` only: installed under `target/tools/lighthouse`
/// rather than in `e2e/` so that the test suite's `npm ci` never downloads it. Returns its
/// directory.
pub fn ensure_lighthouse(root: &Path) -> anyhow::Result<std::path::PathBuf> {
    const VERSION: &str = "12.8.2";
    let dir = root.join("target/tools/lighthouse");
    let installed = dir.join("node_modules/lighthouse/package.json");
    let current = std::fs::read_to_string(&installed)
        .ok()
        .and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok())
        .is_some_and(|package| package["version"] == VERSION);
    if !current {
        std::fs::create_dir_all(&dir)?;
        run(Command::new("npm")
            .args(["install", "--no-audit", "--no-fund", "--prefix"])
            .arg(&dir)
            .arg(format!("lighthouse@{VERSION}")))?;
    }
    Ok(dir)
}

/// Debian's nginx, the scale-out phase's load balancer: installed when missing, never started
/// as a system service (each test runs its own, on a free port).
pub fn ensure_nginx() -> anyhow::Result<std::path::PathBuf> {
    let nginx = std::path::PathBuf::from("/usr/sbin/nginx");
    ensure_debian_package(nginx.exists(), "nginx")?;
    anyhow::ensure!(
        nginx.exists(),
        "nginx installed but /usr/sbin/nginx not found"
    );
    Ok(nginx)
}

/// Installs a Debian package unless what it provides is `present`.
pub fn ensure_debian_package(present: bool, package: &str) -> anyhow::Result<()> {
    if present {
        return Ok(());
    }
    println!("installing Debian's {package}");
    run(Command::new("apt-get").arg("update"))?;
    run(Command::new("apt-get")
        .args(["install", "-y", "--no-install-recommends", package])
        .env("DEBIAN_FRONTEND", "noninteractive"))
}

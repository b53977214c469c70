//! The figures every benchmark records, for one table and one JSON file (`cargo xtask bench`).
//! Rust benches call [`record`]; the browser benches append the same JSON lines from
//! `e2e/bench/figures.ts` to the file named by `TOKHAI_BENCH_FIGURES`.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub struct Budget {
    pub limit: f64,
    /// At or below the limit (sizes, times), or at or above it (scores, rates).
    #[serde(rename = "atMost")]
    pub at_most: bool,
}

pub const fn at_most(limit: f64) -> Option<Budget> {
    Some(Budget {
        limit,
        at_most: true,
    })
}

pub const fn at_least(limit: f64) -> Option<Budget> {
    Some(Budget {
        limit,
        at_most: false,
    })
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Figure {
    pub bench: String,
    pub name: String,
    pub value: f64,
    pub unit: String,
    pub budget: Option<Budget>,
}

impl Figure {
    /// `met`, `MISSED` or nothing, against the budget.
    pub fn verdict(&self) -> &'static str {
        let Some(budget) = self.budget else {
            return "";
        };
        let met = if budget.at_most {
            self.value <= budget.limit
        } else {
            self.value >= budget.limit
        };
        if met {
            "met"
        } else {
            "MISSED"
        }
    }
}

/// Where this run's figures accumulate.
pub fn file(root: &Path) -> PathBuf {
    root.join("target/bench/figures.jsonl")
}

/// Starts a run: no figures yet.
pub fn reset(root: &Path) -> anyhow::Result<()> {
    let path = file(root);
    std::fs::create_dir_all(path.parent().expect("target/bench has a parent"))?;
    std::fs::write(path, "")?;
    Ok(())
}

pub fn record(
    root: &Path,
    bench: &str,
    name: &str,
    value: f64,
    unit: &str,
    budget: Option<Budget>,
) -> anyhow::Result<()> {
    let figure = Figure {
        bench: bench.into(),
        name: name.into(),
        value,
        unit: unit.into(),
        budget,
    };
    let mut out = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(file(root))?;
    writeln!(out, "{}", serde_json::to_string(&figure)?)?;
    Ok(())
}

fn read(root: &Path) -> anyhow::Result<Vec<Figure>> {
    std::fs::read_to_string(file(root))?
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| Ok(serde_json::from_str(line)?))
        .collect()
}

fn commit(root: &Path) -> String {
    let git = |args: &[&str]| {
        std::process::Command::new("git")
            .args(args)
            .current_dir(root)
            .output()
            .ok()
            .filter(|output| output.status.success())
            .map(|output| String::from_utf8_lossy(&output.stdout).trim().to_owned())
    };
    let head = git(&["rev-parse", "--short=12", "HEAD"]).unwrap_or_else(|| "unknown".into());
    let dirty = git(&["status", "--porcelain", "--untracked-files=no"])
        .is_some_and(|changes| !changes.is_empty());
    if dirty {
        format!("{head}+changes")
    } else {
        head
    }
}

/// Prints the run's figures as one table and writes them, with the commit, to
/// `target/bench/<name>.json`.
pub fn report(root: &Path, name: &str) -> anyhow::Result<()> {
    let figures = read(root)?;
    let commit = commit(root);
    println!(
        "\n== benchmark table ({} figures, commit {commit}) ==",
        figures.len()
    );
    println!(
        "  {:<10} {:<52} {:>12} {:<6} {:>14}  verdict",
        "bench", "figure", "value", "unit", "budget"
    );
    for figure in &figures {
        let budget = figure.budget.map_or(String::new(), |budget| {
            format!(
                "{} {}",
                if budget.at_most { "≤" } else { "≥" },
                number(budget.limit)
            )
        });
        println!(
            "  {:<10} {:<52} {:>12} {:<6} {:>14}  {}",
            figure.bench,
            figure.name,
            number(figure.value),
            figure.unit,
            budget,
            figure.verdict()
        );
    }
    let missed = figures
        .iter()
        .filter(|figure| figure.verdict() == "MISSED")
        .count();
    let budgeted = figures
        .iter()
        .filter(|figure| figure.budget.is_some())
        .count();
    println!("  budgets: {} met, {missed} missed", budgeted - missed);
    let out = root.join(format!("target/bench/{name}.json"));
    let written_at = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)?
        .as_secs();
    std::fs::write(
        &out,
        serde_json::to_string_pretty(&serde_json::json!({
            "commit": commit,
            "written_at_unix_s": written_at,
            "figures": figures,
        }))?,
    )?;
    println!("  written to {}", out.display());
    Ok(())
}

/// A figure as a person reads it: whole numbers for large values, one decimal otherwise.
fn number(value: f64) -> String {
    if value.abs() >= 100.0 {
        format!("{value:.0}")
    } else {
        format!("{value:.1}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verdicts_follow_the_budgets_direction() {
        let figure = |value, budget| Figure {
            bench: "b".into(),
            name: "n".into(),
            value,
            unit: "ms".into(),
            budget,
        };
        assert_eq!(figure(5.0, at_most(5.0)).verdict(), "met");
        assert_eq!(figure(5.1, at_most(5.0)).verdict(), "MISSED");
        assert_eq!(figure(98.0, at_least(98.0)).verdict(), "met");
        assert_eq!(figure(97.0, at_least(98.0)).verdict(), "MISSED");
        assert_eq!(figure(1.0, None).verdict(), "");
    }
}

//! `cargo xtask divisions`: writes `public/data/divisions.json`, the compact catalogue of
//! provinces and wards the app fetches and caches (DESIGN.md §3.2), from the official list in
//! `../shared/data/vn-divisions-2025.json` (or the file given). Run again when that list changes.

use std::path::Path;

use anyhow::Context;
use serde_json::Value;

pub fn generate(root: &Path, source: Option<&str>) -> anyhow::Result<()> {
    let source = source.map_or_else(
        || root.join("../shared/data/vn-divisions-2025.json"),
        |path| root.join(path),
    );
    let full: Value = serde_json::from_str(
        &std::fs::read_to_string(&source)
            .with_context(|| format!("reading {}", source.display()))?,
    )?;
    let compact = compact(&full)?;
    let target = root.join("public/data/divisions.json");
    std::fs::create_dir_all(target.parent().expect("a file has a directory"))?;
    std::fs::write(&target, serde_json::to_string(&compact)?)?;
    let wards: usize = compact
        .as_array()
        .map(|provinces| {
            provinces
                .iter()
                .map(|p| p[2].as_array().map_or(0, Vec::len))
                .sum()
        })
        .unwrap_or(0);
    println!(
        "wrote {} ({} provinces, {wards} wards)",
        target.display(),
        compact.as_array().map_or(0, Vec::len)
    );
    Ok(())
}

/// `[[code, name, [[ward code, ward name], …]], …]`: only what the picker needs.
fn compact(full: &Value) -> anyhow::Result<Value> {
    let provinces = full.as_array().context("expected a list of provinces")?;
    provinces
        .iter()
        .map(|province| {
            let wards = province["wards"]
                .as_array()
                .context("province without wards")?
                .iter()
                .map(|ward| Ok(serde_json::json!([ward["code"], ward["name"]])))
                .collect::<anyhow::Result<Vec<_>>>()?;
            Ok(serde_json::json!([
                province["code"],
                province["name"],
                wards
            ]))
        })
        .collect::<anyhow::Result<Vec<_>>>()
        .map(Value::Array)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_codes_and_names_only() {
        let full = serde_json::json!([{
            "name": "Thành phố Hà Nội", "code": 1, "codename": "ha_noi", "phone_code": 24,
            "division_type": "thành phố trung ương",
            "wards": [{"name": "Phường Hoàn Kiếm", "code": 70, "codename": "x", "division_type": "phường", "short_codename": "y"}]
        }]);
        assert_eq!(
            compact(&full).unwrap(),
            serde_json::json!([[1, "Thành phố Hà Nội", [[70, "Phường Hoàn Kiếm"]]]])
        );
    }
}

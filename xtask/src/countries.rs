//! `cargo xtask countries`: writes `public/data/countries.json`, the ISO 3166-1 country list the
//! app's country pickers fetch and cache (DESIGN.md §3.2), with names in the app's four languages
//! from the npm package `i18n-iso-countries` (installed in `e2e/` by `npm ci`).

use std::path::Path;

use anyhow::Context;
use serde_json::Value;

/// The app's languages, in the column order of the asset after the code.
const LANGS: [&str; 4] = ["vi", "en", "zh", "ko"];

pub fn generate(root: &Path) -> anyhow::Result<()> {
    let langs = root.join("e2e/node_modules/i18n-iso-countries/langs");
    let names = LANGS
        .iter()
        .map(|lang| {
            let path = langs.join(format!("{lang}.json"));
            let file: Value =
                serde_json::from_str(&std::fs::read_to_string(&path).with_context(|| {
                    format!("reading {} (run npm ci in e2e/)", path.display())
                })?)?;
            file["countries"]
                .as_object()
                .cloned()
                .with_context(|| format!("{} has no countries", path.display()))
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    let mut codes: Vec<&String> = names[1].keys().collect();
    codes.sort();
    let rows = codes
        .iter()
        .map(|code| {
            let mut row = vec![Value::String((*code).clone())];
            for (lang, table) in LANGS.iter().zip(&names) {
                row.push(Value::String(
                    first_name(table.get(*code))
                        .with_context(|| format!("{code} has no {lang} name"))?,
                ));
            }
            Ok(Value::Array(row))
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    let target = root.join("public/data/countries.json");
    std::fs::write(&target, serde_json::to_string(&rows)?)?;
    println!("wrote {} ({} countries)", target.display(), rows.len());
    Ok(())
}

/// The package lists either one name or the official name followed by common alternatives.
fn first_name(entry: Option<&Value>) -> Option<String> {
    match entry? {
        Value::String(name) => Some(name.clone()),
        Value::Array(names) => names.first()?.as_str().map(str::to_owned),
        _ => None,
    }
}

//! The translations the app fetches on demand: `locales/<tag>.ftl` compiled to
//! `<package>/locales/<tag>.json` for every language but Vietnamese, which the Wasm carries.
//!
//! The checks and the format are `domain::i18n::compile_locale_json`'s, so the JSON matches the
//! `Text` indices of the app built from the same tree.

use std::path::{Path, PathBuf};

use anyhow::Context;
use domain::i18n::{compile_locale_json, Lang};

/// Writes `out_dir/locales/<tag>.json` for each language except Vietnamese; returns the paths.
pub fn write(root: &Path, out_dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let locales = root.join("locales");
    let read = |tag: &str| {
        let path = locales.join(format!("{tag}.ftl"));
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))
    };
    let source = read(Lang::Vi.tag())?;
    let out = out_dir.join("locales");
    std::fs::create_dir_all(&out).with_context(|| format!("creating {}", out.display()))?;
    let mut written = Vec::new();
    for lang in Lang::ALL.into_iter().filter(|&lang| lang != Lang::Vi) {
        let tag = lang.tag();
        let json = compile_locale_json(&source, &read(tag)?).map_err(|errors| {
            let report: Vec<String> = errors
                .iter()
                .map(|error| format!("locales/{tag}.ftl: {error}"))
                .collect();
            anyhow::anyhow!("{}", report.join("\n"))
        })?;
        let path = out.join(format!("{tag}.json"));
        std::fs::write(&path, json).with_context(|| format!("writing {}", path.display()))?;
        written.push(path);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_one_json_array_per_fetched_language() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let out = std::env::temp_dir().join(format!("tokhai-locales-{}", std::process::id()));
        let written = write(&root, &out).expect("the locale files compile");
        let names: Vec<_> = written
            .iter()
            .map(|path| path.strip_prefix(&out).unwrap().to_owned())
            .collect();
        assert_eq!(
            names,
            ["locales/en.json", "locales/zh.json", "locales/ko.json"].map(PathBuf::from)
        );
        let english: Vec<String> =
            serde_json::from_str(&std::fs::read_to_string(&written[0]).unwrap()).unwrap();
        assert_eq!(english.len(), domain::i18n::Text::ALL.len());
        assert_eq!(
            english[domain::i18n::Text::AppName.index()],
            "Health declaration"
        );
        std::fs::remove_dir_all(&out).unwrap();
    }
}

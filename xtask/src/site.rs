//! Lays out `dist/`: the Wasm package under `/pkg/<id>/`, the stylesheet beside it, the public
//! assets, and `index.html` with its static first paint and its loader.
//!
//! Everything under `/pkg/<id>/` belongs to one build and never changes under its name (the
//! server caches it as immutable), so the page imports `app.js` by one URL and a new build
//! never mixes its files with an old one's.

use std::fmt::Write as _;
use std::path::Path;

use anyhow::Context;
use domain::i18n::{Lang, Text};

use crate::wasm;

/// Splits whose code runs on every screen right after the first render (app/src/app.rs): the
/// keys' refresh on a device that has stored nothing yet (the outbox engine on any other device,
/// which has the app cached by its service worker).
const ON_EVERY_SCREEN: &[&str] = &["keys_refresh"];

pub fn write(root: &Path, dist: &Path, id: &str, build_id: &str) -> anyhow::Result<()> {
    let pkg_url = format!("/pkg/{id}/");
    let pkg_dir = dist.join("pkg").join(id);
    let package = wasm::build(root, &pkg_dir, &pkg_url, build_id)?;
    wasm::build_decoders(root, &pkg_dir)?;
    std::fs::copy(root.join("style/main.css"), pkg_dir.join("main.css"))?;
    crate::locales::write(root, &pkg_dir)?;
    copy_dir(&root.join("public/icons"), &dist.join("icons"))?;
    copy_dir(&root.join("public/data"), &dist.join("data"))?;
    std::fs::copy(
        root.join("public/manifest.webmanifest"),
        dist.join("manifest.webmanifest"),
    )?;
    let screens = wasm::screens(root)?;
    let template = std::fs::read_to_string(root.join("app/index.html"))?;
    let html = index_html(&template, &pkg_url, &screens, &package)?;
    std::fs::write(dist.join("index.html"), html)?;
    Ok(())
}

/// Fills the template's `{{pkg}}`, `{{boot}}` and `{{Text}}` markers (Vietnamese, the default
/// language: the static first paint is shown before any code runs).
fn index_html(
    template: &str,
    pkg_url: &str,
    screens: &[(String, String)],
    package: &wasm::Package,
) -> anyhow::Result<String> {
    let boot = boot_script(pkg_url, screens, package)?;
    let mut html = template
        .replace("{{pkg}}", pkg_url)
        .replace("{{boot}}", &boot);
    while let Some(start) = html.find("{{") {
        let end = html[start..]
            .find("}}")
            .map(|end| start + end)
            .context("unclosed {{ in app/index.html")?;
        let name = &html[start + 2..end];
        let text = Text::ALL
            .iter()
            .find(|text| format!("{text:?}") == name)
            .with_context(|| format!("app/index.html names an unknown text {{{{{name}}}}}"))?;
        html.replace_range(start..end + 2, &escape_html(text.in_lang(Lang::Vi)));
    }
    Ok(html)
}

/// The module that starts the app: it asks for the current screen's chunks at once (in parallel
/// with the main module) instead of after the main module has run, then starts the Wasm.
fn boot_script(
    pkg_url: &str,
    screens: &[(String, String)],
    package: &wasm::Package,
) -> anyhow::Result<String> {
    let files = |split: &str| -> anyhow::Result<&Vec<String>> {
        package
            .splits
            .get(split)
            .with_context(|| format!("the split produced no chunk for screen {split}"))
    };
    let table: Vec<(&str, &Vec<String>)> = screens
        .iter()
        .map(|(split, path)| Ok((path.as_str(), files(split)?)))
        .collect::<anyhow::Result<_>>()?;
    let mut always = Vec::new();
    for split in ON_EVERY_SCREEN {
        always.extend(files(split)?.iter().cloned());
    }
    let mut script = String::new();
    writeln!(script, "import init from \"{pkg_url}app.js\";")?;
    // The browser's install offer can come before the Wasm runs: kept for the install page
    // (app/src/adapters/install.rs), which shows its own button instead of the browser's bar.
    script.push_str(
        r#"addEventListener("beforeinstallprompt", (event) => {
  event.preventDefault();
  window.__tokhaiInstallPrompt = event;
  dispatchEvent(new Event("tokhai-installable"));
});
"#,
    );
    writeln!(script, "const pkg = \"{pkg_url}\";")?;
    writeln!(
        script,
        "const screens = {};",
        serde_json::to_string(&table)?
    )?;
    writeln!(
        script,
        "const always = {};",
        serde_json::to_string(&always)?
    )?;
    script.push_str(
        r#"const here = location.pathname.split("/").filter(Boolean);
const screen = screens.find(([pattern]) => {
  const parts = pattern.split("/").filter(Boolean);
  return parts.length === here.length && parts.every((part, i) => part.startsWith(":") || part === here[i]);
});
for (const file of new Set([...(screen ? screen[1] : []), ...always])) {
  const link = document.createElement("link");
  link.rel = "preload";
  link.as = "fetch";
  link.crossOrigin = "anonymous";
  link.href = `${pkg}${file}.wasm`;
  document.head.append(link);
}
init({ module_or_path: `${pkg}app_bg.wasm` });
"#,
    );
    Ok(script)
}

fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn copy_dir(from: &Path, to: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from).with_context(|| format!("reading {}", from.display()))? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), target)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_screens_table() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
        let screens = wasm::screens(root).unwrap();
        assert!(screens.contains(&("home".to_owned(), "/".to_owned())));
        assert!(screens.contains(&("entry".to_owned(), "/profiles/:id/declare/:kind".to_owned())));
    }

    #[test]
    fn fills_texts_and_refuses_unknown_ones() {
        let package = wasm::Package {
            splits: [("home".to_owned(), vec!["split_home".to_owned()])]
                .into_iter()
                .chain([("keys_refresh".to_owned(), vec!["chunk_0".to_owned()])])
                .collect(),
        };
        let screens = [("home".to_owned(), "/".to_owned())];
        let html = index_html(
            "<h1>{{AppName}}</h1><script>{{boot}}</script>",
            "/pkg/x/",
            &screens,
            &package,
        )
        .unwrap();
        assert!(html.contains("<h1>Tờ khai y tế</h1>"));
        assert!(html.contains("import init from \"/pkg/x/app.js\""));
        assert!(html.contains("[[\"/\",[\"split_home\"]]]"));
        assert!(index_html("{{NoSuchText}}", "/pkg/x/", &screens, &package).is_err());
    }
}

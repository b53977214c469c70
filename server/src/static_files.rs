//! Static hosting of the app built by `cargo xtask`, with the caching and security headers of
//! DESIGN.md §6.

use std::path::{Path, PathBuf};

use anyhow::Context;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::Router;
use base64::Engine;
use sha2::{Digest, Sha256};
use tower_http::services::{ServeDir, ServeFile};

/// The built app and the header values derived from it.
#[derive(Debug, Clone)]
pub struct Site {
    dist: PathBuf,
    csp: HeaderValue,
}

impl Site {
    /// Reads `index.html` of `dist` to allow exactly its inline scripts in the CSP.
    pub fn load(dist: &Path) -> anyhow::Result<Site> {
        let index = dist.join("index.html");
        let html = std::fs::read_to_string(&index).with_context(|| {
            format!(
                "cannot read {}: build the app first (cargo xtask run)",
                index.display()
            )
        })?;
        let csp = HeaderValue::from_str(&content_security_policy(&html))?;
        Ok(Site {
            dist: dist.to_owned(),
            csp,
        })
    }

    /// Files of `dist`; any other path gets `index.html`, whose router shows the screen or its own
    /// "not found" page.
    pub fn router(self) -> Router {
        let index = ServeFile::new(self.dist.join("index.html")).precompressed_br();
        let files = ServeDir::new(&self.dist).precompressed_br().fallback(index);
        Router::new()
            .fallback_service(files)
            .layer(middleware::from_fn(cache_headers))
    }

    /// The Content-Security-Policy for this build of the app.
    pub fn csp(&self) -> HeaderValue {
        self.csp.clone()
    }
}

async fn cache_headers(request: Request, next: Next) -> Response {
    let cache = cache_control(request.uri().path());
    let mut response = next.run(request).await;
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    response
}

/// The security headers of DESIGN.md §6, on every response (API included).
pub async fn security_headers(
    State(csp): State<HeaderValue>,
    request: Request,
    next: Next,
) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_SECURITY_POLICY, csp);
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(self), geolocation=(self), microphone=(), payment=()"),
    );
    headers.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    response
}

/// Hashed assets never change under their name and may be cached for a year; everything else
/// (the HTML shell, the service worker, the manifest, icons) must be revalidated so that a new
/// build reaches users.
fn cache_control(path: &str) -> &'static str {
    if is_hashed_asset(path) {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    }
}

/// The build puts its code, styles and translations under `/pkg/<build id>/` (xtask/src/site.rs):
/// a new build gets a new directory, so nothing there changes under its name.
fn is_hashed_asset(path: &str) -> bool {
    path.strip_prefix("/pkg/")
        .and_then(|rest| rest.split_once('/'))
        .is_some_and(|(id, file)| {
            !id.is_empty() && id.bytes().all(|b| b.is_ascii_hexdigit()) && !file.is_empty()
        })
}

/// The policy of DESIGN.md §6: only this origin, Wasm compilation allowed, and the inline scripts
/// of `index.html` (the app's loader) allowed by hash, never `unsafe-inline`.
fn content_security_policy(index_html: &str) -> String {
    let hashes: String = inline_scripts(index_html)
        .map(|script| {
            let digest = Sha256::digest(script.as_bytes());
            format!(
                " 'sha256-{}'",
                base64::engine::general_purpose::STANDARD.encode(digest)
            )
        })
        .collect();
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{hashes}; \
         style-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; \
         connect-src 'self'; worker-src 'self'; manifest-src 'self'; font-src 'self'; \
         object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
    )
}

/// The text of each `<script>` element without a `src` attribute, exactly as the browser hashes it.
fn inline_scripts(html: &str) -> impl Iterator<Item = &str> {
    let mut rest = html;
    std::iter::from_fn(move || loop {
        let start = rest.find("<script")?;
        let after_tag = &rest[start..];
        let open_end = after_tag.find('>')?;
        let attributes = &after_tag[..open_end];
        let body_and_rest = &after_tag[open_end + 1..];
        let close = body_and_rest.find("</script>")?;
        let body = &body_and_rest[..close];
        rest = &body_and_rest[close + "</script>".len()..];
        if !attributes.contains("src=") {
            return Some(body);
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_build_directories() {
        assert!(is_hashed_asset("/pkg/3fa9c2e1b0d4/app.js"));
        assert!(is_hashed_asset("/pkg/3fa9c2e1b0d4/app_bg.wasm"));
        assert!(is_hashed_asset("/pkg/3fa9c2e1b0d4/locales/en.json"));
        assert!(!is_hashed_asset("/pkg/3fa9c2e1b0d4/"));
        assert!(!is_hashed_asset("/pkg/not-hex/app.js"));
        assert!(!is_hashed_asset("/pkg//app.js"));
        assert!(!is_hashed_asset("/sw.js"));
        assert!(!is_hashed_asset("/index.html"));
        assert!(!is_hashed_asset("/manifest.webmanifest"));
        assert!(!is_hashed_asset("/icons/icon-192.png"));
        assert!(!is_hashed_asset("/profiles/new"));
    }

    #[test]
    fn csp_hashes_inline_scripts_only() {
        let html = r#"<html><head><script src="/x.js"></script>
<script type="module">boot()</script></head><body><script>a</script></body></html>"#;
        let scripts: Vec<_> = inline_scripts(html).collect();
        assert_eq!(scripts, ["boot()", "a"]);
        let csp = content_security_policy(html);
        // sha256("a") in base64.
        assert!(csp.contains("'sha256-ypeBEsobvcr6wjGzmiPcTaeG7/gUfE5yuYB3ha/uSLs='"));
        assert!(csp.contains("'wasm-unsafe-eval'"));
        assert!(!csp.contains("unsafe-inline"));
        assert!(!csp.contains("'unsafe-eval'"));
        assert!(csp.contains("object-src 'none'"));
        assert!(csp.contains("base-uri 'none'"));
        assert!(csp.contains("frame-ancestors 'none'"));
    }
}

//! The server's HTTP surface, exercised in-process against a throwaway data and dist directory.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use tower::ServiceExt;

const INDEX: &str = r#"<!DOCTYPE html><html><head><script type="module">boot()</script>
<link rel="modulepreload" href="/app-0123456789abcdef.js"></head><body></body></html>"#;

struct TestServer {
    app: Router,
    _dirs: (tempfile::TempDir, tempfile::TempDir),
}

async fn server() -> TestServer {
    let data = tempfile::tempdir().unwrap();
    let dist = tempfile::tempdir().unwrap();
    std::fs::write(dist.path().join("index.html"), INDEX).unwrap();
    std::fs::write(dist.path().join("app-0123456789abcdef.js"), "export {}").unwrap();
    std::fs::write(dist.path().join("sw.js"), "// worker").unwrap();
    let config = server::Config {
        data_dir: data.path().to_owned(),
        dist: dist.path().to_owned(),
    };
    TestServer {
        app: server::build(&config).await.unwrap(),
        _dirs: (data, dist),
    }
}

async fn get(server: &TestServer, path: &str) -> (StatusCode, axum::http::HeaderMap, String) {
    let response = server
        .app
        .clone()
        .oneshot(Request::get(path).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    (status, headers, String::from_utf8_lossy(&body).into_owned())
}

#[tokio::test]
async fn health_answers_and_is_never_cached() {
    let server = server().await;
    let (status, headers, body) = get(&server, "/api/v1/health").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CACHE_CONTROL], "no-store");
    assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(json["status"], "ok");
}

#[tokio::test]
async fn unknown_api_routes_are_json_404_not_the_app_shell() {
    let server = server().await;
    for path in [
        "/api/v1/nope",
        "/api/v1/",
        "/api/v1/health/extra",
        "/api",
        "/api/",
        "/api/v2/health",
    ] {
        let (status, headers, body) = get(&server, path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(headers[header::CONTENT_TYPE], "application/json", "{path}");
        assert!(body.contains("\"not_found\""), "{path}: {body}");
    }
}

#[tokio::test]
async fn openapi_document_lists_the_endpoints() {
    let server = server().await;
    let (status, _, body) = get(&server, "/api/v1/openapi.json").await;
    assert_eq!(status, StatusCode::OK);
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert!(json["openapi"].as_str().unwrap().starts_with("3."));
    assert!(json["paths"]["/api/v1/health"]["get"].is_object());
}

#[tokio::test]
async fn app_shell_is_revalidated_and_carries_the_csp() {
    let server = server().await;
    for path in ["/", "/profiles/new", "/some/unknown/screen"] {
        let (status, headers, body) = get(&server, path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert_eq!(body, INDEX, "{path}");
        assert_eq!(headers[header::CACHE_CONTROL], "no-cache", "{path}");
        let csp = headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
        // sha256("boot()"), base64.
        assert!(csp.contains("'sha256-"), "{csp}");
        assert!(!csp.contains("unsafe-inline"));
        assert_eq!(headers[header::REFERRER_POLICY], "no-referrer");
    }
}

#[tokio::test]
async fn hashed_assets_are_immutable_and_the_worker_is_not() {
    let server = server().await;
    let (status, headers, _) = get(&server, "/app-0123456789abcdef.js").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        headers[header::CACHE_CONTROL],
        "public, max-age=31536000, immutable"
    );
    let (status, headers, _) = get(&server, "/sw.js").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CACHE_CONTROL], "no-cache");
}

#[tokio::test]
async fn missing_dist_is_a_clear_startup_error() {
    let data = tempfile::tempdir().unwrap();
    let config = server::Config {
        data_dir: data.path().to_owned(),
        dist: data.path().join("no-dist"),
    };
    let error = server::build(&config).await.unwrap_err();
    assert!(format!("{error:#}").contains("build the app first"));
}

//! The server's HTTP surface, exercised in-process against a throwaway data and dist directory.

mod support;

use axum::http::{header, StatusCode};
use support::TestServer;

const INDEX: &str = r#"<!DOCTYPE html><html><head><script type="module">boot()</script>
<link rel="modulepreload" href="/pkg/0123456789ab/app.js"></head><body></body></html>"#;

async fn server() -> TestServer {
    TestServer::start(
        INDEX,
        &[
            ("pkg/0123456789ab/app.js", "export {}"),
            ("sw.js", "// worker"),
        ],
    )
    .await
}

#[tokio::test]
async fn health_answers_and_is_never_cached() {
    let server = server().await;
    let (status, headers, body) = server.get("/api/v1/health").await;
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
        let (status, headers, body) = server.get(path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(headers[header::CONTENT_TYPE], "application/json", "{path}");
        assert!(body.contains("\"not_found\""), "{path}: {body}");
    }
}

#[tokio::test]
async fn openapi_document_lists_the_endpoints() {
    let server = server().await;
    let (status, _, body) = server.get("/api/v1/openapi.json").await;
    assert_eq!(status, StatusCode::OK);
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert!(json["openapi"].as_str().unwrap().starts_with("3."));
    assert!(json["paths"]["/api/v1/health"]["get"].is_object());
}

#[tokio::test]
async fn policy_tells_the_validity_period() {
    let server = server().await;
    let (status, headers, body) = server.get("/api/v1/policy").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CACHE_CONTROL], "no-store");
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(json["declaration_validity_hours"], 24);
}

#[tokio::test]
async fn app_shell_is_revalidated_and_carries_the_csp() {
    let server = server().await;
    for path in ["/", "/profiles/new", "/some/unknown/screen"] {
        let (status, headers, body) = server.get(path).await;
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
    let (status, headers, _) = server.get("/pkg/0123456789ab/app.js").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        headers[header::CACHE_CONTROL],
        "public, max-age=31536000, immutable"
    );
    let (status, headers, _) = server.get("/sw.js").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CACHE_CONTROL], "no-cache");
}

#[tokio::test]
async fn missing_dist_is_a_clear_startup_error() {
    let data = tempfile::tempdir().unwrap();
    let config = server::Config {
        data_dir: data.path().to_owned(),
        database_url: None,
        rate_limit: None,
        dist: data.path().join("no-dist"),
        policy: Default::default(),
        retention_days: 21,
        code_sender: server::CodeSender::Log,
        limits: Default::default(),
        public_origin: None,
        trusted_proxies: Default::default(),
        clock: server::system_clock,
    };
    let error = server::build(&config).await.unwrap_err();
    assert!(format!("{error:#}").contains("build the app first"));
}

#[tokio::test]
async fn api_floods_get_429_with_retry_after_and_static_files_do_not() {
    let limit = server::RateLimit {
        per_second: std::num::NonZeroU32::new(1).unwrap(),
        burst: std::num::NonZeroU32::new(3).unwrap(),
    };
    let server = TestServer::start_limited(INDEX, &[], Some(limit)).await;
    for _ in 0..3 {
        let (status, _, _) = server.get("/api/v1/health").await;
        assert_eq!(status, StatusCode::OK);
    }
    let (status, headers, body) = server.get("/api/v1/health").await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    let retry_after: u64 = headers[header::RETRY_AFTER]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=2).contains(&retry_after), "{retry_after}");
    assert!(body.contains("\"rate_limited\""), "{body}");
    let (status, _, _) = server.get("/").await;
    assert_eq!(status, StatusCode::OK);
}

//! A server in-process for integration tests, on SQLite by default or on a fresh PostgreSQL
//! database when `TOKHAI_TEST_DATABASE_URL` names a cluster (`cargo xtask test` runs the suite
//! both ways).

#![allow(dead_code)] // Each test file uses its own part of this module.

use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::http::{header, HeaderMap, Request, StatusCode};
use axum::routing::post;
use axum::Json;
use axum::Router;
use http_body_util::BodyExt;
use serde_json::Value;
use sqlx::Connection;
use tower::ServiceExt;

/// A fake SMS gateway: records each message it is asked to send, with the secret it got.
pub struct Gateway {
    pub url: String,
    pub messages: Arc<Mutex<Vec<(String, Value)>>>,
}

impl Gateway {
    pub async fn start() -> Gateway {
        let messages = Arc::new(Mutex::new(Vec::new()));
        let recorded = messages.clone();
        let app = Router::new().route(
            "/sms",
            post(
                move |headers: axum::http::HeaderMap, Json(body): Json<Value>| {
                    let recorded = recorded.clone();
                    async move {
                        let auth = headers[header::AUTHORIZATION].to_str().unwrap().to_owned();
                        recorded.lock().unwrap().push((auth, body));
                        StatusCode::OK
                    }
                },
            ),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/sms", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Gateway { url, messages }
    }

    /// The code in the last message sent.
    pub fn last_code(&self) -> String {
        let messages = self.messages.lock().unwrap();
        let (_, body) = messages.last().expect("a message was sent");
        code_in(body)
    }

    /// The code in the last message sent to `phone` (national form).
    pub fn code_for(&self, phone: &str) -> String {
        let messages = self.messages.lock().unwrap();
        let (_, body) = messages
            .iter()
            .rev()
            .find(|(_, body)| body["phone"] == phone)
            .expect("a message was sent to this phone");
        code_in(body)
    }

    /// How many messages were sent to `phone` (national form).
    pub fn sent_to(&self, phone: &str) -> usize {
        let messages = self.messages.lock().unwrap();
        messages
            .iter()
            .filter(|(_, body)| body["phone"] == phone)
            .count()
    }
}

fn code_in(body: &Value) -> String {
    body["message"]
        .as_str()
        .unwrap()
        .split(|c: char| !c.is_ascii_digit())
        .find(|part| part.len() == 6)
        .unwrap()
        .to_owned()
}

/// Runs `$body` with `$connection` bound to a connection of the test's own to the server's
/// database: PostgreSQL or the SQLite file.
macro_rules! with_connection {
    ($server:expr, $connection:ident => $body:expr) => {
        match &$server.database_url {
            Some(url) => {
                let mut $connection = sqlx::PgConnection::connect(url).await.unwrap();
                $body
            }
            None => {
                let url = format!(
                    "sqlite:{}",
                    $server.data.path().join("tokhai.sqlite").display()
                );
                let mut $connection = sqlx::SqliteConnection::connect(&url).await.unwrap();
                $body
            }
        }
    };
}

pub struct TestServer {
    pub app: Router,
    /// The same service, with its writer handle.
    pub handle: server::App,
    pub data: tempfile::TempDir,
    pub dist: tempfile::TempDir,
    pub database_url: Option<String>,
}

/// Now, in milliseconds since the Unix epoch: submissions must be stamped within the server's
/// window (a day ahead at most, the retention days back at most).
#[allow(dead_code)]
pub fn now_ms() -> i64 {
    server::system_clock()
}

/// A daily health declaration for a fixed person, stamped now, with `cough` answered as given.
#[allow(dead_code)]
pub fn daily_health(id: uuid::Uuid, cough: bool) -> serde_json::Value {
    serde_json::json!({
        "id": id,
        "created_at_ms": now_ms(),
        "content": {
            "kind": "daily_health",
            "body": {
                "person": {
                    "profile_id": uuid::Uuid::from_u128(7),
                    "full_name": "Nguyễn Văn An",
                    "year_of_birth": 1985,
                    "phone": "0912345678"
                },
                "on_behalf": false,
                "consent_version": 1,
                "answers": {
                    "fever": false,
                    "cough": cough,
                    "shortness_of_breath": false,
                    "other_signs": ""
                }
            }
        }
    })
}

/// A fresh, empty PostgreSQL database on the test cluster, if one is configured.
async fn fresh_postgres() -> Option<String> {
    let admin = std::env::var("TOKHAI_TEST_DATABASE_URL").ok()?;
    let name = format!("tokhai_test_{}", uuid::Uuid::new_v4().simple());
    let mut connection = sqlx::PgConnection::connect(&admin).await.unwrap();
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut connection)
        .await
        .unwrap();
    let (base, _) = admin.rsplit_once('/').unwrap();
    Some(format!("{base}/{name}"))
}

impl TestServer {
    /// A server whose built app is `index_html` plus `files`, without rate limiting.
    pub async fn start(index_html: &str, files: &[(&str, &str)]) -> TestServer {
        TestServer::start_limited(index_html, files, None).await
    }

    pub async fn start_limited(
        index_html: &str,
        files: &[(&str, &str)],
        rate_limit: Option<server::RateLimit>,
    ) -> TestServer {
        TestServer::start_with(index_html, files, rate_limit, server::CodeSender::Log).await
    }

    pub async fn start_with(
        index_html: &str,
        files: &[(&str, &str)],
        rate_limit: Option<server::RateLimit>,
        code_sender: server::CodeSender,
    ) -> TestServer {
        TestServer::start_configured(index_html, files, |config| {
            config.rate_limit = rate_limit;
            config.code_sender = code_sender;
        })
        .await
    }

    /// A server whose built app is `index_html` plus `files`, configured by `configure` from
    /// the tests' defaults (no rate limit, codes to the log).
    pub async fn start_configured(
        index_html: &str,
        files: &[(&str, &str)],
        configure: impl FnOnce(&mut server::Config),
    ) -> TestServer {
        let data = tempfile::tempdir().unwrap();
        let dist = tempfile::tempdir().unwrap();
        std::fs::write(dist.path().join("index.html"), index_html).unwrap();
        for (name, content) in files {
            let file = dist.path().join(name);
            std::fs::create_dir_all(file.parent().unwrap()).unwrap();
            std::fs::write(file, content).unwrap();
        }
        let database_url = fresh_postgres().await;
        let mut config = server::Config {
            data_dir: data.path().to_owned(),
            database_url: database_url.clone(),
            rate_limit: None,
            dist: dist.path().to_owned(),
            policy: Default::default(),
            retention_days: 21,
            code_sender: server::CodeSender::Log,
            limits: Default::default(),
            public_origin: None,
            trusted_proxies: Default::default(),
            clock: server::system_clock,
        };
        configure(&mut config);
        let handle = server::build_app(&config).await.unwrap();
        TestServer {
            app: handle.router.clone(),
            handle,
            data,
            dist,
            database_url,
        }
    }

    /// Serves this server's router over TCP on `127.0.0.1` through `server::serve` with
    /// `limits`, as the binary does; returns the address to connect to.
    pub async fn listen(&self, limits: server::Limits) -> std::net::SocketAddr {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let app = self.app.clone();
        tokio::spawn(async move {
            server::serve(listener, app, limits, std::future::pending())
                .await
                .unwrap()
        });
        address
    }

    /// A server whose sign-in codes go to `gateway`.
    pub async fn with_gateway(gateway: &Gateway) -> TestServer {
        TestServer::start_with(
            "<html></html>",
            &[],
            None,
            server::CodeSender::Webhook {
                url: gateway.url.clone(),
                secret: "s3cret".into(),
            },
        )
        .await
    }

    /// Signs `phone` in through `gateway`; returns the `Cookie` header value of the session.
    pub async fn signed_in(&self, gateway: &Gateway, phone: &str) -> String {
        let (status, _) = self
            .post("/api/v1/auth/code", &serde_json::json!({ "phone": phone }))
            .await;
        assert_eq!(status, StatusCode::ACCEPTED);
        let code = gateway.last_code();
        let (status, headers, _) = self
            .request(
                Request::post("/api/v1/auth/session")
                    .header(header::CONTENT_TYPE, "application/json")
                    .body(Body::from(
                        serde_json::json!({ "phone": phone, "code": code }).to_string(),
                    ))
                    .unwrap(),
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        let cookie = headers[header::SET_COOKIE].to_str().unwrap();
        cookie.split(';').next().unwrap().to_owned()
    }

    /// A JSON request with a session cookie.
    pub async fn send_signed_in(
        &self,
        cookie: &str,
        request: axum::http::request::Builder,
        body: Option<&Value>,
    ) -> (StatusCode, HeaderMap, Vec<u8>) {
        let request = request
            .header(header::COOKIE, cookie)
            .header(header::HOST, "127.0.0.1:8080")
            .header(header::CONTENT_TYPE, "application/json");
        let body = body.map_or_else(Body::empty, |body| {
            Body::from(serde_json::to_vec(body).unwrap())
        });
        self.request(request.body(body).unwrap()).await
    }

    pub async fn request(&self, request: Request<Body>) -> (StatusCode, HeaderMap, Vec<u8>) {
        let response = self.app.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.into_body().collect().await.unwrap().to_bytes();
        (status, headers, body.to_vec())
    }

    pub async fn get(&self, path: &str) -> (StatusCode, HeaderMap, String) {
        let (status, headers, body) = self
            .request(Request::get(path).body(Body::empty()).unwrap())
            .await;
        (status, headers, String::from_utf8_lossy(&body).into_owned())
    }

    pub async fn post_raw(
        &self,
        path: &str,
        content_type: &str,
        body: Vec<u8>,
    ) -> (StatusCode, Value) {
        let (status, _, body) = self
            .request(
                Request::post(path)
                    .header(header::CONTENT_TYPE, content_type)
                    .body(Body::from(body))
                    .unwrap(),
            )
            .await;
        (status, serde_json::from_slice(&body).unwrap_or(Value::Null))
    }

    /// A JSON request sent with a device key (`X-Tokhai-Device`), as the app sends it.
    pub async fn send_as(
        &self,
        device: &str,
        request: axum::http::request::Builder,
        body: Option<&Value>,
    ) -> (StatusCode, Value) {
        let request = request
            .header("x-tokhai-device", device)
            .header(header::CONTENT_TYPE, "application/json");
        let body = body.map_or_else(Body::empty, |body| {
            Body::from(serde_json::to_vec(body).unwrap())
        });
        let (status, _, body) = self.request(request.body(body).unwrap()).await;
        (status, serde_json::from_slice(&body).unwrap_or(Value::Null))
    }

    /// The server's database, opened again by the test.
    pub async fn db(&self) -> server::Db {
        server::Db::open(self.database_url.as_deref(), self.data.path())
            .await
            .unwrap()
    }

    pub async fn post(&self, path: &str, body: &Value) -> (StatusCode, Value) {
        self.post_raw(path, "application/json", serde_json::to_vec(body).unwrap())
            .await
    }

    /// Runs `$body` with `$connection` bound to a connection of the test's own to the server's
    /// database, whichever it is.
    pub async fn execute(&self, statement: &str) {
        with_connection!(self, connection => sqlx::query(statement).execute(&mut connection).await.map(drop).unwrap())
    }

    /// The single number `query` answers.
    pub async fn count(&self, query: &str) -> i64 {
        with_connection!(self, connection => sqlx::query_scalar(query).fetch_one(&mut connection).await.unwrap())
    }

    /// Rows in the submissions table.
    pub async fn rows(&self) -> i64 {
        self.count("SELECT COUNT(*) FROM submissions").await
    }
}

/// A declaration `body` carrying `device`'s public key, for a live pass.
pub fn with_device_key(mut body: Value, device: &ed25519_dalek::SigningKey) -> Value {
    use base64::Engine as _;
    body["content"]["body"]["pass_key"] = serde_json::json!({
        "algorithm": "ed25519",
        "public_key": base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(device.verifying_key().as_bytes()),
    });
    body
}

/// The pass a declaration's receipt carries.
pub fn issued(receipt: &Value) -> domain::pass::IssuedPass {
    serde_json::from_value(receipt["pass"].clone()).expect("the receipt carries a pass")
}

/// Set by `cargo xtask test`, which installs the external programs some tests use: a missing one
/// is then a failure, not a skip.
const REQUIRE_EXTERNAL_TOOLS: &str = "TOKHAI_REQUIRE_EXTERNAL_TOOLS";

/// Where `program` is on `PATH`. When it is missing the test that needs it for `purpose` says so
/// and skips that part, so a plain `cargo test` passes without it; unless `REQUIRE_EXTERNAL_TOOLS`
/// is set, when missing it fails.
fn external_program(program: &str, purpose: &str) -> Option<std::path::PathBuf> {
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join(program))
            .find(|path| path.is_file())
    });
    if found.is_none() {
        assert!(
            std::env::var_os(REQUIRE_EXTERNAL_TOOLS)
                .is_none_or(|value| value.is_empty() || value == "0"),
            "{program} is not on PATH, and {REQUIRE_EXTERNAL_TOOLS} requires it for {purpose}"
        );
        // Straight to stderr, past the test harness's capture, so the skip is seen.
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr(),
            "skipped: {purpose} needs {program}, which is not on PATH (`cargo xtask test` installs it)"
        );
    }
    found
}

/// `csv` as LibreOffice reads it, converted to a flat OpenDocument spreadsheet, or `None` (the
/// caller skips) when LibreOffice is missing outside `cargo xtask test`.
pub fn spreadsheet_of(csv: &str) -> Option<String> {
    let soffice = external_program("soffice", "opening a CSV export in LibreOffice")?;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("export.csv");
    std::fs::write(&file, csv).unwrap();
    let converted = std::process::Command::new(soffice)
        .args([
            "--headless",
            "--norestore",
            "--infilter=CSV:44,34,76",
            "--convert-to",
            "fods",
            "--outdir",
        ])
        .arg(dir.path())
        .arg(&file)
        .env("HOME", dir.path())
        .output()
        .expect("LibreOffice (soffice) runs");
    assert!(
        converted.status.success(),
        "{}",
        String::from_utf8_lossy(&converted.stderr)
    );
    Some(std::fs::read_to_string(dir.path().join("export.fods")).unwrap())
}

//! A server in-process for integration tests, on SQLite by default or on a fresh PostgreSQL
//! database when `TOKHAI_TEST_DATABASE_URL` names a cluster (`cargo xtask test` runs the suite
//! both ways).

#![allow(dead_code)] // Each test file uses its own part of this module.

use axum::body::Body;
use axum::http::{header, HeaderMap, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use serde_json::Value;
use sqlx::Connection;
use tower::ServiceExt;

pub struct TestServer {
    pub app: Router,
    pub data: tempfile::TempDir,
    pub dist: tempfile::TempDir,
    pub database_url: Option<String>,
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
        let data = tempfile::tempdir().unwrap();
        let dist = tempfile::tempdir().unwrap();
        std::fs::write(dist.path().join("index.html"), index_html).unwrap();
        for (name, content) in files {
            std::fs::write(dist.path().join(name), content).unwrap();
        }
        let database_url = fresh_postgres().await;
        let config = server::Config {
            data_dir: data.path().to_owned(),
            database_url: database_url.clone(),
            rate_limit,
            dist: dist.path().to_owned(),
            policy: Default::default(),
            retention_days: 21,
        };
        TestServer {
            app: server::build(&config).await.unwrap(),
            data,
            dist,
            database_url,
        }
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

    /// Rows in the submissions table, read with a connection of the test's own.
    pub async fn rows(&self) -> i64 {
        let query = "SELECT COUNT(*) FROM submissions";
        match &self.database_url {
            Some(url) => {
                let mut connection = sqlx::PgConnection::connect(url).await.unwrap();
                sqlx::query_scalar(query)
                    .fetch_one(&mut connection)
                    .await
                    .unwrap()
            }
            None => {
                let url = format!(
                    "sqlite:{}",
                    self.data.path().join("tokhai.sqlite").display()
                );
                let mut connection = sqlx::SqliteConnection::connect(&url).await.unwrap();
                sqlx::query_scalar(query)
                    .fetch_one(&mut connection)
                    .await
                    .unwrap()
            }
        }
    }
}

//! Database failures (DESIGN.md §6): only transient ones are `503` with `Retry-After`; a refused
//! write or a bug is a `500 internal` that the outbox must not retry, and it fails only the
//! request at fault, never the rest of its commit group. `/api/v1/health` reports the writer.

mod support;

use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{header, HeaderMap, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use serde_json::{json, Value};
use sqlx::Connection;
use support::TestServer;
use tower::ServiceExt;
use uuid::Uuid;

fn submission(id: Uuid) -> Value {
    support::daily_health(id, false)
}

async fn send(app: Router, request: Request<Body>) -> (StatusCode, HeaderMap, Value) {
    let response = app.oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        headers,
        serde_json::from_slice(&body).unwrap_or(Value::Null),
    )
}

async fn submit(app: Router, id: Uuid) -> (StatusCode, HeaderMap, Value) {
    let request = Request::post("/api/v1/submissions")
        .header(header::CONTENT_TYPE, "application/json")
        .header("x-tokhai-device", "key-of-a-test-device-0123456789abcdefgh")
        .body(Body::from(submission(id).to_string()))
        .unwrap();
    send(app, request).await
}

async fn health(app: Router) -> (StatusCode, Value) {
    let (status, _, body) = send(
        app,
        Request::get("/api/v1/health").body(Body::empty()).unwrap(),
    )
    .await;
    (status, body)
}

/// Makes the database refuse the row of `id`, as a constraint would.
async fn refuse_row(server: &TestServer, id: Uuid) {
    if server.database_url.is_some() {
        server
            .execute(&format!(
                "CREATE FUNCTION refuse_row() RETURNS trigger LANGUAGE plpgsql AS $$ \
                 BEGIN IF NEW.id = '{id}' THEN \
                 RAISE EXCEPTION 'refused by the test' USING ERRCODE = 'check_violation'; \
                 END IF; RETURN NEW; END $$"
            ))
            .await;
        server
            .execute(
                "CREATE TRIGGER refuse_row BEFORE INSERT ON submissions \
                 FOR EACH ROW EXECUTE FUNCTION refuse_row()",
            )
            .await;
    } else {
        server
            .execute(&format!(
                "CREATE TRIGGER refuse_row BEFORE INSERT ON submissions \
                 WHEN NEW.id = '{id}' BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"
            ))
            .await;
    }
}

/// A connection of the test's own holding the write lock on submissions until released.
enum Held {
    Sqlite(sqlx::SqliteConnection),
    Postgres(sqlx::PgConnection),
}

async fn hold_writes(server: &TestServer) -> Held {
    match &server.database_url {
        Some(url) => {
            let mut connection = sqlx::PgConnection::connect(url).await.unwrap();
            sqlx::query("BEGIN").execute(&mut connection).await.unwrap();
            sqlx::query("LOCK TABLE submissions IN EXCLUSIVE MODE")
                .execute(&mut connection)
                .await
                .unwrap();
            Held::Postgres(connection)
        }
        None => {
            let url = format!(
                "sqlite:{}",
                server.data.path().join("tokhai.sqlite").display()
            );
            let mut connection = sqlx::SqliteConnection::connect(&url).await.unwrap();
            sqlx::query("BEGIN IMMEDIATE")
                .execute(&mut connection)
                .await
                .unwrap();
            Held::Sqlite(connection)
        }
    }
}

async fn release(held: Held) {
    match held {
        Held::Sqlite(mut connection) => {
            sqlx::query("COMMIT")
                .execute(&mut connection)
                .await
                .unwrap();
        }
        Held::Postgres(mut connection) => {
            sqlx::query("COMMIT")
                .execute(&mut connection)
                .await
                .unwrap();
        }
    }
}

#[tokio::test]
async fn a_refused_write_is_an_internal_error_never_a_retry() {
    let server = TestServer::start("<html></html>", &[]).await;
    let bad = Uuid::new_v4();
    refuse_row(&server, bad).await;

    let (status, headers, body) = submit(server.app.clone(), bad).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR, "{body}");
    assert_eq!(body["error"], "internal");
    assert!(headers.get(header::RETRY_AFTER).is_none());
    // The cause stays in the log.
    assert!(
        !body["message"].as_str().unwrap().contains("refused"),
        "{body}"
    );

    let (status, _, _) = submit(server.app.clone(), Uuid::new_v4()).await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(server.rows().await, 1);

    // A query on a table that is not there is a bug, not an outage.
    server
        .execute("ALTER TABLE submissions RENAME TO submissions_gone")
        .await;
    let request = Request::get("/api/v1/declarations")
        .header("x-tokhai-device", "key-of-a-test-device-0123456789abcdefgh")
        .body(Body::empty())
        .unwrap();
    let (status, headers, body) = send(server.app.clone(), request).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR, "{body}");
    assert_eq!(body["error"], "internal");
    assert!(headers.get(header::RETRY_AFTER).is_none());
}

#[tokio::test]
async fn a_transient_failure_is_503_with_retry_after() {
    let server = TestServer::start("<html></html>", &[]).await;
    let id = Uuid::new_v4();
    let held = hold_writes(&server).await;
    let answer = tokio::spawn(submit(server.app.clone(), id));
    if matches!(held, Held::Postgres(_)) {
        // The writer waits for the lock; its connection is then cut as a restarting server
        // would cut it.
        let url = server.database_url.as_deref().unwrap();
        let mut admin = sqlx::PgConnection::connect(url).await.unwrap();
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let waiting: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM pg_stat_activity \
                 WHERE datname = current_database() AND wait_event_type = 'Lock'",
            )
            .fetch_one(&mut admin)
            .await
            .unwrap();
            if waiting > 0 {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "the writer never waited for the lock"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        sqlx::query(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
             WHERE datname = current_database() AND wait_event_type = 'Lock'",
        )
        .execute(&mut admin)
        .await
        .unwrap();
    }
    // SQLite: the writer gives up when its busy timeout runs out.
    let (status, headers, body) = answer.await.unwrap();
    release(held).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert_eq!(body["error"], "database_unavailable");
    let retry_after: u64 = headers[header::RETRY_AFTER]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(retry_after >= 1);

    // Retried once the database is back, the same submission is stored.
    let (status, _, body) = submit(server.app.clone(), id).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(server.rows().await, 1);
}

#[tokio::test]
async fn one_bad_row_fails_only_its_own_request_in_a_commit_group() {
    let server = TestServer::start("<html></html>", &[]).await;
    let bad = Uuid::new_v4();
    refuse_row(&server, bad).await;

    // While the database is locked the writer waits on the first requests; the next ones,
    // the bad one among them, queue up and are committed as one group once it is released.
    let held = hold_writes(&server).await;
    let mut good = Vec::new();
    for _ in 0..5 {
        good.push(tokio::spawn(submit(server.app.clone(), Uuid::new_v4())));
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    for _ in 0..5 {
        good.push(tokio::spawn(submit(server.app.clone(), Uuid::new_v4())));
    }
    let refused = tokio::spawn(submit(server.app.clone(), bad));
    tokio::time::sleep(Duration::from_millis(300)).await;
    release(held).await;

    for answer in good {
        let (status, _, body) = answer.await.unwrap();
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }
    let (status, _, body) = refused.await.unwrap();
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR, "{body}");
    assert_eq!(body["error"], "internal");
    assert_eq!(server.rows().await, 10);
}

#[tokio::test]
async fn one_bad_row_in_a_batch_refuses_only_that_item() {
    let server = TestServer::start("<html></html>", &[]).await;
    let bad = Uuid::new_v4();
    refuse_row(&server, bad).await;
    let ids = [Uuid::new_v4(), bad, Uuid::new_v4()];
    let batch = json!({"items": ids.iter().map(|id| submission(*id)).collect::<Vec<_>>()});
    let (status, results) = server.post("/api/v1/submissions/batch", &batch).await;
    assert_eq!(status, StatusCode::OK, "{results}");
    let statuses: Vec<_> = results["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|result| result["status"].as_u64().unwrap())
        .collect();
    assert_eq!(statuses, [201, 500, 201], "{results}");
    assert_eq!(results["results"][1]["error"]["error"], "internal");
    assert_eq!(server.rows().await, 2);
}

#[tokio::test]
async fn health_reports_the_writer_and_is_503_once_it_stopped() {
    let server = TestServer::start("<html></html>", &[]).await;
    let (status, body) = health(server.app.clone()).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["status"], "ok");
    assert_eq!(body["writer"], "running");

    server.handle.stop_writer();
    let deadline = Instant::now() + Duration::from_secs(5);
    let body = loop {
        let (status, body) = health(server.app.clone()).await;
        if status == StatusCode::SERVICE_UNAVAILABLE {
            break body;
        }
        assert!(Instant::now() < deadline, "health still {status}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    assert_eq!(body["status"], "unavailable");
    assert_eq!(body["writer"], "stopped");

    let (status, headers, body) = submit(server.app.clone(), Uuid::new_v4()).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert_eq!(body["error"], "database_unavailable");
    assert!(headers.get(header::RETRY_AFTER).is_some());
    assert_eq!(server.rows().await, 0);
}

#[tokio::test]
async fn a_corrupt_stored_row_is_an_internal_error() {
    use sha2::Digest;
    let server = TestServer::start("<html></html>", &[]).await;
    let device = "key-of-a-test-device-0123456789abcdefgh";
    let device_hash = format!("{:x}", sha2::Sha256::digest(device.as_bytes()));
    // Stamped now: the retention purger, which runs at start, would delete an older row.
    let now = support::now_ms();
    server
        .execute(&format!(
            "INSERT INTO submissions \
             (id, kind, content_hash, body, created_at_ms, received_at_ms, device_hash) \
             VALUES ('not-a-uuid', 'daily_health', 'x', '{{}}', {now}, {now}, '{device_hash}')"
        ))
        .await;
    let request = Request::get("/api/v1/declarations")
        .header("x-tokhai-device", device)
        .body(Body::empty())
        .unwrap();
    let (status, headers, body) = send(server.app.clone(), request).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR, "{body}");
    assert_eq!(body["error"], "internal");
    assert!(headers.get(header::RETRY_AFTER).is_none());
}

//! The outbox endpoints' idempotency and input handling (DESIGN.md §6), in-process.

mod support;

use std::collections::HashSet;

use axum::http::StatusCode;
use serde_json::{json, Value};
use support::TestServer;
use uuid::Uuid;

async fn server() -> TestServer {
    TestServer::start("<html></html>", &[]).await
}

fn submission(id: Uuid, cough: bool) -> Value {
    json!({
        "id": id,
        "created_at_ms": 1_700_000_000_000i64,
        "content": {
            "kind": "daily_health",
            "body": {
                "person": {
                    "profile_id": Uuid::from_u128(7),
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

#[tokio::test]
async fn first_delivery_creates_and_replays_get_the_same_receipt() {
    let server = server().await;
    let id = Uuid::new_v4();
    let (status, first) = server
        .post("/api/v1/submissions", &submission(id, true))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    assert_eq!(first["id"], json!(id));
    let (status, replay) = server
        .post("/api/v1/submissions", &submission(id, true))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(replay, first);
    let (status, conflict) = server
        .post("/api/v1/submissions", &submission(id, false))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(conflict["error"], "id_conflict");
    assert_eq!(server.rows().await, 1);
}

#[tokio::test]
async fn invalid_fields_are_listed_for_the_app() {
    let server = server().await;
    let mut body = submission(Uuid::new_v4(), false);
    body["content"]["body"]["person"]["year_of_birth"] = json!(1899);
    body["content"]["body"]["person"]["phone"] = json!("12345");
    let (status, error) = server.post("/api/v1/submissions", &body).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error["error"], "validation");
    assert_eq!(
        error["fields"],
        json!([
            {"field": "person.year_of_birth", "code": "out_of_range", "min": 1900, "max": time_year()},
            {"field": "person.phone", "code": "invalid_phone"}
        ])
    );
    assert_eq!(server.rows().await, 0);
}

fn time_year() -> i64 {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    // Good to the year for the next centuries.
    1970 + (now as f64 / 31_556_952.0) as i64
}

#[tokio::test]
async fn bad_bodies_get_clear_errors_and_store_nothing() {
    let server = server().await;
    let (status, error) = server
        .post_raw(
            "/api/v1/submissions",
            "application/json",
            b"{\"id\": ".to_vec(),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error["error"], "malformed_json");

    let mut unknown = submission(Uuid::new_v4(), false);
    unknown["content"]["body"]["blood_type"] = json!("O");
    let (status, error) = server.post("/api/v1/submissions", &unknown).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error["error"], "schema");

    let mut bad_id = submission(Uuid::new_v4(), false);
    bad_id["id"] = json!("12345");
    let (status, error) = server.post("/api/v1/submissions", &bad_id).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error["error"], "schema");

    let (status, error) = server
        .post_raw("/api/v1/submissions", "text/plain", b"{}".to_vec())
        .await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(error["error"], "not_json");

    let mut huge = submission(Uuid::new_v4(), false);
    huge["content"]["body"]["answers"]["other_signs"] = json!("x".repeat(2 * 1024 * 1024));
    let (status, error) = server.post("/api/v1/submissions", &huge).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(error["error"], "too_large");

    assert_eq!(server.rows().await, 0);
}

#[tokio::test]
async fn batch_reports_each_item_on_its_own() {
    let server = server().await;
    let stored = Uuid::new_v4();
    server
        .post("/api/v1/submissions", &submission(stored, true))
        .await;
    let fresh = Uuid::new_v4();
    let twin = Uuid::new_v4();
    let mut invalid = submission(Uuid::new_v4(), false);
    invalid["content"]["body"]["person"]["full_name"] = json!("");
    let batch = json!({"items": [
        submission(fresh, false),
        submission(stored, true),
        submission(stored, false),
        invalid,
        {"id": "nonsense"},
        submission(twin, false),
        submission(twin, false),
    ]});
    let (status, body) = server.post("/api/v1/submissions/batch", &batch).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let statuses: Vec<u64> = body["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|result| result["status"].as_u64().unwrap())
        .collect();
    assert_eq!(statuses, [201, 200, 422, 422, 422, 201, 200]);
    assert_eq!(
        body["results"][3]["error"]["fields"][0]["field"],
        "person.full_name"
    );
    assert_eq!(server.rows().await, 3);
}

#[tokio::test]
async fn oversized_batches_are_refused() {
    let server = server().await;
    let items: Vec<Value> = (0..501).map(|_| json!({})).collect();
    let (status, error) = server
        .post("/api/v1/submissions/batch", &json!({ "items": items }))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error["fields"][0]["field"], "items");
}

/// 20 concurrent clients replay 2,000 submissions, 30 % of them duplicates, some sent as
/// concurrent twins: exactly one row per id, and no server error.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_replays_never_make_two_rows() {
    let server = std::sync::Arc::new(server().await);
    let unique: Vec<Uuid> = (0..1_400).map(|_| Uuid::new_v4()).collect();
    let mut sends: Vec<Uuid> = unique.clone();
    // 600 duplicates: the first 100 ids sent again at once (concurrent twins), the next 500
    // replayed at the end.
    for id in unique.iter().take(100) {
        let position = sends.iter().position(|sent| sent == id).unwrap();
        sends.insert(position + 1, *id);
    }
    sends.extend(unique.iter().skip(100).take(500));
    assert_eq!(sends.len(), 2_000);
    let clients: Vec<_> = (0..20)
        .map(|client| {
            let server = server.clone();
            let mine: Vec<Uuid> = sends.iter().skip(client).step_by(20).copied().collect();
            tokio::spawn(async move {
                let mut statuses = Vec::new();
                for id in mine {
                    let (status, _) = server
                        .post("/api/v1/submissions", &submission(id, true))
                        .await;
                    statuses.push(status.as_u16());
                }
                statuses
            })
        })
        .collect();
    let mut statuses = Vec::new();
    for client in clients {
        statuses.extend(client.await.unwrap());
    }
    assert!(
        statuses
            .iter()
            .all(|status| [200, 201, 409].contains(status)),
        "{statuses:?}"
    );
    let created = statuses.iter().filter(|status| **status == 201).count();
    assert_eq!(created, unique.len());
    assert_eq!(server.rows().await, unique.len() as i64);
    let distinct: HashSet<Uuid> = sends.iter().copied().collect();
    assert_eq!(distinct.len(), unique.len());
}

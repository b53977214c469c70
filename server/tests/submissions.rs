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
    support::daily_health(id, cough)
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

/// 31 December 2026, 23:30 UTC: already 1 January in Vietnam, still 2026 on the server's
/// UTC calendar, which is the reference for years of birth.
const NEW_YEARS_EVE_MS: i64 = 1_798_759_800_000;

#[tokio::test]
async fn invalid_fields_are_listed_for_the_app() {
    let server = TestServer::start_configured("<html></html>", &[], |config| {
        config.clock = || NEW_YEARS_EVE_MS;
    })
    .await;
    let mut body = submission(Uuid::new_v4(), false);
    body["created_at_ms"] = json!(NEW_YEARS_EVE_MS);
    body["content"]["body"]["person"]["year_of_birth"] = json!(1899);
    body["content"]["body"]["person"]["phone"] = json!("12345");
    let (status, error) = server.post("/api/v1/submissions", &body).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error["error"], "validation");
    assert_eq!(
        error["fields"],
        json!([
            {"field": "person.year_of_birth", "code": "out_of_range", "min": 1900, "max": 2026},
            {"field": "person.phone", "code": "invalid_phone"}
        ])
    );
    assert_eq!(server.rows().await, 0);
}

#[tokio::test]
async fn device_times_outside_the_window_are_refused_and_the_list_trusts_receive_time() {
    const HOUR_MS: i64 = 3_600_000;
    let server = server().await;
    let now = support::now_ms();
    for (at, code) in [
        (i64::MAX, "device_clock_ahead"),
        (now + 25 * HOUR_MS, "device_clock_ahead"),
        (now - 22 * 24 * HOUR_MS, "past_retention"),
        (i64::MIN, "past_retention"),
    ] {
        let mut body = submission(Uuid::new_v4(), false);
        body["created_at_ms"] = json!(at);
        let (status, error) = server.post("/api/v1/submissions", &body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{at}: {error}");
        assert_eq!(error["fields"][0]["field"], "created_at_ms");
        assert_eq!(error["fields"][0]["code"], code);
    }
    for at in [now + HOUR_MS, now - 20 * 24 * HOUR_MS] {
        let mut body = submission(Uuid::new_v4(), false);
        body["created_at_ms"] = json!(at);
        let (status, error) = server.post("/api/v1/submissions", &body).await;
        assert_eq!(status, StatusCode::CREATED, "{at}: {error}");
    }
    assert_eq!(server.rows().await, 2);
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

    // JSON of the wrong shape, at any depth, is a 422 naming the field, never data dropped.
    // (The app sends `kind` before `body`, and then the path is exact; `json!` sorts `body`
    // first, and serde can then only name the field below `content`.)
    let refused_field = |edit: fn(&mut Value)| {
        let mut body = submission(Uuid::new_v4(), false);
        edit(&mut body);
        body
    };
    type Edit = fn(&mut Value);
    let cases: [(Edit, &str, &str); 6] = [
        (
            |b| b["content"]["body"]["blood_type"] = json!("O"),
            "blood_type",
            "unknown_field",
        ),
        (
            |b| b["content"]["body"]["person"]["nickname"] = json!("An"),
            "nickname",
            "unknown_field",
        ),
        (
            |b| {
                b["content"]["body"]["person"]["address"] =
                    json!({"street": "1 Lê Lợi", "zip": "70000"})
            },
            "zip",
            "unknown_field",
        ),
        (
            |b| b["content"]["body"]["answers"]["smell"] = json!(true),
            "smell",
            "unknown_field",
        ),
        (
            |b| b["content"]["kind"] = json!(5),
            "content",
            "invalid_value",
        ),
        (|b| b["id"] = json!("12345"), "id", "invalid_value"),
    ];
    for (edit, field, code) in cases {
        let body = refused_field(edit);
        let (status, error) = server.post("/api/v1/submissions", &body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body} → {error}");
        assert_eq!(error["error"], "validation", "{error}");
        let named = error["fields"][0]["field"].as_str().unwrap();
        assert!(
            named.ends_with(field) || named.starts_with(field),
            "{named} should name {field}"
        );
        assert!(named.starts_with("content") || named == "id", "{named}");
        assert_eq!(error["fields"][0]["code"], code, "{error}");
    }

    // Province and ward codes must be in the division catalogue, and a ward in its province.
    let hanoi_ward = 70; // Phường Hoàn Kiếm, Hà Nội (1)
    for (address, field, code) in [
        (
            json!({"province": 2, "street": ""}),
            "person.province",
            "unknown_choice",
        ),
        (
            json!({"province": 1, "ward": 1, "street": ""}),
            "person.ward",
            "unknown_choice",
        ),
        (
            json!({"province": 1, "ward": 1 << 24, "street": ""}),
            "person.ward",
            "unknown_choice",
        ),
        (
            json!({"province": 1, "ward": u32::MAX, "street": ""}),
            "person.ward",
            "unknown_choice",
        ),
        (
            json!({"province": 79, "ward": hanoi_ward, "street": ""}),
            "person.ward",
            "unknown_choice",
        ),
    ] {
        let mut body = submission(Uuid::new_v4(), false);
        body["content"]["body"]["person"]["address"] = address.clone();
        let (status, error) = server.post("/api/v1/submissions", &body).await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{address} → {error}"
        );
        assert_eq!(error["fields"][0]["field"], field, "{address} → {error}");
        assert_eq!(error["fields"][0]["code"], code, "{address} → {error}");
    }
    let mut body = submission(Uuid::new_v4(), false);
    body["content"]["body"]["person"]["address"] =
        json!({"province": 1, "ward": hanoi_ward, "street": "1 Tràng Tiền"});
    let (status, error) = server.post("/api/v1/submissions", &body).await;
    assert_eq!(status, StatusCode::CREATED, "{error}");
    assert_eq!(server.rows().await, 1);

    // Invisible and text-direction characters are refused like control characters.
    for name in ["Nguy\u{202E}ễn An", "An\u{200B}", "\u{FEFF}An"] {
        let mut body = submission(Uuid::new_v4(), false);
        body["content"]["body"]["person"]["full_name"] = json!(name);
        let (status, error) = server.post("/api/v1/submissions", &body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{error}");
        assert_eq!(
            error["fields"][0],
            json!({"field": "person.full_name", "code": "invisible_characters"})
        );
    }

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

    assert_eq!(server.rows().await, 1);
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

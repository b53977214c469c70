//! Every kind of declaration through the outbox endpoint, listed back to its own device only,
//! and deleted after the retention period (DESIGN.md §3.2, §6, §7).

mod support;

use axum::http::{Request, StatusCode};
use serde_json::{json, Value};
use support::TestServer;
use uuid::Uuid;

const PHONE_A: &str = "key-of-device-a-0123456789abcdefghijklmnop";
const PHONE_B: &str = "key-of-device-b-0123456789abcdefghijklmnop";

fn today() -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64;
    domain::date::Date::from_unix_ms(now, 0).to_string()
}

fn person() -> Value {
    json!({
        "profile_id": Uuid::from_u128(7),
        "full_name": "Trần Thị Bình",
        "year_of_birth": 1948,
        "phone": null,
        "address": {"province": 79, "ward": 26740, "street": "12 Võ Văn Ngân"},
        "id_number": null,
        "gender": "female",
        "email": null,
        "insurance_number": null,
        "nationality": "VN"
    })
}

fn declaration(kind: &str, on_behalf: bool, answers: Value) -> Value {
    json!({
        "id": Uuid::new_v4(),
        "created_at_ms": support::now_ms(),
        "content": {
            "kind": kind,
            "body": {
                "person": person(),
                "on_behalf": on_behalf,
                "consent_version": 1,
                "answers": answers
            }
        }
    })
}

/// One declaration of every kind, the first made on the person's behalf.
fn one_of_each() -> Vec<(&'static str, bool, Value)> {
    let day = today();
    vec![
        (
            "all_citizen",
            true,
            json!({
                "visited_provinces": [1], "visited_countries": ["KR"], "symptoms": ["fever"],
                "contacts": [], "conditions": ["high_blood_pressure"], "sworn_truth": true
            }),
        ),
        (
            "domestic_move",
            false,
            json!({
                "travel": {"vehicle": "plane", "vehicle_number": "VN213", "seat": "12A"},
                "departure": {"province": 1, "ward": null, "street": ""},
                "destination": {"province": 79, "ward": null, "street": ""},
                "travel_date": day
            }),
        ),
        (
            "entry",
            false,
            json!({
                "border_gate": "Nội Bài", "passport_number": "M12345678",
                "travel": {"vehicle": "plane", "vehicle_number": "KE479", "seat": ""},
                "departure_country": "KR", "entry_date": day, "visited_countries": ["KR"],
                "quarantine_address": {"province": 1, "ward": null, "street": "5 Tràng Tiền"},
                "symptoms": []
            }),
        ),
        (
            "daily_health",
            false,
            json!({
                "fever": false, "cough": true, "shortness_of_breath": false, "other_signs": ""
            }),
        ),
        (
            "report",
            false,
            json!({
                "subjects": ["suspected_case"], "place": {"province": 79, "ward": null, "street": ""},
                "observed_on": day, "details": "Ho nhiều, không đeo khẩu trang"
            }),
        ),
    ]
}

async fn list(server: &TestServer, device: &str) -> (StatusCode, Value) {
    server
        .send_as(device, Request::get("/api/v1/declarations"), None)
        .await
}

#[tokio::test]
async fn every_kind_is_stored_once_and_listed_back_to_its_device_only() {
    let server = TestServer::start("<html></html>", &[]).await;
    for (kind, on_behalf, answers) in one_of_each() {
        let body = declaration(kind, on_behalf, answers);
        for expected in [StatusCode::CREATED, StatusCode::OK] {
            let (status, reply) = server
                .send_as(PHONE_A, Request::post("/api/v1/submissions"), Some(&body))
                .await;
            assert_eq!(status, expected, "{kind}: {reply}");
        }
    }
    assert_eq!(server.rows().await, 5);

    let (status, listed) = list(&server, PHONE_A).await;
    assert_eq!(status, StatusCode::OK);
    let declarations = listed["declarations"].as_array().unwrap();
    let mut kinds: Vec<(&str, bool)> = declarations
        .iter()
        .map(|d| {
            let content = &d["content"];
            (
                content["kind"].as_str().unwrap(),
                content["body"]["on_behalf"].as_bool().unwrap(),
            )
        })
        .collect();
    kinds.sort();
    assert_eq!(
        kinds,
        [
            ("all_citizen", true),
            ("daily_health", false),
            ("domestic_move", false),
            ("entry", false),
            ("report", false)
        ]
    );

    let (status, other) = list(&server, PHONE_B).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(other["declarations"], json!([]));
    let (status, error) = server
        .post_raw("/api/v1/declarations", "application/json", vec![])
        .await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED, "{error}");
    let (status, _, body) = server.get("/api/v1/declarations").await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let (status, _) = list(&server, "short").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn each_kind_refuses_its_own_missing_answers() {
    let server = TestServer::start("<html></html>", &[]).await;
    let cases = [
        (
            "all_citizen",
            json!({"visited_provinces": [], "visited_countries": [], "symptoms": [], "contacts": [], "conditions": [], "sworn_truth": false}),
            "answers.sworn_truth",
        ),
        (
            "domestic_move",
            json!({"travel": {"vehicle": null, "vehicle_number": "", "seat": ""}, "departure": {"province": 1, "ward": null, "street": ""}, "destination": {"province": 79, "ward": null, "street": ""}, "travel_date": today()}),
            "answers.travel.vehicle",
        ),
        (
            "report",
            json!({"subjects": [], "place": {"province": 79, "ward": null, "street": ""}, "observed_on": today(), "details": ""}),
            "answers.subjects",
        ),
    ];
    for (kind, answers, field) in cases {
        let (status, error) = server
            .post("/api/v1/submissions", &declaration(kind, false, answers))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{kind}");
        assert_eq!(error["fields"][0]["field"], field, "{kind}: {error}");
    }
    let mut incomplete = declaration("all_citizen", false, one_of_each()[0].2.clone());
    incomplete["content"]["body"]["person"]["gender"] = Value::Null;
    let (status, error) = server.post("/api/v1/submissions", &incomplete).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error["fields"][0]["field"], "person.gender");
    assert_eq!(server.rows().await, 0);
}

#[tokio::test]
async fn declarations_past_retention_are_deleted() {
    let server = TestServer::start("<html></html>", &[]).await;
    let (_, _, daily) = one_of_each().remove(3);
    let body = declaration("daily_health", false, daily);
    let (status, _) = server
        .send_as(PHONE_A, Request::post("/api/v1/submissions"), Some(&body))
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let db = server.db().await;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64;
    let day = 24 * 3_600_000;
    assert_eq!(server::purge(&db, 21, now + 20 * day).await.unwrap(), 0);
    assert_eq!(server.rows().await, 1);
    assert_eq!(server::purge(&db, 21, now + 22 * day).await.unwrap(), 1);
    assert_eq!(server.rows().await, 0);
    let (_, listed) = list(&server, PHONE_A).await;
    assert_eq!(listed["declarations"], json!([]));
}

fn erasure() -> Value {
    json!({
        "id": Uuid::new_v4(),
        "created_at_ms": support::now_ms(),
        "content": {"kind": "erasure", "body": {}}
    })
}

#[tokio::test]
async fn a_deletion_request_erases_what_its_device_sent_and_nothing_else() {
    let server = TestServer::start("<html></html>", &[]).await;
    for (kind, on_behalf, answers) in one_of_each() {
        let body = declaration(kind, on_behalf, answers);
        let (status, _) = server
            .send_as(PHONE_A, Request::post("/api/v1/submissions"), Some(&body))
            .await;
        assert_eq!(status, StatusCode::CREATED);
    }
    let (kind, on_behalf, answers) = one_of_each().remove(0);
    let theirs = declaration(kind, on_behalf, answers);
    let (status, _) = server
        .send_as(PHONE_B, Request::post("/api/v1/submissions"), Some(&theirs))
        .await;
    assert_eq!(status, StatusCode::CREATED);

    // Without a device key there is nothing it could be about.
    let request = erasure();
    let (status, reply) = server.post("/api/v1/submissions", &request).await;
    assert_eq!(
        (status, reply["error"].as_str()),
        (StatusCode::BAD_REQUEST, Some("bad_device_key"))
    );

    let batch = json!({"items": [request]});
    let (status, reply) = server
        .send_as(
            PHONE_A,
            Request::post("/api/v1/submissions/batch"),
            Some(&batch),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{reply}");
    let result = &reply["results"][0];
    assert_eq!(result["status"], 201, "{reply}");
    assert_eq!(result["receipt"]["id"], request["id"]);
    assert_eq!(list(&server, PHONE_A).await.1["declarations"], json!([]));
    assert_eq!(
        list(&server, PHONE_B).await.1["declarations"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    // B's declaration and the request itself, which names nobody.
    assert_eq!(server.rows().await, 2);

    // Declared again afterwards: a replay of the old request leaves the new one alone.
    let (kind, on_behalf, answers) = one_of_each().remove(1);
    let again = declaration(kind, on_behalf, answers);
    let (status, _) = server
        .send_as(PHONE_A, Request::post("/api/v1/submissions"), Some(&again))
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, replayed) = server
        .send_as(
            PHONE_A,
            Request::post("/api/v1/submissions"),
            Some(&request),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(replayed, result["receipt"]);
    assert_eq!(
        list(&server, PHONE_A).await.1["declarations"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

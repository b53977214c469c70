//! The personal pass a declaration's receipt carries (DESIGN.md §3.3, §5.2): signed with the
//! pass key, bound to the device key the declaration sent, verifiable offline with the keys the
//! server publishes, and the same for every replay.

mod support;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use domain::pass::{verdict, GateKeys, PassError, Verdict};
use domain::poster::PublicKey;
use ed25519_dalek::{Signer, SigningKey};
use serde_json::{json, Value};
use support::TestServer;
use uuid::Uuid;

async fn gate_keys(server: &TestServer) -> GateKeys {
    let (_, _, body) = server.get("/api/v1/keys").await;
    let published: Vec<PublicKey> =
        serde_json::from_value(serde_json::from_str::<Value>(&body).unwrap()["keys"].clone())
            .unwrap();
    GateKeys::from_published(&published)
}

#[tokio::test]
async fn a_declaration_with_a_device_key_gets_a_live_pass_only_that_device_can_show() {
    let server = TestServer::start("<html></html>", &[]).await;
    let keys = gate_keys(&server).await;
    assert!(keys.has_pass_keys());
    let device = SigningKey::from_bytes(&[7; 32]);
    let body = support::with_device_key(support::daily_health(Uuid::new_v4(), false), &device);
    let (status, receipt) = server.post("/api/v1/submissions", &body).await;
    assert_eq!(status.as_u16(), 201, "{receipt}");
    let pass = support::issued(&receipt);
    let (status, replay) = server.post("/api/v1/submissions", &body).await;
    assert_eq!(status.as_u16(), 200);
    assert_eq!(
        support::issued(&replay),
        pass,
        "a replay gets the same pass"
    );

    let now_s = support::now_ms() / 1000;
    let live = pass.live().expect("a device key gives a live pass");
    let stamp = live.stamp_message(now_s as u32);
    let code = live.live_code(now_s as u32, &device.sign(&stamp).to_bytes());
    match verdict(&code, &keys, now_s + 10) {
        Verdict::Valid {
            credential,
            printed: false,
        } => {
            assert_eq!(credential.masked_name, "NGUYỄN V. A");
            assert!(credential.valid_from_s <= now_s as u32);
            assert!(credential.valid_until_s > now_s as u32 + 3600);
        }
        other => panic!("{other:?}"),
    }
    let stranger = SigningKey::from_bytes(&[8; 32]);
    let copied = live.live_code(now_s as u32, &stranger.sign(&stamp).to_bytes());
    assert_eq!(
        verdict(&copied, &keys, now_s),
        Verdict::Invalid(PassError::BadDeviceSignature)
    );
    let card = pass.card().expect("every pass has a printable card");
    assert!(matches!(
        verdict(&card.card_code(), &keys, now_s),
        Verdict::Valid { printed: true, .. }
    ));
}

#[tokio::test]
async fn batches_carry_passes_reports_do_not_and_bad_device_keys_are_refused() {
    let server = TestServer::start("<html></html>", &[]).await;
    let device = SigningKey::from_bytes(&[9; 32]);
    let declaration =
        support::with_device_key(support::daily_health(Uuid::new_v4(), true), &device);
    let mut report = support::daily_health(Uuid::new_v4(), false);
    report["content"] = json!({"kind": "report", "body": {
        "person": report["content"]["body"]["person"].clone(),
        "on_behalf": false, "consent_version": 1,
        "answers": {"subjects": ["suspected_case"], "place": {"province": 79, "ward": null, "street": ""},
                    "observed_on": domain::date::Date::from_unix_ms(support::now_ms(), 0).to_string(),
                    "details": "Đông người"}
    }});
    let (status, reply) = server
        .post(
            "/api/v1/submissions/batch",
            &json!({"items": [declaration, report]}),
        )
        .await;
    assert_eq!(status.as_u16(), 200, "{reply}");
    let results = reply["results"].as_array().unwrap();
    assert_eq!(results[0]["status"], 201, "{reply}");
    assert!(support::issued(&results[0]["receipt"]).live().is_some());
    assert_eq!(results[1]["status"], 201, "{reply}");
    assert!(
        results[1]["receipt"].get("pass").is_none(),
        "a report about someone else gives nobody a pass: {reply}"
    );

    let mut bad = support::daily_health(Uuid::new_v4(), false);
    bad["content"]["body"]["pass_key"] =
        json!({"algorithm": "ed25519", "public_key": URL_SAFE_NO_PAD.encode([1u8; 31])});
    let (status, error) = server.post("/api/v1/submissions", &bad).await;
    assert_eq!(status.as_u16(), 422, "{error}");
    assert_eq!(error["fields"][0]["field"], "pass_key", "{error}");
}

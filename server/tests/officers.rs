//! The health authority (DESIGN.md §3.5, §4): officers granted only by the server's command;
//! exposure events published, edited and withdrawn, served as a signed, cacheable list of
//! deltas; statistics by province and day; case-bound reads of unmasked visitor lists, each
//! audited once.

mod support;

use axum::http::{header, Request, StatusCode};
use serde_json::{json, Value};
use support::{now_ms, Gateway, TestServer};
use uuid::Uuid;

use domain::api::{KeysBody, SignedExposureList};

const OFFICER: &str = "0912000900";

async fn call(
    server: &TestServer,
    cookie: &str,
    request: axum::http::request::Builder,
    body: Option<&Value>,
) -> (StatusCode, Value) {
    let (status, _, body) = server.send_signed_in(cookie, request, body).await;
    (status, serde_json::from_slice(&body).unwrap_or(Value::Null))
}

/// A manager's cookie, a staff member's cookie, and their venue in Hồ Chí Minh City (79).
async fn venue_with_staff(server: &TestServer, gateway: &Gateway) -> (String, String, Value) {
    let manager = server.signed_in(gateway, "0912000901").await;
    let (status, _) = call(
        server,
        &manager,
        Request::post("/api/v1/organisation"),
        Some(&json!({"name": "Chợ Bến Thành"})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, venue) = call(
        server,
        &manager,
        Request::post("/api/v1/venues"),
        Some(&json!({
            "name": "Chợ Bến Thành", "venue_type": "market", "phone": "", "province": 79,
            "ward": null, "street": "Lê Lợi", "position": null, "intro": "",
            "default_stay_minutes": "60"
        })),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{venue}");
    let organisation = {
        let (_, access) = call(server, &manager, Request::get("/api/v1/organisation"), None).await;
        access["organisation_id"].as_str().unwrap().to_owned()
    };
    let (status, _) = call(
        server,
        &manager,
        Request::post(format!("/api/v1/organisations/{organisation}/members")),
        Some(&json!({"phone": "0912000902", "role": "staff"})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let staff = server.signed_in(gateway, "0912000902").await;
    (manager, staff, venue)
}

async fn officer(server: &TestServer, gateway: &Gateway) -> String {
    server::grant_officer(&server.db().await, OFFICER)
        .await
        .unwrap();
    server.signed_in(gateway, OFFICER).await
}

fn check_in(poster_url: &str, name: &str, visit_id: Uuid, direction: &str, at_ms: i64) -> Value {
    json!({
        "id": Uuid::new_v4(),
        "created_at_ms": at_ms,
        "content": {"kind": "check_in", "body": {
            "visitor": {
                "profile_id": Uuid::new_v4(), "full_name": name, "year_of_birth": 1990,
                "phone": "0987654321", "id_number": "079085001509"
            },
            "on_behalf": false,
            "poster": poster_url.split('#').nth(1).unwrap(),
            "visit_id": visit_id,
            "direction": direction
        }}
    })
}

fn draft(venue_id: &str, starts_at_ms: i64, ends_at_ms: i64) -> Value {
    json!({
        "venue_id": venue_id, "starts_at_ms": starts_at_ms, "ends_at_ms": ends_at_ms,
        "level": "get_tested", "advice_vi": "Đi xét nghiệm", "advice_en": "Get tested"
    })
}

/// Every officer endpoint, with a body each would accept from an officer.
fn officer_endpoints(venue_id: &str) -> Vec<(axum::http::Method, String, Option<Value>)> {
    use axum::http::Method as M;
    let now = now_ms();
    let event = Uuid::new_v4();
    vec![
        (
            M::POST,
            "/api/v1/officer/venues".into(),
            Some(json!({"q": "chợ"})),
        ),
        (M::GET, "/api/v1/officer/exposures".into(), None),
        (
            M::POST,
            "/api/v1/officer/exposures".into(),
            Some(draft(venue_id, now - 7_200_000, now - 3_600_000)),
        ),
        (
            M::PUT,
            format!("/api/v1/officer/exposures/{event}"),
            Some(draft(venue_id, now - 7_200_000, now - 3_600_000)),
        ),
        (
            M::DELETE,
            format!("/api/v1/officer/exposures/{event}"),
            None,
        ),
        (
            M::POST,
            "/api/v1/officer/statistics".into(),
            Some(json!({"from": "2026-12-01", "to": "2026-12-03"})),
        ),
        (
            M::GET,
            "/api/v1/officer/statistics.csv?from=2026-12-01&to=2026-12-03".into(),
            None,
        ),
        (
            M::POST,
            "/api/v1/officer/cases".into(),
            Some(json!({
                "venue_id": venue_id, "from_ms": now - 3_600_000, "to_ms": now,
                "case_reference": "CA-1"
            })),
        ),
        (M::GET, "/api/v1/officer/cases".into(), None),
    ]
}

#[tokio::test]
async fn only_accounts_the_command_granted_reach_officer_endpoints() {
    let gateway = Gateway::start().await;
    let server = TestServer::with_gateway(&gateway).await;
    let (manager, staff, venue) = venue_with_staff(&server, &gateway).await;
    let venue_id = venue["id"].as_str().unwrap();
    // A citizen who signed in (anyone can), without an organisation or the role.
    let citizen = server.signed_in(&gateway, "0912000903").await;
    let audit_rows = "SELECT COUNT(*) FROM audit_log";
    for (method, path, body) in officer_endpoints(venue_id) {
        let (status, _) = call(
            &server,
            "tokhai_session=none",
            Request::builder().method(method.clone()).uri(&path),
            body.as_ref(),
        )
        .await;
        assert_eq!(
            status,
            StatusCode::UNAUTHORIZED,
            "signed out: {method} {path}"
        );
        for (who, cookie) in [
            ("citizen", &citizen),
            ("manager", &manager),
            ("staff", &staff),
        ] {
            let (status, reply) = call(
                &server,
                cookie,
                Request::builder().method(method.clone()).uri(&path),
                body.as_ref(),
            )
            .await;
            assert_eq!(
                status,
                StatusCode::FORBIDDEN,
                "{who}: {method} {path}: {reply}"
            );
        }
    }
    assert_eq!(server.count(audit_rows).await, 0);
    assert_eq!(
        server.count("SELECT COUNT(*) FROM exposure_events").await,
        0
    );
    let (_, access) = call(
        &server,
        &manager,
        Request::get("/api/v1/officer/access"),
        None,
    )
    .await;
    assert_eq!(access["state"], "not_officer");

    // The command grants the role, to an account that already exists or not.
    let db = server.db().await;
    assert!(server::grant_officer(&db, "12345").await.is_err());
    server::grant_officer(&db, "+84 912 000 901").await.unwrap();
    let (status, _) = call(
        &server,
        &manager,
        Request::get("/api/v1/officer/exposures"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (_, access) = call(
        &server,
        &manager,
        Request::get("/api/v1/officer/access"),
        None,
    )
    .await;
    assert_eq!(access["state"], "officer");
    // Revoked: refused at once, with the same session.
    assert!(server::revoke_officer(&db, "0912000901").await.unwrap());
    assert!(!server::revoke_officer(&db, "0912000901").await.unwrap());
    let (status, _) = call(
        &server,
        &manager,
        Request::get("/api/v1/officer/exposures"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _, access) = server.get("/api/v1/officer/access").await;
    assert_eq!(
        status,
        StatusCode::OK,
        "signed out is an answer, not an error"
    );
    assert!(access.contains("signed_out"), "{access}");
}

async fn exposures(server: &TestServer, since: i64) -> (axum::http::HeaderMap, Value) {
    let (status, headers, body) = server
        .request(
            Request::get(format!("/api/v1/exposures?since={since}"))
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    (headers, serde_json::from_slice(&body).unwrap())
}

/// The list, verified with the server's published keys as a phone does.
async fn verified(server: &TestServer, list: &Value) -> domain::api::ExposureList {
    let (_, _, keys) = server.get("/api/v1/keys").await;
    let keys: KeysBody = serde_json::from_str(&keys).unwrap();
    let signed: SignedExposureList = serde_json::from_value(list.clone()).unwrap();
    signed
        .verify(&keys.keys)
        .expect("signed by the exposure key")
}

#[tokio::test]
async fn exposure_events_are_served_as_signed_cacheable_deltas_without_personal_data() {
    let gateway = Gateway::start().await;
    let server = TestServer::with_gateway(&gateway).await;
    let (manager, _, venue) = venue_with_staff(&server, &gateway).await;
    let venue_id = venue["id"].as_str().unwrap();
    let poster_id = domain::diary::venue_id_hex(
        &domain::poster::ScannedPoster::parse(venue["poster_url"].as_str().unwrap())
            .unwrap()
            .poster,
    );
    let officer = officer(&server, &gateway).await;
    let now = now_ms();

    // Found by name without diacritics, and by short code.
    for q in ["cho ben", venue["short_code"].as_str().unwrap()] {
        let (status, found) = call(
            &server,
            &officer,
            Request::post("/api/v1/officer/venues"),
            Some(&json!({"q": q})),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(found[0]["id"], venue["id"], "{q}: {found}");
    }

    let (_, empty) = exposures(&server, 0).await;
    assert_eq!(verified(&server, &empty).await.version, 0);

    let (status, refused) = call(
        &server,
        &officer,
        Request::post("/api/v1/officer/exposures"),
        Some(&draft(venue_id, now, now - 1)),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    assert_eq!(refused["fields"][0]["field"], "ends_at_ms");

    let (status, first) = call(
        &server,
        &officer,
        Request::post("/api/v1/officer/exposures"),
        Some(&draft(venue_id, now - 7_200_000, now - 3_600_000)),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    let (status, second) = call(
        &server,
        &officer,
        Request::post("/api/v1/officer/exposures"),
        Some(&draft(venue_id, now - 3 * 86_400_000, now - 2 * 86_400_000)),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);

    let (headers, all) = exposures(&server, 0).await;
    assert_eq!(headers[header::CACHE_CONTROL], "public, max-age=60");
    let list = verified(&server, &all).await;
    assert_eq!(list.version, 2);
    assert_eq!(list.events.len(), 2);
    assert_eq!(
        list.events[0].venue_ids,
        std::slice::from_ref(&poster_id),
        "the id phones keep in their diaries"
    );
    // Nothing but ids, times, levels and advice: no personal data, no visitor counts.
    let keys: Vec<&String> = all["events"][0].as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "advice_en",
            "advice_vi",
            "ends_at_ms",
            "event_id",
            "level",
            "starts_at_ms",
            "venue_ids"
        ]
    );

    // The same answer again is a 304 for a cache holding its ETag.
    let etag = headers[header::ETAG].to_str().unwrap().to_owned();
    let (status, _, _) = server
        .request(
            Request::get("/api/v1/exposures?since=0")
                .header(header::IF_NONE_MATCH, &etag)
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_MODIFIED);

    // An edit and a withdrawal are the next versions; a device at 2 gets only them.
    let first_id = first["event_id"].as_str().unwrap();
    let second_id = second["event_id"].as_str().unwrap();
    let mut edited = draft(venue_id, now - 7_200_000, now - 3_000_000);
    edited["level"] = json!("isolate");
    let (status, reply) = call(
        &server,
        &officer,
        Request::put(format!("/api/v1/officer/exposures/{first_id}")),
        Some(&edited),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{reply}");
    assert_eq!(reply["version"], 3);
    let (status, reply) = call(
        &server,
        &officer,
        Request::delete(format!("/api/v1/officer/exposures/{second_id}")),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(reply["withdrawn"], true);
    let (status, _) = call(
        &server,
        &officer,
        Request::put(format!("/api/v1/officer/exposures/{second_id}")),
        Some(&edited),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "a withdrawn event is not edited back"
    );

    let (headers, delta) = exposures(&server, 2).await;
    assert_ne!(headers[header::ETAG].to_str().unwrap(), etag);
    let delta = verified(&server, &delta).await;
    assert_eq!((delta.since, delta.version), (2, 4));
    assert_eq!(delta.events.len(), 1);
    assert_eq!(
        delta.events[0].level,
        domain::exposure::ExposureLevel::Isolate
    );
    assert_eq!(delta.withdrawn, [second_id.parse::<Uuid>().unwrap()]);
    // A device starting now never hears of the withdrawn event.
    let fresh = verified(&server, &exposures(&server, 0).await.1).await;
    assert_eq!(fresh.events.len(), 1);
    assert!(fresh.withdrawn.is_empty());

    // An edited signature or list is refused by the phone's check.
    let mut forged = exposures(&server, 0).await.1;
    forged["events"][0]["venue_ids"] = json!(["00"]);
    let (_, _, keys) = server.get("/api/v1/keys").await;
    let keys: KeysBody = serde_json::from_str(&keys).unwrap();
    let forged: SignedExposureList = serde_json::from_value(forged).unwrap();
    assert!(forged.verify(&keys.keys).is_err());

    let (_, listed) = call(
        &server,
        &officer,
        Request::get("/api/v1/officer/exposures"),
        None,
    )
    .await;
    assert_eq!(listed.as_array().unwrap().len(), 2);
    assert_eq!(listed[0]["withdrawn"], true, "newest change first");

    // After the manager re-issues the poster, visits kept under the old one still match: the
    // event names the old poster beside the new.
    let (status, reissued) = call(
        &server,
        &manager,
        Request::post(format!("/api/v1/venues/{venue_id}/poster")),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{reissued}");
    let new_poster_id = domain::diary::venue_id_hex(
        &domain::poster::ScannedPoster::parse(reissued["poster_url"].as_str().unwrap())
            .unwrap()
            .poster,
    );
    assert_ne!(new_poster_id, poster_id);
    let after = verified(&server, &exposures(&server, 0).await.1).await;
    let names: Vec<Vec<String>> = after
        .events
        .iter()
        .map(|event| event.venue_ids.clone())
        .collect();
    assert_eq!(names, [vec![new_poster_id, poster_id]], "{names:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_publications_take_distinct_versions() {
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let gateway = Gateway::start().await;
    let server = TestServer::with_gateway(&gateway).await;
    let (_, _, venue) = venue_with_staff(&server, &gateway).await;
    let venue_id = venue["id"].as_str().unwrap();
    let officer = officer(&server, &gateway).await;
    let now = now_ms();
    let mut publications = tokio::task::JoinSet::new();
    for i in 0..10 {
        let request = Request::post("/api/v1/officer/exposures")
            .header(header::COOKIE, &officer)
            .header(header::CONTENT_TYPE, "application/json")
            .body(axum::body::Body::from(
                draft(venue_id, now - 7_200_000 - i, now - 3_600_000).to_string(),
            ))
            .unwrap();
        let app = server.app.clone();
        publications.spawn(async move {
            let response = app.oneshot(request).await.unwrap();
            let status = response.status();
            let body = response.into_body().collect().await.unwrap().to_bytes();
            (status, serde_json::from_slice::<Value>(&body).unwrap())
        });
    }
    let mut versions = Vec::new();
    while let Some(reply) = publications.join_next().await {
        let (status, reply) = reply.unwrap();
        assert_eq!(status, StatusCode::CREATED, "{reply}");
        versions.push(reply["version"].as_i64().unwrap());
    }
    versions.sort_unstable();
    assert_eq!(versions, (1..=10).collect::<Vec<_>>());
}

#[tokio::test]
async fn a_case_read_needs_a_reference_and_each_read_is_audited_once() {
    let gateway = Gateway::start().await;
    let server = TestServer::with_gateway(&gateway).await;
    let (manager, _, venue) = venue_with_staff(&server, &gateway).await;
    let venue_id = venue["id"].as_str().unwrap();
    let url = venue["poster_url"].as_str().unwrap();
    let now = now_ms();
    for (name, at) in [
        ("Lê Thị Hồng", now - 3_600_000),
        ("Trần Văn Bình", now - 600_000),
    ] {
        let (status, reply) = server
            .post(
                "/api/v1/submissions",
                &check_in(url, name, Uuid::new_v4(), "arrival", at),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{reply}");
    }
    let officer = officer(&server, &gateway).await;
    let audit = "SELECT COUNT(*) FROM audit_log";
    let case = |reference: &str, from_ms: i64| json!({"venue_id": venue_id, "from_ms": from_ms, "to_ms": now, "case_reference": reference});

    for reference in ["", "   "] {
        let (status, reply) = call(
            &server,
            &officer,
            Request::post("/api/v1/officer/cases"),
            Some(&case(reference, now - 7_200_000)),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(reply["fields"][0]["field"], "case_reference");
    }
    let (status, _) = call(
        &server,
        &officer,
        Request::post("/api/v1/officer/cases"),
        Some(&json!({"venue_id": venue_id, "from_ms": 0, "to_ms": now})),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "no reference at all"
    );
    assert_eq!(server.count(audit).await, 0);

    let (status, read) = call(
        &server,
        &officer,
        Request::post("/api/v1/officer/cases"),
        Some(&case("HCM/F0/0142", now - 7_200_000)),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{read}");
    let names: Vec<&str> = read["visitors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|visit| visit["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["Trần Văn Bình", "Lê Thị Hồng"],
        "unmasked, newest first"
    );
    assert_eq!(read["visitors"][0]["phone"], "0987654321");
    assert_eq!(
        read["visitors"][0]["id_number"], "******509",
        "ID numbers stay masked"
    );
    assert_eq!(server.count(audit).await, 1);
    // The window keeps only the visits in it.
    let (_, narrow) = call(
        &server,
        &officer,
        Request::post("/api/v1/officer/cases"),
        Some(&case("HCM/F0/0142", now - 1_200_000)),
    )
    .await;
    assert_eq!(narrow["visitors"].as_array().unwrap().len(), 1);
    assert_eq!(server.count(audit).await, 2);

    let (status, trail) = call(
        &server,
        &officer,
        Request::get("/api/v1/officer/cases"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(trail.as_array().unwrap().len(), 2);
    assert_eq!(trail[0]["case_reference"], "HCM/F0/0142");
    assert_eq!(trail[0]["row_count"], 1);
    assert_eq!(trail[1]["row_count"], 2);
    assert_eq!(trail[0]["venue_name"], "Chợ Bến Thành");

    // Another officer sees none of these reads in their own trail.
    server::grant_officer(&server.db().await, "0912000901")
        .await
        .unwrap();
    let (_, theirs) = call(
        &server,
        &manager,
        Request::get("/api/v1/officer/cases"),
        None,
    )
    .await;
    assert_eq!(theirs, json!([]));
    // No method changes the trail.
    for method in [
        axum::http::Method::PUT,
        axum::http::Method::DELETE,
        axum::http::Method::PATCH,
    ] {
        let (status, _) = call(
            &server,
            &officer,
            Request::builder()
                .method(method.clone())
                .uri("/api/v1/officer/cases"),
            Some(&json!({})),
        )
        .await;
        assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED, "{method}");
    }
    assert_eq!(server.count(audit).await, 2);
}

#[tokio::test]
async fn statistics_count_arrivals_declarations_and_venues_by_province_and_day() {
    let gateway = Gateway::start().await;
    let server = TestServer::with_gateway(&gateway).await;
    let (_, _, venue) = venue_with_staff(&server, &gateway).await;
    let url = venue["poster_url"].as_str().unwrap();
    let now = now_ms();
    let visit = Uuid::new_v4();
    for (direction, at) in [("arrival", now - 60_000), ("departure", now - 30_000)] {
        let (status, _) = server
            .post(
                "/api/v1/submissions",
                &check_in(url, "Lê Thị Hồng", visit, direction, at),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED);
    }
    let (status, _) = server
        .post(
            "/api/v1/submissions",
            &check_in(url, "Trần Văn Bình", Uuid::new_v4(), "arrival", now),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let mut declaration = support::daily_health(Uuid::new_v4(), false);
    declaration["content"]["body"]["person"]["address"] =
        json!({"province": 1, "ward": null, "street": ""});
    let (status, reply) = server.post("/api/v1/submissions", &declaration).await;
    assert_eq!(status, StatusCode::CREATED, "{reply}");

    let officer = officer(&server, &gateway).await;
    let today =
        domain::date::Date::from_unix_ms(now, domain::date::VIETNAM_OFFSET_MINUTES).to_string();
    let (status, statistics) = call(
        &server,
        &officer,
        Request::post("/api/v1/officer/statistics"),
        Some(&json!({"from": today, "to": today})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{statistics}");
    assert_eq!(
        statistics["rows"],
        json!([
            {"day": today, "province": 1, "venues": 0, "check_ins": 0, "declarations": 1},
            {"day": today, "province": 79, "venues": 1, "check_ins": 2, "declarations": 0},
        ])
    );
    let (status, refused) = call(
        &server,
        &officer,
        Request::post("/api/v1/officer/statistics"),
        Some(&json!({"from": "2026-01-01", "to": "2026-12-31"})),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");

    let (status, _, csv) = server
        .send_signed_in(
            &officer,
            Request::get(format!(
                "/api/v1/officer/statistics.csv?from={today}&to={today}"
            )),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let csv = String::from_utf8(csv).unwrap();
    assert!(
        csv.contains(&format!("{today},79,Thành phố Hồ Chí Minh,1,2,0")),
        "{csv}"
    );
    let Some(sheet) = support::spreadsheet_of(&csv) else {
        return;
    };
    assert!(sheet.contains("Hồ Chí Minh"), "the cells were read");
    assert!(!sheet.contains("table:formula"), "a formula cell: {sheet}");
}

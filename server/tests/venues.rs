//! Organisations, control points and their signed posters; nobody sees another organisation's
//! venues (DESIGN.md §4, §5.1).

mod support;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use domain::poster::{PublicKey, ScannedPoster, VenueKeys, VenueType};
use serde_json::{json, Value};
use support::{Gateway, TestServer};
use tower::ServiceExt;

fn market() -> Value {
    json!({
        "name": "Chợ Bến Thành",
        "venue_type": "market",
        "phone": "0912345678",
        "province": 79,
        "ward": 26740,
        "street": "Lê Lợi",
        "position": {"latitude": 10.772, "longitude": 106.698},
        "intro": "",
        "default_stay_minutes": "45"
    })
}

async fn json_of(
    server: &TestServer,
    cookie: &str,
    request: axum::http::request::Builder,
    body: Option<&Value>,
) -> (StatusCode, Value) {
    let (status, _, body) = server.send_signed_in(cookie, request, body).await;
    (status, serde_json::from_slice(&body).unwrap_or(Value::Null))
}

/// A manager with an organisation and one registered venue: (cookie, venue).
async fn manager_with_venue(
    server: &TestServer,
    gateway: &Gateway,
    phone: &str,
) -> (String, Value) {
    let cookie = server.signed_in(gateway, phone).await;
    let (status, _) = json_of(
        server,
        &cookie,
        Request::post("/api/v1/organisation"),
        Some(&json!({"name": format!("Công ty {phone}")})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, venue) = json_of(
        server,
        &cookie,
        Request::post("/api/v1/venues"),
        Some(&market()),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{venue}");
    (cookie, venue)
}

#[tokio::test]
async fn a_registered_venue_has_a_poster_that_verifies_with_the_published_key() {
    let gateway = Gateway::start().await;
    let server = TestServer::with_gateway(&gateway).await;
    let (cookie, venue) = manager_with_venue(&server, &gateway, "0912345678").await;
    let url = venue["poster_url"].as_str().unwrap();
    assert!(url.starts_with("http://127.0.0.1:8080/c#1."), "{url}");

    let (_, _, keys) = server.get("/api/v1/keys").await;
    let keys: Vec<PublicKey> =
        serde_json::from_value(serde_json::from_str::<Value>(&keys).unwrap()["keys"].clone())
            .unwrap();
    let poster = ScannedPoster::parse(url)
        .unwrap()
        .verify(&VenueKeys::from_published(&keys))
        .unwrap();
    assert_eq!(poster.short_name, "Chợ Bến Thành");
    assert_eq!((poster.province, poster.ward), (79, 26740));
    assert_eq!(poster.venue_type, VenueType::Market);
    assert_eq!(poster.default_stay_minutes, 45);

    // The short code resolves to the same poster, however it is typed.
    let code = venue["short_code"].as_str().unwrap().to_lowercase();
    let typed = format!("{}-{}", &code[..4], &code[4..]);
    let (status, _, resolved) = server.get(&format!("/api/v1/posters/{typed}")).await;
    assert_eq!(status, StatusCode::OK);
    let resolved: Value = serde_json::from_str(&resolved).unwrap();
    assert_eq!(
        resolved["poster_url"].as_str().unwrap().split('#').nth(1),
        url.split('#').nth(1)
    );

    // The QR image is served to the organisation.
    let id = venue["id"].as_str().unwrap();
    let (status, headers, svg) = server
        .send_signed_in(
            &cookie,
            Request::get(format!("/api/v1/venues/{id}/qr")),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_TYPE], "image/svg+xml");
    assert!(String::from_utf8(svg).unwrap().starts_with("<?xml"));

    // Re-issuing makes a new poster; the old short code no longer resolves.
    let (status, reissued) = json_of(
        &server,
        &cookie,
        Request::post(format!("/api/v1/venues/{id}/poster")),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_ne!(reissued["poster_url"], venue["poster_url"]);
    let (status, _, _) = server.get(&format!("/api/v1/posters/{code}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn another_organisation_sees_nothing_of_a_venue() {
    let gateway = Gateway::start().await;
    let server = TestServer::with_gateway(&gateway).await;
    let (_, venue_a) = manager_with_venue(&server, &gateway, "0912000001").await;
    let (cookie_b, _) = manager_with_venue(&server, &gateway, "0912000002").await;
    let id_a = venue_a["id"].as_str().unwrap();
    for request in [
        Request::get(format!("/api/v1/venues/{id_a}")),
        Request::get(format!("/api/v1/venues/{id_a}/qr")),
        Request::post(format!("/api/v1/venues/{id_a}/poster")),
        Request::get(format!("/api/v1/venues/{}", uuid::Uuid::new_v4())),
    ] {
        let (status, error) = json_of(&server, &cookie_b, request, None).await;
        assert_eq!(
            (status, error["error"].as_str()),
            (StatusCode::NOT_FOUND, Some("not_found"))
        );
    }
    let (_, listed) = json_of(&server, &cookie_b, Request::get("/api/v1/venues"), None).await;
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert_ne!(listed[0]["id"], venue_a["id"]);

    // Signed out: nothing at all.
    let (status, _, _) = server.get(&format!("/api/v1/venues/{id_a}")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn venue_access_answers_200_in_every_state() {
    let gateway = Gateway::start().await;
    let server = TestServer::with_gateway(&gateway).await;
    let access = |cookie: String| {
        let server = &server;
        async move { json_of(server, &cookie, Request::get("/api/v1/venue-access"), None).await }
    };
    for cookie in ["", "tokhai_session=not-a-session"] {
        assert_eq!(
            access(cookie.into()).await,
            (StatusCode::OK, json!({"state": "signed_out"}))
        );
    }
    let cookie = server.signed_in(&gateway, "0912000004").await;
    assert_eq!(
        access(cookie.clone()).await,
        (StatusCode::OK, json!({"state": "no_organisation"}))
    );
    let (_, created) = json_of(
        &server,
        &cookie,
        Request::post("/api/v1/organisation"),
        Some(&json!({"name": "UBND phường"})),
    )
    .await;
    assert_eq!(
        access(cookie).await,
        (
            StatusCode::OK,
            json!({"state": "member", "membership": created})
        )
    );
}

#[tokio::test]
async fn registration_is_validated_and_needs_an_organisation() {
    let gateway = Gateway::start().await;
    let server = TestServer::with_gateway(&gateway).await;
    let cookie = server.signed_in(&gateway, "0912000003").await;
    let (status, _) = json_of(
        &server,
        &cookie,
        Request::post("/api/v1/venues"),
        Some(&market()),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    json_of(
        &server,
        &cookie,
        Request::post("/api/v1/organisation"),
        Some(&json!({"name": "UBND"})),
    )
    .await;
    let (status, again) = json_of(
        &server,
        &cookie,
        Request::post("/api/v1/organisation"),
        Some(&json!({"name": "UBND"})),
    )
    .await;
    assert_eq!(
        (status, again["error"].as_str()),
        (StatusCode::CONFLICT, Some("already_member"))
    );
    let mut bad = market();
    bad["name"] = json!("");
    bad["province"] = json!(2);
    let (status, error) = json_of(
        &server,
        &cookie,
        Request::post("/api/v1/venues"),
        Some(&bad),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error["fields"][0]["field"], "name");
    assert_eq!(error["fields"][1]["field"], "province");
}

/// The statuses of `bodies` posted to `path` with `cookie` all at once.
async fn at_once(
    server: &TestServer,
    cookie: &str,
    path: &str,
    bodies: Vec<Value>,
) -> Vec<StatusCode> {
    let mut requests = tokio::task::JoinSet::new();
    for body in bodies {
        let request = Request::post(path)
            .header(header::COOKIE, cookie)
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_string()))
            .unwrap();
        let app = server.app.clone();
        requests.spawn(async move { app.oneshot(request).await.unwrap().status() });
    }
    let mut statuses = Vec::new();
    while let Some(status) = requests.join_next().await {
        statuses.push(status.unwrap());
    }
    statuses.sort();
    statuses
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_requests_make_one_organisation_per_account() {
    let gateway = Gateway::start().await;
    let server = TestServer::with_gateway(&gateway).await;
    let cookie = server.signed_in(&gateway, "0912000010").await;
    let bodies = (0..10)
        .map(|attempt| json!({"name": format!("Công ty {attempt}")}))
        .collect();
    let statuses = at_once(&server, &cookie, "/api/v1/organisation", bodies).await;
    let mut expected = vec![StatusCode::CONFLICT; 9];
    expected.insert(0, StatusCode::CREATED);
    assert_eq!(statuses, expected);
    assert_eq!(server.count("SELECT COUNT(*) FROM members").await, 1);
    assert_eq!(server.count("SELECT COUNT(*) FROM organisations").await, 1);
    let (status, again) = json_of(
        &server,
        &cookie,
        Request::post("/api/v1/organisation"),
        Some(&json!({"name": "UBND"})),
    )
    .await;
    assert_eq!(
        (status, again["error"].as_str()),
        (StatusCode::CONFLICT, Some("already_member"))
    );

    // Ten additions of one phone at once: one member.
    let (_, organisation) =
        json_of(&server, &cookie, Request::get("/api/v1/organisation"), None).await;
    let id = organisation["organisation_id"].as_str().unwrap();
    let bodies = (0..10)
        .map(|_| json!({"phone": "0912000011", "role": "staff"}))
        .collect();
    let statuses = at_once(
        &server,
        &cookie,
        &format!("/api/v1/organisations/{id}/members"),
        bodies,
    )
    .await;
    assert_eq!(statuses, expected);
    assert_eq!(server.count("SELECT COUNT(*) FROM members").await, 2);
}

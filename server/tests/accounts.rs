//! Sign-in with one-time codes sent through the SMS webhook, and sessions (DESIGN.md §4).

mod support;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{header, HeaderMap, Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::{json, Value};
use support::{Gateway, TestServer};
use tokio::sync::Barrier;
use tower::ServiceExt;

async fn server(gateway: &Gateway) -> TestServer {
    TestServer::with_gateway(gateway).await
}

async fn sign_in(
    server: &TestServer,
    phone: &str,
    code: &str,
) -> (StatusCode, Option<String>, Value) {
    let (status, headers, body) = server
        .request(
            Request::post("/api/v1/auth/session")
                .header(header::CONTENT_TYPE, "application/json")
                .header(header::HOST, "127.0.0.1:8080")
                .body(json!({"phone": phone, "code": code}).to_string().into())
                .unwrap(),
        )
        .await;
    let cookie = headers
        .get(header::SET_COOKIE)
        .map(|value| value.to_str().unwrap().to_owned());
    (
        status,
        cookie,
        serde_json::from_slice(&body).unwrap_or(Value::Null),
    )
}

async fn with_cookie(server: &TestServer, method: &str, cookie: &str) -> StatusCode {
    let token = cookie.split(';').next().unwrap();
    let (status, _, _) = server
        .request(
            Request::builder()
                .method(method)
                .uri("/api/v1/auth/session")
                .header(header::COOKIE, token)
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    status
}

#[tokio::test]
async fn a_code_signs_in_once_and_sign_out_ends_the_session() {
    let gateway = Gateway::start().await;
    let server = server(&gateway).await;
    let (status, _) = server
        .post("/api/v1/auth/code", &json!({"phone": "+84 912 345 678"}))
        .await;
    assert_eq!(status, StatusCode::ACCEPTED);
    {
        let messages = gateway.messages.lock().unwrap();
        assert_eq!(messages[0].0, "Bearer s3cret");
        assert_eq!(messages[0].1["phone"], "0912345678");
    }
    let code = gateway.last_code();
    let (status, cookie, me) = sign_in(&server, "0912345678", &code).await;
    assert_eq!(status, StatusCode::OK, "{me}");
    assert_eq!(me["phone"], "0912345678");
    let cookie = cookie.unwrap();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    assert!(
        !cookie.contains("Secure"),
        "localhost cannot keep Secure cookies over http"
    );
    assert_eq!(with_cookie(&server, "GET", &cookie).await, StatusCode::OK);

    // Spent: the same code does not sign in again.
    let (status, _, error) = sign_in(&server, "0912345678", &code).await;
    assert_eq!(
        (status, error["error"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("code_locked"))
    );

    assert_eq!(
        with_cookie(&server, "DELETE", &cookie).await,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        with_cookie(&server, "GET", &cookie).await,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn five_wrong_codes_lock_the_code() {
    let gateway = Gateway::start().await;
    let server = server(&gateway).await;
    server
        .post("/api/v1/auth/code", &json!({"phone": "0987654321"}))
        .await;
    let code = gateway.last_code();
    let wrong = if code == "000000" { "111111" } else { "000000" };
    for _ in 0..5 {
        let (status, _, error) = sign_in(&server, "0987654321", wrong).await;
        assert_eq!(
            (status, error["error"].as_str()),
            (StatusCode::UNAUTHORIZED, Some("wrong_code"))
        );
    }
    let (status, _, error) = sign_in(&server, "0987654321", &code).await;
    assert_eq!(
        (status, error["error"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("code_locked"))
    );
}

#[tokio::test]
async fn an_expired_code_is_refused() {
    let gateway = Gateway::start().await;
    let server = server(&gateway).await;
    server
        .post("/api/v1/auth/code", &json!({"phone": "0977000111"}))
        .await;
    let code = gateway.last_code();
    server
        .execute("UPDATE sign_in_codes SET expires_at_ms = 0")
        .await;
    let (status, _, error) = sign_in(&server, "0977000111", &code).await;
    assert_eq!(
        (status, error["error"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("code_expired"))
    );
}

#[tokio::test]
async fn codes_per_phone_are_limited_per_hour() {
    let gateway = Gateway::start().await;
    let server = server(&gateway).await;
    for _ in 0..5 {
        let (status, _) = server
            .post("/api/v1/auth/code", &json!({"phone": "0355000111"}))
            .await;
        assert_eq!(status, StatusCode::ACCEPTED);
    }
    let answers = all_at_once(
        &server,
        vec![post_from(
            "/api/v1/auth/code",
            &json!({"phone": "0355000111"}),
            "0.0.0.0",
            None,
        )],
    )
    .await;
    let (status, _, error) = &answers[0];
    assert_eq!(
        (*status, error["error"].as_str()),
        (StatusCode::TOO_MANY_REQUESTS, Some("rate_limited"))
    );
    assert_retry_after(&answers);
    let retry_after: u64 = answers[0].1[header::RETRY_AFTER]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        retry_after > 3590,
        "the window opened just now: {retry_after}"
    );
    // Another phone is not affected.
    let (status, _) = server
        .post("/api/v1/auth/code", &json!({"phone": "0355000222"}))
        .await;
    assert_eq!(status, StatusCode::ACCEPTED);
    let (status, error) = server
        .post("/api/v1/auth/code", &json!({"phone": "12345"}))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{error}");
}

#[tokio::test]
async fn a_failing_gateway_is_reported_and_keys_are_published() {
    let server = TestServer::start_with(
        "<html></html>",
        &[],
        None,
        server::CodeSender::Webhook {
            url: "http://127.0.0.1:9/sms".into(),
            secret: String::new(),
        },
    )
    .await;
    let (status, error) = server
        .post("/api/v1/auth/code", &json!({"phone": "0912000111"}))
        .await;
    assert_eq!(
        (status, error["error"].as_str()),
        (StatusCode::BAD_GATEWAY, Some("code_not_sent"))
    );

    let (status, headers, body) = server.get("/api/v1/keys").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CACHE_CONTROL], "public, max-age=3600");
    let keys: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(keys["keys"][0]["key_id"], 1);
    assert_eq!(keys["keys"][0]["public_key"].as_str().unwrap().len(), 43);
}

/// A JSON `POST` to `path`, as if from the socket peer `peer` (the load balancer, when there is
/// one) with `forwarded` in `X-Forwarded-For`.
fn post_from(path: &str, body: &Value, peer: &str, forwarded: Option<&str>) -> Request<Body> {
    let mut request = Request::post(path)
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::HOST, "127.0.0.1:8080");
    if let Some(forwarded) = forwarded {
        request = request.header("x-forwarded-for", forwarded);
    }
    let mut request = request.body(Body::from(body.to_string())).unwrap();
    let peer: SocketAddr = format!("{peer}:40000").parse().unwrap();
    request.extensions_mut().insert(ConnectInfo(peer));
    request
}

/// Sends every request at the same moment, each from its own task; the answers, in order.
async fn all_at_once(
    server: &TestServer,
    requests: Vec<Request<Body>>,
) -> Vec<(StatusCode, HeaderMap, Value)> {
    let start = Arc::new(Barrier::new(requests.len()));
    let tasks: Vec<_> = requests
        .into_iter()
        .map(|request| {
            let app = server.app.clone();
            let start = start.clone();
            tokio::spawn(async move {
                start.wait().await;
                let response = app.oneshot(request).await.unwrap();
                let status = response.status();
                let headers = response.headers().clone();
                let body = response.into_body().collect().await.unwrap().to_bytes();
                (
                    status,
                    headers,
                    serde_json::from_slice(&body).unwrap_or(Value::Null),
                )
            })
        })
        .collect();
    let mut answers = Vec::new();
    for task in tasks {
        answers.push(task.await.unwrap());
    }
    answers
}

/// Every 429 says when to retry: a whole number of seconds within the hour of the limit.
fn assert_retry_after(answers: &[(StatusCode, HeaderMap, Value)]) {
    for (status, headers, body) in answers {
        if *status == StatusCode::TOO_MANY_REQUESTS {
            let retry_after: u64 = headers
                .get(header::RETRY_AFTER)
                .unwrap_or_else(|| panic!("a 429 without Retry-After: {body}"))
                .to_str()
                .unwrap()
                .parse()
                .unwrap();
            assert!((1..=3600).contains(&retry_after), "{retry_after}");
        }
    }
}

/// 31 requests counted as one address: 30 accepted, the last refused with `Retry-After`.
fn assert_one_address_limited_at_30(answers: &[(StatusCode, HeaderMap, Value)]) {
    assert_no_server_error(answers);
    assert_retry_after(answers);
    assert_eq!(
        (
            count_status(answers, StatusCode::ACCEPTED),
            count_status(answers, StatusCode::TOO_MANY_REQUESTS)
        ),
        (30, 1)
    );
}

fn count_status(answers: &[(StatusCode, HeaderMap, Value)], wanted: StatusCode) -> usize {
    answers
        .iter()
        .filter(|(status, _, _)| *status == wanted)
        .count()
}

fn assert_no_server_error(answers: &[(StatusCode, HeaderMap, Value)]) {
    for (status, _, body) in answers {
        assert!(!status.is_server_error(), "{status} {body}");
    }
}

/// Twenty staff at a shift change, each with the right code.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn twenty_staff_sign_in_at_the_same_moment() {
    let gateway = Gateway::start().await;
    let server = server(&gateway).await;
    let phones: Vec<String> = (0..20).map(|i| format!("09123400{i:02}")).collect();
    for phone in &phones {
        let (status, _) = server
            .post("/api/v1/auth/code", &json!({ "phone": phone }))
            .await;
        assert_eq!(status, StatusCode::ACCEPTED);
    }
    let requests = phones
        .iter()
        .map(|phone| {
            let body = json!({ "phone": phone, "code": gateway.code_for(phone) });
            post_from("/api/v1/auth/session", &body, "192.0.2.1", None)
        })
        .collect();
    let answers = all_at_once(&server, requests).await;
    for (status, headers, body) in &answers {
        assert_eq!(*status, StatusCode::OK, "{body}");
        assert!(headers.contains_key(header::SET_COOKIE));
    }
    assert_eq!(server.count("SELECT COUNT(*) FROM sessions").await, 20);
}

/// A guesser firing twenty codes at once gets exactly five judged, and no server error.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn twenty_parallel_wrong_codes_are_five_tries() {
    let gateway = Gateway::start().await;
    let server = server(&gateway).await;
    server
        .post("/api/v1/auth/code", &json!({"phone": "0912340099"}))
        .await;
    let code = gateway.code_for("0912340099");
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let requests = (0..20)
        .map(|_| {
            let body = json!({ "phone": "0912340099", "code": wrong });
            post_from("/api/v1/auth/session", &body, "192.0.2.1", None)
        })
        .collect();
    let answers = all_at_once(&server, requests).await;
    assert_no_server_error(&answers);
    let reasons: Vec<_> = answers
        .iter()
        .map(|(_, _, body)| body["error"].as_str().unwrap_or("?").to_owned())
        .collect();
    let wrong_codes = reasons
        .iter()
        .filter(|reason| *reason == "wrong_code")
        .count();
    let locked = reasons
        .iter()
        .filter(|reason| *reason == "code_locked")
        .count();
    assert_eq!((wrong_codes, locked), (5, 15), "{reasons:?}");
    assert_eq!(
        server
            .count("SELECT failed_attempts FROM sign_in_codes WHERE phone = '0912340099'")
            .await,
        5
    );
    let (status, _, error) = sign_in(&server, "0912340099", &code).await;
    assert_eq!(
        (status, error["error"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("code_locked"))
    );
}

/// The right code sent ten times at once signs in once.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_code_sent_ten_times_at_once_is_spent_once() {
    let gateway = Gateway::start().await;
    let server = server(&gateway).await;
    server
        .post("/api/v1/auth/code", &json!({"phone": "0912340098"}))
        .await;
    let code = gateway.code_for("0912340098");
    let requests = (0..10)
        .map(|_| {
            let body = json!({ "phone": "0912340098", "code": code });
            post_from("/api/v1/auth/session", &body, "192.0.2.1", None)
        })
        .collect();
    let answers = all_at_once(&server, requests).await;
    assert_no_server_error(&answers);
    assert_eq!(count_status(&answers, StatusCode::OK), 1);
    assert_eq!(server.count("SELECT COUNT(*) FROM sessions").await, 1);
}

/// Ten code requests for one phone at once: at most five codes, at most five messages.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_code_requests_for_one_phone_send_at_most_five() {
    let gateway = Gateway::start().await;
    let server = server(&gateway).await;
    let requests = (0..10)
        .map(|_| {
            post_from(
                "/api/v1/auth/code",
                &json!({"phone": "0912340097"}),
                "192.0.2.1",
                None,
            )
        })
        .collect();
    let answers = all_at_once(&server, requests).await;
    assert_no_server_error(&answers);
    assert_retry_after(&answers);
    let accepted = count_status(&answers, StatusCode::ACCEPTED);
    assert!(accepted <= 5, "{accepted} codes accepted");
    assert_eq!(
        accepted + count_status(&answers, StatusCode::TOO_MANY_REQUESTS),
        10
    );
    assert!(gateway.sent_to("0912340097") <= 5);
}

/// Forty code requests at once from one client address, for forty phones: at most its limit.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_code_requests_from_one_address_stop_at_its_limit() {
    let gateway = Gateway::start().await;
    let server = server(&gateway).await;
    let requests = (0..40)
        .map(|i| {
            let body = json!({ "phone": format!("09123410{i:02}") });
            post_from("/api/v1/auth/code", &body, "198.51.100.7", None)
        })
        .collect();
    let answers = all_at_once(&server, requests).await;
    assert_no_server_error(&answers);
    assert_retry_after(&answers);
    let accepted = count_status(&answers, StatusCode::ACCEPTED);
    assert_eq!(
        (
            accepted,
            count_status(&answers, StatusCode::TOO_MANY_REQUESTS)
        ),
        (30, 10)
    );
    assert_eq!(gateway.messages.lock().unwrap().len(), 30);
    // Another address is not affected.
    let (status, _, _) = all_at_once(
        &server,
        vec![post_from(
            "/api/v1/auth/code",
            &json!({"phone": "0912341099"}),
            "198.51.100.8",
            None,
        )],
    )
    .await
    .remove(0);
    assert_eq!(status, StatusCode::ACCEPTED);
}

/// A server whose `X-Forwarded-For` is believed from 10.0.0.0/8 (the load balancers) only.
async fn behind_proxies(gateway: &Gateway, rate_limit: Option<server::RateLimit>) -> TestServer {
    let url = gateway.url.clone();
    TestServer::start_configured("<html></html>", &[], move |config| {
        config.code_sender = server::CodeSender::Webhook {
            url,
            secret: "s3cret".into(),
        };
        config.rate_limit = rate_limit;
        config.trusted_proxies = "10.0.0.0/8, 192.0.2.250".parse().unwrap();
    })
    .await
}

/// Code requests for distinct phones, from `peer` with each `forwarded` header.
fn code_requests(peer: &str, forwarded: &[String], first_phone: usize) -> Vec<Request<Body>> {
    forwarded
        .iter()
        .enumerate()
        .map(|(i, forwarded)| {
            let body = json!({ "phone": format!("0913{:06}", first_phone + i) });
            post_from("/api/v1/auth/code", &body, peer, Some(forwarded))
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn forwarded_for_from_an_untrusted_peer_is_ignored() {
    let gateway = Gateway::start().await;
    let server = behind_proxies(&gateway, None).await;
    // A client inventing a new X-Forwarded-For for every request is still one address.
    let spoofed: Vec<_> = (0..31).map(|i| format!("203.0.113.{i}")).collect();
    let answers = all_at_once(&server, code_requests("198.51.100.20", &spoofed, 0)).await;
    assert_one_address_limited_at_30(&answers);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn forwarded_for_from_a_trusted_proxy_is_honoured() {
    let gateway = Gateway::start().await;
    let server = behind_proxies(&gateway, None).await;
    // Thirty-five clients behind the load balancer: each its own address, none limited.
    let clients: Vec<_> = (0..35)
        .map(|i| format!("198.51.100.{i}, 192.0.2.250"))
        .collect();
    let answers = all_at_once(&server, code_requests("10.0.0.5", &clients, 0)).await;
    assert_no_server_error(&answers);
    assert_eq!(count_status(&answers, StatusCode::ACCEPTED), 35);
    // One client writing a different address in front of the real one each time: the rightmost
    // address the proxies did not add is what counts, so it is limited like any other.
    let spoofing: Vec<_> = (0..31)
        .map(|i| format!("9.9.9.{i}, 203.0.113.77"))
        .collect();
    let answers = all_at_once(&server, code_requests("10.0.0.6", &spoofing, 100)).await;
    assert_one_address_limited_at_30(&answers);
}

/// The API-wide flood limit keys on the same client address, and its 429 says when to retry.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_flood_limit_keys_on_the_forwarded_client() {
    let gateway = Gateway::start().await;
    let limit = server::RateLimit {
        per_second: std::num::NonZeroU32::new(1).unwrap(),
        burst: std::num::NonZeroU32::new(2).unwrap(),
    };
    let server = behind_proxies(&gateway, Some(limit)).await;
    let health = |peer: &str, forwarded: &str| {
        let mut request = Request::get("/api/v1/health")
            .header("x-forwarded-for", forwarded)
            .body(Body::empty())
            .unwrap();
        let peer: SocketAddr = format!("{peer}:40000").parse().unwrap();
        request.extensions_mut().insert(ConnectInfo(peer));
        request
    };
    let answers = all_at_once(
        &server,
        vec![
            health("10.0.0.5", "203.0.113.1"),
            health("10.0.0.6", "203.0.113.1"),
            health("10.0.0.7", "203.0.113.1"),
        ],
    )
    .await;
    assert_eq!(count_status(&answers, StatusCode::TOO_MANY_REQUESTS), 1);
    assert_retry_after(&answers);
    // Another client behind the same proxy has its own allowance.
    let answers = all_at_once(&server, vec![health("10.0.0.5", "203.0.113.2")]).await;
    assert_eq!(answers[0].0, StatusCode::OK, "{}", answers[0].2);
    // From an untrusted peer the header is ignored: one peer, one allowance.
    let answers = all_at_once(
        &server,
        vec![
            health("198.51.100.9", "203.0.113.3"),
            health("198.51.100.9", "203.0.113.4"),
            health("198.51.100.9", "203.0.113.5"),
        ],
    )
    .await;
    assert_eq!(count_status(&answers, StatusCode::TOO_MANY_REQUESTS), 1);
    assert_retry_after(&answers);
}

//! Sign-in with one-time codes sent through the SMS webhook, and sessions (DESIGN.md §4).

mod support;

use axum::http::{header, Request, StatusCode};
use serde_json::{json, Value};
use support::{Gateway, TestServer};

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
    let (status, error) = server
        .post("/api/v1/auth/code", &json!({"phone": "0355000111"}))
        .await;
    assert_eq!(
        (status, error["error"].as_str()),
        (StatusCode::TOO_MANY_REQUESTS, Some("rate_limited"))
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

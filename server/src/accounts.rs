//! Sign-in with a phone number and a one-time code (DESIGN.md §4), and the sessions that follow.
//!
//! Codes: six digits, valid for five minutes, spent by one successful use, locked after five
//! wrong tries; requests are limited per client address and per phone (in the database, so
//! restarts and several server instances do not reset them). Sessions: a random token in an
//! HttpOnly, SameSite=Strict cookie (Secure except on localhost), stored only as a hash, ended
//! server-side on sign-out.
//!
//! Concurrency: every check is made by the statement that records it. A code is judged by one
//! conditional `UPDATE … RETURNING` that also counts a wrong try or spends the code, so parallel
//! tries are judged one after another (exactly five wrong ones, one right one); a code request
//! counts itself in its per-address and per-phone windows with one upsert each and reads back
//! the count it made. Write transactions start as writers (`BEGIN IMMEDIATE` on SQLite), so they
//! wait for each other instead of failing with "database is locked".

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use axum::extract::{FromRef, FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::Serialize;
use sha2::{Digest, Sha256};
use utoipa::ToSchema;
use uuid::Uuid;

use domain::api::{CodeRequest, SignInRequest};
use domain::i18n::{Lang, Text};
use domain::validation::vn_mobile;

use crate::client_addr::{ClientAddr, TrustedProxies};
use crate::db::with_pool;
use crate::error::ApiErrorCode;
use crate::error::{ApiError, ErrorBody};
use crate::json::ApiJson;
use crate::store::now_ms;
use crate::Db;

/// How long a code can be used.
pub const CODE_LIFETIME_MS: i64 = 5 * 60_000;
/// Wrong tries after which a code is locked.
pub const MAX_FAILED_ATTEMPTS: i64 = 5;
/// Codes one phone may request per hour (a window that opens at its first request).
pub const CODES_PER_PHONE_PER_HOUR: i64 = 5;
/// Codes one client address may request per hour (many staff share a venue's network).
const CODES_PER_ADDRESS_PER_HOUR: i64 = 30;
/// How long a session lasts.
const SESSION_LIFETIME_MS: i64 = 7 * 24 * 3_600_000;
const HOUR_MS: i64 = 3_600_000;

pub const COOKIE: &str = "tokhai_session";

/// Where sign-in codes go.
#[derive(Debug, Clone)]
pub enum CodeSender {
    /// Development: the code is written to the server log, clearly marked. Never for production.
    Log,
    /// An SMS gateway's webhook: `POST url` with `Authorization: Bearer <secret>` and the JSON
    /// body `{"phone": "0912345678", "message": "..."}`. Plain `http://` (a gateway on the private
    /// network, or a local TLS-terminating proxy in front of a public one).
    Webhook { url: String, secret: String },
}

/// What a one-time code is for. Each purpose keeps its own live code per phone; the limits on
/// sending codes to a phone are shared, so no purpose can be used to flood a phone with texts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodePurpose {
    SignIn,
    /// A gate records a visitor found by their phone number (`crate::gate`).
    GateCheckIn,
}

impl CodePurpose {
    /// The code's row in `sign_in_codes`: a sign-in's is the bare phone.
    fn key(self, phone: &str) -> String {
        match self {
            CodePurpose::SignIn => phone.to_owned(),
            CodePurpose::GateCheckIn => format!("gate:{phone}"),
        }
    }

    fn label(self) -> &'static str {
        match self {
            CodePurpose::SignIn => "sign-in",
            CodePurpose::GateCheckIn => "gate check-in",
        }
    }

    fn message(self) -> Text {
        match self {
            CodePurpose::SignIn => Text::SignInSms,
            CodePurpose::GateCheckIn => Text::GateCheckInSms,
        }
    }
}

impl CodeSender {
    async fn send(&self, phone: &str, code: &str, purpose: CodePurpose) -> Result<(), ApiError> {
        match self {
            CodeSender::Log => {
                // The phone is masked as venues see it: no personal data in logs, even here.
                tracing::warn!(
                    "DEVELOPMENT CODE SENDER (not for production): {} code for {} is {code}",
                    purpose.label(),
                    domain::visit::mask_phone(phone)
                );
                Ok(())
            }
            CodeSender::Webhook { url, secret } => {
                let message = purpose.message().format(Lang::Vi, &[("code", code.into())]);
                let body = serde_json::json!({ "phone": phone, "message": message }).to_string();
                let request = axum::http::Request::post(url.as_str())
                    .header(header::CONTENT_TYPE, "application/json")
                    .header(header::AUTHORIZATION, format!("Bearer {secret}"))
                    .body(http_body_util::Full::new(axum::body::Bytes::from(body)))
                    .map_err(|error| ApiError::CodeNotSent(error.to_string()))?;
                let client = hyper_util::client::legacy::Client::builder(
                    hyper_util::rt::TokioExecutor::new(),
                )
                .build_http();
                let response = tokio::time::timeout(
                    std::time::Duration::from_secs(10),
                    client.request(request),
                )
                .await
                .map_err(|_| ApiError::CodeNotSent("the gateway did not answer".into()))?
                .map_err(|error| ApiError::CodeNotSent(error.to_string()))?;
                if response.status().is_success() {
                    Ok(())
                } else {
                    Err(ApiError::CodeNotSent(format!(
                        "the gateway answered {}",
                        response.status()
                    )))
                }
            }
        }
    }
}

/// What the sign-in endpoints share.
#[derive(Clone)]
pub struct Accounts {
    db: Db,
    sender: CodeSender,
    /// Whose `X-Forwarded-For` names the client (the per-address limit's key).
    proxies: TrustedProxies,
    /// When this instance last deleted closed rate windows.
    last_sweep_ms: Arc<AtomicI64>,
}

impl std::fmt::Debug for Accounts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Accounts")
            .field("sender", &self.sender)
            .finish()
    }
}

impl Accounts {
    pub fn new(db: Db, sender: CodeSender, proxies: TrustedProxies) -> Accounts {
        Accounts {
            db,
            sender,
            proxies,
            last_sweep_ms: Arc::new(AtomicI64::new(0)),
        }
    }

    /// Deletes rate windows closed for a while, at most once a minute per instance; best effort
    /// (a window that is still there is simply reopened by its next hit).
    async fn sweep_rate_windows(&self, now: i64) {
        let last = self.last_sweep_ms.load(Ordering::Relaxed);
        if now - last < 60_000
            || self
                .last_sweep_ms
                .compare_exchange(last, now, Ordering::Relaxed, Ordering::Relaxed)
                .is_err()
        {
            return;
        }
        let swept: Result<(), sqlx::Error> = with_pool!(&self.db, pool => {
            let mut query =
                sqlx::QueryBuilder::new("DELETE FROM rate_windows WHERE window_start_ms < ");
            query.push_bind(now - 2 * HOUR_MS);
            query.build().execute(pool).await.map(drop)
        });
        if let Err(error) = swept {
            tracing::warn!(%error, "closed rate windows not deleted");
        }
    }
}

/// How a write transaction begins: as a writer, so that concurrent ones queue on the database's
/// busy timeout instead of failing when a reader tries to become a writer (SQLite).
trait WriteBegin {
    fn write_begin(&self) -> &'static str;
}

impl WriteBegin for sqlx::SqlitePool {
    fn write_begin(&self) -> &'static str {
        "BEGIN IMMEDIATE"
    }
}

impl WriteBegin for sqlx::PgPool {
    fn write_begin(&self) -> &'static str {
        // Row locks taken by each statement serialise what conflicts.
        "BEGIN"
    }
}

/// Whole seconds until `ms` from now, as `Retry-After` says them: 1 to the window's length.
fn retry_after_s(ms: i64) -> u64 {
    let seconds = ms.saturating_add(999) / 1000;
    u64::try_from(seconds.clamp(1, HOUR_MS / 1000)).expect("positive")
}

impl FromRef<Accounts> for TrustedProxies {
    fn from_ref(accounts: &Accounts) -> TrustedProxies {
        accounts.proxies.clone()
    }
}

fn hash(parts: &[&str]) -> String {
    let mut digest = Sha256::new();
    for part in parts {
        digest.update(part.as_bytes());
        digest.update([0]);
    }
    format!("{:x}", digest.finalize())
}

fn random_bytes<const N: usize>() -> Result<[u8; N], ApiError> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|error| ApiError::Internal(error.to_string()))?;
    Ok(bytes)
}

/// A phone number from a request, normalised, or the field's validation error.
pub(crate) fn phone_of(input: &str) -> Result<String, ApiError> {
    vn_mobile(input).map_err(|code| ApiError::field("phone", code))
}

#[utoipa::path(
    post,
    path = "/api/v1/auth/code",
    request_body = CodeRequest,
    responses(
        (status = 202, description = "A code was sent to the phone"),
        (status = 422, description = "Not a Vietnamese mobile number", body = ErrorBody),
        (status = 429, description = "Too many codes for this phone or this client", body = ErrorBody,
            headers(("Retry-After" = u64, description = "Seconds until the limit's window frees"))),
    )
)]
pub async fn request_code(
    State(accounts): State<Accounts>,
    client: ClientAddr,
    ApiJson(request): ApiJson<CodeRequest>,
) -> Result<StatusCode, ApiError> {
    let phone = phone_of(&request.phone)?;
    issue_code(&accounts, &client, &phone, CodePurpose::SignIn).await?;
    Ok(StatusCode::ACCEPTED)
}

/// Makes a new code for `phone` and `purpose` (replacing its live one) and sends it, within the
/// per-address and per-phone limits.
pub(crate) async fn issue_code(
    accounts: &Accounts,
    client: &ClientAddr,
    phone: &str,
    purpose: CodePurpose,
) -> Result<(), ApiError> {
    let key = purpose.key(phone);
    let limits = [
        (
            format!("code:addr:{}", client.limit_key()),
            CODES_PER_ADDRESS_PER_HOUR,
        ),
        (format!("code:phone:{phone}"), CODES_PER_PHONE_PER_HOUR),
    ];
    let now = now_ms();
    let code = format!("{:06}", u32::from_be_bytes(random_bytes()?) % 1_000_000);
    let code_hash = hash(&[&key, &code]);
    let refused: Option<u64> = with_pool!(&accounts.db, pool => {
        async {
            let mut transaction = pool.begin_with(pool.write_begin()).await?;
            // Always the address first, then the phone: one lock order for every request.
            for (key, limit) in &limits {
                // Counts this request in the key's window (reopened when an hour old) and reads
                // back the count: parallel requests each get their own, so at most `limit` pass.
                let mut hit = sqlx::QueryBuilder::new(
                    "INSERT INTO rate_windows (key, window_start_ms, count) ",
                );
                hit.push_values([()], |mut row, ()| {
                    row.push_bind(key.as_str()).push_bind(now).push_bind(1i64);
                });
                hit.push(
                    " ON CONFLICT (key) DO UPDATE SET window_start_ms = CASE \
                     WHEN rate_windows.window_start_ms <= ",
                )
                .push_bind(now - HOUR_MS)
                .push(
                    " THEN excluded.window_start_ms ELSE rate_windows.window_start_ms END, \
                     count = CASE WHEN rate_windows.window_start_ms <= ",
                )
                .push_bind(now - HOUR_MS)
                .push(" THEN 1 ELSE rate_windows.count + 1 END RETURNING window_start_ms, count");
                let (window_start_ms, count): (i64, i64) =
                    hit.build_query_as().fetch_one(&mut *transaction).await?;
                if count > *limit {
                    // Dropping the transaction rolls back: a refused request counts nowhere.
                    return Ok(Some(retry_after_s(window_start_ms + HOUR_MS - now)));
                }
            }
            let mut upsert = sqlx::QueryBuilder::new(
                "INSERT INTO sign_in_codes (phone, code_hash, expires_at_ms, failed_attempts, spent) ",
            );
            upsert.push_values([()], |mut row, ()| {
                row.push_bind(key.as_str())
                    .push_bind(code_hash.as_str())
                    .push_bind(now + CODE_LIFETIME_MS)
                    .push_bind(0i64)
                    .push_bind(false);
            });
            upsert.push(
                " ON CONFLICT (phone) DO UPDATE SET code_hash = excluded.code_hash, \
                 expires_at_ms = excluded.expires_at_ms, failed_attempts = 0, spent = excluded.spent",
            );
            upsert.build().execute(&mut *transaction).await?;
            transaction.commit().await?;
            Ok::<_, sqlx::Error>(None)
        }
        .await
    })?;
    if let Some(retry_after_s) = refused {
        return Err(ApiError::RateLimited { retry_after_s });
    }
    accounts.sweep_rate_windows(now).await;
    accounts.sender.send(phone, &code, purpose).await
}

/// Judges `code` for `phone` and `purpose`, spending it when right, counting a wrong try
/// otherwise: one conditional `UPDATE … RETURNING`, so that parallel tries are judged one after
/// another (exactly five wrong ones, one right one).
pub(crate) async fn judge_code(
    accounts: &Accounts,
    phone: &str,
    code: &str,
    purpose: CodePurpose,
) -> Result<(), ApiError> {
    let key = purpose.key(phone);
    let now = now_ms();
    let attempt_hash = hash(&[&key, code.trim()]);
    let outcome: Result<(), ApiErrorCode> = with_pool!(&accounts.db, pool => {
        async {
            let mut transaction = pool.begin_with(pool.write_begin()).await?;
            // A wrong code counts one failed attempt, the right one spends the code. Concurrent
            // tries on one phone wait for each other's row lock and see its result.
            let mut judge = sqlx::QueryBuilder::new(
                "UPDATE sign_in_codes SET failed_attempts = failed_attempts + CASE WHEN code_hash = ",
            );
            judge
                .push_bind(attempt_hash.as_str())
                .push(" THEN 0 ELSE 1 END, spent = (code_hash = ")
                .push_bind(attempt_hash.as_str())
                .push(") WHERE phone = ")
                .push_bind(key.as_str())
                .push(" AND NOT spent AND failed_attempts < ")
                .push_bind(MAX_FAILED_ATTEMPTS)
                .push(" AND expires_at_ms >= ")
                .push_bind(now)
                .push(" RETURNING spent");
            let judged: Option<bool> =
                judge.build_query_scalar().fetch_optional(&mut *transaction).await?;
            let outcome = match judged {
                Some(true) => Ok(()),
                Some(false) => Err(ApiErrorCode::WrongCode),
                None => {
                    // Not judged: say why (no change to undo).
                    let mut select = sqlx::QueryBuilder::new(
                        "SELECT expires_at_ms, failed_attempts, spent FROM sign_in_codes WHERE phone = ",
                    );
                    select.push_bind(key.as_str());
                    let row: Option<(i64, i64, bool)> =
                        select.build_query_as().fetch_optional(&mut *transaction).await?;
                    Err(match row {
                        None => ApiErrorCode::NoCode,
                        Some((_, failed_attempts, spent))
                            if spent || failed_attempts >= MAX_FAILED_ATTEMPTS =>
                        {
                            ApiErrorCode::CodeLocked
                        }
                        Some(_) => ApiErrorCode::CodeExpired,
                    })
                }
            };
            transaction.commit().await?;
            Ok::<_, sqlx::Error>(outcome)
        }
        .await
    })?;
    outcome.map_err(ApiError::SignIn)
}

/// The signed-in account, as the app sees it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Me {
    pub account_id: Uuid,
    pub phone: String,
}

/// Whether the request came to a local address, where browsers refuse Secure cookies over http.
fn is_local(headers: &HeaderMap) -> bool {
    headers
        .get(header::HOST)
        .and_then(|host| host.to_str().ok())
        .map(|host| host.rsplit_once(':').map_or(host, |(name, _)| name))
        .is_some_and(|name| matches!(name, "localhost" | "127.0.0.1" | "[::1]"))
}

fn session_cookie(token: &str, max_age_s: i64, headers: &HeaderMap) -> HeaderValue {
    let secure = if is_local(headers) { "" } else { "; Secure" };
    HeaderValue::from_str(&format!(
        "{COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age_s}{secure}"
    ))
    .expect("a cookie of base64url and ASCII")
}

#[utoipa::path(
    post,
    path = "/api/v1/auth/session",
    request_body = SignInRequest,
    responses(
        (status = 200, description = "Signed in; the session cookie is set", body = Me),
        (status = 401, description = "Wrong, expired, spent or locked code", body = ErrorBody),
    )
)]
pub async fn sign_in(
    State(accounts): State<Accounts>,
    headers: HeaderMap,
    ApiJson(request): ApiJson<SignInRequest>,
) -> Result<Response, ApiError> {
    let phone = phone_of(&request.phone)?;
    let now = now_ms();
    judge_code(&accounts, &phone, &request.code, CodePurpose::SignIn).await?;
    let token = URL_SAFE_NO_PAD.encode(random_bytes::<32>()?);
    let new_account = Uuid::new_v4().to_string();
    let account_id: String = with_pool!(&accounts.db, pool => {
        async {
            let mut transaction = pool.begin_with(pool.write_begin()).await?;
            let mut account = sqlx::QueryBuilder::new("INSERT INTO accounts (id, phone, created_at_ms) ");
            account.push_values([()], |mut row, ()| {
                row.push_bind(new_account.as_str()).push_bind(phone.as_str()).push_bind(now);
            });
            account.push(" ON CONFLICT (phone) DO NOTHING");
            account.build().execute(&mut *transaction).await?;
            let mut id = sqlx::QueryBuilder::new("SELECT id FROM accounts WHERE phone = ");
            id.push_bind(phone.as_str());
            let account_id: String = id.build_query_scalar().fetch_one(&mut *transaction).await?;
            let mut session = sqlx::QueryBuilder::new(
                "INSERT INTO sessions (token_hash, account_id, expires_at_ms) ",
            );
            session.push_values([()], |mut row, ()| {
                row.push_bind(hash(&[&token]))
                    .push_bind(account_id.as_str())
                    .push_bind(now + SESSION_LIFETIME_MS);
            });
            session.build().execute(&mut *transaction).await?;
            transaction.commit().await?;
            Ok::<_, sqlx::Error>(account_id)
        }
        .await
    })?;
    let me = Me {
        account_id: account_id
            .parse()
            .map_err(|_| ApiError::Internal("a stored account id is not a UUID".into()))?,
        phone,
    };
    let cookie = session_cookie(&token, SESSION_LIFETIME_MS / 1000, &headers);
    Ok(([(header::SET_COOKIE, cookie)], Json(me)).into_response())
}

/// A request made with a live session.
#[derive(Debug, Clone)]
pub struct Session {
    pub me: Me,
    token_hash: String,
}

impl<S> FromRequestParts<S> for Session
where
    S: Send + Sync,
    Accounts: FromRef<S>,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let accounts = Accounts::from_ref(state);
        let token = parts
            .headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(';'))
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(name, _)| *name == COOKIE)
            .map(|(_, token)| token.to_owned())
            .ok_or(ApiError::SignedOut)?;
        let token_hash = hash(&[&token]);
        let row: Option<(String, String)> = with_pool!(&accounts.db, pool => {
            let mut query = sqlx::QueryBuilder::new(
                "SELECT accounts.id, accounts.phone FROM sessions \
                 JOIN accounts ON accounts.id = sessions.account_id WHERE sessions.token_hash = ",
            );
            query
                .push_bind(token_hash.as_str())
                .push(" AND sessions.expires_at_ms > ")
                .push_bind(now_ms());
            query.build_query_as().fetch_optional(pool).await
        })?;
        let (account_id, phone) = row.ok_or(ApiError::SignedOut)?;
        Ok(Session {
            me: Me {
                account_id: account_id
                    .parse()
                    .map_err(|_| ApiError::Internal("a stored account id is not a UUID".into()))?,
                phone,
            },
            token_hash,
        })
    }
}

#[utoipa::path(
    get,
    path = "/api/v1/auth/session",
    responses(
        (status = 200, description = "The signed-in account", body = Me),
        (status = 401, description = "Not signed in", body = ErrorBody),
    )
)]
pub async fn me(session: Session) -> Json<Me> {
    Json(session.me)
}

#[utoipa::path(
    delete,
    path = "/api/v1/auth/session",
    responses(
        (status = 204, description = "Signed out; the session no longer works anywhere"),
        (status = 401, description = "Not signed in", body = ErrorBody),
    )
)]
pub async fn sign_out(
    State(accounts): State<Accounts>,
    headers: HeaderMap,
    session: Session,
) -> Result<Response, ApiError> {
    with_pool!(&accounts.db, pool => {
        let mut query = sqlx::QueryBuilder::new("DELETE FROM sessions WHERE token_hash = ");
        query.push_bind(session.token_hash.as_str());
        query.build().execute(pool).await.map(drop)
    })?;
    let cookie = session_cookie("", 0, &headers);
    Ok((StatusCode::NO_CONTENT, [(header::SET_COOKIE, cookie)]).into_response())
}

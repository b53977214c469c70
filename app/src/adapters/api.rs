//! The signed-in part of the API (venues, accounts): JSON over `fetch`, with the session cookie
//! the browser keeps (HttpOnly: the app never sees it). Citizens' submissions go through the
//! outbox instead (`super::outbox`).

use domain::api::{ApiErrorCode, ErrorBody};
use domain::validation::FieldError;
use gloo_net::http::{Request, RequestBuilder, Response};
use serde::de::DeserializeOwned;
use serde::Serialize;

/// Why a call failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApiFailure {
    /// No answer: offline, or the server is down.
    #[error("the server could not be reached")]
    Network,
    /// An answer other than 2xx, with the API's error code (`None` when the body was not an
    /// API error, e.g. from a proxy) and refused fields.
    #[error("HTTP {status}: {code:?}")]
    Refused {
        status: u16,
        code: Option<ApiErrorCode>,
        fields: Vec<FieldError>,
    },
}

impl ApiFailure {
    pub fn fields(&self) -> Vec<FieldError> {
        match self {
            ApiFailure::Network => Vec::new(),
            ApiFailure::Refused { fields, .. } => fields.clone(),
        }
    }
}

async fn answer(response: Result<Response, gloo_net::Error>) -> Result<Response, ApiFailure> {
    let response = response.map_err(|_| ApiFailure::Network)?;
    if response.ok() {
        return Ok(response);
    }
    let status = response.status();
    let body = response.json::<ErrorBody>().await.ok();
    Err(ApiFailure::Refused {
        status,
        code: body.as_ref().map(|body| body.error),
        fields: body.map(|body| body.fields).unwrap_or_default(),
    })
}

async fn json<T: DeserializeOwned>(response: Response) -> Result<T, ApiFailure> {
    response.json().await.map_err(|_| ApiFailure::Network)
}

pub async fn get<T: DeserializeOwned>(path: &str) -> Result<T, ApiFailure> {
    json(answer(Request::get(path).send().await).await?).await
}

/// GETs a public answer that caches may keep (the exposure list), asking them to revalidate it
/// first: the browser's cache would otherwise serve a minute-old list to the app that just
/// started.
pub async fn get_revalidated<T: DeserializeOwned>(path: &str) -> Result<T, ApiFailure> {
    let request = Request::get(path).cache(web_sys::RequestCache::NoCache);
    json(answer(request.send().await).await?).await
}

async fn send_json(request: RequestBuilder, body: &impl Serialize) -> Result<Response, ApiFailure> {
    let request = request.json(body).map_err(|_| ApiFailure::Network)?;
    answer(request.send().await).await
}

/// POSTs `body`; the answer's JSON as `T`.
pub async fn post<T: DeserializeOwned>(path: &str, body: &impl Serialize) -> Result<T, ApiFailure> {
    json(send_json(Request::post(path), body).await?).await
}

/// POSTs `body`, ignoring what comes back.
pub async fn post_only(path: &str, body: &impl Serialize) -> Result<(), ApiFailure> {
    send_json(Request::post(path), body).await.map(drop)
}

/// DELETEs, with `body` saying what (personal identifiers stay out of the path).
pub async fn delete(path: &str, body: &impl Serialize) -> Result<(), ApiFailure> {
    send_json(Request::delete(path), body).await.map(drop)
}

/// PUTs `body`; the answer's JSON as `T`.
pub async fn put<T: DeserializeOwned>(path: &str, body: &impl Serialize) -> Result<T, ApiFailure> {
    json(send_json(Request::put(path), body).await?).await
}

/// DELETEs what `path` names, ignoring what comes back.
pub async fn delete_only(path: &str) -> Result<(), ApiFailure> {
    answer(Request::delete(path).send().await).await.map(drop)
}

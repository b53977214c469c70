//! The signed-in part of the API (venues, accounts): JSON over `fetch`, with the session cookie
//! the browser keeps (HttpOnly: the app never sees it). Citizens' submissions go through the
//! outbox instead (`super::outbox`).

use domain::validation::FieldError;
use gloo_net::http::{Request, RequestBuilder, Response};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// Why a call failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApiFailure {
    /// No answer: offline, or the server is down.
    #[error("the server could not be reached")]
    Network,
    /// An answer other than 2xx, with the API's error code and refused fields.
    #[error("HTTP {status}: {code}")]
    Refused {
        status: u16,
        code: String,
        fields: Vec<FieldError>,
    },
}

impl ApiFailure {
    pub fn is_signed_out(&self) -> bool {
        matches!(self, ApiFailure::Refused { status: 401, code, .. } if code == "signed_out")
    }

    pub fn is_not_found(&self) -> bool {
        matches!(self, ApiFailure::Refused { status: 404, .. })
    }

    /// The API's error code, if the server answered.
    pub fn code(&self) -> Option<&str> {
        match self {
            ApiFailure::Network => None,
            ApiFailure::Refused { code, .. } => Some(code),
        }
    }

    pub fn fields(&self) -> Vec<FieldError> {
        match self {
            ApiFailure::Network => Vec::new(),
            ApiFailure::Refused { fields, .. } => fields.clone(),
        }
    }
}

#[derive(Deserialize, Default)]
struct ErrorBody {
    #[serde(default)]
    error: String,
    #[serde(default)]
    fields: Vec<FieldError>,
}

async fn answer(response: Result<Response, gloo_net::Error>) -> Result<Response, ApiFailure> {
    let response = response.map_err(|_| ApiFailure::Network)?;
    if response.ok() {
        return Ok(response);
    }
    let status = response.status();
    let body = response.json::<ErrorBody>().await.unwrap_or_default();
    Err(ApiFailure::Refused {
        status,
        code: body.error,
        fields: body.fields,
    })
}

async fn json<T: DeserializeOwned>(response: Response) -> Result<T, ApiFailure> {
    response.json().await.map_err(|_| ApiFailure::Network)
}

pub async fn get<T: DeserializeOwned>(path: &str) -> Result<T, ApiFailure> {
    json(answer(Request::get(path).send().await).await?).await
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

//! The one JSON body extractor of the API: every body is read by `domain::api::read_body`, so a
//! body that is JSON but of the wrong shape is a 422 naming the field (an unknown field at any
//! depth, a missing one, a wrong type), and only bytes that are not JSON are a 400.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::header::CONTENT_TYPE;
use domain::api::{read_body, BodyError};
use serde::de::DeserializeOwned;

use crate::error::ApiError;

pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, ApiError> {
        let is_json = request
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.split(';').next())
            .is_some_and(|essence| {
                let essence = essence.trim();
                essence.eq_ignore_ascii_case("application/json")
                    || essence.to_ascii_lowercase().ends_with("+json")
            });
        if !is_json {
            return Err(ApiError::NotJson);
        }
        let bytes = Bytes::from_request(request, state).await?;
        parse(&bytes).map(ApiJson)
    }
}

/// A body (or one batch item) read as a `T`, refused as the API answers it.
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    read_body(bytes).map_err(|error| match error {
        BodyError::Malformed(message) => ApiError::MalformedJson(message),
        BodyError::Invalid { field, .. } => ApiError::Validation(vec![field]),
    })
}

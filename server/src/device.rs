//! The `X-Tokhai-Device` header: a random key the app generates once and sends with its
//! submissions. The server keeps only its SHA-256, and lists declarations back only to the
//! device that holds the key (DESIGN.md §7: no personal data in URLs; nobody else's data).

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use sha2::{Digest, Sha256};

use crate::error::ApiError;

pub const HEADER: &str = "x-tokhai-device";

/// Accepted key lengths: the app sends 43 base64url characters (32 random bytes).
const KEY_LENGTH: std::ops::RangeInclusive<usize> = 22..=128;

/// The hashed device key of a request, when it carried one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Device(pub Option<String>);

impl Device {
    fn from_key(key: &str) -> Result<Device, ApiError> {
        let valid = KEY_LENGTH.contains(&key.len())
            && key
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if !valid {
            return Err(ApiError::BadDeviceKey);
        }
        Ok(Device(Some(format!(
            "{:x}",
            Sha256::digest(key.as_bytes())
        ))))
    }

    /// The hash, or an error for endpoints that only answer a known device.
    pub fn required(self) -> Result<String, ApiError> {
        self.0.ok_or(ApiError::BadDeviceKey)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Device {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        match parts.headers.get(HEADER) {
            None => Ok(Device(None)),
            Some(value) => Device::from_key(value.to_str().map_err(|_| ApiError::BadDeviceKey)?),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_hashed_and_checked() {
        let key = "q3Zx0m4T1hYkZl7c2W8pR5nB9vD6sF0aE1gH2jK3lMn";
        let Device(Some(hash)) = Device::from_key(key).unwrap() else {
            panic!("no hash")
        };
        assert_eq!(hash.len(), 64);
        assert!(!hash.contains(key));
        assert!(Device::from_key("short").is_err());
        assert!(Device::from_key(&"a".repeat(129)).is_err());
        assert!(Device::from_key("has space has space has space").is_err());
    }
}

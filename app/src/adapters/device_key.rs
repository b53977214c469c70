//! WebCrypto: the device's pass key (DESIGN.md §3.3). One signing key per device, made by the
//! browser as non-extractable — no script, ours included, can read its private half, so a copied
//! database or screenshot cannot stamp a pass — and kept in IndexedDB. Ed25519 where the browser
//! has it, ECDSA P-256 otherwise; `domain::pass` verifies both.

use std::cell::OnceCell;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use domain::pass::{KeyAlgorithm, PassKey};
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{CryptoKey, CryptoKeyPair, SubtleCrypto};

use crate::adapters::idb::{use_local_db, StorageError};
use crate::page_lifetime;

/// Why the device has no pass key to sign with.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DeviceKeyError {
    /// No WebCrypto (an insecure `http://` page), or neither algorithm is supported.
    #[error("this browser cannot make a signing key: {0}")]
    Unsupported(String),
    #[error(transparent)]
    Storage(#[from] StorageError),
    /// The browser refused to sign (the stored key is damaged or from another origin).
    #[error("signing failed: {0}")]
    Signing(String),
}

/// The device's pass key: the private half stays inside the browser.
#[derive(Debug, Clone)]
pub struct DeviceKey {
    private: CryptoKey,
    public: PassKey,
}

/// The page's device key, read from IndexedDB or made on first use.
pub type DeviceKeyResource = LocalResource<Result<DeviceKey, DeviceKeyError>>;

thread_local! {
    static DEVICE_KEY: OnceCell<DeviceKeyResource> = const { OnceCell::new() };
}

/// The device key, made once per device and shared by every screen of the page.
pub fn use_device_key() -> DeviceKeyResource {
    page_lifetime::get_or_init(&DEVICE_KEY, || {
        let db = use_local_db();
        LocalResource::new(move || async move {
            let db = db.await?;
            if let Some(key) = stored(db.device_key().await?) {
                return Ok(key);
            }
            let (private, public) = generate().await?;
            if db.add_device_key(private.clone().into(), &public).await? {
                return Ok(DeviceKey { private, public });
            }
            // Another tab made the device's key first: use that one.
            stored(db.device_key().await?)
                .ok_or_else(|| StorageError::Request("device key vanished".into()).into())
        })
    })
}

fn stored(record: Option<(JsValue, PassKey)>) -> Option<DeviceKey> {
    let (private, public) = record?;
    Some(DeviceKey {
        private: private.dyn_into().ok()?,
        public,
    })
}

fn subtle() -> Result<SubtleCrypto, DeviceKeyError> {
    let crypto = web_sys::window()
        .ok_or_else(|| DeviceKeyError::Unsupported("no window".into()))?
        .crypto()
        .map_err(|error| DeviceKeyError::Unsupported(describe(&error)))?;
    // `crypto.subtle` is undefined outside secure contexts.
    let subtle = crypto.subtle();
    if subtle.is_undefined() {
        return Err(DeviceKeyError::Unsupported("no SubtleCrypto".into()));
    }
    Ok(subtle)
}

fn describe(error: &JsValue) -> String {
    error
        .dyn_ref::<js_sys::Error>()
        .map(|error| String::from(error.message()))
        .unwrap_or_else(|| format!("{error:?}"))
}

/// A promise-returning WebCrypto call, awaited; a synchronous throw and a rejection alike are
/// errors.
async fn call(promise: Result<js_sys::Promise, JsValue>) -> Result<JsValue, String> {
    JsFuture::from(promise.map_err(|error| describe(&error))?)
        .await
        .map_err(|error| describe(&error))
}

/// Makes a new key pair: Ed25519 where the browser has it, P-256 otherwise.
async fn generate() -> Result<(CryptoKey, PassKey), DeviceKeyError> {
    let subtle = subtle()?;
    let usages = js_sys::Array::of1(&"sign".into());
    let ed25519 = call(subtle.generate_key_with_str("Ed25519", false, &usages)).await;
    let (algorithm, pair) = match ed25519 {
        Ok(pair) => (KeyAlgorithm::Ed25519, pair),
        Err(_) => {
            let params = web_sys::EcKeyGenParams::new("ECDSA", "P-256");
            let pair = call(subtle.generate_key_with_object(&params, false, &usages))
                .await
                .map_err(DeviceKeyError::Unsupported)?;
            (KeyAlgorithm::EcdsaP256, pair)
        }
    };
    let pair: CryptoKeyPair = pair.unchecked_into();
    let raw = call(subtle.export_key("raw", &pair.get_public_key()))
        .await
        .map_err(DeviceKeyError::Unsupported)?;
    let public = PassKey {
        algorithm,
        public_key: URL_SAFE_NO_PAD.encode(js_sys::Uint8Array::new(&raw).to_vec()),
    };
    Ok((pair.get_private_key(), public))
}

impl DeviceKey {
    /// The public half, as a declaration carries it.
    pub fn public(&self) -> &PassKey {
        &self.public
    }

    /// Signs `message`: 64 bytes (Ed25519, or P-256's r ‖ s).
    pub async fn sign(&self, message: &[u8]) -> Result<[u8; 64], DeviceKeyError> {
        let subtle = subtle()?;
        let promise = match self.public.algorithm {
            KeyAlgorithm::Ed25519 => {
                subtle.sign_with_str_and_u8_array("Ed25519", &self.private, message)
            }
            KeyAlgorithm::EcdsaP256 => {
                let params = web_sys::EcdsaParams::new("ECDSA", &"SHA-256".into());
                subtle.sign_with_object_and_u8_array(&params, &self.private, message)
            }
        };
        let signature = call(promise).await.map_err(DeviceKeyError::Signing)?;
        js_sys::Uint8Array::new(&signature)
            .to_vec()
            .try_into()
            .map_err(|bytes: Vec<u8>| DeviceKeyError::Signing(format!("{} bytes", bytes.len())))
    }
}

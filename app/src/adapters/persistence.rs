//! Persistent storage (`navigator.storage.persist()`): asks the browser not to clear the app's
//! data under storage pressure, since the outbox may hold submissions not yet sent.

use leptos::prelude::*;
use wasm_bindgen_futures::JsFuture;

/// Asks for persistent storage once and reports the browser's answer (`None` until it answers,
/// or when the browser has no such API).
pub fn use_persistent_storage() -> ReadSignal<Option<bool>> {
    let (granted, set_granted) = signal(None);
    let request = web_sys::window().and_then(|window| window.navigator().storage().persist().ok());
    if let Some(request) = request {
        wasm_bindgen_futures::spawn_local(async move {
            if let Ok(answer) = JsFuture::from(request).await {
                set_granted.set(answer.as_bool());
            }
        });
    }
    granted
}

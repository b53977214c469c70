//! The Screen Wake Lock API: keeps the screen on while a pass is shown at a gate, so the person
//! in the queue does not have to unlock the phone again (DESIGN.md §3.3).
//!
//! `web-sys` has the API only behind `web_sys_unstable_apis`, so it is called by name. The
//! browser drops the lock whenever the tab is hidden; it is asked for again when the tab is shown,
//! and released when the screen that asked goes away. Without the API nothing happens.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Function, Promise, Reflect};
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// Keeps the screen awake for as long as the calling component lives.
pub fn use_wake_lock() {
    let sentinel: Rc<RefCell<Option<JsValue>>> = Rc::default();
    let acquire = {
        let sentinel = sentinel.clone();
        move || {
            let sentinel = sentinel.clone();
            leptos::task::spawn_local(async move {
                if let Some(lock) = request().await {
                    if let Some(previous) = sentinel.borrow_mut().replace(lock) {
                        release(&previous);
                    }
                }
            });
        }
    };
    acquire();
    let on_visible = crate::adapters::document::on_shown(acquire);
    // Runs on the page's only thread; Leptos asks for `Send` cleanups.
    let cleanup = SendWrapper::new(move || {
        drop(on_visible);
        if let Some(lock) = sentinel.borrow_mut().take() {
            release(&lock);
        }
    });
    on_cleanup(move || cleanup.take()());
}

/// `navigator.wakeLock.request("screen")`, or `None` where it is missing or refused (battery
/// saver, a hidden tab).
async fn request() -> Option<JsValue> {
    let navigator: JsValue = web_sys::window()?.navigator().into();
    let wake_lock = Reflect::get(&navigator, &"wakeLock".into()).ok()?;
    if wake_lock.is_undefined() {
        return None;
    }
    let request: Function = Reflect::get(&wake_lock, &"request".into())
        .ok()?
        .dyn_into()
        .ok()?;
    let promise: Promise = request
        .call1(&wake_lock, &"screen".into())
        .ok()?
        .dyn_into()
        .ok()?;
    JsFuture::from(promise).await.ok()
}

fn release(sentinel: &JsValue) {
    if let Some(release) = Reflect::get(sentinel, &"release".into())
        .ok()
        .and_then(|release| release.dyn_into::<Function>().ok())
    {
        let _ = release.call0(sentinel);
    }
}

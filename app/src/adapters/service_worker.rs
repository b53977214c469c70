//! The service worker (`/sw.js`), which keeps the app working offline.

use gloo_events::EventListener;
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use wasm_bindgen_futures::JsFuture;

/// What the app needs to know about its service worker.
#[derive(Debug, Clone, Copy)]
pub struct UseServiceWorker {
    /// A new version took control of this page, which still runs the old code.
    pub update_ready: Signal<bool>,
}

/// Registers `/sw.js` and watches for a new version taking over.
pub fn use_service_worker() -> UseServiceWorker {
    let (update_ready, set_update_ready) = signal(false);
    if let Some(container) = web_sys::window().map(|window| window.navigator().service_worker()) {
        // A page first loaded without a worker gets one on first install; that is no update.
        let had_controller = container.controller().is_some();
        let listener = EventListener::new(&container, "controllerchange", move |_| {
            if had_controller {
                set_update_ready.set(true);
            }
        });
        // Cleanup runs on the page's only thread; the wrapper just satisfies Leptos's bounds.
        let listener = SendWrapper::new(listener);
        on_cleanup(move || drop(listener));
        let registration = container.register("/sw.js");
        wasm_bindgen_futures::spawn_local(async move {
            if let Err(error) = JsFuture::from(registration).await {
                // Without a worker the app still works online; offline use is what is lost.
                leptos::logging::warn!("service worker registration failed: {error:?}");
            }
        });
    }
    UseServiceWorker {
        update_ready: update_ready.into(),
    }
}

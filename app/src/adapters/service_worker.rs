//! The service worker (`/sw.js`), which keeps the app working offline.

use gloo_events::EventListener;
use js_sys::{Object, Reflect};
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// What the app needs to know about its service worker.
#[derive(Debug, Clone, Copy)]
pub struct UseServiceWorker {
    /// The worker controlling this page belongs to another build than the code running in it:
    /// a reload picks up the new version.
    pub update_ready: Signal<bool>,
}

/// Registers `/sw.js`, asks it to look for a new version, and watches for a worker of another
/// build taking over.
///
/// `build` is this code's build id. The page asks its controlling worker for the worker's build
/// (message `{type: "build?"}`, answered by `{type: "build", build}` in public/sw.js) on start and
/// on every `controllerchange`, which catches a takeover that happened before the Wasm was running
/// as well as one that happens later.
pub fn use_service_worker(build: &'static str) -> UseServiceWorker {
    let (update_ready, set_update_ready) = signal(false);
    let Some(window) = web_sys::window() else {
        return UseServiceWorker {
            update_ready: update_ready.into(),
        };
    };
    let container = window.navigator().service_worker();

    let on_message = EventListener::new(&container, "message", move |event| {
        let Some(data) = event.dyn_ref::<web_sys::MessageEvent>().map(|e| e.data()) else {
            return;
        };
        let field = |name: &str| {
            Reflect::get(&data, &JsValue::from_str(name))
                .ok()?
                .as_string()
        };
        if field("type").as_deref() == Some("build")
            && field("build").is_some_and(|worker_build| worker_build != build)
        {
            set_update_ready.set(true);
        }
    });
    let ask_build = {
        let container = container.clone();
        move || {
            if let Some(controller) = container.controller() {
                let question = Object::new();
                let _ = Reflect::set(&question, &"type".into(), &"build?".into());
                let _ = controller.post_message(&question);
            }
        }
    };
    ask_build();
    let on_controller_change =
        EventListener::new(&container, "controllerchange", move |_| ask_build());
    // Cleanup runs on the page's only thread; the wrapper just satisfies Leptos's bounds.
    let listeners = SendWrapper::new((on_message, on_controller_change));
    on_cleanup(move || drop(listeners));

    let registration = container.register("/sw.js");
    wasm_bindgen_futures::spawn_local(async move {
        match JsFuture::from(registration).await {
            // Registering an already registered worker does not look for a new version, and
            // browsers may skip the check on navigation; ask explicitly on every start.
            Ok(registration) => {
                if let Ok(update) = registration
                    .unchecked_into::<web_sys::ServiceWorkerRegistration>()
                    .update()
                {
                    // An update check that fails offline is expected; the next start retries.
                    let _ = JsFuture::from(update).await;
                }
            }
            // Without a worker the app still works online; offline use is what is lost.
            Err(error) => leptos::logging::warn!("service worker registration failed: {error:?}"),
        }
    });
    UseServiceWorker {
        update_ready: update_ready.into(),
    }
}

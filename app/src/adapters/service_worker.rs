//! The service worker (`/sw.js`), which keeps the app working offline.

use std::cell::Cell;

use gloo_events::EventListener;
use js_sys::{Object, Reflect};
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{ServiceWorkerRegistration, ServiceWorkerState};

/// What the app needs to know about its service worker.
#[derive(Debug, Clone, Copy)]
pub struct UseServiceWorker {
    /// A worker of a newer build is installed and waiting, or already controls this page while
    /// older code runs in it: [`take_update`] switches to it.
    pub update_ready: Signal<bool>,
}

/// How often an open page asks the server for a new worker, beside each start and each return
/// to the tab: an app left open at a gate all day still learns of a new build.
const UPDATE_CHECK_EVERY_MS: u32 = 30 * 60_000;

thread_local! {
    /// Set when the person agreed to reload: the next `controllerchange` is the waiting worker
    /// taking over, and the page reloads into its build.
    static RELOAD_ON_TAKEOVER: Cell<bool> = const { Cell::new(false) };
}

fn container() -> Option<web_sys::ServiceWorkerContainer> {
    Some(web_sys::window()?.navigator().service_worker())
}

fn message(kind: &str) -> Object {
    let message = Object::new();
    let _ = Reflect::set(&message, &"type".into(), &kind.into());
    message
}

/// Registers `/sw.js`, looks for a new version on start, every [`UPDATE_CHECK_EVERY_MS`] and
/// whenever the tab becomes visible again, and reports a newer build waiting to take over.
///
/// `build` is this code's build id. The page also asks its controlling worker for the worker's
/// build (message `{type: "build?"}`, answered by `{type: "build", build}` in public/sw.js) on
/// start and on every `controllerchange`, which catches a worker of another build that took
/// over before the Wasm was running. These listeners live as long as the page.
pub fn use_service_worker(build: &'static str) -> UseServiceWorker {
    let (update_ready, set_update_ready) = signal(false);
    let Some(container) = container() else {
        return UseServiceWorker {
            update_ready: update_ready.into(),
        };
    };

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
                let _ = controller.post_message(&message("build?"));
            }
        }
    };
    ask_build();
    let on_controller_change = EventListener::new(&container, "controllerchange", move |_| {
        if RELOAD_ON_TAKEOVER.get() {
            super::document::reload();
        } else {
            ask_build();
        }
    });
    on_message.forget();
    on_controller_change.forget();

    let registration = container.register("/sw.js");
    wasm_bindgen_futures::spawn_local(async move {
        match JsFuture::from(registration).await {
            Ok(registration) => {
                watch(registration.unchecked_into(), container, set_update_ready).await
            }
            // Without a worker the app still works online; offline use is what is lost.
            Err(error) => leptos::logging::warn!("service worker registration failed: {error:?}"),
        }
    });
    UseServiceWorker {
        update_ready: update_ready.into(),
    }
}

/// Reports a newer worker that is waiting now or finishes installing later (while an older one
/// controls the page), and keeps asking for one.
async fn watch(
    registration: ServiceWorkerRegistration,
    container: web_sys::ServiceWorkerContainer,
    set_update_ready: WriteSignal<bool>,
) {
    let waiting_behind_another = {
        let container = container.clone();
        move |registration: &ServiceWorkerRegistration| {
            registration.waiting().is_some() && container.controller().is_some()
        }
    };
    if waiting_behind_another(&registration) {
        set_update_ready.set(true);
    }
    let on_update_found = {
        let registration = registration.clone();
        EventListener::new(&registration.clone(), "updatefound", move |_| {
            let Some(installing) = registration.installing() else {
                return;
            };
            let registration = registration.clone();
            let waiting_behind_another = waiting_behind_another.clone();
            EventListener::new(&installing.clone(), "statechange", move |_| {
                if installing.state() == ServiceWorkerState::Installed
                    && waiting_behind_another(&registration)
                {
                    set_update_ready.set(true);
                }
            })
            .forget();
        })
    };
    on_update_found.forget();
    let check = {
        let registration = registration.clone();
        move || {
            let registration = registration.clone();
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(update) = registration.update() {
                    // A check that fails offline is expected; the next one retries.
                    let _ = JsFuture::from(update).await;
                }
            });
        }
    };
    // Registering an already registered worker does not look for a new version, and browsers
    // may skip the check on navigation: ask explicitly.
    check();
    gloo_timers::callback::Interval::new(UPDATE_CHECK_EVERY_MS, check.clone()).forget();
    if let Some(document) = web_sys::window().and_then(|window| window.document()) {
        let watched = document.clone();
        EventListener::new(&document, "visibilitychange", move |_| {
            if watched.visibility_state() == web_sys::VisibilityState::Visible {
                check();
            }
        })
        .forget();
    }
}

/// Switches to the new build once the person agreed: the waiting worker takes over and the
/// page reloads when it has (`controllerchange`); with no worker waiting (the new one already
/// controls the page), a plain reload.
pub fn take_update() {
    let Some(container) = container() else {
        return;
    };
    wasm_bindgen_futures::spawn_local(async move {
        let waiting = match JsFuture::from(container.get_registration()).await {
            Ok(found) if found.is_instance_of::<ServiceWorkerRegistration>() => found
                .unchecked_into::<ServiceWorkerRegistration>()
                .waiting(),
            _ => None,
        };
        match waiting {
            Some(worker) => {
                RELOAD_ON_TAKEOVER.set(true);
                if worker.post_message(&message("take-over")).is_err() {
                    super::document::reload();
                }
            }
            None => super::document::reload(),
        }
    });
}

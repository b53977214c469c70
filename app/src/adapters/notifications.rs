//! System notifications (the Notifications API), shown through the service worker's
//! registration: Chrome on Android has no page-made `new Notification()`. Permission is asked only
//! when the person presses the button offered after a check-in, never on load.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Notification, NotificationOptions, NotificationPermission};

/// Where this browser stands on notifications.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// No Notifications API at all.
    Unsupported,
    /// Not asked yet.
    Ask,
    Granted,
    Denied,
}

fn supported() -> bool {
    web_sys::window().is_some_and(|window| {
        js_sys::Reflect::has(&window, &"Notification".into()).unwrap_or(false)
    })
}

pub fn permission() -> Permission {
    if !supported() {
        return Permission::Unsupported;
    }
    match Notification::permission() {
        NotificationPermission::Granted => Permission::Granted,
        NotificationPermission::Denied => Permission::Denied,
        _ => Permission::Ask,
    }
}

/// Asks the person; what they answered.
pub async fn request() -> Permission {
    if !supported() {
        return Permission::Unsupported;
    }
    if let Ok(promise) = Notification::request_permission() {
        let _ = JsFuture::from(promise).await;
    }
    permission()
}

/// Shows `title` and `body` if the person allowed it; otherwise nothing (the app's own alert is
/// shown either way). `tag` replaces an earlier notification of the same event.
pub async fn show(title: &str, body: &str, tag: &str) {
    if permission() != Permission::Granted {
        return;
    }
    let Some(window) = web_sys::window() else {
        return;
    };
    let Ok(ready) = window.navigator().service_worker().ready() else {
        return;
    };
    let Ok(registration) = JsFuture::from(ready).await else {
        return;
    };
    let Ok(registration) = registration.dyn_into::<web_sys::ServiceWorkerRegistration>() else {
        return;
    };
    let options = NotificationOptions::new();
    options.set_body(body);
    options.set_tag(tag);
    if let Ok(promise) = registration.show_notification_with_options(title, &options) {
        let _ = JsFuture::from(promise).await;
    }
}

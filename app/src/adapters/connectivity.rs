//! The browser's `online` event: the moment a queued send or a missed fetch is worth another
//! try.

use gloo_events::EventListener;

/// Calls `back_online` each time the browser regains the network, for as long as the returned
/// listener is kept.
pub fn on_online(mut back_online: impl FnMut() + 'static) -> Option<EventListener> {
    let window = web_sys::window()?;
    Some(EventListener::new(&window, "online", move |_| {
        back_online()
    }))
}

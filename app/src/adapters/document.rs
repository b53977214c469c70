//! The page itself: `<html lang>`, the static first paint, focus, printing and reloading.

use domain::i18n::Lang;
use wasm_bindgen::JsCast;

/// Makes `<html lang>` follow the interface language, so screen readers pronounce it correctly.
pub fn set_language(lang: Lang) {
    if let Some(root) = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.document_element())
    {
        let _ = root.set_attribute("lang", lang.tag());
    }
}

/// Opens the browser's print dialog (the poster's print CSS does the layout).
pub fn print() {
    if let Some(window) = web_sys::window() {
        let _ = window.print();
    }
}

/// The part of the address after `#`, which never reaches a server (the poster code).
pub fn fragment() -> String {
    web_sys::window()
        .and_then(|window| window.location().hash().ok())
        .map(|hash| hash.trim_start_matches('#').to_owned())
        .unwrap_or_default()
}

/// Reloads the page, picking up a new version of the app.
pub fn reload() {
    if let Some(window) = web_sys::window() {
        let _ = window.location().reload();
    }
}

/// Removes the static first paint of `index.html` (header and home skeleton, shown before any
/// code ran), which the app replaces as it mounts.
pub fn remove_static_paint() {
    if let Some(paint) = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.get_element_by_id("static-paint"))
    {
        paint.remove();
    }
}

/// After a refused submit, moves focus to the first field marked invalid and scrolls it to the
/// middle of the screen, so the person (and their screen reader, which reads the field's label
/// and error) lands on the problem instead of on a summary scrolled out of sight. Waits for the
/// next frame, by which time the errors are on the page.
pub fn focus_first_invalid() {
    leptos::prelude::request_animation_frame(|| {
        let Some(field) = web_sys::window()
            .and_then(|window| window.document())
            .and_then(|document| {
                document
                    .query_selector(
                        r#"[aria-invalid="true"], .field-invalid input, .field-invalid select"#,
                    )
                    .ok()
                    .flatten()
            })
            .and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok())
        else {
            return;
        };
        let scroll = web_sys::ScrollIntoViewOptions::new();
        scroll.set_block(web_sys::ScrollLogicalPosition::Center);
        field.scroll_into_view_with_scroll_into_view_options(&scroll);
        let focus = web_sys::FocusOptions::new();
        focus.set_prevent_scroll(true);
        let _ = field.focus_with_options(&focus);
    });
}

/// A short buzz where the phone allows it (a scan that succeeded), silently nothing elsewhere.
pub fn vibrate() {
    if let Some(window) = web_sys::window() {
        let _ = window.navigator().vibrate_with_duration(120);
    }
}

/// The file chosen in the `<input type="file">` that fired `event`.
pub fn picked_file(event: &leptos::ev::Event) -> Option<web_sys::File> {
    use wasm_bindgen::JsCast;
    let input: web_sys::HtmlInputElement = event.target()?.dyn_into().ok()?;
    input.files()?.get(0)
}

/// Calls `shown` each time the tab becomes visible again, for as long as the returned listener
/// is kept: timers sleep and wake locks are dropped while a tab is hidden.
pub fn on_shown(shown: impl Fn() + 'static) -> Option<gloo_events::EventListener> {
    let document = web_sys::window()?.document()?;
    let target = document.clone();
    Some(gloo_events::EventListener::new(
        &target,
        "visibilitychange",
        move |_| {
            if !document.hidden() {
                shown();
            }
        },
    ))
}

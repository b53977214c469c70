//! The page itself: `<html lang>`, the static first paint, printing and reloading.

use domain::i18n::Lang;

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

//! Small non-personal preferences (the interface language) in `localStorage`.
//!
//! Personal data never goes here: `localStorage` is synchronous and not transactional, so profiles
//! and declarations live in IndexedDB (`super::idb`).

use domain::i18n::Lang;

const LANGUAGE_KEY: &str = "tokhai.lang";

fn local_storage() -> Option<web_sys::Storage> {
    // Blocked storage throws on access; the app then simply forgets the preference.
    web_sys::window()?.local_storage().ok().flatten()
}

/// The language chosen earlier on this device, if any.
pub fn stored_language() -> Option<Lang> {
    let tag = local_storage()?.get_item(LANGUAGE_KEY).ok().flatten()?;
    Lang::from_tag(&tag)
}

/// Remembers the language for the next visit. Failing to remember is not worth bothering the user.
pub fn store_language(lang: Lang) {
    if let Some(storage) = local_storage() {
        let _ = storage.set_item(LANGUAGE_KEY, lang.tag());
    }
}

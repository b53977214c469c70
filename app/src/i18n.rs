//! The interface language as reactive state, over the catalogue in `domain::i18n`.

use domain::i18n::{Lang, Text};
use leptos::prelude::*;

use crate::adapters::{document, preferences};

/// The current language, shared through context (see [`provide_i18n`]).
#[derive(Debug, Clone, Copy)]
pub struct I18n {
    lang: ReadSignal<Lang>,
    set_lang: WriteSignal<Lang>,
}

impl I18n {
    /// The current language; tracked, so views re-render when it changes.
    pub fn lang(self) -> Lang {
        self.lang.get()
    }

    pub fn set_lang(self, lang: Lang) {
        self.set_lang.set(lang);
    }

    /// `text` in the current language; tracked.
    pub fn t(self, text: Text) -> &'static str {
        text.in_lang(self.lang.get())
    }
}

/// Starts with the language chosen earlier on this device (Vietnamese if none) and keeps the
/// stored preference and `<html lang>` in step with it.
pub fn provide_i18n() -> I18n {
    let (lang, set_lang) = signal(preferences::stored_language().unwrap_or_default());
    Effect::new(move |_| {
        let lang = lang.get();
        document::set_language(lang);
        preferences::store_language(lang);
    });
    let i18n = I18n { lang, set_lang };
    provide_context(i18n);
    i18n
}

pub fn use_i18n() -> I18n {
    expect_context()
}

//! The interface language as reactive state, over the catalogue in `domain::i18n`.
//!
//! Vietnamese is compiled in; another language is fetched when chosen (`adapters::locales`) and
//! shown once it has arrived. Until then the current language stays on screen, and if it cannot
//! arrive (offline, never fetched) it stays for good, with a notice.

use domain::i18n::{Arg, Lang, Text};
use leptos::prelude::*;

use crate::adapters::{document, locales, preferences};

/// The current language, shared through context (see [`provide_i18n`]).
#[derive(Debug, Clone, Copy)]
pub struct I18n {
    lang: ReadSignal<Lang>,
    set_lang: WriteSignal<Lang>,
    /// The language last chosen: ahead of `lang` while it loads, back to `lang` if it fails.
    chosen: RwSignal<Lang>,
    /// The language that could not be loaded, until the next choice.
    unavailable: RwSignal<Option<Lang>>,
}

impl I18n {
    /// The language on screen; tracked, so views re-render when it changes.
    pub fn lang(self) -> Lang {
        self.lang.get()
    }

    /// The language the language switch should show selected; tracked.
    pub fn chosen(self) -> Lang {
        self.chosen.get()
    }

    /// A language the user chose that could not be loaded; tracked.
    pub fn unavailable(self) -> Option<Lang> {
        self.unavailable.get()
    }

    /// Switches to `lang` as soon as its messages are here, and remembers the choice (also when
    /// they cannot be loaded now: they may be next time).
    pub fn set_lang(self, lang: Lang) {
        preferences::store_language(lang);
        self.switch_to(lang);
    }

    fn switch_to(self, lang: Lang) {
        self.chosen.set(lang);
        self.unavailable.set(None);
        if domain::i18n::is_available(lang) {
            self.set_lang.set(lang);
            return;
        }
        leptos::task::spawn_local(async move {
            let loaded = locales::load(lang).await;
            if self.chosen.get_untracked() != lang {
                // Another language was chosen meanwhile; that choice wins.
                return;
            }
            match loaded {
                Ok(()) => self.set_lang.set(lang),
                Err(error) => {
                    leptos::logging::warn!("{error}");
                    self.chosen.set(self.lang.get_untracked());
                    self.unavailable.set(Some(lang));
                }
            }
        });
    }

    /// `text` in the current language; tracked. For a text with placeholders use [`I18n::format`].
    pub fn t(self, text: Text) -> &'static str {
        text.in_lang(self.lang.get())
    }

    /// `text` in the current language with its placeholders filled, e.g.
    /// `i18n.format(Text::ItemsWaiting, &[("n", count.into())])`; tracked.
    pub fn format(self, text: Text, args: &[(&str, Arg)]) -> String {
        text.format(self.lang.get(), args)
    }
}

/// Starts in Vietnamese, switches to the language chosen earlier on this device (once loaded),
/// and keeps `<html lang>` in step with the language on screen.
pub fn provide_i18n() -> I18n {
    let (lang, set_lang) = signal(Lang::Vi);
    let i18n = I18n {
        lang,
        set_lang,
        chosen: RwSignal::new(Lang::Vi),
        unavailable: RwSignal::new(None),
    };
    if let Some(stored) = preferences::stored_language() {
        i18n.switch_to(stored);
    }
    Effect::new(move |_| document::set_language(lang.get()));
    provide_context(i18n);
    i18n
}

pub fn use_i18n() -> I18n {
    expect_context()
}

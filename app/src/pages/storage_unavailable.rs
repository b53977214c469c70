use domain::i18n::Text;
use leptos::prelude::*;

use crate::adapters::document;
use crate::i18n::use_i18n;

/// Replaces every screen when IndexedDB cannot be opened: without it nothing could be kept, and a
/// form that silently loses what was typed is worse than no form.
#[component]
pub fn StorageUnavailable() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="page notice-error" role="alert" aria-labelledby="storage-title">
            <h1 id="storage-title">{move || i18n.t(Text::StorageUnavailableTitle)}</h1>
            <p>{move || i18n.t(Text::StorageUnavailableBody)}</p>
            <button type="button" class="button" on:click=|_| document::reload()>
                {move || i18n.t(Text::Reload)}
            </button>
        </section>
    }
}

/// Said where data stored on the device could not be read.
#[component]
pub fn CouldNotRead() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <p class="notice-error" role="alert">
            {move || i18n.t(Text::CouldNotRead)}
        </p>
    }
}

/// A screen that keeps data on the device: shown once IndexedDB opens, replaced by
/// [`StorageUnavailable`] when it cannot.
pub fn with_storage(screen: fn() -> AnyView) -> AnyView {
    let db = crate::adapters::idb::use_local_db();
    let usable = move || !matches!(db.get(), Some(Err(_)));
    view! { <Show when=usable fallback=StorageUnavailable>{screen()}</Show> }.into_any()
}

/// A screen that needs no storage on the device (the venue side keeps its data on the server).
pub fn anywhere(screen: fn() -> AnyView) -> AnyView {
    screen()
}

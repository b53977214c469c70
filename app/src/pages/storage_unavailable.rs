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

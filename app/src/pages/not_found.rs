use domain::i18n::Text;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::i18n::use_i18n;

/// Shown for any address that is not a screen of the app.
#[component]
pub fn NotFound() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="page" aria-labelledby="not-found-title">
            <h1 id="not-found-title">{move || i18n.t(Text::NotFoundTitle)}</h1>
            <p>{move || i18n.t(Text::NotFoundBody)}</p>
            <A href="/" attr:class="button">{move || i18n.t(Text::BackToHome)}</A>
        </section>
    }
}

//! The app shell: layout, language switch, routes.

use domain::i18n::{Lang, Text};
use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes, A};
use leptos_router::path;

use crate::adapters::document;
use crate::adapters::idb::provide_local_db;
use crate::adapters::outbox::provide_outbox;
use crate::adapters::policy::provide_policy;
use crate::adapters::service_worker::use_service_worker;
use crate::i18n::{provide_i18n, use_i18n};
use crate::pages::{
    CheckInPage, DeclarationPage, EditProfile, HistoryPage, Home, NewProfile, NotFound, OutboxPage,
    PosterPage, RegisterVenue, StaffPage, StorageUnavailable, VenueHome, VisitorsPage,
};

/// The version shown in the footer: the build id stamped by `cargo xtask`, else the crate version.
const VERSION: &str = match option_env!("TOKHAI_BUILD") {
    Some(build) => build,
    None => env!("CARGO_PKG_VERSION"),
};

#[component]
pub fn App() -> impl IntoView {
    let i18n = provide_i18n();
    let db = provide_local_db();
    provide_outbox();
    provide_policy();
    let service_worker = use_service_worker(VERSION);
    let storage_usable = move || !matches!(db.get(), Some(Err(_)));

    view! {
        <Router>
            <a class="skip-link" href="#main">{move || i18n.t(Text::SkipToContent)}</a>
            <header class="top-bar">
                <A href="/" attr:class="brand">{move || i18n.t(Text::AppName)}</A>
                <nav aria-label=move || i18n.t(Text::MainNavigation)>
                    <A href="/outbox" attr:class="nav-link">{move || i18n.t(Text::NavOutbox)}</A>
                    <A href="/venue" attr:class="nav-link">{move || i18n.t(Text::VenueArea)}</A>
                </nav>
                <LanguageSwitch/>
            </header>
            <Show when=move || service_worker.update_ready.get()>
                <div class="banner" role="status">
                    <span>{move || i18n.t(Text::UpdateReady)}</span>
                    <button type="button" on:click=|_| document::reload()>
                        {move || i18n.t(Text::Reload)}
                    </button>
                </div>
            </Show>
            <main id="main" tabindex="-1">
                <Show when=storage_usable fallback=StorageUnavailable>
                    <Routes fallback=NotFound>
                        <Route path=path!("/") view=Home/>
                        <Route path=path!("/profiles/new") view=NewProfile/>
                        <Route path=path!("/profiles/:id") view=EditProfile/>
                        <Route path=path!("/profiles/:id/declare/:kind") view=DeclarationPage/>
                        <Route path=path!("/profiles/:id/history") view=HistoryPage/>
                        <Route path=path!("/outbox") view=OutboxPage/>
                        <Route path=path!("/c") view=CheckInPage/>
                        <Route path=path!("/venue") view=VenueHome/>
                        <Route path=path!("/venue/new") view=RegisterVenue/>
                        <Route path=path!("/venue/:id/poster") view=PosterPage/>
                        <Route path=path!("/venue/:id/visitors") view=VisitorsPage/>
                        <Route path=path!("/venue/staff") view=StaffPage/>
                    </Routes>
                </Show>
            </main>
            <footer class="footer">
                {move || i18n.t(Text::Version)} " " {VERSION}
            </footer>
        </Router>
    }
}

#[component]
fn LanguageSwitch() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="language-switch">
            <label for="language">{move || i18n.t(Text::Language)}</label>
            <select
                id="language"
                on:change=move |ev| {
                    if let Some(lang) = Lang::from_tag(&event_target_value(&ev)) {
                        i18n.set_lang(lang);
                    }
                }
            >
                {Lang::ALL
                    .into_iter()
                    .map(|lang| {
                        view! {
                            <option
                                value=lang.tag()
                                lang=lang.tag()
                                selected=move || i18n.lang() == lang
                            >
                                {lang.native_name()}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </div>
    }
}

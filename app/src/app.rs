//! The app shell: layout, language switch, routes.

use domain::i18n::{Lang, Text};
use leptos::prelude::*;
use leptos::wasm_split::wasm_split;
use leptos_router::components::{Router, A};

use crate::adapters::service_worker::{take_update, use_service_worker};
use crate::i18n::{provide_i18n, use_i18n};
use crate::routes::{AppRoutes, ChunkError};

/// The version shown in the footer: the build id stamped by `cargo xtask`, else the crate version.
const VERSION: &str = match option_env!("TOKHAI_BUILD") {
    Some(build) => build,
    None => env!("CARGO_PKG_VERSION"),
};

#[component]
pub fn App() -> impl IntoView {
    let i18n = provide_i18n();
    let service_worker = use_service_worker(VERSION);
    // After the first render, whatever the screen: queued submissions go out on every start. A
    // device that has stored nothing has nothing to send, close, prune or match, so a first
    // visit fetches only the keys instead of the engine's code (the screens that store things
    // start the outbox themselves, and the engine runs from the next start on).
    Effect::new(|_| {
        leptos::task::spawn_local(async {
            let started = if crate::adapters::idb::database_exists().await {
                start_outbox().await
            } else {
                refresh_keys().await
            };
            if started.is_err() {
                leptos::logging::warn!(
                    "the start-up work could not be loaded; the screens that need it load it"
                );
            }
        })
    });

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
                    <button type="button" on:click=|_| take_update()>
                        {move || i18n.t(Text::Reload)}
                    </button>
                </div>
            </Show>
            <main id="main" tabindex="-1">
                <AppRoutes/>
            </main>
            <footer class="footer">
                <A href="/my-data">{move || i18n.t(Text::MyDataTitle)}</A>
                <A href="/officer">{move || i18n.t(Text::OfficerArea)}</A>
                <span>{move || i18n.t(Text::Version)} " " {VERSION}</span>
            </footer>
        </Router>
    }
}

/// The outbox's sync engine, in a chunk of its own so that the shell stays small.
#[wasm_split(outbox_engine, fallible, wasm_split_path = ::leptos::wasm_split)]
fn start_outbox() -> Result<(), ChunkError> {
    let outbox = crate::adapters::outbox::use_outbox();
    let housekeeping = move || {
        leptos::task::spawn_local(async move {
            if let Err(error) = crate::diary::close_forgotten_visits(outbox).await {
                leptos::logging::warn!("could not close forgotten visits: {error}");
            }
            if let Ok(db) = crate::adapters::idb::use_local_db().await {
                db.prune(crate::adapters::clock::now_ms()).await;
            }
            // So that the first poster scanned offline still verifies.
            crate::venue_keys::refresh().await;
        })
    };
    housekeeping();
    // Exposure alerts: matched on this device against its own diary.
    crate::exposures::start();
    // A phone may keep the app open for days: forgotten visits close, old data goes and the
    // venue keys are fetched again hourly,
    // for as long as the page lives (hence never cancelled).
    gloo_timers::callback::Interval::new(3_600_000, housekeeping).forget();
    Ok(())
}

/// On a device that has stored nothing yet: the server's keys only, so that the first poster
/// scanned offline still verifies.
#[wasm_split(keys_refresh, fallible, wasm_split_path = ::leptos::wasm_split)]
fn refresh_keys() -> Result<(), ChunkError> {
    leptos::task::spawn_local(async {
        crate::venue_keys::refresh().await;
    });
    Ok(())
}

#[component]
fn LanguageSwitch() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="language-switch">
            <label for="language">{move || i18n.t(Text::Language)}</label>
            <select
                id="language"
                // Back to the language on screen when the chosen one could not be loaded.
                prop:value=move || i18n.chosen().tag()
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
                                selected=move || i18n.chosen() == lang
                            >
                                {lang.native_name()}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
            {move || {
                i18n.unavailable()
                    .map(|lang| {
                        let language = lang.native_name();
                        view! {
                            <p class="notice-error" role="alert">
                                {move || i18n.format(Text::LanguageUnavailable, &[("language", language.into())])}
                            </p>
                        }
                    })
            }}
        </div>
    }
}

//! The app's screens, each in its own lazily loaded Wasm chunk.
//!
//! `cargo xtask` splits the Wasm at every `#[wasm_split]` function below, so the shell a first
//! visit downloads holds only the router and the layout (DESIGN.md §8); a screen's code, and the
//! IndexedDB, outbox and crypto code it uses, arrive when the screen is first opened (and the
//! service worker precaches them all afterwards). A chunk that cannot be fetched is a failure the
//! user can retry, never a panic that kills the page.
//!
//! Screens are grouped into a few modules (the first name of each line of `screens!`): the splitter
//! puts code shared by several modules into a chunk per set of modules that use it, so a module
//! per screen made hundreds of tiny chunks (230 files for the home screen), each compressed
//! alone and each calling the others through the table, which cost more than the code they
//! held. Screens in one module are the ones a person goes through together: the first-time path
//! (`entry`: poster link, new profile, declaration), the rest of a citizen's screens, venue
//! staff's, health officers'. Home, the screen most visits start on, is a module of its own.
//!
//! `xtask` also reads the `screens!` table below (module, split name and path) to give
//! `index.html` the preload hints for the chunks of the address being opened: keep one screen
//! per line.

use domain::i18n::Text;
use leptos::prelude::*;
use leptos::wasm_split::{wasm_split, SplitLoaderError};
use leptos_router::components::{Route, Routes};
use leptos_router::path;
use send_wrapper::SendWrapper;

use crate::i18n::use_i18n;
use crate::pages::{self, NotFound};

/// A screen's code could not be downloaded (offline before the service worker had it, or a
/// server error): the user is offered to try again.
#[derive(Debug, Clone, thiserror::Error)]
#[error("this screen's code could not be downloaded")]
pub struct ChunkError;

impl From<SplitLoaderError> for ChunkError {
    fn from(_: SplitLoaderError) -> Self {
        ChunkError
    }
}

type ScreenFuture =
    std::pin::Pin<Box<dyn std::future::Future<Output = Result<AnyView, ChunkError>>>>;

/// Starts loading a screen's chunk and resolves to its view.
type LoadScreen = fn() -> ScreenFuture;

macro_rules! screens {
    ($($module:ident: $split:ident $path:tt => $gate:ident($screen:path);)*) => {
        $(
            #[wasm_split($module, fallible, wasm_split_path = ::leptos::wasm_split)]
            fn $split() -> Result<AnyView, ChunkError> {
                Ok(pages::$gate(|| $screen().into_any()))
            }
        )*

        /// Every screen of the app; any other address shows "not found".
        #[component]
        pub fn AppRoutes() -> impl IntoView {
            view! {
                <Routes fallback=NotFound>
                    $(
                        <Route path=path!($path) view=|| view! { <Lazy load=|| Box::pin($split())/> }/>
                    )*
                </Routes>
            }
        }
    };
}

screens! {
    home: home "/" => with_storage(pages::Home);
    entry: new_profile "/profiles/new" => with_storage(pages::NewProfile);
    entry: edit_profile "/profiles/:id" => with_storage(pages::EditProfile);
    entry: declare "/profiles/:id/declare/:kind" => with_storage(pages::DeclarationPage);
    citizen: history "/profiles/:id/history" => with_storage(pages::HistoryPage);
    citizen: pass "/profiles/:id/pass" => with_storage(pages::PassPage);
    citizen: outbox "/outbox" => with_storage(pages::OutboxPage);
    citizen: my_data "/my-data" => with_storage(pages::MyDataPage);
    citizen: scan "/scan" => anywhere(pages::ScanPage);
    entry: check_in "/c" => with_storage(pages::CheckInPage);
    citizen: visits "/visits" => with_storage(pages::VisitsPage);
    venue: venue_home "/venue" => anywhere(pages::VenueHome);
    venue: register_venue "/venue/new" => anywhere(pages::RegisterVenue);
    venue: poster "/venue/:id/poster" => anywhere(pages::PosterPage);
    venue: visitors "/venue/:id/visitors" => anywhere(pages::VisitorsPage);
    venue: gate "/venue/:id/gate" => anywhere(pages::GatePage);
    venue: staff "/venue/staff" => anywhere(pages::StaffPage);
    citizen: alerts "/alerts" => with_storage(pages::AlertsPage);
    officer: officer "/officer" => anywhere(pages::OfficerExposures);
    officer: officer_statistics "/officer/statistics" => anywhere(pages::OfficerStatistics);
    officer: officer_cases "/officer/cases" => anywhere(pages::OfficerCases);
    install: install "/install" => anywhere(pages::InstallPage);
}

/// Fetches the check-in screen's module without showing it: the scanner asks for it once the
/// camera films, so that a poster read opens the check-in screen at once instead of waiting for
/// its code (DESIGN.md §8: poster in the camera → check-in screen). A failure is left to the
/// screen itself, which offers a retry when it is opened.
pub async fn preload_check_in() {
    let _ = __wasm_split_preload_check_in().await;
}

/// A screen whose code is loaded on first use: "loading" meanwhile, the screen when its chunk is
/// there, and a retry when the chunk could not be fetched.
#[component]
fn Lazy(load: LoadScreen) -> impl IntoView {
    let i18n = use_i18n();
    let attempt = RwSignal::new(0_u32);
    let screen = move || {
        attempt.track();
        // Leptos asks for a `Send` future; this one stays on the page's only thread.
        Suspend::new(SendWrapper::new(load()))
    };
    view! {
        <Suspense fallback=move || view! { <p class="page" role="status">{move || i18n.t(Text::Loading)}</p> }>
            <ErrorBoundary fallback=move |_| view! { <ScreenUnavailable retry=move || attempt.update(|n| *n += 1)/> }>
                {screen}
            </ErrorBoundary>
        </Suspense>
    }
}

#[component]
fn ScreenUnavailable(retry: impl Fn() + 'static) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="page notice-error" role="alert" aria-labelledby="screen-unavailable-title">
            <h1 id="screen-unavailable-title">{move || i18n.t(Text::ScreenUnavailableTitle)}</h1>
            <p>{move || i18n.t(Text::ScreenUnavailableBody)}</p>
            <button type="button" class="button button-primary" on:click=move |_| retry()>
                {move || i18n.t(Text::TryAgain)}
            </button>
        </section>
    }
}

//! The app's screens, each in its own lazily loaded Wasm chunk.
//!
//! `cargo xtask` splits the Wasm at every `#[wasm_split]` function below, so the shell a first
//! visit downloads holds only the router and the layout (DESIGN.md §8); a screen's code, and the
//! IndexedDB, outbox and crypto code it uses, arrive when the screen is first opened (and the
//! service worker precaches them all afterwards). A chunk that cannot be fetched is a failure the
//! user can retry, never a panic that kills the page.
//!
//! `xtask` also reads the `screens!` table below (split name and path) to give `index.html` the
//! preload hints for the chunks of the address being opened: keep one screen per line.

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
    ($($split:ident $path:tt => $gate:ident($screen:path);)*) => {
        $(
            #[wasm_split($split, fallible, wasm_split_path = ::leptos::wasm_split)]
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
    home "/" => with_storage(pages::Home);
    new_profile "/profiles/new" => with_storage(pages::NewProfile);
    edit_profile "/profiles/:id" => with_storage(pages::EditProfile);
    declare "/profiles/:id/declare/:kind" => with_storage(pages::DeclarationPage);
    history "/profiles/:id/history" => with_storage(pages::HistoryPage);
    pass "/profiles/:id/pass" => with_storage(pages::PassPage);
    outbox "/outbox" => with_storage(pages::OutboxPage);
    my_data "/my-data" => with_storage(pages::MyDataPage);
    scan "/scan" => anywhere(pages::ScanPage);
    check_in "/c" => with_storage(pages::CheckInPage);
    visits "/visits" => with_storage(pages::VisitsPage);
    venue_home "/venue" => anywhere(pages::VenueHome);
    register_venue "/venue/new" => anywhere(pages::RegisterVenue);
    poster "/venue/:id/poster" => anywhere(pages::PosterPage);
    visitors "/venue/:id/visitors" => anywhere(pages::VisitorsPage);
    gate "/venue/:id/gate" => anywhere(pages::GatePage);
    staff "/venue/staff" => anywhere(pages::StaffPage);
    alerts "/alerts" => with_storage(pages::AlertsPage);
    officer "/officer" => anywhere(pages::OfficerExposures);
    officer_statistics "/officer/statistics" => anywhere(pages::OfficerStatistics);
    officer_cases "/officer/cases" => anywhere(pages::OfficerCases);
    install "/install" => anywhere(pages::InstallPage);
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

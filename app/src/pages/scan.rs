//! `/scan`: checking in by camera (DESIGN.md §3.4). The camera films, the reader decodes one
//! frame at a time, and a tokhai poster opens the check-in screen for its venue; any other code
//! is shown, never opened. A photo of the poster and the short code printed under it are always
//! offered, and are all there is when the camera is refused or missing.

use domain::api::ResolvedPoster;
use domain::i18n::Text;
use domain::scan::{classify, ScannedCode};
use domain::venue::normalise_short_code;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use super::scanner::{use_scanner, PhotoFallback, Viewfinder};
use crate::adapters::api::{self, ApiFailure};
use crate::adapters::camera::{Camera, CameraState};
use crate::adapters::document;
use crate::diary;
use crate::i18n::use_i18n;

/// What the scanner tells the person holding the phone.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Finding {
    Looking,
    Opening,
    /// A code that is not a usable tokhai poster, and why.
    Refused(Text),
    /// Someone else's code: what it says, as text.
    Foreign(Text, String),
}

/// Where a read code leads: a poster opens the check-in, anything else is said.
fn finding_of(bytes: &[u8]) -> Result<String, Finding> {
    match classify(bytes) {
        ScannedCode::Poster(code) => Ok(code),
        ScannedCode::Refused(error) => Err(Finding::Refused(error.text())),
        ScannedCode::Link(url) => Err(Finding::Foreign(Text::ScanForeignLink, url)),
        ScannedCode::Text(text) => Err(Finding::Foreign(Text::ScanForeignText, text)),
        ScannedCode::Binary { .. } => Err(Finding::Refused(Text::PosterNotRecognised)),
    }
}

#[component]
pub fn ScanPage() -> impl IntoView {
    let i18n = use_i18n();
    let finding = RwSignal::new(Finding::Looking);
    let navigate = use_navigate();
    let open_code = move |bytes: Vec<u8>| match finding_of(&bytes) {
        Ok(code) => {
            finding.set(Finding::Opening);
            diary::note_scan(&code);
            document::vibrate();
            navigate(&format!("/c#{code}"), Default::default());
        }
        Err(refused) => finding.set(refused),
    };
    let scanner = use_scanner(open_code.clone());
    // Once the camera films, the check-in screen's code is fetched while the person aims.
    Effect::new(move |preloaded: Option<bool>| {
        if preloaded == Some(true) {
            return true;
        }
        let live = scanner.camera.state.get() == CameraState::Live;
        if live {
            leptos::task::spawn_local(crate::routes::preload_check_in());
        }
        live
    });
    view! {
        <section class="page scanner" aria-labelledby="scan-title">
            <h1 id="scan-title">{move || i18n.t(Text::ScanTitle)}</h1>
            <Viewfinder scanner/>
            <ScanStatus finding camera=scanner.camera/>
            <PhotoFallback scanner label=Text::ScanPhotoAction on_read=open_code.clone() on_problem=move |text| finding.set(Finding::Refused(text))/>
            <ShortCodeFallback open_code/>
        </section>
    }
}

#[component]
fn ScanStatus(finding: RwSignal<Finding>, camera: Camera) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        let camera_state = camera.state.get();
        match finding.get() {
            Finding::Refused(text) => view! { <p class="notice-error" role="alert">{i18n.t(text)}</p> }.into_any(),
            Finding::Foreign(text, shown) => view! {
                <div class="notice-error" role="alert">
                    <p>{i18n.t(text)}</p>
                    <p class="scanned-text">{shown}</p>
                </div>
            }
            .into_any(),
            Finding::Opening => view! { <p role="status" class="status status-valid">{i18n.t(Text::ScanCodeFound)}</p> }.into_any(),
            Finding::Looking => {
                let text = match camera_state {
                    CameraState::Starting => Text::ScanCameraStarting,
                    CameraState::Paused => Text::ScanCameraPaused,
                    _ => Text::ScanLooking,
                };
                view! { <p role="status">{i18n.t(text)}</p> }.into_any()
            }
        }
    }
}

/// The short code printed under the poster's QR, resolved by the server to the poster's link.
#[component]
fn ShortCodeFallback(open_code: impl Fn(Vec<u8>) + Clone + 'static) -> impl IntoView {
    let i18n = use_i18n();
    let typed = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<Text>);
    let resolve = Action::new_local(move |code: &String| {
        let path = format!("/api/v1/posters/{code}");
        async move { api::get::<ResolvedPoster>(&path).await }
    });
    Effect::new(move || {
        let Some(answer) = resolve.value().get() else {
            return;
        };
        match answer {
            Ok(resolved) => {
                problem.set(None);
                open_code(resolved.poster_url.into_bytes());
            }
            Err(ApiFailure::Network) => problem.set(Some(Text::ShortCodeOffline)),
            Err(ApiFailure::Refused { status: 404, .. }) => {
                problem.set(Some(Text::ShortCodeUnknown))
            }
            Err(ApiFailure::Refused { .. }) => problem.set(Some(Text::ServerProblem)),
        }
    });
    let on_submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let code = normalise_short_code(&typed.get_untracked());
        if code.is_empty() {
            problem.set(Some(Text::ShortCodeEmpty));
            return;
        }
        resolve.dispatch(code);
    };
    view! {
        <form class="short-code" on:submit=on_submit novalidate=true>
            <label for="short-code">{move || i18n.t(Text::ShortCodeLabel)}</label>
            <input
                id="short-code"
                type="text"
                autocomplete="off"
                autocapitalize="characters"
                spellcheck="false"
                maxlength="20"
                aria-invalid=move || problem.get().is_some().to_string()
                aria-describedby="short-code-problem"
                prop:value=move || typed.get()
                on:input=move |event| typed.set(event_target_value(&event))
            />
            <p id="short-code-problem" class="field-error" role="alert">{move || problem.get().map(|text| i18n.t(text))}</p>
            <button type="submit" class="button button-primary" disabled=move || resolve.pending().get()>
                {move || i18n.t(Text::ShortCodeSubmit)}
            </button>
        </form>
    }
}

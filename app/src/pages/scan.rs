//! `/scan`: checking in by camera (DESIGN.md §3.4). The camera films, the reader decodes one
//! frame at a time, and a tokhai poster opens the check-in screen for its venue; any other code
//! is shown, never opened. A photo of the poster and the short code printed under it are always
//! offered, and are all there is when the camera is refused or missing.

use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use domain::api::ResolvedPoster;
use domain::diary::SCAN_DEBOUNCE_MS;
use domain::i18n::Text;
use domain::scan::{classify, ScannedCode};
use domain::venue::normalise_short_code;
use gloo_timers::future::TimeoutFuture;
use leptos::html;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use send_wrapper::SendWrapper;

use crate::adapters::api::{self, ApiFailure};
use crate::adapters::camera::{use_camera, Camera, CameraState};
use crate::adapters::clock::now_ms;
use crate::adapters::document;
use crate::adapters::qr_reader::QrReader;
use crate::diary;
use crate::i18n::use_i18n;

/// After this long without a read, the worker also tries its fallback decoder.
const FALLBACK_AFTER_MS: i64 = 1_000;
/// The pause between two frames: the phone's CPU is shared with the camera and the page.
const FRAME_PAUSE_MS: u32 = 40;

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
    let video = NodeRef::<html::Video>::new();
    let camera = use_camera(video);
    let finding = RwSignal::new(Finding::Looking);
    let navigate = use_navigate();
    let reader = LocalResource::new(|| async { QrReader::open().await.map(Rc::new) });
    let open_code = move |bytes: Vec<u8>| match finding_of(&bytes) {
        Ok(code) => {
            finding.set(Finding::Opening);
            diary::note_scan(&code);
            document::vibrate();
            navigate(&format!("/c#{code}"), Default::default());
        }
        Err(refused) => finding.set(refused),
    };

    // The scanning loop: one frame in flight, for as long as the screen is shown.
    let shown = Arc::new(AtomicBool::new(true));
    Effect::new({
        let shown = shown.clone();
        let open_code = open_code.clone();
        move || {
            let Some(Some(reader)) = reader.get() else {
                return;
            };
            let (shown, open_code) = (shown.clone(), open_code.clone());
            wasm_bindgen_futures::spawn_local(scan_frames(reader, camera, video, shown, open_code));
        }
    });
    on_cleanup(move || shown.store(false, Ordering::Relaxed));

    let decoder = move || {
        reader.get().flatten().map(|reader| {
            if reader.is_native() {
                "native"
            } else {
                "worker"
            }
        })
    };
    view! {
        <section class="page scanner" aria-labelledby="scan-title">
            <h1 id="scan-title">{move || i18n.t(Text::ScanTitle)}</h1>
            <Show when=move || camera_usable(camera.state.get()) fallback=move || view! { <CameraHelp state=camera.state/> }>
                <div class="viewfinder" data-decoder=decoder>
                    <video node_ref=video muted=true playsinline=true autoplay=true aria-label=move || i18n.t(Text::ScanCameraView)></video>
                    <div class="viewfinder-frame" aria-hidden="true"></div>
                </div>
                <TorchButton camera/>
            </Show>
            <ScanStatus finding camera/>
            <PhotoFallback reader open_code=open_code.clone() finding/>
            <ShortCodeFallback open_code/>
        </section>
    }
}

fn camera_usable(state: CameraState) -> bool {
    matches!(
        state,
        CameraState::Starting | CameraState::Live | CameraState::Paused
    )
}

/// Reads frames until the screen closes. The fallback decoder joins after a second without a
/// read; a code just shown is not shown again within the debounce.
async fn scan_frames(
    reader: Rc<QrReader>,
    camera: Camera,
    video: NodeRef<html::Video>,
    shown: Arc<AtomicBool>,
    open_code: impl Fn(Vec<u8>),
) {
    let mut last_read: Option<(Vec<u8>, i64)> = None;
    let mut looking_since = now_ms();
    while shown.load(Ordering::Relaxed) {
        let element = video.get_untracked();
        let live = camera.state.try_get_untracked() == Some(CameraState::Live);
        let Some(element) = element.filter(|_| live) else {
            looking_since = now_ms();
            TimeoutFuture::new(200).await;
            continue;
        };
        let fallback = now_ms() - looking_since > FALLBACK_AFTER_MS;
        if let Some(bytes) = reader.read_video(&element, fallback).await {
            let now = now_ms();
            let repeated = last_read
                .as_ref()
                .is_some_and(|(previous, at)| *previous == bytes && now - *at < SCAN_DEBOUNCE_MS);
            if !repeated && shown.load(Ordering::Relaxed) {
                open_code(bytes.clone());
            }
            last_read = Some((bytes, now));
            looking_since = now;
        }
        TimeoutFuture::new(FRAME_PAUSE_MS).await;
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

#[component]
fn TorchButton(camera: Camera) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        camera.torch.get().map(|on| {
            view! {
                <button type="button" class="button" aria-pressed=on.to_string() on:click=move |_| camera.toggle_torch()>
                    {i18n.t(Text::ScanTorch)}
                </button>
            }
        })
    }
}

/// Why there is no camera picture, and how to allow the camera where it was refused.
#[component]
fn CameraHelp(state: ReadSignal<CameraState>) -> impl IntoView {
    let i18n = use_i18n();
    move || match state.get() {
        CameraState::Denied => view! {
            <div class="notice-error" role="alert" aria-labelledby="camera-help-title">
                <h2 id="camera-help-title">{i18n.t(Text::CameraDeniedTitle)}</h2>
                <p>{i18n.t(Text::CameraDeniedBody)}</p>
                <ul>
                    <li>{i18n.t(Text::CameraAllowAndroidChrome)}</li>
                    <li>{i18n.t(Text::CameraAllowIosSafari)}</li>
                    <li>{i18n.t(Text::CameraAllowDesktop)}</li>
                </ul>
                <p>{i18n.t(Text::CameraUseFallbacks)}</p>
            </div>
        }
        .into_any(),
        CameraState::Busy => view! {
            <div class="notice-error" role="alert">
                <p>{i18n.t(Text::CameraBusy)}</p>
                <p>{i18n.t(Text::CameraUseFallbacks)}</p>
            </div>
        }
        .into_any(),
        _ => view! {
            <div class="notice-error" role="alert">
                <p>{i18n.t(Text::CameraMissing)}</p>
                <p>{i18n.t(Text::CameraUseFallbacks)}</p>
            </div>
        }
        .into_any(),
    }
}

/// A photo of the poster, read by the same decoders.
#[component]
fn PhotoFallback(
    reader: LocalResource<Option<Rc<QrReader>>>,
    open_code: impl Fn(Vec<u8>) + Clone + 'static,
    finding: RwSignal<Finding>,
) -> impl IntoView {
    let i18n = use_i18n();
    let (reading, set_reading) = signal(false);
    let on_change = move |event: leptos::ev::Event| {
        let Some(photo) = document::picked_file(&event) else {
            return;
        };
        let Some(Some(reader)) = reader.get_untracked() else {
            return;
        };
        let open_code = open_code.clone();
        set_reading.set(true);
        let photo = SendWrapper::new(photo);
        leptos::task::spawn_local(async move {
            match reader.read_photo(&photo).await {
                Ok(Some(bytes)) => open_code(bytes),
                Ok(None) => finding.set(Finding::Refused(Text::ScanPhotoNoCode)),
                Err(_) => finding.set(Finding::Refused(Text::ScanPhotoUnreadable)),
            }
            set_reading.try_set(false);
        });
    };
    view! {
        <div class="photo-picker">
            <label for="scan-photo" class="button">{move || i18n.t(Text::ScanPhotoAction)}</label>
            <input id="scan-photo" class="visually-hidden" type="file" accept="image/*" on:change=on_change/>
            <Show when=move || reading.get()>
                <p role="status">{move || i18n.t(Text::ScanPhotoReading)}</p>
            </Show>
        </div>
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

//! The camera scanner that the check-in scanner (`/scan`) and gate mode share: the rear camera
//! in a viewfinder, one frame at a time to the decoders for as long as the screen is shown, help
//! when there is no camera picture, and a photo as the fallback.

use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use domain::diary::SCAN_DEBOUNCE_MS;
use domain::i18n::Text;
use gloo_timers::future::TimeoutFuture;
use leptos::html;
use leptos::prelude::*;
use send_wrapper::SendWrapper;

use crate::adapters::camera::{use_camera, Camera, CameraState};
use crate::adapters::clock::now_ms;
use crate::adapters::document;
use crate::adapters::qr_reader::QrReader;
use crate::i18n::use_i18n;

/// After this long without a read, the worker also tries its fallback decoder.
const FALLBACK_AFTER_MS: i64 = 1_000;
/// The pause between two frames: the phone's CPU is shared with the camera and the page.
const FRAME_PAUSE_MS: u32 = 40;

/// One screen's scanner: its camera, the `<video>` it films into, and the decoders.
#[derive(Clone, Copy)]
pub struct Scanner {
    pub camera: Camera,
    video: NodeRef<html::Video>,
    reader: LocalResource<Option<Rc<QrReader>>>,
}

/// Films and decodes while the screen is shown, calling `on_read` with the bytes of each code
/// read (a code just read is not passed again within the debounce).
pub fn use_scanner(on_read: impl Fn(Vec<u8>) + Clone + 'static) -> Scanner {
    let video = NodeRef::<html::Video>::new();
    let camera = use_camera(video);
    let reader = LocalResource::new(|| async { QrReader::open().await.map(Rc::new) });
    // The scanning loop: one frame in flight, for as long as the screen is shown.
    let shown = Arc::new(AtomicBool::new(true));
    Effect::new({
        let shown = shown.clone();
        move || {
            let Some(Some(reader)) = reader.get() else {
                return;
            };
            let (shown, on_read) = (shown.clone(), on_read.clone());
            wasm_bindgen_futures::spawn_local(scan_frames(reader, camera, video, shown, on_read));
        }
    });
    on_cleanup(move || shown.store(false, Ordering::Relaxed));
    Scanner {
        camera,
        video,
        reader,
    }
}

fn camera_usable(state: CameraState) -> bool {
    matches!(
        state,
        CameraState::Starting | CameraState::Live | CameraState::Paused
    )
}

/// Reads frames until the screen closes. The fallback decoder joins after a second without a
/// read; a code just read is not passed again within the debounce.
async fn scan_frames(
    reader: Rc<QrReader>,
    camera: Camera,
    video: NodeRef<html::Video>,
    shown: Arc<AtomicBool>,
    on_read: impl Fn(Vec<u8>),
) {
    let mut last_read: Option<(Vec<u8>, i64)> = None;
    let mut looking_since = now_ms();
    while shown.load(Ordering::Relaxed) {
        let element = video.get_untracked();
        let live = camera.state.try_get_untracked() == Some(CameraState::Live);
        let Some(element) = element.filter(|_| live) else {
            looking_since = now_ms();
            TimeoutFuture::new(FRAME_PAUSE_MS).await;
            continue;
        };
        let fallback = now_ms() - looking_since > FALLBACK_AFTER_MS;
        if let Some(bytes) = reader.read_video(&element, fallback).await {
            let now = now_ms();
            let repeated = last_read
                .as_ref()
                .is_some_and(|(previous, at)| *previous == bytes && now - *at < SCAN_DEBOUNCE_MS);
            if !repeated && shown.load(Ordering::Relaxed) {
                on_read(bytes.clone());
            }
            last_read = Some((bytes, now));
            looking_since = now;
        }
        TimeoutFuture::new(FRAME_PAUSE_MS).await;
    }
}

/// The camera picture with its aiming frame and torch, or why there is none.
#[component]
pub fn Viewfinder(scanner: Scanner) -> impl IntoView {
    let i18n = use_i18n();
    let Scanner {
        camera,
        video,
        reader,
    } = scanner;
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
        <Show when=move || camera_usable(camera.state.get()) fallback=move || view! { <CameraHelp state=camera.state/> }>
            <div class="viewfinder" data-decoder=decoder>
                <video node_ref=video muted=true playsinline=true autoplay=true aria-label=move || i18n.t(Text::ScanCameraView)></video>
                <div class="viewfinder-frame" aria-hidden="true"></div>
            </div>
            <TorchButton camera/>
        </Show>
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

/// A photo of the code, read by the same decoders; `on_problem` hears why nothing was read.
#[component]
pub fn PhotoFallback(
    scanner: Scanner,
    /// What the picker offers to read (a poster, a pass).
    label: Text,
    on_read: impl Fn(Vec<u8>) + Clone + 'static,
    on_problem: impl Fn(Text) + Clone + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let (reading, set_reading) = signal(false);
    let on_change = move |event: leptos::ev::Event| {
        let Some(photo) = document::picked_file(&event) else {
            return;
        };
        let Some(Some(reader)) = scanner.reader.get_untracked() else {
            return;
        };
        let (on_read, on_problem) = (on_read.clone(), on_problem.clone());
        set_reading.set(true);
        let photo = SendWrapper::new(photo);
        leptos::task::spawn_local(async move {
            match reader.read_photo(&photo).await {
                Ok(Some(bytes)) => on_read(bytes),
                Ok(None) => on_problem(Text::ScanPhotoNoCode),
                Err(_) => on_problem(Text::ScanPhotoUnreadable),
            }
            set_reading.try_set(false);
        });
    };
    view! {
        <div class="photo-picker">
            <label for="scan-photo" class="button">{move || i18n.t(label)}</label>
            <input id="scan-photo" class="visually-hidden" type="file" accept="image/*" on:change=on_change/>
            <Show when=move || reading.get()>
                <p role="status">{move || i18n.t(Text::ScanPhotoReading)}</p>
            </Show>
        </div>
    }
}

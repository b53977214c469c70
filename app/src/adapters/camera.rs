//! The rear camera (`navigator.mediaDevices.getUserMedia`) shown in a `<video>`, for the
//! scanner. The camera is on only while it is shown: every track is stopped when the scanner
//! leaves the page (route change, unmount) or the tab is hidden, and started again when the tab is
//! visible, so no page keeps a phone's camera (and its light) busy in the background. A camera
//! that fails under a shown screen (its track ends, or another app holds it) is started again,
//! so a gate left scanning for hours recovers by itself.

use std::cell::RefCell;
use std::rc::Rc;

use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

/// How long after a failure the camera is started again.
const RESTART_AFTER_MS: u64 = 1_500;

/// What the camera is doing, in the words the scanner shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CameraState {
    Starting,
    Live,
    /// The user or the browser refused the camera to this site.
    Denied,
    /// There is no camera, or none that can film (or the page is not on HTTPS).
    Missing,
    /// Another app or tab holds the camera.
    Busy,
    /// Stopped while the tab is hidden.
    Paused,
}

impl CameraState {
    /// Reads the `DOMException` name that `getUserMedia` rejected with.
    fn of_refusal(error: &JsValue) -> CameraState {
        let name = error
            .dyn_ref::<web_sys::DomException>()
            .map(web_sys::DomException::name)
            .unwrap_or_default();
        match name.as_str() {
            "NotAllowedError" | "SecurityError" => CameraState::Denied,
            "NotReadableError" | "AbortError" => CameraState::Busy,
            _ => CameraState::Missing,
        }
    }
}

/// The camera of one scanner screen.
#[derive(Clone, Copy)]
pub struct Camera {
    pub state: ReadSignal<CameraState>,
    /// `None` where the track has no torch; else whether it is on.
    pub torch: ReadSignal<Option<bool>>,
    set_torch: WriteSignal<Option<bool>>,
    stream: StoredValue<Option<web_sys::MediaStream>, LocalStorage>,
}

/// The rear camera at about 1280×720, no sound.
fn constraints() -> web_sys::MediaStreamConstraints {
    let video = js_sys::Object::new();
    let ideal = |value: JsValue| {
        let wrapped = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&wrapped, &"ideal".into(), &value);
        wrapped
    };
    let _ = js_sys::Reflect::set(&video, &"facingMode".into(), &ideal("environment".into()));
    let _ = js_sys::Reflect::set(&video, &"width".into(), &ideal(1280.into()));
    let _ = js_sys::Reflect::set(&video, &"height".into(), &ideal(720.into()));
    let constraints = web_sys::MediaStreamConstraints::new();
    constraints.set_video(&video);
    constraints.set_audio(&false.into());
    constraints
}

fn stop_tracks(stream: &web_sys::MediaStream) {
    for track in stream.get_tracks() {
        if let Ok(track) = track.dyn_into::<web_sys::MediaStreamTrack>() {
            track.stop();
        }
    }
}

fn video_track(stream: &web_sys::MediaStream) -> Option<web_sys::MediaStreamTrack> {
    stream.get_video_tracks().get(0).dyn_into().ok()
}

/// Whether the track reports a `torch` capability (Chrome on Android, for rear cameras).
fn has_torch(track: &web_sys::MediaStreamTrack) -> bool {
    // `getCapabilities` is not in web-sys' stable set; Firefox lacks it altogether.
    let capabilities = js_sys::Reflect::get(track, &"getCapabilities".into())
        .ok()
        .and_then(|method| method.dyn_into::<js_sys::Function>().ok())
        .and_then(|method| method.call0(track).ok());
    capabilities
        .and_then(|capabilities| js_sys::Reflect::get(&capabilities, &"torch".into()).ok())
        .is_some_and(|torch| torch.is_truthy())
}

/// Films into `video` while the screen is shown and the tab visible.
pub fn use_camera(video: NodeRef<html::Video>) -> Camera {
    let (state, set_state) = signal(CameraState::Starting);
    let (torch, set_torch) = signal(None);
    let stream = StoredValue::new_local(None::<web_sys::MediaStream>);
    // Starts are counted so that a start finishing after the screen closed, or after a newer
    // start, stops its stream instead of showing it.
    let generation = Rc::new(RefCell::new(0_u32));
    // Bumped to start the camera again after it failed under a running screen: its track ended
    // (unplugged, taken by the system) or another app held it.
    let restarts = RwSignal::new(0_u32);
    let restart_soon = move || {
        set_timeout(
            move || {
                restarts.try_update(|n| *n += 1);
            },
            std::time::Duration::from_millis(RESTART_AFTER_MS),
        )
    };

    let start = {
        let generation = generation.clone();
        move || {
            let Some(element) = video.get_untracked() else {
                return;
            };
            let this_start = {
                let mut current = generation.borrow_mut();
                *current += 1;
                *current
            };
            let generation = generation.clone();
            set_state.set(CameraState::Starting);
            wasm_bindgen_futures::spawn_local(async move {
                let devices =
                    web_sys::window().and_then(|window| window.navigator().media_devices().ok());
                let Some(request) = devices.and_then(|devices| {
                    devices.get_user_media_with_constraints(&constraints()).ok()
                }) else {
                    set_state.try_set(CameraState::Missing);
                    return;
                };
                match JsFuture::from(request).await {
                    Ok(opened) => {
                        let opened: web_sys::MediaStream = opened.unchecked_into();
                        if *generation.borrow() != this_start {
                            stop_tracks(&opened);
                            return;
                        }
                        element.set_src_object(Some(&opened));
                        if let Some(track) = video_track(&opened) {
                            // `stop()` does not fire `ended`: only a failure does.
                            let current = generation.clone();
                            let on_ended = Closure::once_into_js(move || {
                                if *current.borrow() == this_start {
                                    restart_soon();
                                }
                            });
                            track.set_onended(Some(on_ended.unchecked_ref()));
                        }
                        let _ = element.play();
                        set_torch.try_set(video_track(&opened).filter(has_torch).map(|_| false));
                        stream.try_set_value(Some(opened));
                        set_state.try_set(CameraState::Live);
                    }
                    Err(error) => {
                        let refused = CameraState::of_refusal(&error);
                        set_state.try_set(refused);
                        if refused == CameraState::Busy && *generation.borrow() == this_start {
                            restart_soon();
                        }
                    }
                }
            });
        }
    };
    let stop = {
        let generation = generation.clone();
        move |paused: bool| {
            *generation.borrow_mut() += 1;
            if let Some(open) = stream.try_update_value(Option::take).flatten() {
                stop_tracks(&open);
            }
            if let Some(element) = video.get_untracked() {
                element.set_src_object(None);
            }
            if paused {
                set_state.try_set(CameraState::Paused);
            }
        }
    };

    Effect::new({
        let start = start.clone();
        move || {
            restarts.track();
            if video.get().is_some() {
                start();
            }
        }
    });
    let visibility = web_sys::window()
        .and_then(|window| window.document())
        .map(|document| {
            let start = start.clone();
            let stop = stop.clone();
            let target = document.clone();
            gloo_events::EventListener::new(&target, "visibilitychange", move |_| {
                if document.hidden() {
                    stop(true);
                } else {
                    start();
                }
            })
        });
    // Runs on the page's only thread; Leptos asks for `Send` cleanups.
    let cleanup = send_wrapper::SendWrapper::new(move || {
        drop(visibility);
        stop(false);
    });
    on_cleanup(move || cleanup.take()());

    Camera {
        state,
        torch,
        set_torch,
        stream,
    }
}

impl Camera {
    /// Switches the torch on or off, where the track has one.
    pub fn toggle_torch(self) {
        let Some(on) = self.torch.get_untracked() else {
            return;
        };
        let Some(track) = self
            .stream
            .with_value(|stream| stream.as_ref().and_then(video_track))
        else {
            return;
        };
        let setting = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&setting, &"torch".into(), &(!on).into());
        let constraints = js_sys::Object::new();
        let _ = js_sys::Reflect::set(
            &constraints,
            &"advanced".into(),
            &js_sys::Array::of1(&setting),
        );
        let set_torch = self.set_torch;
        if let Ok(applied) = track.apply_constraints_with_constraints(constraints.unchecked_ref()) {
            wasm_bindgen_futures::spawn_local(async move {
                if JsFuture::from(applied).await.is_ok() {
                    set_torch.try_set(Some(!on));
                }
            });
        }
    }
}

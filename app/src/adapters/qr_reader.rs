//! Reading QR codes from the camera's video or from a photo (DESIGN.md §3.4), fastest first: the
//! browser's own `BarcodeDetector` where it reads QR codes (Chrome on Android: no download, native
//! speed); else the decoders of the `decoder` crate in a Web Worker (`scanner-worker.js`), fed
//! frames downscaled by a canvas, one frame in flight at a time so a slow phone never queues
//! work. The UI thread only grabs frames; decoding never blocks it.
//!
//! A worker that traps, or has not answered within [`WATCHDOG_MS`], is terminated and a new one
//! takes its place: scanning goes on.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use domain::scan::{fit_within, CAMERA_FRAME_SIDE, PHOTO_SIDE};
use futures::channel::oneshot;
use futures::future::{select, Either};
use gloo_timers::future::TimeoutFuture;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::adapters::PKG;

/// Longer than any decode of one frame, even with the fallback on a slow phone.
const WATCHDOG_MS: u32 = 4_000;

#[wasm_bindgen]
extern "C" {
    /// The Shape Detection API's detector (not in `web-sys`' stable set).
    #[wasm_bindgen(js_name = BarcodeDetector)]
    type NativeDetector;

    #[wasm_bindgen(constructor, catch, js_class = "BarcodeDetector")]
    fn new(options: &JsValue) -> Result<NativeDetector, JsValue>;

    #[wasm_bindgen(method, catch, js_class = "BarcodeDetector")]
    fn detect(this: &NativeDetector, source: &JsValue) -> Result<js_sys::Promise, JsValue>;

    #[wasm_bindgen(static_method_of = NativeDetector, catch, js_class = "BarcodeDetector", js_name = getSupportedFormats)]
    fn supported_formats() -> Result<js_sys::Promise, JsValue>;
}

/// The browser's detector, if it has one that reads QR codes.
async fn native_detector() -> Option<NativeDetector> {
    let global = js_sys::global();
    if !js_sys::Reflect::has(&global, &"BarcodeDetector".into()).unwrap_or(false) {
        return None;
    }
    let formats = JsFuture::from(NativeDetector::supported_formats().ok()?)
        .await
        .ok()?;
    let formats: js_sys::Array = formats.dyn_into().ok()?;
    if !formats.includes(&"qr_code".into(), 0) {
        return None;
    }
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(
        &options,
        &"formats".into(),
        &js_sys::Array::of1(&"qr_code".into()),
    );
    NativeDetector::new(&options).ok()
}

/// Why a photo could not be read at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotAnImage;

/// Which decoder a scanner uses.
enum Decoder {
    Native(NativeDetector),
    Worker(RefCell<Option<DecoderWorker>>),
}

/// Reads QR codes for one scanner screen.
pub struct QrReader {
    decoder: Decoder,
    canvas: FrameCanvas,
}

impl QrReader {
    /// The fastest decoder this browser offers: its own `BarcodeDetector`, else the worker.
    pub async fn open() -> Option<QrReader> {
        let decoder = match native_detector().await {
            Some(native) => Decoder::Native(native),
            None => Decoder::Worker(RefCell::new(None)),
        };
        Some(QrReader {
            decoder,
            canvas: FrameCanvas::new()?,
        })
    }

    /// Whether the browser's own detector is used (reported by the scanner for tests and bugs).
    pub fn is_native(&self) -> bool {
        matches!(self.decoder, Decoder::Native(_))
    }

    /// The code in the video's current frame, if one is read. With `fallback`, the worker also
    /// tries its second decoder (loaded on first use).
    pub async fn read_video(
        &self,
        video: &web_sys::HtmlVideoElement,
        fallback: bool,
    ) -> Option<Vec<u8>> {
        let (width, height) = (video.video_width(), video.video_height());
        if width == 0 || height == 0 {
            return None;
        }
        match &self.decoder {
            Decoder::Native(native) => detect(native, video).await,
            Decoder::Worker(worker) => {
                let (frame_width, frame_height) = fit_within(width, height, CAMERA_FRAME_SIDE);
                let pixels = self
                    .canvas
                    .draw(frame_width, frame_height, |context, w, h| {
                        context
                            .draw_image_with_html_video_element_and_dw_and_dh(video, 0.0, 0.0, w, h)
                    })?;
                decode_in_worker(worker, frame_width, frame_height, pixels, fallback).await
            }
        }
    }

    /// The code in a photo the user picked, read by both decoders at once.
    pub async fn read_photo(&self, photo: &web_sys::File) -> Result<Option<Vec<u8>>, NotAnImage> {
        let window = web_sys::window().ok_or(NotAnImage)?;
        let decoding = window
            .create_image_bitmap_with_blob(photo)
            .map_err(|_| NotAnImage)?;
        let bitmap: web_sys::ImageBitmap = JsFuture::from(decoding)
            .await
            .map_err(|_| NotAnImage)?
            .unchecked_into();
        let read = match &self.decoder {
            Decoder::Native(native) => detect(native, &bitmap).await,
            Decoder::Worker(worker) => {
                let (width, height) = fit_within(bitmap.width(), bitmap.height(), PHOTO_SIDE);
                let drawn = self.canvas.draw(width, height, |context, w, h| {
                    context.draw_image_with_image_bitmap_and_dw_and_dh(&bitmap, 0.0, 0.0, w, h)
                });
                match drawn {
                    Some(pixels) => decode_in_worker(worker, width, height, pixels, true).await,
                    None => None,
                }
            }
        };
        bitmap.close();
        Ok(read)
    }
}

impl Drop for QrReader {
    fn drop(&mut self) {
        if let Decoder::Worker(worker) = &self.decoder {
            if let Some(worker) = worker.take() {
                worker.worker.terminate();
            }
        }
    }
}

async fn detect(native: &NativeDetector, source: &JsValue) -> Option<Vec<u8>> {
    let found = JsFuture::from(native.detect(source).ok()?).await.ok()?;
    let first = js_sys::Array::from(&found).get(0);
    let raw = js_sys::Reflect::get(&first, &"rawValue".into())
        .ok()?
        .as_string()?;
    Some(raw.into_bytes())
}

/// A canvas, never attached to the page, that frames are drawn into and read back from.
struct FrameCanvas {
    canvas: web_sys::HtmlCanvasElement,
    context: web_sys::CanvasRenderingContext2d,
}

impl FrameCanvas {
    fn new() -> Option<FrameCanvas> {
        let document = web_sys::window()?.document()?;
        let canvas: web_sys::HtmlCanvasElement =
            document.create_element("canvas").ok()?.dyn_into().ok()?;
        // Read back every frame: the browser keeps the pixels in memory, not on the GPU.
        let options = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&options, &"willReadFrequently".into(), &true.into());
        let context = canvas
            .get_context_with_context_options("2d", &options)
            .ok()??
            .dyn_into()
            .ok()?;
        Some(FrameCanvas { canvas, context })
    }

    fn resize(&self, width: u32, height: u32) {
        if self.canvas.width() != width || self.canvas.height() != height {
            self.canvas.set_width(width);
            self.canvas.set_height(height);
        }
    }

    /// Draws a frame `width × height` with `paint` (which scales its source to that size) and
    /// reads it back.
    fn draw(
        &self,
        width: u32,
        height: u32,
        paint: impl FnOnce(&web_sys::CanvasRenderingContext2d, f64, f64) -> Result<(), JsValue>,
    ) -> Option<js_sys::ArrayBuffer> {
        self.resize(width, height);
        paint(&self.context, width.into(), height.into()).ok()?;
        self.pixels(width, height)
    }

    /// The canvas's RGBA pixels as a buffer that can be handed to the worker without a copy.
    fn pixels(&self, width: u32, height: u32) -> Option<js_sys::ArrayBuffer> {
        let image = self
            .context
            .get_image_data(0.0, 0.0, width.into(), height.into())
            .ok()?;
        let data = js_sys::Reflect::get(&image, &"data".into()).ok()?;
        let data: js_sys::Uint8ClampedArray = data.dyn_into().ok()?;
        Some(data.buffer())
    }
}

/// The decoding worker, with the channel of the one frame in flight.
struct DecoderWorker {
    worker: web_sys::Worker,
    answer: Rc<RefCell<Option<oneshot::Sender<JsValue>>>>,
    next_id: Cell<u32>,
    _on_message: Closure<dyn FnMut(web_sys::MessageEvent)>,
}

impl DecoderWorker {
    fn start() -> Option<DecoderWorker> {
        let options = web_sys::WorkerOptions::new();
        options.set_type(web_sys::WorkerType::Module);
        let worker =
            web_sys::Worker::new_with_options(&format!("{PKG}scanner-worker.js"), &options).ok()?;
        let answer: Rc<RefCell<Option<oneshot::Sender<JsValue>>>> = Rc::default();
        let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new({
            let answer = answer.clone();
            move |event: web_sys::MessageEvent| {
                if let Some(waiting) = answer.borrow_mut().take() {
                    let _ = waiting.send(event.data());
                }
            }
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        Some(DecoderWorker {
            worker,
            answer,
            next_id: Cell::new(0),
            _on_message: on_message,
        })
    }
}

/// Sends one frame to the worker (started on first use) and waits for its answer; a worker that
/// fails or does not answer in time is replaced, and the frame counts as read with no code.
async fn decode_in_worker(
    slot: &RefCell<Option<DecoderWorker>>,
    width: u32,
    height: u32,
    pixels: js_sys::ArrayBuffer,
    fallback: bool,
) -> Option<Vec<u8>> {
    let receiver = {
        let mut slot = slot.borrow_mut();
        if slot.is_none() {
            *slot = DecoderWorker::start();
        }
        let worker = slot.as_ref()?;
        let id = worker.next_id.get().wrapping_add(1);
        worker.next_id.set(id);
        let message = js_sys::Object::new();
        for (key, value) in [
            ("id", JsValue::from(id)),
            ("width", width.into()),
            ("height", height.into()),
            ("pixels", pixels.clone().into()),
            ("fallback", fallback.into()),
        ] {
            let _ = js_sys::Reflect::set(&message, &key.into(), &value);
        }
        let (sender, receiver) = oneshot::channel();
        *worker.answer.borrow_mut() = Some(sender);
        worker
            .worker
            .post_message_with_transfer(&message, &js_sys::Array::of1(&pixels))
            .ok()?;
        receiver
    };
    let answer = match select(receiver, TimeoutFuture::new(WATCHDOG_MS)).await {
        Either::Left((Ok(answer), _)) => Some(answer),
        _ => None,
    };
    let failed = answer
        .as_ref()
        .is_none_or(|answer| js_sys::Reflect::has(answer, &"failed".into()).unwrap_or(true));
    if failed {
        if let Some(stuck) = slot.borrow_mut().take() {
            stuck.worker.terminate();
        }
        return None;
    }
    let found = js_sys::Reflect::get(&answer?, &"found".into()).ok()?;
    found
        .dyn_ref::<js_sys::Uint8Array>()
        .map(js_sys::Uint8Array::to_vec)
}

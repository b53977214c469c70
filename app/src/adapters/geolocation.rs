//! The browser's position (`navigator.geolocation`), asked for only when the user presses the
//! button that needs it.

use domain::venue::Position;
use wasm_bindgen::prelude::*;

/// The current position, or `None` when it is refused, unavailable or takes over 15 seconds.
pub async fn current_position() -> Option<Position> {
    let geolocation = web_sys::window()?.navigator().geolocation().ok()?;
    let promise = js_sys::Promise::new(&mut |resolve, reject| {
        let options = web_sys::PositionOptions::new();
        options.set_timeout(15_000);
        options.set_enable_high_accuracy(true);
        let _ = geolocation.get_current_position_with_error_callback_and_options(
            &resolve,
            Some(&reject),
            &options,
        );
    });
    let position: web_sys::Position = wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .ok()?
        .dyn_into()
        .ok()?;
    let coordinates = position.coords();
    Some(Position {
        latitude: coordinates.latitude(),
        longitude: coordinates.longitude(),
    })
}

//! Camera frames and photos (DESIGN.md §3.4): whatever pixels and sizes reach the scanner's
//! decoder, it answers (a code, or none) without a panic, and whatever bytes a code holds are
//! classified without one.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = domain::scan::classify(data);
    let [w, h, rest @ ..] = data else {
        return;
    };
    // Sides up to 255 keep each run fast; lengths off by any amount are tried as they come.
    let (width, height) = (u32::from(*w), u32::from(*h));
    if let Ok(luma) = decoder::luma_from_rgba(width, height, rest) {
        let _ = decoder::read_rqrr(width, height, &luma);
    }
    let _ = decoder::read_rqrr(width, height, rest);
});

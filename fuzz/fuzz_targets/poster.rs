//! Venue poster codes (DESIGN.md §5.1): any text scanned from a QR or typed must be refused or
//! accepted without a panic, and whatever decodes must encode back to the same bytes.
#![no_main]

use domain::poster::{Poster, ScannedPoster, VenueKeys};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(poster) = Poster::decode(data) {
        assert_eq!(poster.encode(), data);
    }
    let text = String::from_utf8_lossy(data);
    if let Ok(scanned) = ScannedPoster::parse(&text) {
        let _ = scanned.verify(&VenueKeys::default());
    }
});

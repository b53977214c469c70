//! What the scanner does with what it read (DESIGN.md §3.4): any QR code may be in front of the
//! camera, so the bytes are classified before anything is opened or recorded, and the frames
//! sent to the decoders are sized here.

use crate::poster::{PosterError, ScannedPoster};

/// The longest side of a camera frame sent to the decoder: enough for a poster held at arm's
/// length, small enough for rqrr to keep up on a slow phone.
pub const CAMERA_FRAME_SIDE: u32 = 640;
/// The longest side a photo is read at (a 12-megapixel photo would cost seconds per try).
pub const PHOTO_SIDE: u32 = 1280;
/// The longest text of a foreign code the scanner shows.
const SHOWN_TEXT_MAX_CHARS: usize = 200;

/// A code read by the scanner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScannedCode {
    /// A tokhai poster, as the part after `#` to open the check-in screen with (its signature is
    /// checked there, against the venue keys).
    Poster(String),
    /// A tokhai poster code that cannot be one: said so at once, nothing is opened.
    Refused(PosterError),
    /// Someone else's link: shown as text, never opened.
    Link(String),
    /// Other text, shortened for display.
    Text(String),
    /// Bytes that are not UTF-8 text.
    Binary { len: usize },
}

/// Classifies the bytes of a QR code.
pub fn classify(bytes: &[u8]) -> ScannedCode {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return ScannedCode::Binary { len: bytes.len() };
    };
    let text = text.trim();
    match ScannedPoster::parse(text) {
        Ok(_) => {
            let code = text.split_once('#').map_or(text, |(_, code)| code);
            ScannedCode::Poster(code.to_owned())
        }
        Err(PosterError::NotAPoster) => {
            let shown: String = text
                .chars()
                .filter(|c| !c.is_control())
                .take(SHOWN_TEXT_MAX_CHARS)
                .collect();
            let lower = shown.to_ascii_lowercase();
            if lower.starts_with("https://") || lower.starts_with("http://") {
                ScannedCode::Link(shown)
            } else {
                ScannedCode::Text(shown)
            }
        }
        Err(error) => ScannedCode::Refused(error),
    }
}

/// `width × height` scaled down so that its longest side is at most `side`, keeping its shape;
/// never enlarged, never a zero side.
pub fn fit_within(width: u32, height: u32, side: u32) -> (u32, u32) {
    let longest = width.max(height);
    if longest <= side || longest == 0 {
        return (width, height);
    }
    let scale =
        |length: u32| (u64::from(length) * u64::from(side) / u64::from(longest)).max(1) as u32;
    (scale(width), scale(height))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::poster::{Poster, VenueType};

    fn poster_url() -> String {
        let poster = Poster {
            venue_id: [7; 16],
            issued_at_s: 1_780_000_000,
            key_id: 1,
            province: 79,
            ward: 26_734,
            venue_type: VenueType::Market,
            default_stay_minutes: 60,
            short_name: "Chợ Bến Thành".into(),
        };
        poster.url("https://tokhai.example.vn", &[9; 64])
    }

    #[test]
    fn a_poster_url_opens_its_code() {
        let url = poster_url();
        let code = url.split_once('#').unwrap().1.to_owned();
        assert_eq!(classify(url.as_bytes()), ScannedCode::Poster(code.clone()));
        assert_eq!(
            classify(format!("  {url}\n").as_bytes()),
            ScannedCode::Poster(code.clone())
        );
        // A poster printed by another deployment is still a poster: the code is self-certifying.
        let elsewhere = url.replace("tokhai.example.vn", "other.example");
        assert_eq!(classify(elsewhere.as_bytes()), ScannedCode::Poster(code));
    }

    #[test]
    fn a_damaged_poster_is_refused_with_its_reason() {
        let url = poster_url();
        let cut = &url[..url.len() - 10];
        assert_eq!(
            classify(cut.as_bytes()),
            ScannedCode::Refused(PosterError::Truncated)
        );
        let newer = url.replacen("#1.", "#9.", 1);
        assert!(matches!(
            classify(newer.as_bytes()),
            ScannedCode::Refused(PosterError::UnsupportedVersion(_))
        ));
    }

    #[test]
    fn foreign_codes_are_shown_never_opened() {
        assert_eq!(
            classify(b"HTTPS://shop.example/pay?x=1"),
            ScannedCode::Link("HTTPS://shop.example/pay?x=1".into())
        );
        assert_eq!(
            classify(b"WIFI:S:cafe;;"),
            ScannedCode::Text("WIFI:S:cafe;;".into())
        );
        assert_eq!(classify(b"a\x1b[2Jb"), ScannedCode::Text("a[2Jb".into()));
        let long = "x".repeat(5000);
        assert_eq!(
            classify(long.as_bytes()),
            ScannedCode::Text("x".repeat(200))
        );
        assert_eq!(classify(&[0xff, 0xfe, 0]), ScannedCode::Binary { len: 3 });
        assert_eq!(classify(&[0x80; 3000]), ScannedCode::Binary { len: 3000 });
    }

    #[test]
    fn frames_are_scaled_down_never_up() {
        assert_eq!(fit_within(1280, 720, 640), (640, 360));
        assert_eq!(fit_within(720, 1280, 640), (360, 640));
        assert_eq!(fit_within(320, 240, 640), (320, 240));
        assert_eq!(fit_within(100_000, 1, 640), (640, 1));
        assert_eq!(fit_within(3000, 4000, 1280), (960, 1280));
        assert_eq!(fit_within(8000, 8000, 1280), (1280, 1280));
        assert_eq!(fit_within(0, 0, 1280), (0, 0));
    }

    proptest::proptest! {
        #[test]
        fn classifying_any_bytes_never_panics(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..600)) {
            let _ = classify(&bytes);
        }

        #[test]
        fn a_fitted_frame_keeps_within_the_side(width in 0_u32..20_000, height in 0_u32..20_000, side in 1_u32..5_000) {
            let (w, h) = fit_within(width, height, side);
            proptest::prop_assert!(w.max(h) <= side.max(width.max(height).min(side)));
            proptest::prop_assert!(w <= width && h <= height);
            proptest::prop_assert!((w == 0) == (width == 0) && (h == 0) == (height == 0));
        }
    }
}

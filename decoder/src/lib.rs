//! The scanner's QR decoders (DESIGN.md §3.4), fed frames the app grabbed from the camera or a
//! photo. Everything here reads untrusted pixels: a wrong size, an empty frame or a huge one is an
//! error, never a panic or an unbounded allocation.
//!
//! The Wasm builds (xtask) enable one decoder each and export it as `decode`: `rqrr` for the
//! scanner's Web Worker, `rxing` for the module the worker loads only when rqrr keeps failing,
//! since rxing reads far more hard frames but is more than twice the download.

/// The longest side of a frame the decoders accept: the app sends camera frames about 640 px
/// wide and photos at most 1280 px; anything larger is refused before any allocation.
pub const MAX_SIDE: u32 = 4096;

/// Why a frame was not decoded at all (as opposed to decoded with no code in it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FrameError {
    /// A side is zero.
    Empty,
    /// A side is longer than [`MAX_SIDE`].
    TooLarge,
    /// The pixel buffer is not `width × height × 4` bytes of RGBA.
    WrongLength,
}

/// The grey level of each RGBA pixel (ITU-R BT.601 weights, in integers), row by row.
pub fn luma_from_rgba(width: u32, height: u32, rgba: &[u8]) -> Result<Vec<u8>, FrameError> {
    if width == 0 || height == 0 {
        return Err(FrameError::Empty);
    }
    if width > MAX_SIDE || height > MAX_SIDE {
        return Err(FrameError::TooLarge);
    }
    let pixels = width as usize * height as usize;
    if rgba.len() != pixels * 4 {
        return Err(FrameError::WrongLength);
    }
    Ok(rgba
        .chunks_exact(4)
        .map(|pixel| {
            let weighted =
                77 * u32::from(pixel[0]) + 150 * u32::from(pixel[1]) + 29 * u32::from(pixel[2]);
            (weighted >> 8) as u8
        })
        .collect())
}

/// Reads the first QR code rqrr finds in a grey frame, as the bytes it holds (not every code is
/// UTF-8 text); light-on-dark codes, which rqrr misses as they are, are retried inverted.
#[cfg(feature = "rqrr")]
pub fn read_rqrr(width: u32, height: u32, luma: &[u8]) -> Option<Vec<u8>> {
    let (width, height) = (width as usize, height as usize);
    if luma.len() != width * height || luma.is_empty() {
        return None;
    }
    let read = |invert: u8| {
        let mut image = rqrr::PreparedImage::prepare_from_greyscale(width, height, |x, y| {
            luma[y * width + x] ^ invert
        });
        image.detect_grids().into_iter().find_map(|grid| {
            let mut bytes = Vec::new();
            grid.decode_to(&mut bytes).ok().map(|_| bytes)
        })
    };
    read(0).or_else(|| read(0xff))
}

/// Reads the first QR code rxing finds in a grey frame, with its scale-pyramid reader and
/// inverted codes tried too. rxing gives the code's text (in the character set the code
/// declares), returned as UTF-8 bytes.
#[cfg(feature = "rxing")]
pub fn read_rxing(width: u32, height: u32, luma: &[u8]) -> Option<Vec<u8>> {
    if luma.len() != width as usize * height as usize || luma.is_empty() {
        return None;
    }
    let mut hints = rxing::DecodeHints {
        AlsoInverted: Some(true),
        TryHarder: Some(true),
        ..Default::default()
    };
    rxing::helpers::detect_in_luma_filtered_with_hints(
        luma.to_vec(),
        width,
        height,
        Some(rxing::BarcodeFormat::QR_CODE),
        &mut hints,
    )
    .ok()
    .map(|result| result.getText().as_bytes().to_vec())
}

#[cfg(all(target_arch = "wasm32", feature = "rqrr", feature = "rxing"))]
compile_error!("a Wasm build of the decoder enables exactly one of `rqrr` and `rxing`");

/// The module's one export: an RGBA frame in, the code's bytes out (`undefined` when the frame
/// holds no readable code or is refused).
#[cfg(target_arch = "wasm32")]
mod wasm {
    use wasm_bindgen::prelude::wasm_bindgen;

    #[wasm_bindgen]
    pub fn decode(width: u32, height: u32, rgba: &[u8]) -> Option<Vec<u8>> {
        let luma = super::luma_from_rgba(width, height, rgba).ok()?;
        #[cfg(feature = "rqrr")]
        return super::read_rqrr(width, height, &luma);
        #[cfg(feature = "rxing")]
        return super::read_rxing(width, height, &luma);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A QR code of `text` drawn `module` pixels per module with a 4-module quiet zone, dark on
    /// light (or inverted), as a grey frame.
    fn drawn(text: &[u8], module: usize, inverted: bool) -> (u32, u32, Vec<u8>) {
        let code = qrcode::QrCode::with_error_correction_level(text, qrcode::EcLevel::M).unwrap();
        let side = code.width();
        let colors = code.to_colors();
        let size = (side + 8) * module;
        let mut luma = vec![0_u8; size * size];
        for y in 0..size {
            for x in 0..size {
                let (mx, my) = ((x / module) as isize - 4, (y / module) as isize - 4);
                let inside = (0..side as isize).contains(&mx) && (0..side as isize).contains(&my);
                let dark =
                    inside && colors[my as usize * side + mx as usize] == qrcode::Color::Dark;
                luma[y * size + x] = if dark != inverted { 20 } else { 235 };
            }
        }
        (size as u32, size as u32, luma)
    }

    fn rgba_of(luma: &[u8]) -> Vec<u8> {
        luma.iter()
            .flat_map(|&grey| [grey, grey, grey, 255])
            .collect()
    }

    const POSTER: &[u8] = b"https://tokhai.example.vn/c#1.AQIDBAUGBwgJCgsMDQ4PEA.c2lnbmF0dXJl";

    #[test]
    fn luma_weights_green_most_and_keeps_grey() {
        let rgba = [
            255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255, 128, 128, 128, 255,
        ];
        assert_eq!(luma_from_rgba(4, 1, &rgba), Ok(vec![76, 149, 28, 128]));
    }

    #[test]
    fn frames_of_the_wrong_size_are_refused_without_allocating() {
        assert_eq!(luma_from_rgba(0, 10, &[]), Err(FrameError::Empty));
        assert_eq!(luma_from_rgba(10, 0, &[]), Err(FrameError::Empty));
        assert_eq!(luma_from_rgba(8000, 8000, &[]), Err(FrameError::TooLarge));
        assert_eq!(luma_from_rgba(2, 2, &[0; 15]), Err(FrameError::WrongLength));
        assert_eq!(luma_from_rgba(2, 2, &[0; 17]), Err(FrameError::WrongLength));
        // The product of two large sides does not overflow into a "right" length.
        assert_eq!(
            luma_from_rgba(MAX_SIDE, MAX_SIDE, &[0; 4]),
            Err(FrameError::WrongLength)
        );
    }

    #[cfg(feature = "rqrr")]
    #[test]
    fn rqrr_reads_a_poster_dark_on_light_and_light_on_dark() {
        for inverted in [false, true] {
            let (width, height, luma) = drawn(POSTER, 4, inverted);
            let rgba = rgba_of(&luma);
            let luma = luma_from_rgba(width, height, &rgba).unwrap();
            assert_eq!(
                read_rqrr(width, height, &luma).as_deref(),
                Some(POSTER),
                "inverted: {inverted}"
            );
        }
    }

    #[cfg(feature = "rqrr")]
    #[test]
    fn rqrr_returns_binary_payloads_as_bytes() {
        let binary: Vec<u8> = (0..=255).rev().collect();
        let (width, height, luma) = drawn(&binary, 3, false);
        assert_eq!(read_rqrr(width, height, &luma), Some(binary));
    }

    #[cfg(feature = "rqrr")]
    #[test]
    fn rqrr_finds_nothing_in_blank_noise_or_mismatched_frames() {
        assert_eq!(read_rqrr(64, 64, &[0; 64 * 64]), None);
        assert_eq!(read_rqrr(64, 64, &[255; 64 * 64]), None);
        assert_eq!(read_rqrr(1, 1, &[0]), None);
        assert_eq!(read_rqrr(64, 64, &[0; 10]), None);
        let mut state = 0x2545_f491_u32;
        let noise: Vec<u8> = (0..320 * 240)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 17;
                state ^= state << 5;
                state as u8
            })
            .collect();
        assert_eq!(read_rqrr(320, 240, &noise), None);
    }

    #[cfg(feature = "rxing")]
    #[test]
    fn rxing_reads_a_poster_dark_on_light_and_light_on_dark() {
        for inverted in [false, true] {
            let (width, height, luma) = drawn(POSTER, 4, inverted);
            assert_eq!(
                read_rxing(width, height, &luma).as_deref(),
                Some(POSTER),
                "inverted: {inverted}"
            );
        }
    }

    #[cfg(feature = "rxing")]
    #[test]
    fn rxing_finds_nothing_in_blank_or_mismatched_frames() {
        assert_eq!(read_rxing(64, 64, &[0; 64 * 64]), None);
        assert_eq!(read_rxing(64, 64, &[255; 64 * 64]), None);
        assert_eq!(read_rxing(64, 64, &[0; 10]), None);
    }
}

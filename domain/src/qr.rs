//! QR symbols drawn by the app itself, offline: the personal pass and the printed card
//! (DESIGN.md §3.3). The picture is one SVG path of dark modules, which any size renders crisply.

use qrcode::{Color, EcLevel, QrCode, Version};

/// Light modules kept around the symbol, as ISO/IEC 18004 asks: scanners need them to find it.
pub const QUIET_ZONE: usize = 4;

/// A QR symbol at error correction level M, ready to draw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QrSymbol {
    /// The QR version (1–40): how dense the symbol is.
    pub version: i16,
    /// Modules per side, quiet zone included: the SVG `viewBox` is `0 0 size size`.
    pub size: usize,
    /// SVG path data of the dark modules, one unit per module, quiet zone included.
    pub path: String,
}

impl QrSymbol {
    /// The symbol of `text`, or `None` if it does not fit any QR version.
    pub fn encode(text: &str) -> Option<QrSymbol> {
        let code = QrCode::with_error_correction_level(text, EcLevel::M).ok()?;
        let width = code.width();
        let version = match code.version() {
            Version::Normal(version) | Version::Micro(version) => version,
        };
        let mut path = String::new();
        for (index, color) in code.to_colors().into_iter().enumerate() {
            if color == Color::Dark {
                let (x, y) = (index % width + QUIET_ZONE, index / width + QUIET_ZONE);
                // A unit square: move, right, down, left, close.
                path.push_str(&format!("M{x} {y}h1v1h-1z"));
            }
        }
        Some(QrSymbol {
            version,
            size: width + 2 * QUIET_ZONE,
            path,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn symbols_keep_their_quiet_zone_and_report_their_version() {
        let symbol = QrSymbol::encode("P1.C5WE+9OZA7OSUWG/34I$5K1").unwrap();
        assert_eq!(symbol.version, 2);
        assert_eq!(symbol.size, 25 + 2 * QUIET_ZONE);
        // The top-left finder pattern starts right after the quiet zone.
        assert!(symbol.path.starts_with("M4 4h1v1h-1z"));
        let dark = symbol.path.matches('M').count();
        assert!(dark > 200 && dark < 25 * 25, "{dark} dark modules");
        for square in symbol.path.split('M').skip(1) {
            let (x, rest) = square.split_once(' ').unwrap();
            let y = rest.split_once('h').unwrap().0;
            for coordinate in [x, y] {
                let coordinate: usize = coordinate.parse().unwrap();
                assert!((QUIET_ZONE..QUIET_ZONE + 25).contains(&coordinate));
            }
        }
    }

    #[test]
    fn text_too_long_for_any_version_has_no_symbol() {
        assert_eq!(QrSymbol::encode(&"x".repeat(3000)), None);
    }
}

//! `cargo xtask icons`: draws the app icons of `public/icons/` (a white form with a green tick on
//! the brand green), so the committed PNGs can be regenerated instead of being opaque binaries.

use std::path::Path;

use anyhow::Context;

const BRAND: [u8; 3] = [0x0b, 0x6e, 0x4f];
const WHITE: [u8; 3] = [0xff, 0xff, 0xff];
/// Samples per pixel side, for anti-aliased edges.
const SUPERSAMPLE: u32 = 4;

pub fn generate(root: &Path) -> anyhow::Result<()> {
    let dir = root.join("public/icons");
    std::fs::create_dir_all(&dir)?;
    for (name, size, maskable) in [
        ("icon-192.png", 192, false),
        ("icon-512.png", 512, false),
        ("icon-maskable-512.png", 512, true),
    ] {
        let path = dir.join(name);
        write_png(&path, size, &draw(size, maskable))
            .with_context(|| format!("writing {}", path.display()))?;
        println!("wrote {}", path.display());
    }
    Ok(())
}

/// RGBA pixels of the icon. A maskable icon fills the square and keeps its drawing inside the
/// central 80 % safe zone; the plain one is a rounded square.
fn draw(size: u32, maskable: bool) -> Vec<u8> {
    let mut pixels = Vec::with_capacity((size * size * 4) as usize);
    let scale = f64::from(size);
    let shrink = if maskable { 0.8 } else { 1.0 };
    for y in 0..size {
        for x in 0..size {
            let mut background = 0.0;
            let mut white = 0.0;
            let mut tick = 0.0;
            for sy in 0..SUPERSAMPLE {
                for sx in 0..SUPERSAMPLE {
                    let u = (f64::from(x) + (f64::from(sx) + 0.5) / f64::from(SUPERSAMPLE)) / scale;
                    let v = (f64::from(y) + (f64::from(sy) + 0.5) / f64::from(SUPERSAMPLE)) / scale;
                    let inside_background = maskable || rounded_square(u, v, 0.18);
                    if !inside_background {
                        continue;
                    }
                    background += 1.0;
                    // Coordinates of the drawing, scaled into the safe zone.
                    let (du, dv) = ((u - 0.5) / shrink + 0.5, (v - 0.5) / shrink + 0.5);
                    if in_rect(du, dv, 0.26, 0.18, 0.74, 0.82) {
                        white += 1.0;
                        let on_tick = segment_distance(du, dv, (0.36, 0.52), (0.46, 0.63)) < 0.035
                            || segment_distance(du, dv, (0.46, 0.63), (0.65, 0.38)) < 0.035;
                        if on_tick {
                            tick += 1.0;
                        }
                    }
                }
            }
            let total = f64::from(SUPERSAMPLE * SUPERSAMPLE);
            let alpha = background / total;
            let mix = |channel: usize| {
                if background == 0.0 {
                    return 0;
                }
                let brand_share = (background - white + tick) / background;
                let white_share = (white - tick) / background;
                (f64::from(BRAND[channel]) * brand_share + f64::from(WHITE[channel]) * white_share)
                    .round() as u8
            };
            pixels.extend_from_slice(&[mix(0), mix(1), mix(2), (alpha * 255.0).round() as u8]);
        }
    }
    pixels
}

fn rounded_square(u: f64, v: f64, radius: f64) -> bool {
    let cx = u.clamp(radius, 1.0 - radius);
    let cy = v.clamp(radius, 1.0 - radius);
    (u - cx).powi(2) + (v - cy).powi(2) <= radius.powi(2)
}

fn in_rect(u: f64, v: f64, left: f64, top: f64, right: f64, bottom: f64) -> bool {
    (left..=right).contains(&u) && (top..=bottom).contains(&v)
}

fn segment_distance(u: f64, v: f64, a: (f64, f64), b: (f64, f64)) -> f64 {
    let (abx, aby) = (b.0 - a.0, b.1 - a.1);
    let t = (((u - a.0) * abx + (v - a.1) * aby) / (abx * abx + aby * aby)).clamp(0.0, 1.0);
    ((u - a.0 - t * abx).powi(2) + (v - a.1 - t * aby).powi(2)).sqrt()
}

fn write_png(path: &Path, size: u32, rgba: &[u8]) -> anyhow::Result<()> {
    let file = std::io::BufWriter::new(std::fs::File::create(path)?);
    let mut encoder = png::Encoder::new(file, size, size);
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::High);
    encoder.write_header()?.write_image_data(rgba)?;
    Ok(())
}

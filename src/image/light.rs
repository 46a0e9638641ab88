//! What happens to sample values before and after filtering: scaling to `[0, 1]`, sRGB
//! decoding and encoding (linear light), premultiplied alpha, and rounding back to the
//! sample type, on the CPU in f64: the reference engine's, and the twin of shaders/image/ (the GPU
//! engine's, in f32).

use super::pixels::{ImageRef, Pixels, Sample};
use super::{Alpha, Prepared};

/// sRGB's transfer function (IEC 61966-2-1), decoding; odd around 0 for float samples
/// outside `[0, 1]`.
pub fn srgb_to_linear(c: f64) -> f64 {
    let a = c.abs();
    let l = if a <= 0.04045 {
        a / 12.92
    } else {
        ((a + 0.055) / 1.055).powf(2.4)
    };
    l.copysign(c)
}

/// sRGB's transfer function, encoding.
pub fn linear_to_srgb(l: f64) -> f64 {
    let a = l.abs();
    let c = if a <= 0.003_130_8 {
        12.92 * a
    } else {
        1.055 * a.powf(1.0 / 2.4) - 0.055
    };
    c.copysign(l)
}

/// Round half up and saturate to `0..=max` (NaN to 0): how float results return to integer
/// samples.
pub fn quantize(v: f32, max: f32) -> f32 {
    if v.is_nan() {
        0.0
    } else {
        (v + 0.5).floor().clamp(0.0, max)
    }
}

/// 8-bit premultiplication: `round(c * a / 255)`, half up (Pillow's `RGBa`).
pub fn premultiply_u8(c: u32, a: u32) -> u32 {
    (2 * c * a + 255) / 510
}

/// 8-bit unpremultiplication: `round(c * 255 / a)` half up, saturated; 0 where `a` is 0.
pub fn unpremultiply_u8(c: u32, a: u32) -> u32 {
    if a == 0 {
        0
    } else {
        ((2 * c * 255 + a) / (2 * a)).min(255)
    }
}

/// The source as a planar `C, H, W` tensor, ready for the kernels: for the uint8 kernels,
/// 0..=255 values (colour premultiplied in 8 bits where alpha is premultiplied here); for
/// float filtering, values scaled to `[0, 1]` (integer samples), sRGB decoded where asked,
/// colour multiplied by alpha where asked. Each value is stored through `store` (f32 as it
/// is, or for the uint8 kernels the byte it already is).
pub(super) fn prepare<T: Copy + Default>(
    src: &ImageRef<'_>,
    p: &Prepared,
    store: impl Fn(f32) -> T,
) -> Vec<T> {
    let (w, h, ch) = (src.width, src.height, src.channels);
    let plane = w * h;
    let mut out = vec![T::default(); ch * plane];
    let alpha = p.alpha_channel();
    let premultiply = p.alpha == Alpha::Premultiply && alpha.is_some();
    let max = src.pixels.sample().max();
    let mut row = vec![0f32; w * ch];
    for y in 0..h {
        src.row_f32(y, &mut row);
        // Samples that only move (and scale): no alpha to multiply, no sRGB to decode.
        let plain = !premultiply && (p.uint8 || !p.linear_light);
        if plain {
            let scale = if p.uint8 { 1.0 } else { 1.0 / max };
            for (c, plane_out) in out.chunks_exact_mut(plane).enumerate() {
                let dst = &mut plane_out[y * w..(y + 1) * w];
                for (x, d) in dst.iter_mut().enumerate() {
                    *d = store(row[x * ch + c] * scale);
                }
            }
            continue;
        }
        for x in 0..w {
            let i = y * w + x;
            let px = &row[x * ch..(x + 1) * ch];
            if p.uint8 {
                let a = alpha.map_or(255, |c| px[c] as u32);
                for (c, &v) in px.iter().enumerate() {
                    let v = v as u32;
                    let v = if premultiply && Some(c) != alpha {
                        premultiply_u8(v, a)
                    } else {
                        v
                    };
                    out[c * plane + i] = store(v as f32);
                }
                continue;
            }
            let a = alpha.map_or(1.0, |c| f64::from(px[c] / max));
            for (c, &v) in px.iter().enumerate() {
                let mut v = f64::from(v / max);
                if Some(c) != alpha {
                    if p.linear_light {
                        v = match (p.alpha, alpha) {
                            // Premultiplied sRGB: decode the colour itself.
                            (Alpha::Premultiplied, Some(_)) if a > 0.0 => srgb_to_linear(v / a) * a,
                            _ => srgb_to_linear(v),
                        };
                    }
                    if premultiply {
                        v *= a;
                    }
                }
                out[c * plane + i] = store(v as f32);
            }
        }
    }
    out
}

/// [`prepare`] for the uint8 kernels (8-bit samples): the planar bytes straight from the
/// interleaved ones, colour premultiplied in 8 bits where alpha is premultiplied here (the
/// values `prepare` gives, without going through f32). `None` for other samples.
pub(super) fn prepare_u8(src: &ImageRef<'_>, p: &Prepared) -> Option<Vec<u8>> {
    let Pixels::U8(v) = src.pixels else {
        return None;
    };
    if !p.uint8 {
        return None;
    }
    let (w, h, ch) = (src.width, src.height, src.channels);
    let plane = w * h;
    let mut out = vec![0u8; ch * plane];
    let alpha = p.alpha_channel();
    let premultiply = p.alpha == Alpha::Premultiply && alpha.is_some();
    for y in 0..h {
        let row = &v[y * src.stride..y * src.stride + w * ch];
        for (x, px) in row.chunks_exact(ch).enumerate() {
            let i = y * w + x;
            let a = alpha.map_or(255, |c| u32::from(px[c]));
            for (c, &s) in px.iter().enumerate() {
                out[c * plane + i] = if premultiply && Some(c) != alpha {
                    premultiply_u8(u32::from(s), a) as u8
                } else {
                    s
                };
            }
        }
    }
    Some(out)
}

/// The filtered planar result back to interleaved samples of type `sample`: the inverse of
/// [`prepare`]. A pixel whose filtered alpha is 0 (or below) gets colour 0 when alpha was
/// premultiplied here.
pub(super) fn finish(
    data: &[f32],
    (w, h): (usize, usize),
    ch: usize,
    sample: Sample,
    p: &Prepared,
) -> Vec<f32> {
    let plane = w * h;
    let alpha = p.alpha_channel();
    let max = sample.max();
    let mut out = vec![0f32; ch * plane];
    for i in 0..plane {
        if p.uint8 {
            let a = alpha.map_or(255, |c| data[c * plane + i] as u32);
            for c in 0..ch {
                let v = data[c * plane + i] as u32;
                let v = if p.alpha == Alpha::Premultiply && Some(c) != alpha && alpha.is_some() {
                    unpremultiply_u8(v, a)
                } else {
                    v
                };
                out[i * ch + c] = v as f32;
            }
            continue;
        }
        let a = alpha.map_or(1.0, |c| f64::from(data[c * plane + i]));
        for c in 0..ch {
            let mut v = f64::from(data[c * plane + i]);
            if Some(c) != alpha {
                if p.alpha == Alpha::Premultiply && alpha.is_some() {
                    v = if a > 0.0 { v / a } else { 0.0 };
                }
                if p.linear_light {
                    v = match (p.alpha, alpha) {
                        (Alpha::Premultiplied, Some(_)) if a > 0.0 => linear_to_srgb(v / a) * a,
                        _ => linear_to_srgb(v),
                    };
                }
            }
            let v = (v * f64::from(max)) as f32;
            out[i * ch + c] = match sample {
                Sample::U8 | Sample::U16 => quantize(v, max),
                Sample::F16 | Sample::F32 => v,
            };
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::{Alpha, ImageOptions, Size};
    use super::*;
    use crate::options::Mode;

    /// The 8-bit fast path gives the bytes of the general one: every channel count, padded
    /// rows, each alpha rule.
    #[test]
    fn prepare_u8_equals_prepare() {
        let (w, h) = (7, 5);
        for ch in 1..=4 {
            let stride = w * ch + 3;
            let bytes: Vec<u8> = (0..stride * h).map(|i| (i * 37 % 256) as u8).collect();
            let src = ImageRef::with_stride(Pixels::U8(&bytes), w, h, ch, stride)
                .unwrap_or_else(|e| unreachable!("{e}"));
            for alpha in [Alpha::Premultiply, Alpha::Premultiplied, Alpha::Ignore] {
                let o = ImageOptions::new(Mode::Bilinear)
                    .size(Size::Exact {
                        width: 3,
                        height: 2,
                    })
                    .alpha(alpha);
                let p = super::super::prepare((&src).into(), &o)
                    .unwrap_or_else(|e| unreachable!("{e}"));
                assert!(p.uint8);
                let fast = prepare_u8(&src, &p);
                let general = prepare(&src, &p, |v| v as u8);
                assert_eq!(
                    fast.as_deref(),
                    Some(&general[..]),
                    "{ch} channels, {alpha:?}"
                );
            }
        }
    }
}

//! ONNX `Resize` (opset 19): the per-axis tables, computed in f64 as the spec and the onnx
//! package's reference compute them.
//!
//! Output `y` maps to an input coordinate `x` by the coordinate transformation mode. With
//! `q = floor(x)` (or `x - 1` when `x` is an integer) and `r = x - q` in `(0, 1]`, the taps are
//! `q + i0 + k` for `k < n` with the mode's coefficients of `r`; an index outside the input
//! is clamped to its edge (the reference pads with the edge values), or with
//! `exclude_outside` its weight is dropped and the others renormalised. With
//! `tf_crop_and_resize`, an output whose coordinate lies outside `[0, in - 1]` gets the
//! edge's taps with weight 0, and then `extrapolation_value` (see [`Extrapolated`]).

use super::AxisTable;
use crate::options::onnx::{CoordinateMode, NearestMode, OnnxGeometry, OnnxMode};

/// The outputs of one axis whose coordinate lies inside the input (`tf_crop_and_resize`):
/// `start..end`, a single range because the coordinate grows with the output index. Every
/// other output of the axis is `extrapolation_value`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Extrapolated {
    pub start: usize,
    pub end: usize,
}

/// The input coordinate of output `y`, and whether it lies outside the input
/// (`tf_crop_and_resize` only).
pub fn coordinate(g: &OnnxGeometry, axis: usize, y: usize) -> (f64, bool) {
    let n_in = g.input[axis] as f64;
    let scale = g.scales[axis];
    let width = scale * n_in;
    let y = y as f64;
    match g.coordinate_mode {
        CoordinateMode::AlignCorners => {
            if width == 1.0 {
                (0.0, false)
            } else {
                (y * (n_in - 1.0) / (width - 1.0), false)
            }
        }
        CoordinateMode::Asymmetric => (y / scale, false),
        CoordinateMode::TfCropAndResize => {
            let (r0, r1) = g.roi.as_ref().map_or((0.0, 1.0), |r| r[axis]);
            let x = if width == 1.0 {
                (r1 - r0) * (n_in - 1.0) / 2.0
            } else {
                y * (r1 - r0) * (n_in - 1.0) / (width - 1.0)
            } + r0 * (n_in - 1.0);
            (x, x < 0.0 || x > n_in - 1.0)
        }
        CoordinateMode::PytorchHalfPixel => {
            if width == 1.0 {
                (-0.5, false)
            } else {
                ((y + 0.5) / scale - 0.5, false)
            }
        }
        CoordinateMode::HalfPixel => ((y + 0.5) / scale - 0.5, false),
        CoordinateMode::HalfPixelSymmetric => {
            let adjustment = g.output[axis] as f64 / width;
            let offset = n_in / 2.0 * (1.0 - adjustment);
            (offset + (y + 0.5) / scale - 0.5, false)
        }
    }
}

/// Keys' cubic kernel with coefficient `a`.
fn cubic(x: f64, a: f64) -> f64 {
    let x = x.abs();
    if x <= 1.0 {
        ((a + 2.0) * x - (a + 3.0)) * x * x + 1.0
    } else if x < 2.0 {
        ((a * x - 5.0 * a) * x + 8.0 * a) * x - 4.0 * a
    } else {
        0.0
    }
}

/// The first tap's offset from `q` and the coefficients of fraction `r` (in `(0, 1]`).
fn coefficients(g: &OnnxGeometry, scale: f64, r: f64) -> (i64, Vec<f64>) {
    let a = g.cubic_coeff_a;
    match (g.mode, g.antialias) {
        (OnnxMode::Nearest, _) => {
            let floor = if r == 1.0 {
                false
            } else {
                match g.nearest_mode {
                    NearestMode::RoundPreferFloor => r <= 0.5,
                    NearestMode::RoundPreferCeil => r < 0.5,
                    NearestMode::Floor => true,
                    NearestMode::Ceil => false,
                }
            };
            (
                0,
                if floor {
                    vec![1.0, 0.0]
                } else {
                    vec![0.0, 1.0]
                },
            )
        }
        (OnnxMode::Linear, false) => (0, vec![1.0 - r, r]),
        (OnnxMode::Cubic, false) => {
            let s = 1.0 - r;
            // The reference's expressions, term for term.
            (
                -1,
                vec![
                    ((a * (r + 1.0) - 5.0 * a) * (r + 1.0) + 8.0 * a) * (r + 1.0) - 4.0 * a,
                    ((a + 2.0) * r - (a + 3.0)) * r * r + 1.0,
                    ((a + 2.0) * s - (a + 3.0)) * s * s + 1.0,
                    ((a * (s + 1.0) - 5.0 * a) * (s + 1.0) + 8.0 * a) * (s + 1.0) - 4.0 * a,
                ],
            )
        }
        (OnnxMode::Linear, true) => {
            // The triangle stretched by 1 / scale when downscaling.
            let s = scale.min(1.0);
            let start = (-1.0 / s).floor() as i64 + 1;
            let n = 2 - 2 * start;
            let c: Vec<f64> = (start..start + n)
                .map(|i| (1.0 - ((i as f64 - r) * s).abs()).clamp(0.0, 1.0))
                .collect();
            (start, normalised(c))
        }
        (OnnxMode::Cubic, true) => {
            let s = scale.min(1.0);
            let start = (-2.0 / s).floor() as i64 + 1;
            let end = 2 - start;
            let c: Vec<f64> = (start..end).map(|i| cubic(s * (i as f64 - r), a)).collect();
            (start, normalised(c))
        }
    }
}

fn normalised(c: Vec<f64>) -> Vec<f64> {
    let sum: f64 = c.iter().sum();
    c.into_iter().map(|v| v / sum).collect()
}

/// The table of axis `axis` (of the full shape: 0 is the batch), and with
/// `tf_crop_and_resize` the outputs inside the input.
pub fn table(g: &OnnxGeometry, axis: usize) -> (AxisTable, Extrapolated) {
    let (n_in, n_out) = (g.input[axis], g.output[axis]);
    let scale = g.scales[axis];
    let last = n_in as i64 - 1;
    let (mut start, mut end) = (n_out, 0);
    let mut coeffs = Vec::new();
    let table = AxisTable::build(n_in, n_out, |y, row| {
        let (x, outside) = coordinate(g, axis, y);
        if n_in == 0 {
            return;
        }
        // An output outside the input keeps the taps of the nearest edge with weight 0 (the
        // fill writes it): the table stays a run of monotone spans like every other.
        let x = if outside {
            x.clamp(0.0, n_in as f64 - 1.0)
        } else {
            x
        };
        // nearest rounds: a coordinate that is a multiple of 1/2 in exact arithmetic but
        // not in f64 (10.5 / 1.4 - 0.5 gives 7.000000000000001) is taken at its exact value,
        // as the spec's real arithmetic has it.
        let x = if g.mode == OnnxMode::Nearest {
            let half = (2.0 * x).round() / 2.0;
            if (x - half).abs() <= 1e-9 * x.abs().max(1.0) {
                half
            } else {
                x
            }
        } else {
            x
        };
        if !outside {
            start = start.min(y);
            end = end.max(y + 1);
        }
        let fl = x.floor();
        let (q, r) = if x == fl {
            (fl - 1.0, 1.0)
        } else {
            (fl, x - fl)
        };
        let (i0, c) = coefficients(g, scale, r);
        coeffs.clear();
        coeffs.extend(c);
        let first = q as i64 + i0;
        if g.exclude_outside {
            for (k, w) in coeffs.iter_mut().enumerate() {
                let i = first + k as i64;
                if i < 0 || i > last {
                    *w = 0.0;
                }
            }
            let sum: f64 = coeffs.iter().sum();
            if sum != 0.0 {
                coeffs.iter_mut().for_each(|w| *w /= sum);
            }
        }
        let nearest = g.mode == OnnxMode::Nearest;
        for (k, &w) in coeffs.iter().enumerate() {
            // nearest's other neighbour has weight 0: one tap.
            if nearest && w == 0.0 {
                continue;
            }
            let w = if outside { 0.0 } else { w };
            row.push(((first + k as i64).clamp(0, last) as usize, w));
        }
    });
    let inside = if start < end {
        Extrapolated { start, end }
    } else {
        Extrapolated { start: 0, end: 0 }
    };
    (table, inside)
}

/// The most taps an output of axis `axis` can have (for memory checks before the
/// tables are built).
pub fn max_taps(g: &OnnxGeometry, axis: usize) -> usize {
    let s = g.scales[axis].min(1.0);
    match (g.mode, g.antialias) {
        (OnnxMode::Nearest, _) => 1,
        (OnnxMode::Linear, false) => 2,
        (OnnxMode::Cubic, false) => 4,
        (OnnxMode::Linear, true) => (2.0 * (1.0 / s).floor() + 2.0).min(1e12) as usize,
        (OnnxMode::Cubic, true) => (2.0 * (2.0 / s).floor() + 2.0).min(1e12) as usize,
    }
}

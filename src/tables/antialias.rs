//! Antialiased (Pillow-style) separable filters: bilinear (triangle), bicubic (a = -0.5) and
//! lanczos-3 (`_compute_indices_min_size_weights_aa` in UpSampleKernel.cpp).
//!
//! Output `o` is centred at `c = scale * (o + 0.5)` in input coordinates. When downsampling
//! (`scale >= 1`) the filter is stretched by `scale`, so its support is `r = size/2 * scale`
//! and it is evaluated at `(i - c + 0.5) / scale`. The taps are the inputs
//! `max(int(c - r + 0.5), 0) .. min(int(c + r + 0.5), in)`, and the weights are renormalised
//! to sum to 1.
//!
//! With `align_corners` the step is `(in-1)/(out-1)` but the centre keeps its half-pixel
//! offset, as in torch.

use super::coords::area_pixel_scale;
use super::AxisTable;
use std::f64::consts::PI;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Filter {
    /// `1 - |x|` on (-1, 1).
    Triangle,
    /// Keys' cubic with a = -0.5 (Pillow's bicubic).
    Cubic,
    /// `sinc(x) sinc(x / 3)` on [-3, 3).
    Lanczos3,
}

impl Filter {
    /// `interp_size`: the filter's width in input pixels when not stretched.
    pub fn size(self) -> usize {
        match self {
            Filter::Triangle => 2,
            Filter::Cubic => 4,
            Filter::Lanczos3 => 6,
        }
    }

    pub fn eval(self, x: f64) -> f64 {
        match self {
            Filter::Triangle => {
                let x = x.abs();
                if x < 1.0 {
                    1.0 - x
                } else {
                    0.0
                }
            }
            Filter::Cubic => keys(x, -0.5),
            Filter::Lanczos3 => {
                if (-3.0..3.0).contains(&x) {
                    sinc(x) * sinc(x / 3.0)
                } else {
                    0.0
                }
            }
        }
    }
}

fn keys(x: f64, a: f64) -> f64 {
    let x = x.abs();
    if x < 1.0 {
        ((a + 2.0) * x - (a + 3.0)) * x * x + 1.0
    } else if x < 2.0 {
        (((x - 5.0) * x + 8.0) * x - 4.0) * a
    } else {
        0.0
    }
}

fn sinc(x: f64) -> f64 {
    if x == 0.0 {
        1.0
    } else {
        let x = x * PI;
        x.sin() / x
    }
}

pub fn table(
    n_in: usize,
    n_out: usize,
    scale: Option<f64>,
    align_corners: bool,
    filter: Filter,
) -> AxisTable {
    let scale = area_pixel_scale(n_in, n_out, align_corners, scale);
    let half = filter.size() as f64 * 0.5;
    // Downsampling stretches the filter by `scale`; upsampling uses it as it is.
    let (support, invscale) = if scale >= 1.0 {
        (half * scale, 1.0 / scale)
    } else {
        (half, 1.0)
    };
    let max_taps = (support.ceil() as i64) * 2 + 1;
    AxisTable::build(n_in, n_out, |o, row| {
        let center = scale * (o as f64 + 0.5);
        // `as i64` truncates toward zero, as torch's static_cast does.
        let xmin = ((center - support + 0.5) as i64).max(0);
        let xmax = ((center + support + 0.5) as i64).min(n_in as i64);
        let xsize = (xmax - xmin).clamp(0, max_taps);
        let start = row.len();
        row.extend((0..xsize).map(|j| {
            let w = filter.eval((j as f64 + xmin as f64 - center + 0.5) * invscale);
            (xmin as usize + j as usize, w)
        }));
        let total: f64 = row[start..].iter().map(|t| t.1).sum();
        if total != 0.0 {
            row[start..].iter_mut().for_each(|t| t.1 /= total);
        }
    })
}

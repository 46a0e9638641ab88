//! bicubic: four taps per axis, Keys' cubic convolution with A = -0.75, each tap's index
//! clamped into `[0, in-1]` (`upsample_bicubic2d`, `get_cubic_upsample_coefficients`).

use super::coords::{area_pixel_scale, index_and_lambda, source_index};
use super::AxisTable;

pub const A: f64 = -0.75;

/// `cubic_convolution1`: the kernel for |x| <= 1.
pub fn convolution1(x: f64, a: f64) -> f64 {
    ((a + 2.0) * x - (a + 3.0)) * x * x + 1.0
}

/// `cubic_convolution2`: the kernel for 1 < |x| < 2.
pub fn convolution2(x: f64, a: f64) -> f64 {
    ((a * x - 5.0 * a) * x + 8.0 * a) * x - 4.0 * a
}

/// The weights of the taps at `floor(x) - 1 .. floor(x) + 2` for fraction `t`.
pub fn coefficients(t: f64) -> [f64; 4] {
    [
        convolution2(t + 1.0, A),
        convolution1(t, A),
        convolution1(1.0 - t, A),
        convolution2(2.0 - t, A),
    ]
}

pub fn taps(
    o: usize,
    n_in: usize,
    n_out: usize,
    scale: Option<f64>,
    align_corners: bool,
) -> [(usize, f64); 4] {
    let ratio = area_pixel_scale(n_in, n_out, align_corners, scale);
    let real = source_index(ratio, o, align_corners, true);
    let (i, t) = index_and_lambda(real, n_in);
    let w = coefficients(t);
    let last = n_in as i64 - 1;
    std::array::from_fn(|k| (((i + k as i64 - 1).clamp(0, last)) as usize, w[k]))
}

pub fn table(n_in: usize, n_out: usize, scale: Option<f64>, align_corners: bool) -> AxisTable {
    AxisTable::build(n_in, n_out, |o, row| {
        row.extend(taps(o, n_in, n_out, scale, align_corners))
    })
}

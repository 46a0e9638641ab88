//! linear / bilinear / trilinear: two taps per axis (`compute_source_index_and_lambda`).
//!
//! `x = source_index(o)` (negative clamped to 0), `i0 = min(floor(x), in-1)`,
//! `i1 = i0 + (i0 < in-1)`, `l1 = clamp(x - i0, 0, 1)`, `l0 = 1 - l1`:
//! `out[o] = l0 * in[i0] + l1 * in[i1]`. Same-size axes copy (`l0 = 1`, `l1 = 0`).

use super::coords::{area_pixel_scale, index_and_lambda, source_index};
use super::AxisTable;

pub fn taps(
    o: usize,
    n_in: usize,
    n_out: usize,
    scale: Option<f64>,
    align_corners: bool,
) -> [(usize, f64); 2] {
    if n_in == n_out {
        return [(o, 1.0), (o, 0.0)];
    }
    let ratio = area_pixel_scale(n_in, n_out, align_corners, scale);
    let real = source_index(ratio, o, align_corners, false);
    let (i0, l1) = index_and_lambda(real, n_in);
    let i0 = i0 as usize;
    let i1 = if i0 < n_in - 1 { i0 + 1 } else { i0 };
    [(i0, 1.0 - l1), (i1, l1)]
}

pub fn table(n_in: usize, n_out: usize, scale: Option<f64>, align_corners: bool) -> AxisTable {
    AxisTable::build(n_in, n_out, |o, row| {
        row.extend(taps(o, n_in, n_out, scale, align_corners))
    })
}

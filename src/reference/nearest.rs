//! nearest and nearest-exact: one tap per output, index computed exactly as torch's CPU does.
//!
//! torch computes these indices with a floor (`nearest_idx`,
//! `nearest_neighbor_compute_source_index`, `nearest_neighbor_exact_compute_source_index` in
//! UpSample.h). We do the same arithmetic on the host, so the GPU reads precomputed indices
//! and never divides: the chosen elements are bit-identical to torch's.
//!
//! The arithmetic depends on torch's kernel (see [`IndexMath`]): it matters only where
//! `(dst [+ 0.5]) * in / out` is an integer, or nearly one, that one arithmetic rounds below
//! it (11 * 26 / 22 = 13: f32 gives 12.999999, so index 12; f64 gives 13).

use crate::plan::AxisTable;

/// Which arithmetic torch's kernel uses for the source index `floor((dst [+ 0.5]) * step)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IndexMath {
    /// torch's float32 and uint8 kernels, and every backward kernel: the step in f32
    /// (`compute_scales_value<float>`), the product in f32 (nearest) or in f64 rounded to f32
    /// (nearest-exact).
    F32,
    /// torch's float64 forward kernels, the reference of the torch corpus for f32 data (the
    /// exact answer for an f32 input): the step in f64 (`1 / scale` or `in / out`), the
    /// product in f64, rounded to f32 before the floor. (Measured on torch 2.15: every 1-D and
    /// 3-D case; 2-D kernels mix the two, and follow this one in most cases where they differ.)
    F64,
}

/// The step from output to input index, in f64 (exact for `F64`, the f32 value for `F32`).
fn step(math: IndexMath, scale: Option<f64>, n_in: usize, n_out: usize) -> f64 {
    match (math, scale) {
        (IndexMath::F32, Some(s)) if s > 0.0 => f64::from((1.0 / s) as f32),
        (IndexMath::F32, _) => f64::from(n_in as f32 / n_out as f32),
        (IndexMath::F64, Some(s)) if s > 0.0 => 1.0 / s,
        (IndexMath::F64, _) => n_in as f64 / n_out as f64,
    }
}

/// `nearest_idx`: same size is the identity, exact 2x upsampling is `dst >> 1`, otherwise
/// `min(floor(dst * step), in - 1)`. Without `shortcuts` the last rule applies to every size:
/// torch's 1-D and 3-D forward kernels compute it so (whatever the sizes), its 2-D forward and
/// every backward kernel take the shortcuts.
pub fn source_index(
    dst: usize,
    n_in: usize,
    n_out: usize,
    scale: Option<f64>,
    shortcuts: bool,
    math: IndexMath,
) -> usize {
    if shortcuts && n_out == n_in {
        return dst;
    }
    if shortcuts && n_out == 2 * n_in {
        return dst >> 1;
    }
    let s = step(math, scale, n_in, n_out);
    let x = match math {
        IndexMath::F32 => dst as f32 * s as f32,
        IndexMath::F64 => (dst as f64 * s) as f32,
    };
    (x.floor() as usize).min(n_in - 1)
}

/// `nearest_neighbor_exact_compute_source_index`: `min(floor((dst + 0.5) * step), in - 1)`,
/// the product taken in f64 and rounded to f32 before the floor, as torch's C++ does (with
/// the step of `math`).
pub fn exact_source_index(
    dst: usize,
    n_in: usize,
    n_out: usize,
    scale: Option<f64>,
    math: IndexMath,
) -> usize {
    let x = ((dst as f64 + 0.5) * step(math, scale, n_in, n_out)) as f32;
    (x.floor() as usize).min(n_in - 1)
}

pub fn table(
    n_in: usize,
    n_out: usize,
    scale: Option<f64>,
    shortcuts: bool,
    math: IndexMath,
) -> AxisTable {
    let rows = (0..n_out)
        .map(|o| vec![(source_index(o, n_in, n_out, scale, shortcuts, math), 1.0)])
        .collect();
    AxisTable::from_rows(n_in, rows)
}

pub fn exact_table(n_in: usize, n_out: usize, scale: Option<f64>, math: IndexMath) -> AxisTable {
    let rows = (0..n_out)
        .map(|o| vec![(exact_source_index(o, n_in, n_out, scale, math), 1.0)])
        .collect();
    AxisTable::from_rows(n_in, rows)
}

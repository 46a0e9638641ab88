//! nearest and nearest-exact: one tap per output, index computed exactly as torch's CPU does.
//!
//! torch computes these indices with a floor, in one of two kernels of UpSampleKernel.cpp
//! (see [`NearestKernel`]) whose arithmetic differs, and in the data's precision: `float` for
//! float32, float16 and uint8 data alike (torch's `opmath_t`). We do the same arithmetic on the
//! host, so the GPU reads precomputed indices and never divides: the chosen elements are
//! torch's for the input's own dtype.
//!
//! The arithmetic matters only where `(dst [+ 0.5]) * in / out` is an integer, or nearly one,
//! that f32 rounds below it (11 * 26 / 22 = 13: f32 gives 12.999999, so index 12, where a
//! float64 tensor would get 13).

use super::AxisTable;

/// Which of torch's kernels computes the index.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NearestKernel {
    /// `nearest_idx` / `nearest_exact_idx`: torch's 2-D channels-last kernel, which it also
    /// runs on NCHW input when `H_out + W_out <= 128` (`_use_channels_last_kernel_2d`), and
    /// every backward kernel. The step in f32 (`compute_scales_value<float>`); nearest
    /// special-cases an unchanged size (identity) and exact 2x (`dst >> 1`), whatever the
    /// scale, and otherwise multiplies in f32; nearest-exact multiplies in f64 and rounds to
    /// f32.
    Idx,
    /// `HelperInterpNearest` / `HelperInterpNearestExact` in the generic kernel (1-D, 3-D, and
    /// 2-D beyond that size): the step and the product in f32, no special cases.
    Generic,
}

/// The f32 step `compute_scales_value<float>`: `float(1 / scale)`, or `float(in) / float(out)`.
fn step_f32(scale: Option<f64>, n_in: usize, n_out: usize) -> f32 {
    match scale {
        Some(s) if s > 0.0 => (1.0 / s) as f32,
        _ => n_in as f32 / n_out as f32,
    }
}

/// nearest: `min(floor(dst * step), in - 1)` in the kernel's arithmetic (`floorf` of the
/// product rounded to f32).
pub fn source_index(
    dst: usize,
    n_in: usize,
    n_out: usize,
    scale: Option<f64>,
    kernel: NearestKernel,
) -> usize {
    if kernel == NearestKernel::Idx {
        if n_out == n_in {
            return dst;
        }
        if n_out == 2 * n_in {
            return dst >> 1;
        }
    }
    let x = dst as f32 * step_f32(scale, n_in, n_out);
    (x.floor() as usize).min(n_in - 1)
}

/// nearest-exact: `min(floor((dst + 0.5) * step), in - 1)` in the kernel's arithmetic.
pub fn exact_source_index(
    dst: usize,
    n_in: usize,
    n_out: usize,
    scale: Option<f64>,
    kernel: NearestKernel,
) -> usize {
    let c = dst as f64 + 0.5;
    let step = f64::from(step_f32(scale, n_in, n_out));
    let x = match kernel {
        // The product in f64, rounded to f32.
        NearestKernel::Idx => (c * step) as f32,
        // `floorf(max(step * c - 0.5, 0) + 0.5)` in f32, the first two operations fused (one
        // rounding: the f64 value is exact before it).
        NearestKernel::Generic => ((step * c - 0.5) as f32).max(0.0) + 0.5,
    };
    (x.floor() as usize).min(n_in - 1)
}

/// One tap of weight 1 per output, at `index(o)`.
fn one_tap_table(n_in: usize, n_out: usize, index: impl Fn(usize) -> usize) -> AxisTable {
    AxisTable::build(n_in, n_out, |o, row| row.push((index(o), 1.0)))
}

pub fn table(n_in: usize, n_out: usize, scale: Option<f64>, kernel: NearestKernel) -> AxisTable {
    one_tap_table(n_in, n_out, |o| source_index(o, n_in, n_out, scale, kernel))
}

pub fn exact_table(
    n_in: usize,
    n_out: usize,
    scale: Option<f64>,
    kernel: NearestKernel,
) -> AxisTable {
    one_tap_table(n_in, n_out, |o| {
        exact_source_index(o, n_in, n_out, scale, kernel)
    })
}

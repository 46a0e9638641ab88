//! nearest and nearest-exact: one tap per output, index computed exactly as torch's CPU does.
//!
//! torch computes these indices in f32 (`nearest_idx`, `nearest_neighbor_compute_source_index`
//! in UpSample.h). We do the same arithmetic on the host, so the GPU reads precomputed indices
//! and never divides: the chosen elements are bit-identical to torch's.

use crate::plan::AxisTable;

/// `compute_scales_value<float>`: the f32 step torch uses for nearest indices.
fn scale_f32(scale: Option<f64>, n_in: usize, n_out: usize) -> f32 {
    match scale {
        Some(s) if s > 0.0 => (1.0 / s) as f32,
        _ => n_in as f32 / n_out as f32,
    }
}

/// `nearest_idx`: same size is the identity, exact 2x upsampling is `dst >> 1`, otherwise
/// `min(floorf(dst * scale), in - 1)` in f32. Without `shortcuts` the last rule applies to
/// every size: torch's 1-D and 3-D forward kernels compute it so (whatever the sizes), its
/// 2-D forward and every backward kernel take the shortcuts.
pub fn source_index(
    dst: usize,
    n_in: usize,
    n_out: usize,
    scale: Option<f64>,
    shortcuts: bool,
) -> usize {
    if shortcuts && n_out == n_in {
        dst
    } else if shortcuts && n_out == 2 * n_in {
        dst >> 1
    } else {
        let s = scale_f32(scale, n_in, n_out);
        ((dst as f32 * s).floor() as usize).min(n_in - 1)
    }
}

/// `nearest_neighbor_exact_compute_source_index`: `min(floorf((dst + 0.5) * scale), in - 1)`,
/// the product taken in f64 and rounded to f32 before the floor, as torch's C++ does.
pub fn exact_source_index(dst: usize, n_in: usize, n_out: usize, scale: Option<f64>) -> usize {
    let s = scale_f32(scale, n_in, n_out);
    let x = ((dst as f64 + 0.5) * s as f64) as f32;
    (x.floor() as usize).min(n_in - 1)
}

pub fn table(n_in: usize, n_out: usize, scale: Option<f64>, shortcuts: bool) -> AxisTable {
    let rows = (0..n_out)
        .map(|o| vec![(source_index(o, n_in, n_out, scale, shortcuts), 1.0)])
        .collect();
    AxisTable::from_rows(n_in, rows)
}

pub fn exact_table(n_in: usize, n_out: usize, scale: Option<f64>) -> AxisTable {
    let rows = (0..n_out)
        .map(|o| vec![(exact_source_index(o, n_in, n_out, scale), 1.0)])
        .collect();
    AxisTable::from_rows(n_in, rows)
}

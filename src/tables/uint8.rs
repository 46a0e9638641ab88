//! torch's uint8 kernels for the filtering modes (bilinear, bicubic, lanczos; antialiased or
//! not). They run separable passes, W then H, an axis whose size does not change being
//! skipped, each pass with Pillow's fixed-point arithmetic
//! (`_compute_index_ranges_int16_weights`, `ImagingResample{Horizontal,Vertical}Convolution8u`
//! in torch's UpSampleKernel.cpp / UpSampleKernelAVX.h):
//!
//! ```text
//! w16[k] = round_away(w[k] * 2^p)                          (int16 weights)
//! out    = clamp((2^(p-1) + sum_k w16[k] * in[xmin + k]) >> p, 0, 255)
//! ```
//!
//! with one precision `p` per axis: the largest that keeps `2 * max weight * 2^p` below 2^15.
//!
//! The table handed to the gather carries `w16 / 2^p`, and the gather's uint8 rounding
//! `floor(v + 0.5)`, clamped, is torch's shift. Every product of such a weight with a uint8
//! value is an integer multiple of 2^-p, so a sum is exact while its partial sums stay below
//! 2^53 units (the f64 reference: always) or 2^24 units (the f32 GPU kernels: while
//! `255 * sum |w16|` stays below 2^24, which holds for upsampling and moderate downscaling;
//! strong antialiased downscales, where `p` reaches 16 and more, can round differently in rare
//! elements, by 1 at most).

use super::antialias::{self, Filter};
use super::coords::area_pixel_scale;
use super::cubic;
use super::AxisTable;

/// The float weights of one output before quantisation: first input index and weights, and
/// the largest value torch saw while building them (see `plain_rows`).
struct Row {
    xmin: usize,
    w: Vec<f64>,
    max: f64,
}

/// The antialiased rows: the same Pillow weights as the float kernels.
fn antialiased_rows(
    n_in: usize,
    n_out: usize,
    scale: Option<f64>,
    align_corners: bool,
    filter: Filter,
) -> Vec<Row> {
    let t = antialias::table(n_in, n_out, scale, align_corners, filter);
    (0..n_out)
        .map(|o| {
            let taps: Vec<(usize, f64)> = t.row(o).collect();
            let w: Vec<f64> = taps.iter().map(|&(_, w)| w).collect();
            Row {
                xmin: taps.first().map_or(0, |&(i, _)| i),
                max: w.iter().fold(0.0f64, |m, &w| m.max(w)),
                w,
            }
        })
        .collect()
}

/// The rows of the non-antialiased uint8 kernel (`HelperInterpLinear` / `HelperInterpCubic`
/// `::_compute_index_ranges_weights` with int16 output): the source index is
/// `floorf(real)` (the coordinate rounded to f32 first), the `size` taps from
/// `index - size/2 + 1`, and the weights of taps that fall outside the input are added to the
/// first or last valid tap (edge replication, as the float kernels' clamped indices do).
/// torch takes its precision from the largest value a weight slot holds at any point of
/// these additions (an edge slot can hold more before a negative lobe is added).
fn plain_rows(
    n_in: usize,
    n_out: usize,
    scale: Option<f64>,
    align_corners: bool,
    filter: Filter,
) -> Vec<Row> {
    let size = filter.size() as i64;
    let step = area_pixel_scale(n_in, n_out, align_corners, scale);
    let last = n_in as i64 - 1;
    (0..n_out)
        .map(|o| {
            let real = if align_corners {
                step * o as f64
            } else {
                let r = step * (o as f64 + 0.5) - 0.5;
                // Linear clamps a negative coordinate to 0; cubic does not.
                if filter == Filter::Triangle && r < 0.0 {
                    0.0
                } else {
                    r
                }
            };
            let index = ((real as f32).floor() as i64).min(last);
            let lambda = (real - index as f64).clamp(0.0, 1.0);
            let half = size / 2;
            let umin = index - half + 1;
            let xmin = umin.max(0);
            let xsize = ((index + half + 1).min(n_in as i64) - xmin).clamp(0, size);
            let mut w = vec![0.0; size as usize];
            let mut max = 0.0f64;
            let mut slot = 0i64;
            for j in 0..size {
                let x = (j + 1 - half) as f64 - lambda;
                let v = match filter {
                    Filter::Cubic => {
                        let x = x.abs();
                        if x < 1.0 {
                            cubic::convolution1(x, cubic::A)
                        } else if x < 2.0 {
                            cubic::convolution2(x, cubic::A)
                        } else {
                            0.0
                        }
                    }
                    _ => filter.eval(x),
                };
                if umin + j <= 0 {
                    slot = 0;
                } else if umin + j >= last {
                    slot = xsize - 1;
                }
                let at = slot.max(0) as usize;
                w[at] += v;
                max = max.max(w[at]);
                slot += 1;
            }
            w.truncate(xsize.max(0) as usize);
            Row {
                xmin: xmin as usize,
                w,
                max,
            }
        })
        .collect()
}

/// `p`: the first precision in 0..22 at which `round(max_weight * 2^(p+1))` reaches 2^15.
fn precision(max_weight: f64) -> u32 {
    (0..22)
        .find(|&p| (0.5 + max_weight * f64::from(1u32 << (p + 1))) as i64 >= 1 << 15)
        .unwrap_or(22)
}

/// `w * 2^p` rounded half away from zero, truncated to an integer (torch's `(int)(v ± 0.5)`).
fn quantise(w: f64, p: u32) -> i64 {
    let v = w * f64::from(1u32 << p);
    if v < 0.0 {
        (v - 0.5) as i64
    } else {
        (v + 0.5) as i64
    }
}

/// The table of one axis of torch's uint8 kernel: taps `xmin + k` with weights `w16 / 2^p`.
pub fn table(
    n_in: usize,
    n_out: usize,
    scale: Option<f64>,
    align_corners: bool,
    filter: Filter,
    antialias: bool,
) -> AxisTable {
    let rows = if antialias {
        antialiased_rows(n_in, n_out, scale, align_corners, filter)
    } else {
        plain_rows(n_in, n_out, scale, align_corners, filter)
    };
    let p = precision(rows.iter().fold(0.0f64, |m, r| m.max(r.max)));
    let unit = f64::from(1u32 << p);
    AxisTable::build(n_in, n_out, |o, row| {
        let r = &rows[o];
        row.extend(
            r.w.iter()
                .enumerate()
                .map(|(k, &w)| (r.xmin + k, quantise(w, p) as f64 / unit)),
        );
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn precision_and_rounding_follow_torch() {
        // A largest weight of 1 gives 14 bits (2 * 1 * 2^14 reaches 2^15), of 0.5 gives 15.
        assert_eq!(precision(1.0), 14);
        assert_eq!(precision(0.5), 15);
        assert_eq!(precision(0.0), 22);
        // Half away from zero, then truncation toward zero.
        assert_eq!(quantise(0.5 / 16384.0, 14), 1);
        assert_eq!(quantise(-0.5 / 16384.0, 14), -1);
        assert_eq!(quantise(0.49 / 16384.0, 14), 0);
    }

    #[test]
    fn bicubic_edge_taps_fold_into_the_border() {
        // The first output of a 2x bicubic upsampling reads index -1 and 0 as index 0: one
        // slot holding both weights, and the weights still sum to 1 (2^p / 2^p).
        let t = table(8, 16, None, false, Filter::Cubic, false);
        let row: Vec<(usize, f64)> = t.row(0).collect();
        assert_eq!(row.first().map(|r| r.0), Some(0));
        assert!(row.windows(2).all(|w| w[1].0 == w[0].0 + 1));
        let sum: f64 = row.iter().map(|r| r.1).sum();
        assert!((sum - 1.0).abs() < 1e-3, "{row:?}");
    }
}

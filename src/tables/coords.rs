//! torch's coordinate conventions (aten/src/ATen/native/UpSample.h), in f64.
//!
//! `scale` is the step in input coordinates per output index; a `scale_factor` `s` given by the
//! caller (and not recomputed) is used as `1 / s`, otherwise `in / out`.

/// `compute_scales_value`: `1 / s` for a given positive scale factor, else `in / out`.
pub fn scale_value(scale: Option<f64>, n_in: usize, n_out: usize) -> f64 {
    match scale {
        Some(s) if s > 0.0 => 1.0 / s,
        _ => n_in as f64 / n_out as f64,
    }
}

/// `area_pixel_compute_scale`: with `align_corners` the corners of input and output match,
/// so the step is `(in - 1) / (out - 1)` (0 for a single output).
pub fn area_pixel_scale(n_in: usize, n_out: usize, align_corners: bool, scale: Option<f64>) -> f64 {
    if align_corners {
        if n_out > 1 {
            (n_in as f64 - 1.0) / (n_out as f64 - 1.0)
        } else {
            0.0
        }
    } else {
        scale_value(scale, n_in, n_out)
    }
}

/// `area_pixel_compute_source_index`: the input coordinate of output index `dst`.
/// Half-pixel centres unless `align_corners`; linear modes clamp a negative coordinate to 0,
/// cubic does not.
pub fn source_index(scale: f64, dst: usize, align_corners: bool, cubic: bool) -> f64 {
    if align_corners {
        scale * dst as f64
    } else {
        let src = scale * (dst as f64 + 0.5) - 0.5;
        if !cubic && src < 0.0 {
            0.0
        } else {
            src
        }
    }
}

/// `guard_index_and_lambda`: the integer part (at most `in - 1`) and the fraction in [0, 1].
pub fn index_and_lambda(real: f64, n_in: usize) -> (i64, f64) {
    let index = (real.floor() as i64).min(n_in as i64 - 1);
    let lambda = (real - index as f64).clamp(0.0, 1.0);
    (index, lambda)
}

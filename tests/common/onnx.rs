//! ONNX `Resize` cases shared by tests/onnx.rs (the reference) and tests/gpu_onnx.rs.

use super::Rng;
use wgpu_resample::options::onnx::{
    AspectPolicy, CoordinateMode, NearestMode, OnnxMode, OnnxOptions,
};
use wgpu_resample::{Mode, Options};

/// A random `Resize` of every kind: mode, coordinate mode, nearest mode, antialias,
/// exclude_outside, cubic coefficient, scales or sizes (with an aspect policy), axes, roi.
pub fn random_case(rng: &mut Rng) -> (Vec<usize>, OnnxOptions) {
    let dims = rng.range(1, 3);
    let mut shape = vec![rng.range(1, 3), rng.range(1, 3)];
    shape.extend((0..dims).map(|_| rng.range(1, 9)));
    let mode = rng.pick(OnnxMode::ALL);
    let mut o = OnnxOptions::new(mode)
        .coordinate_mode(rng.pick(CoordinateMode::ALL))
        .nearest_mode(rng.pick(NearestMode::ALL))
        .exclude_outside(rng.bool())
        .cubic_coeff_a(rng.pick(&[-0.75, -0.5, -0.6]))
        .antialias(mode != OnnxMode::Nearest && rng.bool());
    // The spatial axes, given as axes (sometimes negative) or in full.
    let rank = shape.len() as i64;
    let spatial: Vec<i64> = (2..rank).collect();
    let axes: Vec<i64> = if rng.bool() {
        spatial
            .iter()
            .map(|&a| if rng.bool() { a - rank } else { a })
            .collect()
    } else {
        (0..rank).collect()
    };
    let resized = |a: i64| a.rem_euclid(rank) >= 2;
    if rng.bool() {
        o = o.scales(axes.iter().map(|&a| {
            if resized(a) {
                [0.5f32, 0.6, 0.75, 1.3, 1.7, 2.0, 3.0, 0.3][rng.range(0, 7)]
            } else if rng.range(0, 3) == 0 {
                // The batch or channel axis too, now and then (a second stage).
                2.0
            } else {
                1.0
            }
        }));
    } else {
        let sizes: Vec<i64> = axes
            .iter()
            .map(|&a| {
                let a = a.rem_euclid(rank) as usize;
                if a >= 2 {
                    rng.range(1, 13) as i64
                } else {
                    (shape[a] + rng.range(0, 1)) as i64
                }
            })
            .collect();
        o = o.sizes(sizes);
        if axes.len() < shape.len() {
            o = o.keep_aspect_ratio_policy(rng.pick(AspectPolicy::ALL));
        }
    }
    if o.coordinate_mode == CoordinateMode::TfCropAndResize {
        let n = axes.len();
        let mut roi = vec![0.0; 2 * n];
        for (i, &a) in axes.iter().enumerate() {
            let (s, e) = if resized(a) {
                (rng.f64() * 0.6 - 0.2, 0.5 + rng.f64() * 0.7)
            } else {
                (0.0, 1.0)
            };
            roi[i] = s;
            roi[n + i] = e;
        }
        o = o.roi(roi);
    }
    o.axes = Some(axes);
    (shape, o)
}

/// Shapes whose scales are exact in f32 and f64 alike (torch's float32 picks and ONNX's f64
/// coordinates agree there), up and down, in 1-D, 2-D and 3-D.
pub fn shapes() -> Vec<(Vec<usize>, Vec<usize>)> {
    vec![
        (vec![2, 3, 8], vec![16]),
        (vec![1, 2, 6, 8], vec![12, 4]),
        (vec![1, 2, 16, 12], vec![4, 24]),
        (vec![2, 1, 4, 6, 8], vec![8, 3, 16]),
        (vec![1, 3, 5, 7], vec![10, 14]),
    ]
}

/// The torch calls that are ONNX configurations (docs/semantics.md lists them).
pub fn equivalences(spatial: usize, size: &[usize]) -> Vec<(&'static str, Options, OnnxOptions)> {
    let linear = match spatial {
        1 => Mode::Linear,
        2 => Mode::Bilinear,
        _ => Mode::Trilinear,
    };
    let sizes = |o: OnnxOptions| {
        let mut s = vec![0i64; 0];
        s.extend(size.iter().map(|&v| v as i64));
        o.axes((2..2 + spatial as i64).collect::<Vec<_>>()).sizes(s)
    };
    let t = |m: Mode| Options::new(m).size(size.to_vec());
    let n = |m: OnnxMode, c: CoordinateMode| sizes(OnnxOptions::new(m).coordinate_mode(c));
    let mut v = vec![
        (
            "nearest = asymmetric + floor",
            t(Mode::Nearest),
            n(OnnxMode::Nearest, CoordinateMode::Asymmetric).nearest_mode(NearestMode::Floor),
        ),
        (
            "nearest-exact = half_pixel + round_prefer_ceil",
            t(Mode::NearestExact),
            n(OnnxMode::Nearest, CoordinateMode::HalfPixel)
                .nearest_mode(NearestMode::RoundPreferCeil),
        ),
        (
            "linear = half_pixel linear",
            t(linear),
            n(OnnxMode::Linear, CoordinateMode::HalfPixel),
        ),
        (
            "linear, align_corners = align_corners linear",
            t(linear).align_corners(true),
            n(OnnxMode::Linear, CoordinateMode::AlignCorners),
        ),
    ];
    if spatial == 2 {
        v.extend([
            (
                "bicubic = half_pixel cubic, A = -0.75",
                t(Mode::Bicubic),
                n(OnnxMode::Cubic, CoordinateMode::HalfPixel),
            ),
            (
                "bicubic, align_corners = align_corners cubic, A = -0.75",
                t(Mode::Bicubic).align_corners(true),
                n(OnnxMode::Cubic, CoordinateMode::AlignCorners),
            ),
            (
                "antialiased bilinear = half_pixel linear, antialias, exclude_outside",
                t(Mode::Bilinear).antialias(true),
                n(OnnxMode::Linear, CoordinateMode::HalfPixel)
                    .antialias(true)
                    .exclude_outside(true),
            ),
            (
                "antialiased bicubic = half_pixel cubic, A = -0.5, antialias, exclude_outside",
                t(Mode::Bicubic).antialias(true),
                n(OnnxMode::Cubic, CoordinateMode::HalfPixel)
                    .cubic_coeff_a(-0.5)
                    .antialias(true)
                    .exclude_outside(true),
            ),
        ]);
    }
    v
}

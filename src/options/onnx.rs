//! `OnnxOptions`: the attributes and inputs of ONNX's `Resize` (opset 19), and the spec's
//! rules for them.
//!
//! [`OnnxOptions::resolve`] checks them against an input of rank 3 to 5 whose first two axes
//! are batch and channels, and computes the output size and each spatial axis' scale and
//! region of interest as the spec (and the onnx package's reference) computes them, in f64
//! from the float32 scales ONNX gives. The result, an [`OnnxGeometry`], is what the per-axis
//! tables (`crate::tables::onnx`) are built from.

use crate::error::{Error, Result};
use std::fmt;
use std::str::FromStr;

/// Names an ONNX enum attribute takes, for parsing and messages.
macro_rules! onnx_enum {
    ($(#[$doc:meta])* $name:ident, $attr:literal, { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum $name {
            $($variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The attribute value's name in ONNX.
            pub fn name(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.name())
            }
        }

        impl FromStr for $name {
            type Err = Error;
            fn from_str(s: &str) -> Result<$name> {
                $name::ALL.iter().copied().find(|v| v.name() == s).ok_or_else(|| {
                    let names: Vec<&str> = $name::ALL.iter().map(|v| v.name()).collect();
                    Error::arg($attr, format!("unknown value {s:?}; expected one of {}", names.join(", ")))
                })
            }
        }
    };
}

onnx_enum!(
    /// `mode`.
    OnnxMode, "mode", {
        Nearest => "nearest",
        Linear => "linear",
        Cubic => "cubic",
    }
);

onnx_enum!(
    /// `coordinate_transformation_mode`: how an output index maps to an input coordinate.
    CoordinateMode, "coordinate_transformation_mode", {
        HalfPixel => "half_pixel",
        HalfPixelSymmetric => "half_pixel_symmetric",
        PytorchHalfPixel => "pytorch_half_pixel",
        AlignCorners => "align_corners",
        Asymmetric => "asymmetric",
        TfCropAndResize => "tf_crop_and_resize",
    }
);

onnx_enum!(
    /// `nearest_mode`: how `nearest` rounds an input coordinate.
    NearestMode, "nearest_mode", {
        RoundPreferFloor => "round_prefer_floor",
        RoundPreferCeil => "round_prefer_ceil",
        Floor => "floor",
        Ceil => "ceil",
    }
);

onnx_enum!(
    /// `keep_aspect_ratio_policy` (with `sizes` only).
    AspectPolicy, "keep_aspect_ratio_policy", {
        Stretch => "stretch",
        NotLarger => "not_larger",
        NotSmaller => "not_smaller",
    }
);

/// The attributes and inputs of one ONNX `Resize` node, with builder setters; defaults as in
/// the spec (`half_pixel`, `round_prefer_floor`, `cubic_coeff_a = -0.75`, ...).
///
/// ```
/// use wgpu_resample::options::onnx::{CoordinateMode, OnnxMode, OnnxOptions};
/// let o = OnnxOptions::new(OnnxMode::Linear)
///     .coordinate_mode(CoordinateMode::AlignCorners)
///     .sizes([1, 3, 64, 48]);
/// assert_eq!(o.resolve(&[1, 3, 32, 24]).unwrap().output_shape(), vec![1, 3, 64, 48]);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct OnnxOptions {
    pub mode: OnnxMode,
    pub coordinate_mode: CoordinateMode,
    pub nearest_mode: NearestMode,
    pub cubic_coeff_a: f64,
    pub exclude_outside: bool,
    pub extrapolation_value: f32,
    pub antialias: bool,
    pub keep_aspect_ratio_policy: AspectPolicy,
    /// The axes `roi`, `scales` and `sizes` refer to (negative counts from the end); all when
    /// `None`.
    pub axes: Option<Vec<i64>>,
    /// Starts then ends, one per axis of `axes` (`tf_crop_and_resize` only).
    pub roi: Option<Vec<f64>>,
    /// One per axis, as ONNX gives them (float32).
    pub scales: Option<Vec<f32>>,
    pub sizes: Option<Vec<i64>>,
}

impl OnnxOptions {
    pub fn new(mode: OnnxMode) -> Self {
        OnnxOptions {
            mode,
            coordinate_mode: CoordinateMode::HalfPixel,
            nearest_mode: NearestMode::RoundPreferFloor,
            cubic_coeff_a: -0.75,
            exclude_outside: false,
            extrapolation_value: 0.0,
            antialias: false,
            keep_aspect_ratio_policy: AspectPolicy::Stretch,
            axes: None,
            roi: None,
            scales: None,
            sizes: None,
        }
    }
    pub fn coordinate_mode(mut self, m: CoordinateMode) -> Self {
        self.coordinate_mode = m;
        self
    }
    pub fn nearest_mode(mut self, m: NearestMode) -> Self {
        self.nearest_mode = m;
        self
    }
    pub fn cubic_coeff_a(mut self, a: f64) -> Self {
        self.cubic_coeff_a = a;
        self
    }
    pub fn exclude_outside(mut self, on: bool) -> Self {
        self.exclude_outside = on;
        self
    }
    pub fn extrapolation_value(mut self, v: f32) -> Self {
        self.extrapolation_value = v;
        self
    }
    pub fn antialias(mut self, on: bool) -> Self {
        self.antialias = on;
        self
    }
    pub fn keep_aspect_ratio_policy(mut self, p: AspectPolicy) -> Self {
        self.keep_aspect_ratio_policy = p;
        self
    }
    pub fn axes<I: IntoIterator<Item = i64>>(mut self, axes: I) -> Self {
        self.axes = Some(axes.into_iter().collect());
        self
    }
    pub fn roi<I: IntoIterator<Item = f64>>(mut self, roi: I) -> Self {
        self.roi = Some(roi.into_iter().collect());
        self
    }
    pub fn scales<I: IntoIterator<Item = f32>>(mut self, scales: I) -> Self {
        self.scales = Some(scales.into_iter().collect());
        self
    }
    pub fn sizes<I: IntoIterator<Item = i64>>(mut self, sizes: I) -> Self {
        self.sizes = Some(sizes.into_iter().collect());
        self
    }

    /// The axes, each in `0..rank`, in the order given (all axes when `axes` is `None`).
    fn axis_list(&self, rank: usize) -> Result<Vec<usize>> {
        let Some(axes) = &self.axes else {
            return Ok((0..rank).collect());
        };
        let mut out: Vec<usize> = Vec::with_capacity(axes.len());
        for &a in axes {
            let r = rank as i64;
            if !(-r..r).contains(&a) {
                return Err(Error::arg(
                    "axes",
                    format!("axis {a} is outside [-{rank}, {rank}) for a rank-{rank} input"),
                ));
            }
            let a = a.rem_euclid(r) as usize;
            if out.contains(&a) {
                return Err(Error::arg("axes", format!("axis {a} is given twice")));
            }
            out.push(a);
        }
        Ok(out)
    }

    /// Apply the spec's rules to an input of `input_shape` (rank 3 to 5: batch, channels,
    /// then 1 to 3 spatial axes; every axis may be resized).
    pub fn resolve(&self, input_shape: &[usize]) -> Result<OnnxGeometry> {
        let rank = input_shape.len();
        if !(3..=5).contains(&rank) {
            return Err(Error::input(
                "input",
                format!(
                    "Resize takes tensors of rank 3 to 5 (batch, channels, 1 to 3 spatial axes), \
                     got rank {rank} shape {input_shape:?}"
                ),
            ));
        }
        if self.antialias && self.mode == OnnxMode::Nearest {
            return Err(Error::arg(
                "antialias",
                "applies to the linear and cubic modes, not to nearest",
            ));
        }
        if !self.cubic_coeff_a.is_finite() {
            return Err(Error::arg("cubic_coeff_a", "must be finite"));
        }
        let axes = self.axis_list(rank)?;
        let n = axes.len();
        // Per axis of the input: (scale, output size, roi start, roi end).
        let mut scale: Vec<f64> = vec![1.0; rank];
        let mut output: Vec<usize> = input_shape.to_vec();
        let mut roi: Vec<(f64, f64)> = vec![(0.0, 1.0); rank];
        let crop = self.coordinate_mode == CoordinateMode::TfCropAndResize;
        if crop {
            let r = self.roi.as_ref().ok_or_else(|| {
                Error::arg("roi", "tf_crop_and_resize needs a roi (starts then ends)")
            })?;
            if r.len() != 2 * n {
                return Err(Error::arg(
                    "roi",
                    format!("has {} values; {n} axes need {}", r.len(), 2 * n),
                ));
            }
            if r.iter().any(|v| !v.is_finite()) {
                return Err(Error::arg("roi", "values must be finite"));
            }
            for (i, &a) in axes.iter().enumerate() {
                roi[a] = (r[i], r[n + i]);
            }
        }
        match (&self.scales, &self.sizes) {
            (Some(_), Some(_)) | (None, None) => {
                return Err(Error::arg(
                    "scales",
                    "exactly one of scales and sizes must be given",
                ));
            }
            (Some(s), None) => {
                if s.len() != n {
                    return Err(Error::arg(
                        "scales",
                        format!("has {} values for {n} axes", s.len()),
                    ));
                }
                for (&a, &v) in axes.iter().zip(s) {
                    if !(v.is_finite() && v > 0.0) {
                        return Err(Error::arg(
                            "scales",
                            format!("{v} for axis {a}: scales must be finite and positive"),
                        ));
                    }
                    let v = f64::from(v);
                    let size = (v * input_shape[a] as f64).floor();
                    if size > u32::MAX as f64 {
                        return Err(Error::arg(
                            "scales",
                            format!("{v} for axis {a} gives an output size of {size}"),
                        ));
                    }
                    scale[a] = v;
                    output[a] = size as usize;
                }
            }
            (None, Some(s)) => {
                if s.len() != n {
                    return Err(Error::arg(
                        "sizes",
                        format!("has {} values for {n} axes", s.len()),
                    ));
                }
                for (&a, &v) in axes.iter().zip(s) {
                    if !(0..=i64::from(u32::MAX)).contains(&v) {
                        return Err(Error::arg(
                            "sizes",
                            format!("{v} for axis {a}: sizes must be in [0, 2^32)"),
                        ));
                    }
                    if input_shape[a] == 0 && v > 0 {
                        return Err(Error::arg(
                            "sizes",
                            format!("{v} for axis {a}, whose input size is 0"),
                        ));
                    }
                }
                let ratio = |a: usize, v: i64| {
                    if input_shape[a] == 0 {
                        1.0
                    } else {
                        v as f64 / input_shape[a] as f64
                    }
                };
                match self.keep_aspect_ratio_policy {
                    AspectPolicy::Stretch => {
                        for (&a, &v) in axes.iter().zip(s) {
                            scale[a] = ratio(a, v);
                            output[a] = v as usize;
                        }
                    }
                    policy => {
                        let ratios = axes.iter().zip(s).map(|(&a, &v)| ratio(a, v));
                        let one = if policy == AspectPolicy::NotLarger {
                            ratios.fold(f64::INFINITY, f64::min)
                        } else {
                            ratios.fold(f64::NEG_INFINITY, f64::max)
                        };
                        for &a in &axes {
                            scale[a] = one;
                            // The spec rounds half up.
                            output[a] = (one * input_shape[a] as f64 + 0.5).floor() as usize;
                        }
                    }
                }
            }
        }
        Ok(OnnxGeometry {
            mode: self.mode,
            coordinate_mode: self.coordinate_mode,
            nearest_mode: self.nearest_mode,
            cubic_coeff_a: self.cubic_coeff_a,
            exclude_outside: self.exclude_outside,
            extrapolation_value: self.extrapolation_value,
            antialias: self.antialias,
            input: input_shape.to_vec(),
            output,
            scales: scale,
            roi: crop.then_some(roi),
        })
    }
}

/// A resolved `Resize`: shapes, and each axis' scale and region of interest (batch and
/// channels included: ONNX may resize them too).
#[derive(Clone, Debug, PartialEq)]
pub struct OnnxGeometry {
    pub mode: OnnxMode,
    pub coordinate_mode: CoordinateMode,
    pub nearest_mode: NearestMode,
    pub cubic_coeff_a: f64,
    pub exclude_outside: bool,
    pub extrapolation_value: f32,
    pub antialias: bool,
    /// The input's shape (rank 3 to 5).
    pub input: Vec<usize>,
    /// The output's shape.
    pub output: Vec<usize>,
    /// The scale of each axis, in f64: the float32 scale given, or output / input size (one
    /// shared value under `keep_aspect_ratio_policy`), 1 for an axis not in `axes`.
    pub scales: Vec<f64>,
    /// Each axis' (start, end) with `tf_crop_and_resize`.
    pub roi: Option<Vec<(f64, f64)>>,
}

impl OnnxGeometry {
    /// The number of spatial axes (after batch and channels).
    pub fn dims(&self) -> usize {
        self.input.len() - 2
    }
    /// Input planes (batch x channels).
    pub fn planes(&self) -> usize {
        self.input[0] * self.input[1]
    }
    /// Whether the batch or channel axis changes: a second stage of the plan.
    pub fn resizes_planes(&self) -> bool {
        (0..2).any(|a| {
            self.input[a] != self.output[a]
                || self.scales[a] != 1.0
                || self.roi.as_ref().is_some_and(|r| r[a] != (0.0, 1.0))
        })
    }
    pub fn input_shape(&self) -> Vec<usize> {
        self.input.clone()
    }
    pub fn output_shape(&self) -> Vec<usize> {
        self.output.clone()
    }
}

/// An ONNX `Resize` node's attributes and inputs as data (JSON: the conformance cases, the
/// bench's workloads, `resample tensor --onnx`), with ONNX's names and defaults.
#[derive(Clone, Debug, serde::Deserialize, serde::Serialize)]
pub struct OnnxAttributes {
    pub mode: String,
    pub coordinate_transformation_mode: Option<String>,
    pub nearest_mode: Option<String>,
    pub cubic_coeff_a: Option<f64>,
    pub exclude_outside: Option<i64>,
    pub extrapolation_value: Option<f64>,
    pub antialias: Option<i64>,
    pub keep_aspect_ratio_policy: Option<String>,
    pub axes: Option<Vec<i64>>,
    pub roi: Option<Vec<f64>>,
    pub scales: Option<Vec<f32>>,
    pub sizes: Option<Vec<i64>>,
}

impl OnnxAttributes {
    /// The node as [`OnnxOptions`] (an unknown attribute value is an error of the case).
    pub fn options(&self) -> Result<OnnxOptions> {
        let mut o = OnnxOptions::new(self.mode.parse()?);
        if let Some(m) = &self.coordinate_transformation_mode {
            o.coordinate_mode = m.parse()?;
        }
        if let Some(m) = &self.nearest_mode {
            o.nearest_mode = m.parse()?;
        }
        if let Some(a) = self.cubic_coeff_a {
            o.cubic_coeff_a = a;
        }
        o.exclude_outside = self.exclude_outside.unwrap_or(0) != 0;
        o.extrapolation_value = self.extrapolation_value.unwrap_or(0.0) as f32;
        o.antialias = self.antialias.unwrap_or(0) != 0;
        if let Some(p) = &self.keep_aspect_ratio_policy {
            o.keep_aspect_ratio_policy = p.parse()?;
        }
        o.axes = self.axes.clone();
        o.roi = self.roi.clone();
        o.scales = self.scales.clone();
        o.sizes = self.sizes.clone();
        Ok(o)
    }
}

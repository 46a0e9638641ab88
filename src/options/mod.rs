//! `Options`: the arguments of `torch.nn.functional.interpolate`, and torch's rules for them.
//!
//! [`Options::resolve`] applies every check torch 2.15 makes (in Python and in C++) and computes
//! the output size and the per-axis scale the kernels use. The result, a [`Geometry`], is all a
//! backend needs; it carries no wgpu type.

pub mod onnx;

use crate::error::{Error, Result};
use std::fmt;
use std::str::FromStr;

/// Interpolation mode, named as in torch.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Mode {
    Nearest,
    NearestExact,
    Linear,
    Bilinear,
    Bicubic,
    Trilinear,
    Area,
    Lanczos,
}

impl Mode {
    pub const ALL: [Mode; 8] = [
        Mode::Nearest,
        Mode::NearestExact,
        Mode::Linear,
        Mode::Bilinear,
        Mode::Bicubic,
        Mode::Trilinear,
        Mode::Area,
        Mode::Lanczos,
    ];

    /// torch's name of the mode.
    pub fn name(self) -> &'static str {
        match self {
            Mode::Nearest => "nearest",
            Mode::NearestExact => "nearest-exact",
            Mode::Linear => "linear",
            Mode::Bilinear => "bilinear",
            Mode::Bicubic => "bicubic",
            Mode::Trilinear => "trilinear",
            Mode::Area => "area",
            Mode::Lanczos => "lanczos",
        }
    }

    /// The number of spatial dims the mode requires, or `None` when it takes 1, 2 or 3.
    pub fn required_dims(self) -> Option<usize> {
        match self {
            Mode::Linear => Some(1),
            Mode::Bilinear | Mode::Bicubic | Mode::Lanczos => Some(2),
            Mode::Trilinear => Some(3),
            Mode::Nearest | Mode::NearestExact | Mode::Area => None,
        }
    }

    /// Modes for which `align_corners` may be given (torch's "interpolating modes").
    pub fn takes_align_corners(self) -> bool {
        !matches!(self, Mode::Nearest | Mode::NearestExact | Mode::Area)
    }

    /// Modes whose uint8 kernels torch has (and so do we).
    pub fn supports_u8(self) -> bool {
        matches!(
            self,
            Mode::Nearest | Mode::NearestExact | Mode::Bilinear | Mode::Bicubic | Mode::Lanczos
        )
    }
}

impl fmt::Display for Mode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Mode {
    type Err = Error;
    fn from_str(s: &str) -> Result<Mode> {
        Mode::ALL
            .into_iter()
            .find(|m| m.name() == s)
            .ok_or_else(|| {
                Error::arg(
                    "mode",
                    format!(
                        "unknown mode {s:?}; expected one of nearest, nearest-exact, linear, \
                         bilinear, bicubic, trilinear, area, lanczos"
                    ),
                )
            })
    }
}

/// A `size` or `scale_factor` argument: one value for every spatial dim, or one per dim.
#[derive(Clone, Debug, PartialEq)]
pub enum PerDim<T> {
    All(T),
    Each(Vec<T>),
}

impl<T: Clone> PerDim<T> {
    fn expand(&self, dims: usize) -> Option<Vec<T>> {
        match self {
            PerDim::All(v) => Some(vec![v.clone(); dims]),
            PerDim::Each(v) if v.len() == dims => Some(v.clone()),
            PerDim::Each(_) => None,
        }
    }
    fn len_text(&self) -> String {
        match self {
            PerDim::All(_) => "a scalar".into(),
            PerDim::Each(v) => format!("{} values", v.len()),
        }
    }
}

/// An optional clamp applied to the output inside the kernel (torch recommends clamping after
/// bicubic/lanczos, which overshoot).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Clamp {
    pub min: f32,
    pub max: f32,
}

/// The arguments of `interpolate`, with builder setters.
///
/// ```
/// use wgpu_resample::{Mode, Options};
/// let o = Options::new(Mode::Bilinear).size([64, 48]).align_corners(true);
/// let g = o.resolve(&[1, 3, 32, 24]).unwrap();
/// assert_eq!(g.output_shape(), vec![1, 3, 64, 48]);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Options {
    pub mode: Mode,
    pub size: Option<PerDim<i64>>,
    pub scale_factor: Option<PerDim<f64>>,
    pub align_corners: Option<bool>,
    pub recompute_scale_factor: Option<bool>,
    pub antialias: bool,
    pub clamp: Option<Clamp>,
}

impl Options {
    pub fn new(mode: Mode) -> Self {
        Options {
            mode,
            size: None,
            scale_factor: None,
            align_corners: None,
            recompute_scale_factor: None,
            antialias: false,
            clamp: None,
        }
    }
    /// Output size, one per spatial dim.
    pub fn size<I: IntoIterator<Item = usize>>(mut self, size: I) -> Self {
        self.size = Some(PerDim::Each(
            size.into_iter()
                .map(|s| i64::try_from(s).unwrap_or(i64::MAX))
                .collect(),
        ));
        self
    }
    /// The same output size for every spatial dim (torch's `size=int`).
    pub fn size_all(mut self, size: usize) -> Self {
        self.size = Some(PerDim::All(i64::try_from(size).unwrap_or(i64::MAX)));
        self
    }
    /// Scale factor, one per spatial dim.
    pub fn scale_factor<I: IntoIterator<Item = f64>>(mut self, s: I) -> Self {
        self.scale_factor = Some(PerDim::Each(s.into_iter().collect()));
        self
    }
    /// The same scale factor for every spatial dim (torch's `scale_factor=float`).
    pub fn scale_factor_all(mut self, s: f64) -> Self {
        self.scale_factor = Some(PerDim::All(s));
        self
    }
    pub fn align_corners(mut self, v: bool) -> Self {
        self.align_corners = Some(v);
        self
    }
    pub fn recompute_scale_factor(mut self, v: bool) -> Self {
        self.recompute_scale_factor = Some(v);
        self
    }
    pub fn antialias(mut self, v: bool) -> Self {
        self.antialias = v;
        self
    }
    /// Clamp every output value into `[min, max]`, fused into the kernel.
    pub fn clamp(mut self, min: f32, max: f32) -> Self {
        self.clamp = Some(Clamp { min, max });
        self
    }

    /// Apply torch's argument rules to an input of shape `N, C, [D,] [H,] W`, in torch's
    /// order: rank, `align_corners`, `size` / `scale_factor`, `recompute_scale_factor`, the
    /// mode's own rules, the output sizes, channels, element counts, the clamp.
    pub fn resolve(&self, input_shape: &[usize]) -> Result<Geometry> {
        let rank = input_shape.len();
        if !(3..=5).contains(&rank) {
            return Err(Error::input(
                "input",
                format!(
                    "only 3D, 4D and 5D tensors (N, C, [D,] [H,] W) are supported, got {rank}D \
                     shape {input_shape:?}"
                ),
            ));
        }
        let dims = rank - 2;
        let align_corners = self.resolve_align_corners()?;
        let (out, scales) = self.resolve_size(input_shape)?;
        self.check_mode(dims, rank, align_corners)?;
        let in_sp = &input_shape[2..];
        let output = self.check_output(in_sp, &out)?;
        // An empty batch gives an empty output in every mode; no channels only in 1-D and
        // 2-D area (adaptive_avg_pool1d/2d), as in torch.
        let mode = self.mode;
        if input_shape[1] == 0 && !(mode == Mode::Area && dims <= 2) {
            return Err(Error::input(
                "input",
                format!(
                    "the channel size must be greater than 0 in {mode} mode on {rank}D input, got \
                     shape {input_shape:?}"
                ),
            ));
        }
        let g = Geometry {
            mode,
            antialias: self.antialias,
            align_corners,
            batch: input_shape[0],
            channels: input_shape[1],
            input: in_sp.to_vec(),
            output,
            scales: match scales {
                Some(s) => s.into_iter().map(Some).collect(),
                None => vec![None; dims],
            },
            clamp: self.clamp,
        };
        g.check_element_counts()?;
        if let Some(c) = self.clamp {
            if c.min.is_nan() || c.max.is_nan() || c.min > c.max {
                return Err(Error::arg(
                    "clamp",
                    format!("needs min <= max, got [{}, {}]", c.min, c.max),
                ));
            }
        }
        Ok(g)
    }

    /// `align_corners`: only the interpolating modes take it; `false` by default.
    fn resolve_align_corners(&self) -> Result<bool> {
        let mode = self.mode;
        if mode.takes_align_corners() {
            return Ok(self.align_corners.unwrap_or(false));
        }
        if self.align_corners.is_some() {
            return Err(Error::arg(
                "align_corners",
                format!(
                    "can only be set with the interpolating modes (linear, bilinear, bicubic, \
                     trilinear), not with {mode}"
                ),
            ));
        }
        Ok(false)
    }

    /// The requested output sizes (from `size`, or `floor(in * s)` in f64 from
    /// `scale_factor`, as torch computes them), and the scales passed on to the kernels
    /// (none when a size was given or the scale is recomputed).
    #[allow(clippy::type_complexity)]
    fn resolve_size(&self, input_shape: &[usize]) -> Result<(Vec<i64>, Option<Vec<f64>>)> {
        let dims = input_shape.len() - 2;
        let spatial = &input_shape[2..];
        let (size, scales): (Option<Vec<i64>>, Option<Vec<f64>>) =
            match (&self.size, &self.scale_factor) {
                (Some(_), Some(_)) => {
                    return Err(Error::arg(
                        "size",
                        "only one of size or scale_factor should be defined",
                    ))
                }
                (None, None) => {
                    return Err(Error::arg(
                        "size",
                        "either size or scale_factor should be defined",
                    ))
                }
                (Some(size), None) => {
                    let v = size.expand(dims).ok_or_else(|| {
                        Error::arg(
                            "size",
                            format!(
                                "input has {dims} spatial dims ({spatial:?}) but size has {}",
                                size.len_text()
                            ),
                        )
                    })?;
                    (Some(v), None)
                }
                (None, Some(sf)) => {
                    let v = sf.expand(dims).ok_or_else(|| {
                        Error::arg(
                            "scale_factor",
                            format!(
                                "input has {dims} spatial dims ({spatial:?}) but scale_factor \
                                 has {}",
                                sf.len_text()
                            ),
                        )
                    })?;
                    (None, Some(v))
                }
            };
        if self.recompute_scale_factor == Some(true) && self.size.is_some() {
            return Err(Error::arg(
                "recompute_scale_factor",
                "is not meaningful with an explicit size",
            ));
        }
        let Some(sf) = scales else {
            return Ok((size.unwrap_or_default(), None));
        };
        if let Some(bad) = sf.iter().find(|s| !s.is_finite() || **s <= 0.0) {
            return Err(Error::arg(
                "scale_factor",
                format!("must be finite and greater than 0, got {bad}"),
            ));
        }
        let mut out = Vec::with_capacity(dims);
        for (i, s) in sf.iter().enumerate() {
            let o = (spatial[i] as f64 * s).floor();
            if o >= i64::MAX as f64 {
                return Err(Error::arg(
                    "scale_factor",
                    format!("output size {o} along spatial dim {i} is too large"),
                ));
            }
            out.push(o as i64);
        }
        let recompute = self.recompute_scale_factor == Some(true) || self.mode == Mode::Area;
        Ok((out, (!recompute).then_some(sf)))
    }

    /// The mode's own rules: antialias only for 2-D bilinear, bicubic and lanczos; lanczos
    /// needs antialias and no align_corners; linear, bilinear and trilinear their dims.
    fn check_mode(&self, dims: usize, rank: usize, align_corners: bool) -> Result<()> {
        let mode = self.mode;
        if self.antialias
            && !(matches!(mode, Mode::Bilinear | Mode::Bicubic | Mode::Lanczos) && dims == 2)
        {
            return Err(Error::arg(
                "antialias",
                format!(
                    "is restricted to bilinear, bicubic and lanczos modes on 4D (N, C, H, W) \
                     input; got mode {mode} on {rank}D input"
                ),
            ));
        }
        if mode == Mode::Lanczos {
            if !self.antialias {
                return Err(Error::arg(
                    "antialias",
                    "lanczos mode requires antialias=true",
                ));
            }
            if align_corners {
                return Err(Error::arg(
                    "align_corners",
                    "lanczos mode does not support align_corners=true",
                ));
            }
        }
        if let Some(need) = mode.required_dims() {
            if need != dims {
                return Err(Error::input(
                    "input",
                    format!(
                        "got {rank}D input, but {mode} mode needs {}D input",
                        need + 2
                    ),
                ));
            }
        }
        Ok(())
    }

    /// The output sizes, each at least 1 (0 for area: torch's adaptive average pooling
    /// returns an empty tensor) from inputs of at least 1.
    fn check_output(&self, in_sp: &[usize], out: &[i64]) -> Result<Vec<usize>> {
        let area = self.mode == Mode::Area;
        let min_out = if area { 0 } else { 1 };
        let mut output = Vec::with_capacity(out.len());
        for (i, (&o, &n)) in out.iter().zip(in_sp).enumerate() {
            if o < min_out || n == 0 {
                return Err(Error::arg(
                    "size",
                    format!(
                        "input and output sizes should be greater than 0{}, but got input \
                         {in_sp:?} and output {out:?} (spatial dim {i})",
                        if area { " (output: at least 0)" } else { "" }
                    ),
                ));
            }
            output.push(usize::try_from(o).map_err(|_| Error::arg("size", "too large"))?);
        }
        Ok(output)
    }
}

/// A resolved call: shapes, and the scale each axis hands its kernel.
#[derive(Clone, Debug, PartialEq)]
pub struct Geometry {
    pub mode: Mode,
    pub antialias: bool,
    pub align_corners: bool,
    pub batch: usize,
    pub channels: usize,
    /// Spatial input sizes (1 to 3 of them, outermost first).
    pub input: Vec<usize>,
    /// Spatial output sizes.
    pub output: Vec<usize>,
    /// The `scale_factor` passed on to the kernel per axis (`None` when a size was given or the
    /// scale was recomputed); the kernel then uses `1 / s` rather than `in / out`.
    pub scales: Vec<Option<f64>>,
    pub clamp: Option<Clamp>,
}

impl Geometry {
    pub fn dims(&self) -> usize {
        self.input.len()
    }
    pub fn planes(&self) -> usize {
        self.batch * self.channels
    }
    pub fn input_shape(&self) -> Vec<usize> {
        let mut s = vec![self.batch, self.channels];
        s.extend(&self.input);
        s
    }
    pub fn output_shape(&self) -> Vec<usize> {
        let mut s = vec![self.batch, self.channels];
        s.extend(&self.output);
        s
    }
    pub fn input_len(&self) -> usize {
        self.input_shape().iter().product()
    }
    pub fn output_len(&self) -> usize {
        self.output_shape().iter().product()
    }

    fn check_element_counts(&self) -> Result<()> {
        for (name, sizes) in [("input", &self.input), ("output", &self.output)] {
            if let Some(s) = sizes.iter().find(|&&s| s > u32::MAX as usize) {
                return Err(Error::limit(
                    "spatial size",
                    format!("{name} size {s} exceeds 2^32 - 1, the range of the kernels' indices"),
                ));
            }
        }
        for (name, shape) in [
            ("input", self.input_shape()),
            ("output", self.output_shape()),
        ] {
            let n = shape
                .iter()
                .try_fold(1usize, |a, &d| a.checked_mul(d))
                .filter(|&n| n.checked_mul(4).is_some_and(|b| b <= isize::MAX as usize));
            if n.is_none() {
                return Err(Error::limit(
                    "element count",
                    format!("{name} shape {shape:?} has more elements than memory can address"),
                ));
            }
        }
        Ok(())
    }
}

/// `torch.nn.functional.upsample`: a deprecated alias of `interpolate`.
pub fn upsample(options: Options) -> Options {
    options
}

/// `torch.nn.functional.upsample_nearest`: nearest with a size or a scale factor.
pub fn upsample_nearest(size: Option<Vec<usize>>, scale_factor: Option<f64>) -> Options {
    let mut o = Options::new(Mode::Nearest);
    o.size = size.map(|s| PerDim::Each(s.into_iter().map(|v| v as i64).collect()));
    o.scale_factor = scale_factor.map(PerDim::All);
    o
}

/// `torch.nn.functional.upsample_bilinear`: bilinear with `align_corners=True`.
pub fn upsample_bilinear(size: Option<Vec<usize>>, scale_factor: Option<f64>) -> Options {
    let mut o = upsample_nearest(size, scale_factor);
    o.mode = Mode::Bilinear;
    o.align_corners = Some(true);
    o
}

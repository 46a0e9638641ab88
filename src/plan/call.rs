//! The first step of every entry point: a call checked against torch's (or ONNX's) rules and
//! against what building and running it would take, before anything is built.

use super::{pad3, DType, Plan};
use crate::options::onnx::{OnnxGeometry, OnnxOptions};
use crate::options::{Clamp, Geometry, Mode};

/// Which map a call computes: `interpolate`, or its gradient with respect to the input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    Forward,
    Backward,
}

/// What a call computes: torch's `interpolate`, or ONNX's `Resize`.
#[derive(Clone, Debug)]
pub enum Spec {
    Torch(Geometry),
    Onnx(OnnxGeometry),
}

/// A checked call, the first step of every entry point (the CPU reference, the host API and
/// the embedding API): torch's (or ONNX's) argument rules applied, the dtype accepted for the
/// mode, and what building its plan would take known before anything is built.
#[derive(Clone, Debug)]
pub struct Call {
    pub spec: Spec,
    pub dtype: DType,
    pub direction: Direction,
    /// The outputs computed (spatial ranges, outermost first): all of them, or a window of
    /// a torch forward call (see [`Call::with_window`]).
    pub window: Option<Vec<std::ops::Range<usize>>>,
}

impl Call {
    /// `interpolate(input of input_shape)` on `dtype` data.
    pub fn forward(
        options: &crate::options::Options,
        input_shape: &[usize],
        dtype: DType,
    ) -> crate::Result<Call> {
        Call::forward_geometry(options.resolve(input_shape)?, dtype)
    }

    /// The forward call of a resolved geometry (one that [`Options::resolve`] gave, or one
    /// built from it: the image API's virtual outputs of a source rectangle) on `dtype` data.
    ///
    /// [`Options::resolve`]: crate::options::Options::resolve
    pub fn forward_geometry(geometry: Geometry, dtype: DType) -> crate::Result<Call> {
        if dtype == DType::U8 && !geometry.mode.supports_u8() {
            return Err(crate::Error::arg(
                "mode",
                format!(
                    "{} has no uint8 kernel in torch; use float32 data",
                    geometry.mode
                ),
            ));
        }
        Ok(Call {
            spec: Spec::Torch(geometry),
            dtype,
            direction: Direction::Forward,
            window: None,
        })
    }

    /// The gradient of `interpolate(input of input_shape)` with respect to its input (f32).
    pub fn backward(
        options: &crate::options::Options,
        input_shape: &[usize],
    ) -> crate::Result<Call> {
        Ok(Call {
            spec: Spec::Torch(options.resolve(input_shape)?),
            dtype: DType::F32,
            direction: Direction::Backward,
            window: None,
        })
    }

    /// ONNX `Resize` (f32) of an input of `input_shape`, or its gradient.
    pub fn onnx(
        options: &OnnxOptions,
        input_shape: &[usize],
        direction: Direction,
    ) -> crate::Result<Call> {
        Ok(Call {
            spec: Spec::Onnx(options.resolve(input_shape)?),
            dtype: DType::F32,
            direction,
            window: None,
        })
    }

    /// Only the outputs `window` (a range per spatial axis, outermost first) of a torch
    /// forward call: the same values as that part of the whole output.
    pub fn with_window(mut self, window: Vec<std::ops::Range<usize>>) -> crate::Result<Call> {
        let Spec::Torch(g) = &self.spec else {
            return Err(crate::Error::arg(
                "window",
                "only torch's forward calls take one",
            ));
        };
        if self.direction != Direction::Forward || window.len() != g.output.len() {
            return Err(crate::Error::arg(
                "window",
                format!(
                    "a forward call's window has a range per spatial axis ({})",
                    g.output.len()
                ),
            ));
        }
        for (a, r) in window.iter().enumerate() {
            if r.start > r.end || r.end > g.output[a] {
                return Err(crate::Error::arg(
                    "window",
                    format!("{r:?} is not within axis {a}'s {} outputs", g.output[a]),
                ));
            }
        }
        self.window = Some(window);
        Ok(self)
    }

    /// The clamp of the output (torch's calls; never on a gradient).
    pub fn clamp(&self) -> Option<Clamp> {
        match (&self.spec, self.direction) {
            (Spec::Torch(g), Direction::Forward) => g.clamp,
            _ => None,
        }
    }

    pub fn planes(&self) -> usize {
        match &self.spec {
            Spec::Torch(g) => g.planes(),
            Spec::Onnx(g) => g.planes(),
        }
    }

    /// Spatial input and output sizes.
    fn spatial(&self) -> (&[usize], &[usize]) {
        match &self.spec {
            Spec::Torch(g) => (&g.input, &g.output),
            Spec::Onnx(g) => (&g.input[2..], &g.output[2..]),
        }
    }

    fn input_shape(&self) -> Vec<usize> {
        match &self.spec {
            Spec::Torch(g) => g.input_shape(),
            Spec::Onnx(g) => g.input_shape(),
        }
    }

    fn output_shape(&self) -> Vec<usize> {
        match (&self.spec, &self.window) {
            (Spec::Torch(g), Some(w)) => {
                let mut s = vec![g.batch, g.channels];
                s.extend(w.iter().map(|r| r.len()));
                s
            }
            (Spec::Torch(g), None) => g.output_shape(),
            (Spec::Onnx(g), _) => g.output_shape(),
        }
    }

    /// The shape of what the call reads: the input, or for the gradient the output's shape.
    pub fn src_shape(&self) -> Vec<usize> {
        match self.direction {
            Direction::Forward => self.input_shape(),
            Direction::Backward => self.output_shape(),
        }
    }

    /// The shape of what it writes.
    pub fn dst_shape(&self) -> Vec<usize> {
        match self.direction {
            Direction::Forward => self.output_shape(),
            Direction::Backward => self.input_shape(),
        }
    }

    pub fn src_len(&self) -> usize {
        self.src_shape().iter().product()
    }

    pub fn dst_len(&self) -> usize {
        self.dst_shape().iter().product()
    }

    /// Nothing to compute: the source or the destination has no element (a batch of 0, no
    /// channels, area's output size 0). Entry points return before building any table: the
    /// result is empty, or 0 (the gradient of an empty output).
    pub fn is_empty(&self) -> bool {
        self.src_len() == 0 || self.dst_len() == 0
    }

    /// Whether the call has more than one plan (ONNX resizing the batch or channel axis).
    pub fn is_staged(&self) -> bool {
        matches!(&self.spec, Spec::Onnx(g) if g.resizes_planes())
    }

    /// The plan of a call with one (see [`Call::is_staged`]); the first of a staged call's.
    pub fn plan(&self) -> Plan {
        let mut plans = self.plans();
        plans.swap_remove(0)
    }

    /// The plans, run one after the other (tables built here: check [`Call::plan_bytes`]
    /// first). One, except where ONNX resizes the batch or channel axis: then the spatial
    /// axes' plan, then the plan of the batch and channel axes (see [`Plan::onnx_planes`]),
    /// in reverse order for the gradient.
    pub fn plans(&self) -> Vec<Plan> {
        match (&self.spec, self.direction) {
            (Spec::Torch(g), Direction::Forward) => {
                let plan = Plan::forward(g, self.dtype);
                match &self.window {
                    Some(w) => {
                        let full = |a: usize| 0..plan.out_dims[a];
                        let mut ranges = [full(0), full(1), full(2)];
                        let pad = 3 - w.len();
                        ranges[pad..].clone_from_slice(w);
                        vec![plan.window(&ranges)]
                    }
                    None => vec![plan],
                }
            }
            (Spec::Torch(g), Direction::Backward) => vec![Plan::backward_of(g)],
            (Spec::Onnx(g), direction) => {
                let mut plans = vec![Plan::onnx(g)];
                if g.resizes_planes() {
                    plans.push(Plan::onnx_planes(g));
                }
                if direction == Direction::Backward {
                    plans = plans.iter().rev().map(Plan::backward).collect();
                }
                plans
            }
        }
    }

    /// The most elements one plane has before, between or after the passes of any plan of
    /// this call (every axis at its input or its output size), split per axis or not.
    pub fn largest_plane(&self) -> u64 {
        let (input, output) = self.spatial();
        let dims = input.len();
        (0u32..1 << dims)
            .map(|mask| {
                (0..dims)
                    .map(|a| {
                        if mask & (1 << a) != 0 {
                            output[a]
                        } else {
                            input[a]
                        }
                    })
                    .fold(1u64, |p, d| p.saturating_mul(d as u64))
            })
            .max()
            .unwrap_or(1)
    }

    /// Elements of the one plane of a staged call's second plan (ONNX resizing the batch or
    /// channel axis: the whole tensor as one plane, at its input or output), else 0.
    pub fn stage_plane(&self) -> u64 {
        match &self.spec {
            Spec::Onnx(g) if g.resizes_planes() => {
                let s: u64 = g.output[2..].iter().map(|&v| v as u64).product();
                let nc = |shape: &[usize]| (shape[0] as u64).saturating_mul(shape[1] as u64);
                nc(&g.input).max(nc(&g.output)).saturating_mul(s)
            }
            _ => 0,
        }
    }

    /// An upper bound of the host memory that building the plan takes, its tables and their
    /// construction included.
    pub fn plan_bytes(&self) -> u64 {
        let (input, output) = self.spatial();
        let dims = input.len();
        let mut cur = pad3(input);
        let mut bytes = 0u64;
        let backward = self.direction == Direction::Backward;
        // A table of `rows` outputs and `taps` taps each, built from per-output rows (the
        // rows' vectors included); with the gradient, its transpose too.
        let table = |rows: usize, taps: usize, in_len: usize| -> u64 {
            let (rows, taps, in_len) = (rows as u64, taps as u64, in_len as u64);
            let per_row = |taps: u64| taps.saturating_mul(28).saturating_add(48);
            let built = rows.saturating_mul(per_row(taps));
            if !backward {
                return built;
            }
            // The most outputs that read one input (transposed taps), and the transposed
            // rows' vectors as they grow.
            let fan_in = taps
                .saturating_mul(rows.div_ceil(in_len.max(1)) + 1)
                .saturating_add(2)
                .min(rows.max(1));
            let transposed = in_len.saturating_mul(per_row(fan_in).saturating_mul(2));
            built.saturating_add(transposed)
        };
        // The spatial axes each pass changes: one per pass (torch's separable kernels), or
        // all in one.
        let passes: Vec<Vec<usize>> = match &self.spec {
            Spec::Torch(g) => {
                let aa = g.antialias || g.mode == Mode::Lanczos;
                let separable = aa
                    || (self.dtype == DType::U8
                        && !matches!(g.mode, Mode::Nearest | Mode::NearestExact));
                if separable {
                    (0..dims)
                        .rev()
                        .filter(|&a| g.input[a] != g.output[a] || (aa && backward))
                        .map(|a| vec![a])
                        .collect()
                } else {
                    vec![(0..dims).collect()]
                }
            }
            Spec::Onnx(_) => vec![(0..dims).collect()],
        };
        if let Spec::Onnx(g) = &self.spec {
            // The batch and channel axes' tables.
            for a in 0..2 {
                let taps = crate::tables::onnx::max_taps(g, a);
                bytes = bytes.saturating_add(table(g.output[a], taps, g.input[a]));
            }
        }
        for active in passes {
            let mut next = cur;
            for a3 in 0..3 {
                // Padded leading axes (a3 < 3 - dims) and axes the pass leaves: identities.
                let axis = (a3 + dims).checked_sub(3).filter(|a| active.contains(a));
                let (rows, taps) = match axis {
                    Some(a) => (output[a], self.max_taps(a)),
                    None => (cur[a3], 1),
                };
                bytes = bytes.saturating_add(table(rows, taps, cur[a3]));
                next[a3] = rows;
            }
            cur = next;
        }
        bytes
    }

    /// The most taps an output of spatial axis `axis` can have in this call's tables.
    fn max_taps(&self, axis: usize) -> usize {
        let g = match &self.spec {
            Spec::Torch(g) => g,
            Spec::Onnx(g) => return crate::tables::onnx::max_taps(g, 2 + axis),
        };
        let (n_in, n_out) = (g.input[axis], g.output[axis].max(1));
        let aa = g.antialias || g.mode == Mode::Lanczos;
        let filter = match g.mode {
            Mode::Bicubic => 4,
            Mode::Lanczos => 6,
            _ => 2,
        };
        if aa {
            let scale = crate::tables::coords::area_pixel_scale(
                n_in,
                n_out,
                g.align_corners,
                g.scales[axis],
            );
            let support = filter as f64 * 0.5 * scale.max(1.0);
            return (support.ceil().min(n_in as f64) as usize) * 2 + 1;
        }
        match g.mode {
            Mode::Nearest | Mode::NearestExact => 1,
            Mode::Area => n_in.div_ceil(n_out) + 1,
            _ => filter,
        }
    }
}

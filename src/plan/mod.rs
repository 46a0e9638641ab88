//! The passes of a call: which per-axis tables (`crate::tables`) each pass applies, in which
//! order, and with which rounding, so that both executors (`crate::reference` on the CPU,
//! `crate::gpu`) reproduce torch's kernels by applying them.
//!
//! A pass is one gather over a `planes x D x H x W` tensor with a table per axis. torch's
//! non-antialiased float kernels are one pass over every axis; its antialiased and uint8
//! kernels run one separable pass per axis whose size changes.
//!
//! The gradient with respect to the input is the transpose of that linear map, so the
//! backward plan is the same kind of gather over transposed tables: each input element sums
//! the outputs that read it, in a fixed order (deterministic, no atomics).

mod call;

pub use call::{Call, Direction};

use crate::options::onnx::{CoordinateMode, OnnxGeometry};
use crate::options::{Geometry, Mode};
use crate::tables::nearest::NearestKernel;
use crate::tables::onnx::Extrapolated;
use crate::tables::{antialias, area, cubic, linear, nearest, uint8, AxisTable};

/// Element type of the data a plan runs on. torch's uint8 kernels round and saturate after
/// every separable pass and use their own index rules for bilinear/bicubic, so the plan
/// depends on it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DType {
    F32,
    U8,
}

/// One gather over a `planes x D x H x W` tensor; `axes` are the D, H and W tables (1-D and
/// 2-D tensors have leading axes of length 1).
#[derive(Clone, Debug, PartialEq)]
pub struct Pass {
    pub axes: [AxisTable; 3],
    /// Round to nearest (half up) and saturate to 0..=255 after this pass (torch's uint8).
    pub round_u8: bool,
}

impl Pass {
    pub fn in_dims(&self) -> [usize; 3] {
        [
            self.axes[0].in_len,
            self.axes[1].in_len,
            self.axes[2].in_len,
        ]
    }
    /// Every axis takes one input per output (nearest, nearest-exact, and identities): the
    /// pass picks elements.
    pub fn picks(&self) -> bool {
        self.axes.iter().all(|t| t.taps <= 1)
    }

    pub fn out_dims(&self) -> [usize; 3] {
        [
            self.axes[0].out_len,
            self.axes[1].out_len,
            self.axes[2].out_len,
        ]
    }
}

/// The passes that compute one interpolate call (or its gradient).
#[derive(Clone, Debug, PartialEq)]
pub struct Plan {
    pub planes: usize,
    pub passes: Vec<Pass>,
    /// Input and output spatial sizes as D, H, W.
    pub in_dims: [usize; 3],
    pub out_dims: [usize; 3],
    /// A value written after the passes where an output lies outside the input (ONNX's
    /// `tf_crop_and_resize`); `None` everywhere else.
    pub fill: Option<Fill>,
}

/// ONNX's `extrapolation_value`: every output outside `inside` on some axis (D, H, W) takes
/// `value`; the passes gave those outputs no taps.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Fill {
    pub value: f32,
    pub inside: [crate::tables::onnx::Extrapolated; 3],
}

impl Fill {
    /// Whether output `(d, h, w)` takes the fill value.
    pub fn covers(&self, at: [usize; 3]) -> bool {
        (0..3).any(|a| !(self.inside[a].start..self.inside[a].end).contains(&at[a]))
    }
}

fn pad3(v: &[usize]) -> [usize; 3] {
    let mut r = [1; 3];
    r[3 - v.len()..].copy_from_slice(v);
    r
}

/// The per-axis table torch uses for one axis of a non-antialiased call. torch's uint8
/// kernels use the same taps; they differ only in running one axis at a time and rounding to
/// uint8 after each (see [`Plan::forward`]).
fn axis_table(g: &Geometry, axis: usize, direction: Direction) -> AxisTable {
    let (n_in, n_out, scale) = (g.input[axis], g.output[axis], g.scales[axis]);
    let ac = g.align_corners;
    // Which of torch's nearest kernels: the forward runs its `nearest_idx` (channels-last)
    // kernel in 2-D when H_out + W_out <= 128, else the generic kernel; every backward kernel
    // uses `nearest_idx`. Both compute in the data's precision, which is f32 for every dtype
    // we take (float32, float16 and uint8 data: torch's opmath is float for all three).
    let nearest = match direction {
        Direction::Backward => NearestKernel::Idx,
        _ if g.dims() == 2 && g.output.iter().sum::<usize>() <= 128 => NearestKernel::Idx,
        Direction::Forward => NearestKernel::Generic,
    };
    match g.mode {
        Mode::Nearest => nearest::table(n_in, n_out, scale, nearest),
        Mode::NearestExact => nearest::exact_table(n_in, n_out, scale, nearest),
        Mode::Area => area::table(n_in, n_out),
        Mode::Linear | Mode::Bilinear | Mode::Trilinear => linear::table(n_in, n_out, scale, ac),
        Mode::Bicubic => cubic::table(n_in, n_out, scale, ac),
        Mode::Lanczos => antialias::table(n_in, n_out, scale, ac, antialias::Filter::Lanczos3),
    }
}

/// The table of one axis of torch's uint8 kernel for the filtering modes (int16 weights:
/// see `reference::uint8`).
fn uint8_table(g: &Geometry, axis: usize) -> AxisTable {
    let filter = match g.mode {
        Mode::Bicubic => antialias::Filter::Cubic,
        Mode::Lanczos => antialias::Filter::Lanczos3,
        _ => antialias::Filter::Triangle,
    };
    uint8::table(
        g.input[axis],
        g.output[axis],
        g.scales[axis],
        g.align_corners,
        filter,
        g.antialias || g.mode == Mode::Lanczos,
    )
}

/// The antialiased (Pillow-style) table of one axis.
fn antialias_table(g: &Geometry, axis: usize) -> AxisTable {
    let filter = match g.mode {
        Mode::Bicubic => antialias::Filter::Cubic,
        Mode::Lanczos => antialias::Filter::Lanczos3,
        _ => antialias::Filter::Triangle,
    };
    antialias::table(
        g.input[axis],
        g.output[axis],
        g.scales[axis],
        g.align_corners,
        filter,
    )
}

impl Plan {
    /// ONNX's `Resize`: one pass with a table per spatial axis (the spec's result is the
    /// nested sum over the axes, whatever order it is computed in), and a fill where
    /// `tf_crop_and_resize` leaves the input.
    pub fn onnx(g: &OnnxGeometry) -> Plan {
        let dims = g.dims();
        let in_dims = pad3(&g.input[2..]);
        let out_dims = pad3(&g.output[2..]);
        let mut axes = in_dims.map(AxisTable::identity);
        let mut inside = out_dims.map(|n| Extrapolated { start: 0, end: n });
        for axis in 0..dims {
            let (table, within) = crate::tables::onnx::table(g, 2 + axis);
            axes[3 - dims + axis] = table;
            inside[3 - dims + axis] = within;
        }
        let crop = g.coordinate_mode == CoordinateMode::TfCropAndResize;
        let whole = (0..3).all(|a| inside[a].start == 0 && inside[a].end == out_dims[a]);
        let passes = if axes.iter().all(AxisTable::is_identity) {
            Vec::new()
        } else {
            vec![Pass {
                axes,
                round_u8: false,
            }]
        };
        Plan {
            planes: g.planes(),
            passes,
            in_dims,
            out_dims,
            fill: (crop && !whole).then_some(Fill {
                value: g.extrapolation_value,
                inside,
            }),
        }
    }

    /// ONNX's `Resize` of the batch and channel axes, after the spatial axes: the tensor
    /// (spatial axes at their output sizes, flattened) seen as one plane of
    /// `N x C x spatial`, with the batch and channel tables on its first two axes.
    pub fn onnx_planes(g: &OnnxGeometry) -> Plan {
        let spatial: usize = g.output[2..].iter().product();
        let in_dims = [g.input[0], g.input[1], spatial];
        let out_dims = [g.output[0], g.output[1], spatial];
        let (tn, inside_n) = crate::tables::onnx::table(g, 0);
        let (tc, inside_c) = crate::tables::onnx::table(g, 1);
        let whole = Extrapolated {
            start: 0,
            end: spatial,
        };
        let inside = [inside_n, inside_c, whole];
        let crop = g.coordinate_mode == CoordinateMode::TfCropAndResize;
        let all = (0..3).all(|a| inside[a].start == 0 && inside[a].end == out_dims[a]);
        Plan {
            planes: 1,
            passes: vec![Pass {
                axes: [tn, tc, AxisTable::identity(spatial)],
                round_u8: false,
            }],
            in_dims,
            out_dims,
            fill: (crop && !all).then_some(Fill {
                value: g.extrapolation_value,
                inside,
            }),
        }
    }

    /// The forward plan of a resolved call, exactly as torch's CPU kernels compute it.
    pub fn forward(g: &Geometry, dtype: DType) -> Plan {
        Plan::build(g, dtype, Direction::Forward)
    }

    /// The gradient plan of a call: the passes of the map torch's backward kernels
    /// differentiate, in reverse order, each with transposed tables.
    pub fn backward_of(g: &Geometry) -> Plan {
        Plan::build(g, DType::F32, Direction::Backward).backward()
    }

    /// The passes of torch's kernel for `direction`: the forward, or the map whose transpose
    /// its backward computes. Where torch's backward is not the transpose of its forward, the
    /// backward's map is the one we transpose (torch's gradient is the contract):
    /// - antialiasing: the forward copies an axis whose size does not change, whatever the
    ///   scale; the backward filters it with its scale (a filter that is not the identity
    ///   only when a scale other than 1 was passed);
    /// - bicubic, not antialiased: when no size changes the backward copies the gradient,
    ///   while the forward resamples with the scales it was given;
    /// - nearest: the backward kernel's indices are those of `nearest_idx` in every dimension
    ///   (see `axis_table`);
    /// - the separable antialias kernel (f32/f64), when the output width is 1, applies the
    ///   weights of output row 0 to every output row of its H pass: a forward quirk we
    ///   reproduce, which the backward kernel does not have.
    fn build(g: &Geometry, dtype: DType, direction: Direction) -> Plan {
        let backward = direction == Direction::Backward;
        let dims = g.dims();
        let in_dims = pad3(&g.input);
        let out_dims = pad3(&g.output);
        let aa = g.antialias || g.mode == Mode::Lanczos;
        let round_u8 = dtype == DType::U8;
        let separable = aa || (round_u8 && !matches!(g.mode, Mode::Nearest | Mode::NearestExact));
        let passes = if separable {
            // torch's separable kernel: one pass per axis whose size changes, innermost (W)
            // first; an axis whose size does not change is copied, whatever the scale.
            let mut passes = Vec::new();
            let mut cur = in_dims;
            for axis in (0..dims).rev() {
                if g.input[axis] == g.output[axis] && !(aa && backward) {
                    continue;
                }
                let a3 = 3 - dims + axis;
                let mut table = if round_u8 {
                    uint8_table(g, axis)
                } else if aa {
                    antialias_table(g, axis)
                } else {
                    axis_table(g, axis, direction)
                };
                if table.is_identity() {
                    continue;
                }
                // The output-width-1 quirk of torch's generic separable kernel, which runs f32
                // antialiasing and uint8 with more than 4 channels (uint8 with at most 4 runs
                // its AVX kernel, which has no such quirk).
                let generic = if round_u8 { g.channels > 4 } else { aa };
                if !backward && generic && a3 == 1 && out_dims[2] == 1 {
                    let row0: Vec<(usize, f64)> = table.row(0).collect();
                    table = AxisTable::build(table.in_len, table.out_len, |_, row| {
                        row.extend_from_slice(&row0)
                    });
                }
                let mut axes = cur.map(AxisTable::identity);
                axes[a3] = table;
                cur[a3] = g.output[axis];
                passes.push(Pass { axes, round_u8 });
            }
            passes
        } else if backward && g.mode == Mode::Bicubic && g.input == g.output {
            Vec::new()
        } else {
            let mut axes = in_dims.map(AxisTable::identity);
            for axis in 0..dims {
                axes[3 - dims + axis] = axis_table(g, axis, direction);
            }
            vec![Pass { axes, round_u8 }]
        };
        Plan {
            planes: g.planes(),
            passes,
            in_dims,
            out_dims,
            fill: None,
        }
    }

    /// The gradient plan: the forward passes in reverse order, each with transposed tables.
    pub fn backward(&self) -> Plan {
        Plan {
            planes: self.planes,
            passes: self
                .passes
                .iter()
                .rev()
                .map(|p| Pass {
                    axes: [
                        p.axes[0].transpose(),
                        p.axes[1].transpose(),
                        p.axes[2].transpose(),
                    ],
                    round_u8: false,
                })
                .collect(),
            in_dims: self.out_dims,
            out_dims: self.in_dims,
            fill: None,
        }
    }
}

impl Plan {
    /// The outputs `window` (D, H, W ranges within `out_dims`) of this plan: each axis's
    /// table is cut to those rows in the pass that resamples the axis (the first pass, for
    /// an axis no pass resamples), and the passes after it copy the window. Every output
    /// keeps its taps, so the window equals the same part of the whole result.
    pub fn window(&self, window: &[std::ops::Range<usize>; 3]) -> Plan {
        let mut passes = self.passes.clone();
        if passes.is_empty() {
            passes.push(Pass {
                axes: self.in_dims.map(AxisTable::identity),
                round_u8: false,
            });
        }
        for (a, range) in window.iter().enumerate() {
            if *range == (0..self.out_dims[a]) {
                continue;
            }
            let at = passes
                .iter()
                .position(|p| !p.axes[a].is_identity())
                .unwrap_or(0);
            passes[at].axes[a] = passes[at].axes[a].rows(range.clone());
            for p in &mut passes[at + 1..] {
                p.axes[a] = AxisTable::identity(range.len());
            }
        }
        Plan {
            passes,
            out_dims: window.clone().map(|r| r.len()),
            fill: None,
            ..self.clone()
        }
    }

    /// The same map with every multi-axis pass split into one pass per axis (W, then H, then
    /// D: torch's nesting order, so the arithmetic is the same, with f32 intermediates), where
    /// that reads enough fewer inputs to pay for writing an intermediate: a pass whose tap
    /// product is at least `factor(pass)` times its tap sum (with 2: 4x4 bicubic, area
    /// windows). Used by the GPU; the reference applies plans as they are.
    pub fn split_heavy_passes(&self, factor: impl Fn(&Pass) -> usize) -> Plan {
        let mut passes = Vec::new();
        for pass in &self.passes {
            let taps = pass.axes.each_ref().map(|t| t.taps);
            let active: Vec<usize> = (0..3).filter(|&a| !pass.axes[a].is_identity()).collect();
            let product: usize = taps.iter().product();
            let sum: usize = taps.iter().sum();
            if active.len() < 2 || product < factor(pass).saturating_mul(sum) {
                passes.push(pass.clone());
                continue;
            }
            let mut cur = pass.in_dims();
            for &a in active.iter().rev() {
                let mut axes = cur.map(AxisTable::identity);
                axes[a] = pass.axes[a].clone();
                cur[a] = pass.axes[a].out_len;
                passes.push(Pass {
                    axes,
                    round_u8: false,
                });
            }
            if let Some(last) = passes.last_mut() {
                last.round_u8 = pass.round_u8;
            }
        }
        Plan {
            passes,
            ..self.clone()
        }
    }
}

impl Plan {
    /// A plan with no passes (every size unchanged: torch copies) as one identity pass, for
    /// callers that must write a separate output (the GPU's layout and type conversions).
    pub fn with_identity_pass(&self) -> Plan {
        if !self.passes.is_empty() {
            return self.clone();
        }
        Plan {
            passes: vec![Pass {
                axes: self.in_dims.map(AxisTable::identity),
                round_u8: false,
            }],
            ..self.clone()
        }
    }
}

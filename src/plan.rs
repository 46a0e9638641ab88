//! Per-axis index/weight tables and the passes that apply them.
//!
//! Every interpolate mode is separable: along each spatial axis, output index `o` reads a few
//! input indices with weights, and the N-d result is the nested sum over the axes. The host
//! computes one [`AxisTable`] per axis exactly as torch computes its indices and weights
//! (`reference::{nearest, linear, cubic, area, antialias, uint8}`); the CPU reference
//! (`reference::gather`) and the GPU kernel (`shaders/gather.wgsl`) both only apply them.
//!
//! The gradient with respect to the input is the transpose of that linear map, so the
//! backward plan is the same kind of gather over transposed tables: each input element sums
//! the outputs that read it, in a fixed order (deterministic, no atomics).

use crate::options::{Geometry, Mode};
use crate::reference::nearest::NearestKernel;
use crate::reference::{antialias, area, cubic, linear, nearest, uint8};

/// Element type of the data a plan runs on. torch's uint8 kernels round and saturate after
/// every separable pass and use their own index rules for bilinear/bicubic, so the plan
/// depends on it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DType {
    F32,
    U8,
}

/// One axis: `out[o] = sum_{k < count[o]} weight[o*taps + k] * in[index[o*taps + k]]`.
#[derive(Clone, Debug, PartialEq)]
pub struct AxisTable {
    pub in_len: usize,
    pub out_len: usize,
    /// Row stride of `index` and `weight` (the largest `count`).
    pub taps: usize,
    pub count: Vec<u32>,
    pub index: Vec<u32>,
    pub weight: Vec<f64>,
}

impl AxisTable {
    /// Build from one list of `(input index, weight)` taps per output index.
    pub fn from_rows(in_len: usize, rows: Vec<Vec<(usize, f64)>>) -> AxisTable {
        let taps = rows.iter().map(Vec::len).max().unwrap_or(0).max(1);
        let out_len = rows.len();
        let mut t = AxisTable {
            in_len,
            out_len,
            taps,
            count: Vec::with_capacity(out_len),
            index: vec![0; out_len * taps],
            weight: vec![0.0; out_len * taps],
        };
        for (o, row) in rows.into_iter().enumerate() {
            t.count.push(row.len() as u32);
            for (k, (i, w)) in row.into_iter().enumerate() {
                debug_assert!(i < in_len);
                t.index[o * taps + k] = i as u32;
                t.weight[o * taps + k] = w;
            }
        }
        t
    }

    /// `out[o] = in[o]`: the axis a pass leaves alone.
    pub fn identity(len: usize) -> AxisTable {
        AxisTable::from_rows(len, (0..len).map(|o| vec![(o, 1.0)]).collect())
    }

    /// The taps of output `o`.
    pub fn row(&self, o: usize) -> impl Iterator<Item = (usize, f64)> + '_ {
        let n = self.count[o] as usize;
        let base = o * self.taps;
        (0..n).map(move |k| (self.index[base + k] as usize, self.weight[base + k]))
    }

    /// The transposed map: for each input index, the outputs that read it (ascending output
    /// index, then tap order) with the same weights.
    pub fn transpose(&self) -> AxisTable {
        let mut rows: Vec<Vec<(usize, f64)>> = vec![Vec::new(); self.in_len];
        for o in 0..self.out_len {
            for (i, w) in self.row(o) {
                rows[i].push((o, w));
            }
        }
        let mut t = AxisTable::from_rows(self.out_len, rows);
        t.taps = t.taps.max(1);
        t
    }

    /// The table as runs, if it is one: a start per output such that tap `k` of output `o`
    /// reads `clamp(start[o] + k, 0, in_len - 1)` for every `k < count[o]`. Every forward
    /// table is (consecutive taps, clamped at the borders by bicubic); the GPU then reads one
    /// start per output instead of an index per tap (`RUN_TABLES` in gather_params.wgsl).
    pub fn run_starts(&self) -> Option<Vec<i32>> {
        (0..self.out_len).map(|o| self.run_start(o)).collect()
    }

    /// Output `o`'s start as in [`AxisTable::run_starts`] (0 for an output without taps), or
    /// `None` if its taps are not such a run (a transposed table's border rows, which read
    /// one output several times).
    pub fn run_start(&self, o: usize) -> Option<i32> {
        let last = i64::try_from(self.in_len).ok()? - 1;
        let at = |s: i64, k: usize| (s + k as i64).clamp(0, last.max(0)) as u32;
        let n = self.count[o] as usize;
        let idx = &self.index[o * self.taps..o * self.taps + n];
        let Some(&first) = idx.first() else {
            return Some(0);
        };
        // Unclamped at the low border, the start is the first index; clamped there, it is
        // below 0 by at most n - 1.
        let first = i64::from(first);
        let s = (first + 1 - n as i64..=first)
            .rev()
            .find(|&s| idx.iter().enumerate().all(|(k, &i)| at(s, k) == i))?;
        i32::try_from(s).ok()
    }

    /// The same table with every weight rounded to f32 (what the GPU uses).
    pub fn weights_f32(&self) -> Vec<f32> {
        self.weight.iter().map(|&w| w as f32).collect()
    }

    /// Smallest and largest input index read by outputs `range`.
    pub fn input_span(&self, range: std::ops::Range<usize>) -> (usize, usize) {
        let mut lo = usize::MAX;
        let mut hi = 0;
        for o in range {
            for (i, _) in self.row(o) {
                lo = lo.min(i);
                hi = hi.max(i);
            }
        }
        if lo == usize::MAX {
            (0, 0)
        } else {
            (lo, hi)
        }
    }
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
}

fn pad3(v: &[usize]) -> [usize; 3] {
    let mut r = [1; 3];
    r[3 - v.len()..].copy_from_slice(v);
    r
}

/// Which of torch's kernels a plan reproduces: the forward, or the map whose transpose the
/// backward kernel computes. They differ where torch's backward is not the exact transpose of
/// its own forward (see [`Plan::build`]).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kernel {
    Forward,
    Backward,
}

/// The per-axis table torch uses for one axis of a non-antialiased call. torch's uint8
/// kernels use the same taps; they differ only in running one axis at a time and rounding to
/// uint8 after each (see [`Plan::forward`]).
fn axis_table(g: &Geometry, axis: usize, kernel: Kernel) -> AxisTable {
    let (n_in, n_out, scale) = (g.input[axis], g.output[axis], g.scales[axis]);
    let ac = g.align_corners;
    // Which of torch's nearest kernels: the forward runs its `nearest_idx` (channels-last)
    // kernel in 2-D when H_out + W_out <= 128, else the generic kernel; every backward kernel
    // uses `nearest_idx`. Both compute in the data's precision, which is f32 for every dtype
    // we take (float32, float16 and uint8 data: torch's opmath is float for all three).
    let nearest = match kernel {
        Kernel::Backward => NearestKernel::Idx,
        _ if g.dims() == 2 && g.output.iter().sum::<usize>() <= 128 => NearestKernel::Idx,
        Kernel::Forward => NearestKernel::Generic,
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
    /// The forward plan of a resolved call, exactly as torch's CPU kernels compute it.
    pub fn forward(g: &Geometry, dtype: DType) -> Plan {
        Plan::build(g, dtype, Kernel::Forward)
    }

    /// The gradient plan of a call: the passes of the map torch's backward kernels
    /// differentiate, in reverse order, each with transposed tables.
    pub fn backward_of(g: &Geometry) -> Plan {
        Plan::build(g, DType::F32, Kernel::Backward).backward()
    }

    /// The passes of `kernel`. Where torch's backward is not the transpose of its forward, the
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
    fn build(g: &Geometry, dtype: DType, kernel: Kernel) -> Plan {
        let backward = kernel == Kernel::Backward;
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
                    axis_table(g, axis, kernel)
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
                    table = AxisTable::from_rows(table.in_len, vec![row0; table.out_len]);
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
                axes[3 - dims + axis] = axis_table(g, axis, kernel);
            }
            vec![Pass { axes, round_u8 }]
        };
        Plan {
            planes: g.planes(),
            passes,
            in_dims,
            out_dims,
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
        }
    }
}

impl Plan {
    /// The same map with every multi-axis pass split into one pass per axis (W, then H, then
    /// D: torch's nesting order, so the arithmetic is the same, with f32 intermediates), where
    /// that reads enough fewer inputs to pay for writing an intermediate: a pass whose tap
    /// product is at least `factor(taps per axis)` times its tap sum (with 2: 4x4 bicubic,
    /// area windows). Used by the GPU; the reference applies plans as they are.
    pub fn split_heavy_passes(&self, factor: impl Fn([usize; 3]) -> usize) -> Plan {
        let mut passes = Vec::new();
        for pass in &self.passes {
            let taps = pass.axes.each_ref().map(|t| t.taps);
            let active: Vec<usize> = (0..3).filter(|&a| !pass.axes[a].is_identity()).collect();
            let product: usize = taps.iter().product();
            let sum: usize = taps.iter().sum();
            if active.len() < 2 || product < factor(taps) * sum {
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

impl AxisTable {
    /// Whether this axis maps every output to the same input with weight 1.
    pub fn is_identity(&self) -> bool {
        self.in_len == self.out_len
            && (0..self.out_len).all(|o| {
                let mut r = self.row(o);
                r.next() == Some((o, 1.0)) && r.next().is_none()
            })
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

/// Which map a call computes: `interpolate`, or its gradient with respect to the input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    Forward,
    Backward,
}

/// A checked call, the first step of every entry point (the CPU reference, the host API and
/// the embedding API): torch's argument rules applied, the dtype accepted for the mode, and
/// what building its plan would take known before anything is built.
#[derive(Clone, Debug)]
pub struct Call {
    pub geometry: Geometry,
    pub dtype: DType,
    pub direction: Direction,
}

impl Call {
    /// `interpolate(input of input_shape)` on `dtype` data.
    pub fn forward(
        options: &crate::options::Options,
        input_shape: &[usize],
        dtype: DType,
    ) -> crate::Result<Call> {
        let geometry = options.resolve(input_shape)?;
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
            geometry,
            dtype,
            direction: Direction::Forward,
        })
    }

    /// The gradient of `interpolate(input of input_shape)` with respect to its input (f32).
    pub fn backward(
        options: &crate::options::Options,
        input_shape: &[usize],
    ) -> crate::Result<Call> {
        Ok(Call {
            geometry: options.resolve(input_shape)?,
            dtype: DType::F32,
            direction: Direction::Backward,
        })
    }

    /// The shape of what the call reads: the input, or for the gradient the output's shape.
    pub fn src_shape(&self) -> Vec<usize> {
        match self.direction {
            Direction::Forward => self.geometry.input_shape(),
            Direction::Backward => self.geometry.output_shape(),
        }
    }

    /// The shape of what it writes.
    pub fn dst_shape(&self) -> Vec<usize> {
        match self.direction {
            Direction::Forward => self.geometry.output_shape(),
            Direction::Backward => self.geometry.input_shape(),
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

    /// The plan (tables built here: check [`Call::plan_bytes`] first).
    pub fn plan(&self) -> Plan {
        match self.direction {
            Direction::Forward => Plan::forward(&self.geometry, self.dtype),
            Direction::Backward => Plan::backward_of(&self.geometry),
        }
    }

    /// The most elements one plane has before, between or after the passes of any plan of
    /// this call (every axis at its input or its output size), split per axis or not.
    pub fn largest_plane(&self) -> u64 {
        let g = &self.geometry;
        (0u32..1 << g.dims())
            .map(|mask| {
                (0..g.dims())
                    .map(|a| {
                        if mask & (1 << a) != 0 {
                            g.output[a]
                        } else {
                            g.input[a]
                        }
                    })
                    .fold(1u64, |p, d| p.saturating_mul(d as u64))
            })
            .max()
            .unwrap_or(1)
    }

    /// An upper bound of the host memory that building the plan takes, its tables and their
    /// construction included.
    pub fn plan_bytes(&self) -> u64 {
        let g = &self.geometry;
        let dims = g.dims();
        let mut cur = pad3(&g.input);
        let mut bytes = 0u64;
        let backward = self.direction == Direction::Backward;
        let aa = g.antialias || g.mode == Mode::Lanczos;
        let separable = aa
            || (self.dtype == DType::U8 && !matches!(g.mode, Mode::Nearest | Mode::NearestExact));
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
        // The spatial axes each pass changes: one per pass (separable), or all in one.
        let passes: Vec<Vec<usize>> = if separable {
            (0..dims)
                .rev()
                .filter(|&a| g.input[a] != g.output[a] || (aa && backward))
                .map(|a| vec![a])
                .collect()
        } else {
            vec![(0..dims).collect()]
        };
        for active in passes {
            let mut next = cur;
            for a3 in 0..3 {
                // Padded leading axes (a3 < 3 - dims) and axes the pass leaves: identities.
                let axis = (a3 + dims).checked_sub(3).filter(|a| active.contains(a));
                let (rows, taps) = match axis {
                    Some(a) => (g.output[a], self.max_taps(a)),
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
        let g = &self.geometry;
        let (n_in, n_out) = (g.input[axis], g.output[axis].max(1));
        let aa = g.antialias || g.mode == Mode::Lanczos;
        let filter = match g.mode {
            Mode::Bicubic => 4,
            Mode::Lanczos => 6,
            _ => 2,
        };
        if aa {
            let scale = crate::reference::coords::area_pixel_scale(
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

//! Recording a plan: its passes in order through scratch buffers, each on the kernel chosen
//! for it.

use super::gather::PassLayout;
use super::pipelines::{self, GatherKey, StripsKey};
use super::recording::Recording;
use super::rows::RowsPass;
use super::strips::plan::{self as strips, Side, StripsPass};
use super::strips::tile::{self, TilePass};
use super::tensor::Strides;
use super::Resampler;
use crate::error::{Error, Result};
use crate::options::{Clamp, Options};
use crate::plan::{Call, DType, Pass, Plan};

/// One side of a pass: a buffer, the element offset of the tensor in it, its strides, and
/// whether its elements are uint8 bytes (a plan's source only, read by the kernels for CPU
/// adapters), else f32.
#[derive(Clone, Copy)]
pub(crate) struct Operand<'a> {
    pub buffer: &'a wgpu::Buffer,
    pub offset: u64,
    pub strides: Strides,
    pub u8: bool,
}

impl<'a> Operand<'a> {
    /// An f32 tensor at element `offset` of `buffer`.
    pub fn f32(buffer: &'a wgpu::Buffer, offset: u64, strides: Strides) -> Operand<'a> {
        Operand {
            buffer,
            offset,
            strides,
            u8: false,
        }
    }

    /// What the kernel choice needs of it.
    fn facts(&self) -> Facts {
        let size = self.buffer.size();
        if self.u8 {
            Facts::u8(self.strides, self.offset, size)
        } else {
            Facts::f32(self.strides, self.offset, size / 4)
        }
    }

    /// The binding of a kernel's input elements `start .. start + len`. A uint8 tensor's is
    /// its whole buffer (byte offsets need no alignment then), so the kernel's input base,
    /// planned relative to `start`, gets [`Operand::input_shift`] added.
    pub fn bind_input(&self, (start, len): (u64, u64)) -> wgpu::BindingResource<'a> {
        if self.u8 {
            wgpu::BindingResource::Buffer(wgpu::BufferBinding {
                buffer: self.buffer,
                offset: 0,
                size: wgpu::BufferSize::new(self.buffer.size() & !3),
            })
        } else {
            bind(self.buffer, start, len)
        }
    }

    /// What to add to an input base planned relative to element `start` (see
    /// [`Operand::bind_input`]): `start` for a uint8 tensor, else 0.
    pub fn input_shift(&self, start: u64) -> u32 {
        if self.u8 {
            start as u32
        } else {
            0
        }
    }
}

pub(crate) const FLAG_ROUND_U8: u32 = 1;
pub(crate) const FLAG_CLAMP: u32 = 2;

/// The output flags of a pass (common/finish.wgsl, `p.flags`): uint8 rounding, the clamp.
pub(crate) fn output_flags(pass: &Pass, clamp: Option<Clamp>) -> u32 {
    let mut flags = 0;
    if pass.round_u8 {
        flags |= FLAG_ROUND_U8;
    }
    if clamp.is_some() {
        flags |= FLAG_CLAMP;
    }
    flags
}

pub(crate) fn bind(buffer: &wgpu::Buffer, start: u64, len: u64) -> wgpu::BindingResource<'_> {
    wgpu::BindingResource::Buffer(wgpu::BufferBinding {
        buffer,
        offset: start * 4,
        size: wgpu::BufferSize::new(len.max(1) * 4),
    })
}

/// How one pass runs: the kernel family and that family's plan of the pass. Chosen in one
/// place ([`Resampler::steps`]); both recording and [`Resampler::kernel_labels`] use it.
pub(crate) enum PassKernel {
    /// The row kernels for CPU adapters (shaders/rows/): W taps or H rows that repeat from
    /// one lane group to the next, as constants of the pipeline.
    Rows(RowsPass),
    /// The row or line kernel for CPU adapters (shaders/strips/).
    Strips(StripsPass),
    /// The tile kernel for CPU adapters: H and W at once (W-filtered values rounded to uint8
    /// first with `round_mid`).
    Tile { plan: TilePass, round_mid: bool },
    /// The gather kernels (shaders/gather/).
    Gather(PassLayout),
}

/// One step of a plan as it runs: the pass, its kernel, and where it reads and writes.
pub(crate) struct Step {
    pub pass: Pass,
    pub kernel: PassKernel,
    /// The step reads the plan's source (else the previous step's scratch buffer) and writes
    /// the plan's destination (else a scratch buffer).
    pub first: bool,
    pub last: bool,
}

/// What the kernel choice needs of a tensor: its strides, its element offset in its buffer,
/// the buffer's size in elements, and whether they are uint8 (see [`Operand`]).
#[derive(Clone, Copy)]
pub(crate) struct Facts {
    pub strides: Strides,
    pub offset: u64,
    pub words: u64,
    pub u8: bool,
}

impl Facts {
    /// An f32 tensor at element `offset` of a buffer of `words` elements.
    pub fn f32(strides: Strides, offset: u64, words: u64) -> Facts {
        Facts {
            strides,
            offset,
            words,
            u8: false,
        }
    }

    /// A uint8 tensor at byte `offset` of a buffer of `bytes`, read in place.
    pub fn u8(strides: Strides, offset: u64, bytes: u64) -> Facts {
        Facts {
            u8: true,
            ..Facts::f32(strides, offset, bytes)
        }
    }
}

/// Bytes of a buffer the crate makes for `len` bytes: whole vec4s (the strips kernels bind
/// vec4 arrays), at least one.
pub(crate) fn padded_bytes(len: u64) -> u64 {
    len.div_ceil(16).max(1) * 16
}

/// The strides of an intermediate result of `dims` between `src` (of `in_dims`) and `dst`
/// (of `out_dims`): channels-last where both are (the kernels for CPU adapters then keep
/// one layout from end to end), else contiguous.
pub(crate) fn scratch_strides(
    channels: usize,
    dims: [usize; 3],
    (src, in_dims): (Strides, [usize; 3]),
    (dst, out_dims): (Strides, [usize; 3]),
) -> Strides {
    let last = |s: Strides, d: [usize; 3]| {
        s == Strides::channels_last(channels, d) && s != Strides::contiguous(channels, d)
    };
    if last(src, in_dims) && last(dst, out_dims) {
        Strides::channels_last(channels, dims)
    } else {
        Strides::contiguous(channels, dims)
    }
}

/// Whether `pass` resamples axis `a` (0 = D, 1 = H, 2 = W) and no other.
fn only_axis(pass: &Pass, a: usize) -> bool {
    (0..3).all(|b| (b == a) != pass.axes[b].is_identity())
}

impl Resampler {
    /// The steps of `plan` from `src` to `dst` (`channels` channels): the one place that picks
    /// each pass's kernel. On CPU adapters every pass resamples one axis, and a W pass and
    /// the H pass after it run together on the tile kernel where it takes them; elsewhere the
    /// row or line kernel, or the gather kernels where those cannot run a pass.
    pub(crate) fn steps(
        &self,
        plan: &Plan,
        channels: usize,
        src: Facts,
        dst: Facts,
    ) -> Result<Vec<Step>> {
        let split = self.split(plan);
        let passes = &split.passes;
        // Row-kernel pipelines not built yet are built for a pattern that an earlier call
        // asked for (see `Pipelines::rows_allowed`).
        let call = self.pipelines.next_call();
        let ends = ((src.strides, plan.in_dims), (dst.strides, plan.out_dims));
        let scratch = |dims: [usize; 3]| -> Facts {
            let len = (split.planes * dims.iter().product::<usize>()) as u64 * 4;
            Facts::f32(
                scratch_strides(channels, dims, ends.0, ends.1),
                0,
                padded_bytes(len) / 4,
            )
        };
        let mut steps = Vec::with_capacity(passes.len());
        let mut i = 0;
        while i < passes.len() {
            let input = if i == 0 {
                src
            } else {
                scratch(passes[i].in_dims())
            };
            let pair = self.cpu_kernels
                && i + 1 < passes.len()
                && only_axis(&passes[i], 2)
                && only_axis(&passes[i + 1], 1);
            if pair {
                let (w, h) = (&passes[i], &passes[i + 1]);
                let pass = Pass {
                    axes: [w.axes[0].clone(), h.axes[1].clone(), w.axes[2].clone()],
                    round_u8: h.round_u8,
                };
                let last = i + 2 == passes.len();
                let output = if last { dst } else { scratch(pass.out_dims()) };
                // Both axes at once: on the periodic row kernels where the taps are few (their
                // H taps come from records; not for uint8, whose W pass rounds before the H
                // pass), else on the tile kernel unless the W pass alone is periodic.
                let taps = pass.axes.each_ref().map(|t| t.taps);
                let light = taps.iter().product::<usize>() < 2 * taps.iter().sum::<usize>();
                let kernel = if w.round_u8 || !light {
                    None
                } else {
                    self.periodic_rows(&pass, split.planes, channels, input, output, call)
                        .map(PassKernel::Rows)
                };
                let kernel = kernel.or_else(|| {
                    if self
                        .periodic_rows(
                            w,
                            split.planes,
                            channels,
                            input,
                            scratch(w.out_dims()),
                            call,
                        )
                        .is_some()
                    {
                        return None;
                    }
                    self.tile_plan(&pass, split.planes, channels, input, output, call)
                        .map(|plan| PassKernel::Tile {
                            plan,
                            round_mid: w.round_u8,
                        })
                });
                if let Some(kernel) = kernel {
                    steps.push(Step {
                        pass,
                        kernel,
                        first: i == 0,
                        last,
                    });
                    i += 2;
                    continue;
                }
            }
            let pass = &passes[i];
            let last = i + 1 == passes.len();
            let output = if last { dst } else { scratch(pass.out_dims()) };
            let kernel = self.choose(pass, split.planes, channels, input, output, call)?;
            steps.push(Step {
                pass: pass.clone(),
                kernel,
                first: i == 0,
                last,
            });
            i += 1;
        }
        Ok(steps)
    }

    /// The strips planners' view of a tensor: its layout (contiguous or channels-last, else
    /// `None`), offset and buffer size.
    fn side(&self, facts: Facts, channels: usize, dims: [usize; 3]) -> Option<Side> {
        let Facts {
            strides,
            offset,
            words,
            ..
        } = facts;
        let last = if strides == Strides::contiguous(channels, dims) {
            false
        } else if strides == Strides::channels_last(channels, dims) {
            true
        } else {
            return None;
        };
        Some(Side {
            offset,
            words,
            channels_last: last,
        })
    }

    fn strips_limits(&self) -> strips::Limits {
        let lim = self.chunk_limits();
        strips::Limits {
            max_binding: lim.max_binding,
            align: lim.align,
            max_workgroups: lim.max_workgroups,
        }
    }

    /// The tile kernel's plan of a W and H pair, where it may run now (see
    /// [`Resampler::with_eager_tiles`] and `Pipelines::tile_allowed`).
    fn tile_plan(
        &self,
        pass: &Pass,
        planes: usize,
        channels: usize,
        src: Facts,
        dst: Facts,
        call: u64,
    ) -> Option<TilePass> {
        let s = self.side(src, channels, pass.in_dims())?;
        let d = self.side(dst, channels, pass.out_dims())?;
        let mut plan = tile::plan(pass, planes, s, d, self.strips_limits())?;
        plan.u8_src = src.u8;
        if self.eager_tiles {
            return Some(plan);
        }
        // A small pass gains less from the tile kernel than a new tile pipeline costs to
        // compile (lavapipe: up to seconds): it runs on the row and line kernels.
        let outputs = plan.planes * plan.out_hw.0 * plan.out_hw.1;
        if outputs < tile::MIN_OUTPUTS {
            return None;
        }
        let shape = (plan.span, plan.span_h, plan.cols, plan.aligned);
        let pattern = {
            use std::hash::{Hash, Hasher};
            let mut h = std::collections::hash_map::DefaultHasher::new();
            (shape, plan.in_hw, plan.out_hw, plan.planes, &plan.table).hash(&mut h);
            h.finish()
        };
        self.pipelines
            .tile_allowed(shape, pattern, call)
            .then_some(plan)
    }

    /// The periodic row kernels' plan of `pass` from `src` to `dst`.
    fn periodic_rows(
        &self,
        pass: &Pass,
        planes: usize,
        channels: usize,
        src: Facts,
        dst: Facts,
        call: u64,
    ) -> Option<RowsPass> {
        let plan = self.periodic_rows_plan(pass, planes, channels, src, dst)?;
        let keys: Vec<_> = plan.parts.iter().map(|p| self.rows_key(&plan, p)).collect();
        self.pipelines.rows_allowed(&keys, call).then_some(plan)
    }

    /// The kernel of one single-axis (or gather) pass: the periodic row kernels where they
    /// take it, else the strips row or line kernel where those are on and can run it, else
    /// the gather kernels.
    fn choose(
        &self,
        pass: &Pass,
        planes: usize,
        channels: usize,
        src: Facts,
        dst: Facts,
        call: u64,
    ) -> Result<PassKernel> {
        if let Some(plan) = self.periodic_rows(pass, planes, channels, src, dst, call) {
            return Ok(PassKernel::Rows(plan));
        }
        if self.cpu_kernels {
            let sides = (
                self.side(src, channels, pass.in_dims()),
                self.side(dst, channels, pass.out_dims()),
            );
            if let (Some(s), Some(d)) = sides {
                if let Some(mut plan) =
                    strips::plan(pass, planes, channels, s, d, self.strips_limits())
                {
                    plan.u8_src = src.u8;
                    return Ok(PassKernel::Strips(plan));
                }
            }
        }
        Ok(PassKernel::Gather(self.pass_layout(
            pass,
            planes,
            channels,
            src.strides,
            dst.strides,
        )?))
    }

    /// Add `plan` to `rec`: the first step reads `src`, the last writes `dst`, intermediate
    /// results live in contiguous scratch buffers (kept alive by wgpu until the commands
    /// have run).
    pub(crate) fn encode_plan(
        &self,
        rec: &mut Recording,
        plan: &Plan,
        channels: usize,
        src: Operand<'_>,
        dst: Operand<'_>,
        clamp: Option<Clamp>,
    ) -> Result<()> {
        let steps = self.steps(plan, channels, src.facts(), dst.facts())?;
        let ends = ((src.strides, plan.in_dims), (dst.strides, plan.out_dims));
        let mut scratch: Option<wgpu::Buffer> = None;
        for (i, step) in steps.iter().enumerate() {
            let pass = &step.pass;
            let input = match (&scratch, step.first) {
                (Some(b), false) => Operand::f32(
                    b,
                    0,
                    scratch_strides(channels, pass.in_dims(), ends.0, ends.1),
                ),
                _ => src,
            };
            // The gather kernels read f32: a uint8 source is widened for them first.
            let widened;
            let input = if input.u8 && matches!(step.kernel, PassKernel::Gather(_)) {
                let len = plan.planes * pass.in_dims().iter().product::<usize>();
                widened = self.scratch(len)?;
                self.encode_convert(
                    rec,
                    true,
                    super::tensor::Element::U8,
                    len,
                    (input.buffer, input.offset),
                    (&widened, 0),
                )?;
                Operand::f32(&widened, 0, input.strides)
            } else {
                input
            };
            let next = if step.last {
                None
            } else {
                let len = (plan.planes * pass.out_dims().iter().product::<usize>()) as u64 * 4;
                Some(self.scratch_buffer(i % 2, len)?)
            };
            let output = match &next {
                Some(buffer) => Operand::f32(
                    buffer,
                    0,
                    scratch_strides(channels, pass.out_dims(), ends.0, ends.1),
                ),
                None => dst,
            };
            let clamp = if step.last { clamp } else { None };
            let flags = output_flags(pass, clamp);
            match &step.kernel {
                PassKernel::Rows(p) => self.encode_rows(rec, pass, p, input, output, clamp)?,
                PassKernel::Strips(p) => {
                    self.encode_strips(rec, p, input, output, (flags, clamp))?
                }
                PassKernel::Tile { plan, round_mid } => {
                    self.encode_tile(rec, plan, input, output, (flags, clamp), *round_mid)?
                }
                PassKernel::Gather(layout) => {
                    self.encode_gather(rec, pass, layout, channels, input, output, clamp)?
                }
            }
            if next.is_some() {
                scratch = next;
            }
        }
        if let Some(fill) = &plan.fill {
            let batch = plan.planes / channels.max(1);
            self.encode_fill(rec, fill, (batch, channels), plan.out_dims, dst)?;
        }
        Ok(())
    }

    /// Scratch buffer `slot` (0 or 1: pass i writes `i % 2`) of at least `len` bytes, kept
    /// for later calls (see `Spare`).
    fn scratch_buffer(&self, slot: usize, len: u64) -> Result<wgpu::Buffer> {
        if len > self.limits.max_buffer_size {
            return Err(Error::limit(
                "max_buffer_size",
                format!(
                    "an intermediate result of {len} bytes exceeds the adapter's max_buffer_size"
                ),
            ));
        }
        let size = padded_bytes(len);
        let slot = &mut self.spare_lock().scratch[slot];
        Ok(match slot {
            Some(b) if b.size() >= size => b.clone(),
            _ => {
                let b = self.device.create_buffer(&wgpu::BufferDescriptor {
                    label: Some("resample.scratch"),
                    size,
                    usage: wgpu::BufferUsages::STORAGE,
                    mapped_at_creation: false,
                });
                *slot = Some(b.clone());
                b
            }
        })
    }

    /// The kernel (its label and parameters) and the number of dispatches of each pass that
    /// [`Resampler::interpolate`] runs for this input shape and these options: a diagnostic
    /// (for `resample bench` and the tests), nothing is run. The host API's buffers are
    /// contiguous and padded to whole vec4s, as these are.
    pub fn kernel_labels(
        &self,
        shape: &[usize],
        options: &Options,
    ) -> Result<Vec<(String, usize)>> {
        let g = options.resolve(shape)?;
        self.plan_kernel_labels(&Plan::forward(&g, DType::F32))
    }

    /// The same for [`Resampler::interpolate_backward`].
    pub fn backward_kernel_labels(
        &self,
        shape: &[usize],
        options: &Options,
    ) -> Result<Vec<(String, usize)>> {
        let g = options.resolve(shape)?;
        self.plan_kernel_labels(&Plan::backward_of(&g))
    }

    /// The same for [`Resampler::interpolate_u8`] (whose input the kernels for CPU adapters
    /// read as uploaded, see `reads_u8_uploads`).
    pub fn kernel_labels_u8(
        &self,
        shape: &[usize],
        options: &Options,
    ) -> Result<Vec<(String, usize)>> {
        let call = Call::forward(options, shape, DType::U8)?;
        let u8 = self.reads_u8_uploads(&call);
        self.host_labels(&call.plan(), u8)
    }

    pub(crate) fn plan_kernel_labels(&self, plan: &Plan) -> Result<Vec<(String, usize)>> {
        self.host_labels(plan, false)
    }

    /// The labels of `plan` on the host API's buffers: contiguous, one channel per plane,
    /// padded to whole vec4s; the input uint8 if `u8`.
    fn host_labels(&self, plan: &Plan, u8: bool) -> Result<Vec<(String, usize)>> {
        let len = |dims: [usize; 3]| (plan.planes * dims.iter().product::<usize>()) as u64;
        let strides = Strides::contiguous(1, plan.in_dims);
        let src = if u8 {
            Facts::u8(strides, 0, padded_bytes(len(plan.in_dims)))
        } else {
            Facts::f32(strides, 0, padded_bytes(len(plan.in_dims) * 4) / 4)
        };
        let dst = Facts::f32(
            Strides::contiguous(1, plan.out_dims),
            0,
            padded_bytes(len(plan.out_dims) * 4) / 4,
        );
        self.steps_labels(plan, 1, src, dst)
    }

    /// The label of each step [`Resampler::steps`] picks for `plan` between these tensors.
    pub(crate) fn steps_labels(
        &self,
        plan: &Plan,
        channels: usize,
        src: Facts,
        dst: Facts,
    ) -> Result<Vec<(String, usize)>> {
        let steps = self.steps(plan, channels, src, dst)?;
        Ok(steps
            .iter()
            .map(|s| self.label(&s.pass, &s.kernel))
            .collect())
    }

    /// A pass's kernel as `resample bench` and the tests name it: the pipeline's entry file
    /// and its parameters, and the number of dispatches.
    fn label(&self, pass: &Pass, kernel: &PassKernel) -> (String, usize) {
        match kernel {
            PassKernel::Rows(rows) => {
                let parts: Vec<String> = rows
                    .parts
                    .iter()
                    .enumerate()
                    .filter(|&(i, _)| rows.dispatches.iter().any(|d| d.part == i))
                    .map(|(_, part)| {
                        let loads = self.loads(rows, part);
                        let kind = pipelines::rows_label(part.is_periodic(), part.lines, loads);
                        format!("{kind}(g{} span{} taps{})", part.g, part.span, part.taps)
                    })
                    .collect();
                (parts.join(" + "), rows.dispatches.len())
            }
            PassKernel::Strips(p) => {
                let key = StripsKey {
                    shape: p.shape,
                    span: p.span,
                    aligned: p.aligned,
                    finish: false,
                    loads: self.strips_loads(p.u8_src),
                    rows: 0,
                    cols: 4,
                    round_mid: false,
                    poisoned: p.poisoned,
                };
                let align = if p.aligned { "aligned" } else { "unaligned" };
                let poison = if p.poisoned { " poison" } else { "" };
                (
                    format!("{}(span{} {align}{poison})", key.label(), p.span),
                    p.dispatches.len(),
                )
            }
            PassKernel::Tile { plan, .. } => {
                let key = StripsKey {
                    shape: strips::Shape::Tile,
                    span: plan.span,
                    aligned: plan.aligned,
                    finish: false,
                    loads: self.strips_loads(plan.u8_src),
                    rows: plan.span_h,
                    cols: plan.cols,
                    round_mid: false,
                    poisoned: plan.poisoned,
                };
                let align = if plan.aligned { "aligned" } else { "unaligned" };
                let poison = if plan.poisoned {
                    " +poison fix-ups"
                } else {
                    ""
                };
                (
                    format!(
                        "{}(span{} rows{} cols{} {align}{poison})",
                        key.label(),
                        plan.span,
                        plan.span_h,
                        plan.cols
                    ),
                    plan.dispatches.len(),
                )
            }
            PassKernel::Gather(l) => {
                let key = GatherKey {
                    kind: l.kind,
                    taps: l.taps,
                    unit_weights: pass.axes.iter().all(|t| t.weight.iter().all(|&w| w == 1.0)),
                };
                (key.label().to_string(), l.chunks.len())
            }
        }
    }
}

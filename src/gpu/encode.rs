//! Recording a plan: its passes in order through scratch buffers, each on the kernel chosen
//! for it.

use super::gather::{vec4_stores, PassLayout, Source};
use super::recording::Recording;
use super::tensor::Strides;
use super::{pipelines, Resampler};
use crate::error::{Error, Result};
use crate::options::{Clamp, Options};
use crate::plan::{DType, Pass, Plan};

/// One side of a pass: a buffer, the element offset of the tensor in it, its strides.
#[derive(Clone, Copy)]
pub(crate) struct Operand<'a> {
    pub buffer: &'a wgpu::Buffer,
    pub offset: u64,
    pub strides: Strides,
}

pub(crate) const FLAG_ROUND_U8: u32 = 1;
pub(crate) const FLAG_CLAMP: u32 = 2;

/// common/finish.wgsl's `OUTPUT_FLAGS` of a pass: uint8 rounding, the fused clamp.
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

impl Resampler {
    /// Add `plan` to `rec`: the first pass reads `src`, the last writes `dst`,
    /// intermediate results live in contiguous scratch buffers (kept alive by wgpu until the
    /// commands have run).
    pub(crate) fn encode_plan(
        &self,
        rec: &mut Recording,
        plan: &Plan,
        channels: usize,
        src: Operand<'_>,
        dst: Operand<'_>,
        clamp: Option<Clamp>,
    ) -> Result<()> {
        let split = self.split(plan);
        let plan = &split;
        let mut scratch: Option<wgpu::Buffer> = None;
        for (i, pass) in plan.passes.iter().enumerate() {
            let last = i + 1 == plan.passes.len();
            let input = match &scratch {
                Some(b) => Operand {
                    buffer: b,
                    offset: 0,
                    strides: Strides::contiguous(channels, pass.in_dims()),
                },
                None => src,
            };
            let next = if last {
                None
            } else {
                let len = (plan.planes * pass.out_dims().iter().product::<usize>()) as u64 * 4;
                if len > self.limits.max_buffer_size {
                    return Err(Error::limit(
                        "max_buffer_size",
                        format!("an intermediate result of {len} bytes exceeds the adapter's max_buffer_size"),
                    ));
                }
                let (usage, extra) = self.source_usage(len);
                let size = len.max(4) + extra;
                let slot = &mut self.spare_lock().scratch[i % 2];
                match slot {
                    Some(b) if b.size() >= size && b.usage() == usage => Some(b.clone()),
                    _ => {
                        let b = self.device.create_buffer(&wgpu::BufferDescriptor {
                            label: Some("resample.scratch"),
                            size,
                            usage,
                            mapped_at_creation: false,
                        });
                        *slot = Some(b.clone());
                        Some(b)
                    }
                }
            };
            let output = match &next {
                Some(buffer) => Operand {
                    buffer,
                    offset: 0,
                    strides: Strides::contiguous(channels, pass.out_dims()),
                },
                None => dst,
            };
            self.encode_pass(
                rec,
                pass,
                plan.planes,
                channels,
                input,
                output,
                if last { clamp } else { None },
            )?;
            if next.is_some() {
                scratch = next;
            }
        }
        Ok(())
    }

    /// The gather pipeline (its label) and the number of dispatches of each pass that
    /// [`Resampler::interpolate`] runs for this input shape and these options: a diagnostic
    /// (for `resample bench` and the tests), nothing is run.
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

    pub(crate) fn plan_kernel_labels(&self, plan: &Plan) -> Result<Vec<(String, usize)>> {
        let split = self.split(plan);
        let mut out = Vec::new();
        for pass in &split.passes {
            let elements = (split.planes * pass.in_dims().iter().product::<usize>()) as u64;
            let (usage, extra) = self.source_usage(elements * 4);
            let outputs = (split.planes * pass.out_dims().iter().product::<usize>()) as u64;
            let (s, t) = (
                Strides::contiguous(1, pass.in_dims()),
                Strides::contiguous(1, pass.out_dims()),
            );
            let words = (elements.div_ceil(4) * 4 + extra / 4, outputs);
            if let Some(rows) =
                self.rows_plan(pass, split.planes, 1, s, t, (0, words.0), (0, words.1))
            {
                for (i, part) in rows.parts.iter().enumerate() {
                    let n = rows.dispatches.iter().filter(|d| d.part == i).count();
                    if n == 0 {
                        continue;
                    }
                    let kind =
                        pipelines::rows_label(part.is_periodic(), part.lines, self.loads(part));
                    out.push((
                        format!("{kind}(g{} span{} taps{})", part.g, part.span, part.taps),
                        n,
                    ));
                }
                continue;
            }
            let source = Source {
                uniform: usage.contains(wgpu::BufferUsages::UNIFORM),
                words: elements + extra / 4,
                offset: 0,
            };
            let PassLayout {
                kind,
                taps,
                chunks: cs,
                span,
                ..
            } = self.pass_layout(
                pass,
                split.planes,
                1,
                Strides::contiguous(1, pass.in_dims()),
                Strides::contiguous(1, pass.out_dims()),
                source,
            )?;
            let t = Strides::contiguous(1, pass.out_dims());
            let vec4 = vec4_stores(kind, taps, &cs, t, 0);
            out.push((
                pipelines::gather_label(kind, taps, vec4, span).to_string(),
                cs.len(),
            ));
        }
        Ok(out)
    }

    /// Add one pass to `rec`.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn encode_pass(
        &self,
        rec: &mut Recording,
        pass: &Pass,
        planes: usize,
        channels: usize,
        src: Operand<'_>,
        dst: Operand<'_>,
        clamp: Option<Clamp>,
    ) -> Result<()> {
        let at = |o: &Operand<'_>| (o.offset, o.buffer.size() / 4);
        if let Some(rows) = self.rows_plan(
            pass,
            planes,
            channels,
            src.strides,
            dst.strides,
            at(&src),
            at(&dst),
        ) {
            return self.encode_rows(rec, pass, &rows, src, dst, clamp);
        }
        self.encode_gather(rec, pass, planes, channels, src, dst, clamp)
    }
}

//! The row kernels of CPU adapters (shaders/rows*.wgsl): their launcher; `plan` is their
//! planner (pure).

mod parts;
mod plan;

pub(crate) use parts::*;
pub(crate) use plan::*;

use super::encode::{bind, output_flags, Operand};
use super::pipelines::{self, bind_group};
use super::recording::Recording;
use super::tensor::Strides;
use super::Resampler;
use crate::error::Result;
use crate::options::Clamp;
use crate::plan::Pass;

impl Resampler {
    /// The row kernels' plan of `pass` (see [`Resampler::row_kernels`]), if they are on and
    /// can run it; `src` and `dst` are the tensors' element offsets and their buffers' sizes
    /// in elements.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn rows_plan(
        &self,
        pass: &Pass,
        planes: usize,
        channels: usize,
        s: Strides,
        t: Strides,
        src: (u64, u64),
        dst: (u64, u64),
    ) -> Option<RowsPass> {
        if !self.cpu_kernels {
            return None;
        }
        let lim = self.chunk_limits();
        plan(
            pass,
            planes,
            channels,
            s,
            t,
            RowsLimits {
                max_binding: lim.max_binding,
                // vec4 bindings: starts at multiples of 4 elements too.
                align: lim.align.max(4),
                record_align: self.uniform_align().div_ceil(16).max(1),
                max_workgroups: lim.max_workgroups,
                pair_loads: self.u64_loads,
                src_offset: src.0,
                src_words: src.1,
                dst_offset: dst.0,
                dst_words: dst.1,
            },
        )
    }

    /// The row kernels' plan of a pass along W (and maybe H) or along H alone where they
    /// run at least three quarters of its output columns (rows for an H-only pass) on their
    /// periodic kernels (W taps or H rows that repeat from one lane group to the next:
    /// constants of the pipeline) and their pipelines are built or within the device's
    /// budget (`pipelines::ROWS_PIPELINES`), else `None`: other passes run faster on the
    /// strips kernels, whose pipelines are a fixed set.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn periodic_rows_plan(
        &self,
        pass: &Pass,
        planes: usize,
        channels: usize,
        s: Strides,
        t: Strides,
        src: (u64, u64),
        dst: (u64, u64),
    ) -> Option<RowsPass> {
        let resampled = |a: usize| !pass.axes[a].is_identity();
        let axis = match (resampled(0), resampled(1), resampled(2)) {
            (false, _, true) => 2,
            (false, true, false) => 1,
            _ => return None,
        };
        let plan = self.rows_plan(pass, planes, channels, s, t, src, dst)?;
        let out = pass.axes[axis].out_len;
        let periodic: usize = plan
            .parts
            .iter()
            .filter(|p| p.is_periodic() && p.lines == (axis == 1))
            .map(|p| p.c1 - p.c0)
            .sum();
        (4 * periodic >= 3 * out).then_some(plan)
    }

    /// The pipeline of `part` of `plan`.
    pub(crate) fn rows_key(&self, plan: &RowsPass, part: &Part) -> pipelines::RowsKey {
        // rows/lines_main.wgsl applies the H taps itself.
        pipelines::RowsKey {
            lines: part.lines,
            taps_d: if part.lines { 0 } else { plan.taps_d },
            taps_h: if part.lines { 0 } else { plan.taps_h },
            variable: plan.variable && !part.lines,
            g: part.g as u32,
            span: part.span as u32,
            taps: part.taps as u32,
            periodic: match &part.w {
                WTaps::Periodic { taps, .. } => Some((**taps).clone()),
                WTaps::Tabled { .. } => None,
            },
            loads: self.loads(part),
        }
    }

    /// How the row kernel of `part` loads its input.
    pub(crate) fn loads(&self, part: &Part) -> pipelines::Loads {
        match (part.pairs, self.u64_loads) {
            (true, _) => pipelines::Loads::Pairs,
            (false, true) => pipelines::Loads::U64,
            (false, false) => pipelines::Loads::F32,
        }
    }

    /// Record a pass the row kernels run: one compute pass per part, each part's dispatches
    /// (plane and row chunks) with their parameters in one uniform buffer.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn encode_rows(
        &self,
        rec: &mut Recording,
        pass: &Pass,
        plan: &RowsPass,
        src: Operand<'_>,
        dst: Operand<'_>,
        clamp: Option<Clamp>,
    ) -> Result<()> {
        let flags = output_flags(pass, clamp);
        let records = self.buffer_init(
            Some("resample.rows.records"),
            bytemuck::cast_slice(&plan.records),
            wgpu::BufferUsages::UNIFORM,
        )?;
        let bases = self.buffer_init(
            Some("resample.rows.bases"),
            bytemuck::cast_slice(&plan.bases),
            wgpu::BufferUsages::STORAGE,
        )?;
        let window = |vec4: u64| {
            wgpu::BindingResource::Buffer(wgpu::BufferBinding {
                buffer: &records,
                offset: vec4 * 16,
                size: wgpu::BufferSize::new(RECORD_WINDOW * 16),
            })
        };
        let size = std::mem::size_of::<RowParams>() as u64;
        let stride = size.div_ceil(self.uniform_align()) * self.uniform_align();
        let mut bytes = Vec::with_capacity(plan.dispatches.len() * stride as usize);
        for d in &plan.dispatches {
            let params = RowParams {
                clamp_min: clamp.map_or(0.0, |c| c.min),
                clamp_max: clamp.map_or(0.0, |c| c.max),
                flags,
                ..d.params
            };
            bytes.extend_from_slice(bytemuck::bytes_of(&params));
            bytes.resize(bytes.len().div_ceil(stride as usize) * stride as usize, 0);
        }
        let ubuf = self.buffer_init(
            Some("resample.rows.params"),
            &bytes,
            wgpu::BufferUsages::UNIFORM,
        )?;
        for (i, part) in plan.parts.iter().enumerate() {
            let mine: Vec<(usize, &RowsDispatch)> = plan
                .dispatches
                .iter()
                .enumerate()
                .filter(|(_, d)| d.part == i)
                .collect();
            if mine.is_empty() {
                continue;
            }
            let key = self.rows_key(plan, part);
            let kernel = self.pipelines.rows(&self.device, &key)?;
            let label = pipelines::rows_label(key.periodic.is_some(), key.lines, key.loads);
            let dispatches: Vec<_> = mine
                .iter()
                .map(|&(at, d)| {
                    let group = bind_group(
                        &self.device,
                        label,
                        &kernel.layout,
                        [
                            wgpu::BindingResource::Buffer(wgpu::BufferBinding {
                                buffer: &ubuf,
                                offset: at as u64 * stride,
                                size: wgpu::BufferSize::new(size),
                            }),
                            window(d.windows[0]),
                            window(d.windows[1]),
                            window(d.windows[2]),
                            bases.as_entire_binding(),
                            bind(src.buffer, d.src.0, d.src.1),
                            bind(dst.buffer, d.dst.0, d.dst.1),
                        ],
                    );
                    (group, d.workgroups)
                })
                .collect();
            rec.dispatch(&kernel, dispatches)?;
        }
        Ok(())
    }
}

//! The row kernels of CPU adapters (shaders/rows*.wgsl): their launcher; `plan` is their
//! planner (pure).

mod parts;
mod plan;

pub(crate) use parts::*;
pub(crate) use plan::*;

use super::encode::{bind, output_flags, Facts, Operand};
use super::pipelines::{self, bind_group};
use super::recording::Recording;
use super::tensor::Strides;
use super::Resampler;
use crate::error::Result;
use crate::options::Clamp;
use crate::plan::Pass;

impl Resampler {
    /// The row kernels' plan of `pass` (see [`Resampler::row_kernels`]), if they are on and
    /// can run it.
    pub(crate) fn rows_plan(
        &self,
        pass: &Pass,
        planes: usize,
        channels: usize,
        src: Facts,
        dst: Facts,
    ) -> Option<RowsPass> {
        if !self.cpu_kernels {
            return None;
        }
        let lim = self.chunk_limits();
        let mut plan = plan(
            pass,
            planes,
            channels,
            src.strides,
            dst.strides,
            RowsLimits {
                max_binding: lim.max_binding,
                // vec4 bindings: starts at multiples of 4 elements too.
                align: lim.align.max(4),
                record_align: self.uniform_align().div_ceil(16).max(1),
                max_workgroups: lim.max_workgroups,
                // Pairs of words are f32 pairs: not for a uint8 input.
                pair_loads: self.u64_loads && !src.u8,
                src_offset: src.offset,
                src_words: src.words,
                dst_offset: dst.offset,
                dst_words: dst.words,
            },
        )?;
        plan.u8_src = src.u8;
        Some(plan)
    }

    /// The row kernels' plan of a pass along W (and maybe H) or along H alone where they
    /// run at least three quarters of its output columns (rows for an H-only pass) on their
    /// periodic kernels (W taps or H rows that repeat from one lane group to the next:
    /// constants of the pipeline) and their pipelines are built or within the device's
    /// budget (`pipelines::ROWS_PIPELINES`), else `None`: other passes run faster on the
    /// strips kernels, whose pipelines are a fixed set.
    pub(crate) fn periodic_rows_plan(
        &self,
        pass: &Pass,
        planes: usize,
        channels: usize,
        src: Facts,
        dst: Facts,
    ) -> Option<RowsPass> {
        let resampled = |a: usize| !pass.axes[a].is_identity();
        let axis = match (resampled(0), resampled(1), resampled(2)) {
            (false, _, true) => 2,
            (false, true, false) => 1,
            _ => return None,
        };
        let plan = self.rows_plan(pass, planes, channels, src, dst)?;
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
            loads: self.loads(plan, part),
        }
    }

    /// How the row kernel of `part` of `plan` loads its input.
    pub(crate) fn loads(&self, plan: &RowsPass, part: &Part) -> pipelines::Loads {
        if plan.u8_src {
            return pipelines::Loads::U8;
        }
        match (part.pairs, self.u64_loads) {
            (true, _) => pipelines::Loads::Pairs,
            (false, true) => pipelines::Loads::U64,
            (false, false) => pipelines::Loads::F32,
        }
    }

    /// How a strips kernel loads its input: a uint8 tensor's bytes, else f32s as 64-bit
    /// words where the device has them.
    pub(crate) fn strips_loads(&self, u8_src: bool) -> pipelines::Loads {
        match (u8_src, self.u64_loads) {
            (true, _) => pipelines::Loads::U8,
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
        let params: Vec<RowParams> = plan
            .dispatches
            .iter()
            .map(|d| RowParams {
                clamp_min: clamp.map_or(0.0, |c| c.min),
                clamp_max: clamp.map_or(0.0, |c| c.max),
                flags,
                src_base: d.params.src_base.wrapping_add(src.input_shift(d.src.0)),
                ..d.params
            })
            .collect();
        let slots = self.param_slots("resample.rows.params", &params)?;
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
                            slots.binding(at),
                            window(d.windows[0]),
                            window(d.windows[1]),
                            window(d.windows[2]),
                            bases.as_entire_binding(),
                            src.bind_input(d.src),
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

//! The strips kernels of CPU adapters (shaders/strips/): one pass along one axis, a lane
//! making a group of four outputs for several rows (or inner chunks) from dense span weights
//! it loads once. `plan` is their planner (pure); this is their launcher.
//!
//! Their pipelines are keyed by the kernel (row or line), the span length (eight values),
//! the channels per pixel of rows (1 to 3), alignment and how the input loads: a bounded
//! set, whatever the shapes and scales of the calls.

pub(crate) mod plan;
pub(crate) mod tile;
#[cfg(test)]
pub(crate) mod twin;

use self::plan::{Shape, StripParams, StripsPass};
use self::tile::{TileParams, TilePass};
use super::encode::{bind, Operand, FLAG_CLAMP, FLAG_ROUND_U8};
use super::pipelines::{bind_group, StripsKey};
use super::recording::Recording;
use super::Resampler;
use crate::error::Result;
use crate::options::Clamp;

/// Where one dispatch reads and writes (element range of each binding) and its workgroups.
type Ranges = ((u64, u64), (u64, u64), [u32; 3]);

impl Resampler {
    /// Add a pass the strips kernels run to `rec`: one compute pass, a dispatch per chunk of
    /// the plan, the table in one storage buffer and every dispatch's parameters in one
    /// uniform buffer.
    pub(crate) fn encode_strips(
        &self,
        rec: &mut Recording,
        plan: &StripsPass,
        src: Operand<'_>,
        dst: Operand<'_>,
        (flags, clamp): (u32, Option<Clamp>),
    ) -> Result<()> {
        let key = StripsKey {
            shape: plan.shape,
            span: plan.span,
            aligned: plan.aligned,
            finish: flags != 0,
            loads: self.strips_loads(plan.u8_src),
            rows: 0,
            cols: 4,
            round_mid: false,
            poisoned: plan.poisoned,
        };
        let params: Vec<StripParams> = plan
            .dispatches
            .iter()
            .map(|d| {
                let p = plan.params(d, src.offset, dst.offset);
                StripParams {
                    flags,
                    clamp_min: clamp.map_or(0.0, |c| c.min),
                    clamp_max: clamp.map_or(0.0, |c| c.max),
                    src_base: p.src_base.wrapping_add(src.input_shift(d.src.0)),
                    ..p
                }
            })
            .collect();
        let ranges = plan.dispatches.iter().map(|d| (d.src, d.dst, d.workgroups));
        self.record_strips(rec, key, &plan.table, &params, ranges, (src, dst))
    }

    /// Add a pass the strips tile kernel runs to `rec` (see [`Resampler::encode_strips`]);
    /// `round_mid` rounds the W-filtered values to uint8 (torch's separable uint8 passes).
    /// The dispatches over every lane run without the poison test, then the fix-ups (if any)
    /// with it, in a compute pass of their own (they rewrite outputs of the first).
    pub(crate) fn encode_tile(
        &self,
        rec: &mut Recording,
        plan: &TilePass,
        src: Operand<'_>,
        dst: Operand<'_>,
        (flags, clamp): (u32, Option<Clamp>),
        round_mid: bool,
    ) -> Result<()> {
        for poison in [false, true] {
            let ds: Vec<_> = plan
                .dispatches
                .iter()
                .filter(|d| d.poison == poison)
                .collect();
            if ds.is_empty() {
                continue;
            }
            let key = StripsKey {
                shape: Shape::Tile,
                span: plan.span,
                aligned: plan.aligned,
                finish: flags & (FLAG_ROUND_U8 | FLAG_CLAMP) != 0,
                loads: self.strips_loads(plan.u8_src),
                rows: plan.span_h,
                cols: plan.cols,
                round_mid,
                poisoned: poison,
            };
            let params: Vec<TileParams> = ds
                .iter()
                .map(|d| {
                    let p = plan.params(d, src.offset, dst.offset);
                    TileParams {
                        flags,
                        clamp_min: clamp.map_or(0.0, |c| c.min),
                        clamp_max: clamp.map_or(0.0, |c| c.max),
                        src_base: p.src_base.wrapping_add(src.input_shift(d.src.0)),
                        ..p
                    }
                })
                .collect();
            let ranges = ds.iter().map(|d| (d.src, d.dst, d.workgroups));
            self.record_strips(rec, key, &plan.table, &params, ranges, (src, dst))?;
        }
        Ok(())
    }

    /// The compute pass of a strips or tile plan: the pipeline of `key`, the table, each
    /// dispatch's parameters at its own aligned offset of one uniform buffer, and its
    /// bindings of `src` and `dst`.
    fn record_strips<P: bytemuck::Pod>(
        &self,
        rec: &mut Recording,
        key: StripsKey,
        table: &[u32],
        params: &[P],
        ranges: impl Iterator<Item = Ranges>,
        (src, dst): (Operand<'_>, Operand<'_>),
    ) -> Result<()> {
        let kernel = self.pipelines.strips(&self.device, key)?;
        let table = self.buffer_init(
            Some("resample.strips.table"),
            bytemuck::cast_slice(table),
            wgpu::BufferUsages::STORAGE,
        )?;
        let slots = self.param_slots("resample.strips.params", params)?;
        let dispatches = ranges
            .enumerate()
            .map(|(i, (s, d, workgroups))| {
                let group = bind_group(
                    &self.device,
                    kernel.label,
                    &kernel.layout,
                    [
                        slots.binding(i),
                        table.as_entire_binding(),
                        src.bind_input(s),
                        bind(dst.buffer, d.0, d.1),
                    ],
                );
                (group, workgroups)
            })
            .collect();
        rec.dispatch(&kernel, dispatches)
    }
}

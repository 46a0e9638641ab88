//! ONNX's `extrapolation_value` on the GPU (shaders/common/fill.wgsl): after the passes, the
//! outputs that `tf_crop_and_resize` maps outside the input take the value.

use super::encode::{bind, Operand};
use super::pipelines::bind_group;
use super::recording::Recording;
use super::Resampler;
use crate::error::{Error, Result};
use crate::plan::Fill;

crate::gpu::uniform_struct! {
    /// `Params` of shaders/common/fill.wgsl (see there).
    pub(crate) struct FillParams {
        value: f32,
        count: u32,
        first: u32,
        channels: u32,
        dims: [u32; 4],
        strides: [u32; 4],
        w_stride: u32,
        base: u32,
        _pad0: u32,
        _pad1: u32,
        inside_dh: [u32; 4],
        inside_w: [u32; 4],
    }
}

impl Resampler {
    /// Write `fill.value` into the outputs of `dst` (`batch` x `channels` x `dims`) that
    /// `fill` covers: one dispatch per group of batches whose elements fit one binding.
    pub(crate) fn encode_fill(
        &self,
        rec: &mut Recording,
        fill: &Fill,
        (batch, channels): (usize, usize),
        dims: [usize; 3],
        dst: Operand<'_>,
    ) -> Result<()> {
        let lim = self.chunk_limits();
        let s = dst.strides;
        let [d, h, w] = dims.map(|v| v as u64);
        let (b, c) = (batch as u64, channels as u64);
        // Elements of one batch, from its first to its last.
        let extent = (c - 1) * s.c + (d - 1) * s.d + (h - 1) * s.h + (w - 1) * s.w + 1;
        let fits = |batches: u64| (batches - 1) * s.n + extent + lim.align <= lim.max_binding;
        if !fits(1) {
            return Err(Error::limit(
                "max_storage_buffer_binding_size",
                format!(
                    "extrapolation_value: one batch of the output spans {} bytes",
                    extent * 4
                ),
            ));
        }
        let per = (lim.max_binding - lim.align - extent)
            .checked_div(s.n)
            .map_or(b, |k| (k + 1).min(b));
        let per_batch = c * d * h * w;
        if per * per_batch > u64::from(u32::MAX) {
            return Err(Error::limit(
                "extrapolation_value",
                "more than 2^32 output elements in one binding",
            ));
        }
        let kernel = &self.pipelines.fill;
        let mut groups = Vec::new();
        for n0 in (0..b).step_by(per.max(1) as usize) {
            let nb = per.min(b - n0);
            let start = dst.offset + n0 * s.n;
            let bind_start = start / lim.align * lim.align;
            let len = start - bind_start + (nb - 1) * s.n + extent;
            let count = nb * per_batch;
            let inside = fill.inside.map(|r| [r.start as u32, r.end as u32]);
            let params = FillParams {
                value: fill.value,
                count: count as u32,
                first: 0,
                channels: channels as u32,
                dims: [d as u32, h as u32, w as u32, 0],
                strides: [s.n as u32, s.c as u32, s.d as u32, s.h as u32],
                w_stride: s.w as u32,
                base: (start - bind_start) as u32,
                _pad0: 0,
                _pad1: 0,
                inside_dh: [inside[0][0], inside[0][1], inside[1][0], inside[1][1]],
                inside_w: [inside[2][0], inside[2][1], 0, 0],
            };
            let ubuf = self.buffer_init(
                Some("resample.fill"),
                bytemuck::bytes_of(&params),
                wgpu::BufferUsages::UNIFORM,
            )?;
            let group = bind_group(
                &self.device,
                kernel.label,
                &kernel.layout,
                [ubuf.as_entire_binding(), bind(dst.buffer, bind_start, len)],
            );
            let wgs = count.div_ceil(64).max(1);
            let x = wgs.min(lim.max_workgroups as u64);
            let y = wgs.div_ceil(x);
            groups.push((group, [x as u32, y as u32, 1]));
        }
        rec.dispatch(kernel, groups)
    }
}

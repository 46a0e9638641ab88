//! Conversions between the caller's element types (uint8, float16) and the f32 the kernels
//! compute in (shaders/unpack.wgsl, shaders/pack.wgsl).

use super::encode::bind;
use super::pipelines::bind_group;
use super::recording::Recording;
use super::tensor::Element;
use super::Resampler;
use crate::error::Result;

/// `Params` of shaders/unpack.wgsl and shaders/pack.wgsl.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, bytemuck::Pod, bytemuck::Zeroable)]
pub(crate) struct ConvertParams {
    count: u32,
    byte_base: u32,
    kind: u32,
    words_or_dst_base: u32,
    src_base: u32,
    _pad: [u32; 3],
}

pub(crate) fn kind(e: Element) -> u32 {
    match e {
        Element::U8 => 0,
        _ => 1,
    }
}

impl Resampler {
    /// Widen (`unpack`) `count` elements at byte `from.1` into f32 at element `to.1`, or narrow
    /// (`!unpack`) f32 at element `from.1` into `element` at byte `to.1`; in chunks that fit a
    /// binding.
    pub(crate) fn encode_convert(
        &self,
        rec: &mut Recording,
        unpack: bool,
        element: Element,
        count: usize,
        from: (&wgpu::Buffer, u64),
        to: (&wgpu::Buffer, u64),
    ) -> Result<()> {
        let lim = self.chunk_limits();
        let align_bytes = lim.align * 4;
        // Elements per chunk: a multiple of 4 (whole words of u8 and f16), fitting a binding.
        let per = ((lim.max_binding.saturating_sub(2 * lim.align)) / 4 * 4).max(4) as usize;
        let kernel = if unpack {
            &self.pipelines.unpack[kind(element) as usize]
        } else {
            &self.pipelines.pack[kind(element) as usize]
        };
        let mut groups = Vec::new();
        for e0 in (0..count).step_by(per) {
            let n = per.min(count - e0);
            let (narrow, wide) = if unpack { (from, to) } else { (to, from) };
            let nb = narrow.1 + e0 as u64 * element.size();
            let n_bind = nb / align_bytes * align_bytes;
            let n_len = (nb + n as u64 * element.size()).div_ceil(4) * 4 - n_bind;
            let wb = wide.1 + e0 as u64;
            let w_bind = wb / lim.align * lim.align;
            // The wide side is bound in whole vec4s from a vec4: an f32 scratch buffer (padded
            // to 16 bytes) at a multiple of 4 elements.
            let w_len = (wb + n as u64).div_ceil(4) * 4 - w_bind;
            if !wb.is_multiple_of(4) || (w_bind + w_len) * 4 > wide.0.size() {
                return Err(crate::error::Error::Gpu(format!(
                    "conversion scratch at element {wb} of a {}-byte buffer is not whole vec4s",
                    wide.0.size()
                )));
            }
            let params = ConvertParams {
                count: n as u32,
                byte_base: (nb - n_bind) as u32,
                kind: kind(element),
                words_or_dst_base: if unpack {
                    (wb - w_bind) as u32
                } else {
                    (n_len / 4) as u32
                },
                src_base: (wb - w_bind) as u32,
                _pad: [0; 3],
            };
            let ubuf = self.buffer_init(
                Some("resample.convert"),
                bytemuck::bytes_of(&params),
                wgpu::BufferUsages::UNIFORM,
            )?;
            let narrow_res = wgpu::BindingResource::Buffer(wgpu::BufferBinding {
                buffer: narrow.0,
                offset: n_bind,
                size: wgpu::BufferSize::new(n_len.max(4)),
            });
            let wide_res = bind(wide.0, w_bind, w_len);
            let (r1, r2) = if unpack {
                (narrow_res, wide_res)
            } else {
                (wide_res, narrow_res)
            };
            let group = bind_group(
                &self.device,
                kernel.label,
                &kernel.layout,
                [ubuf.as_entire_binding(), r1, r2],
            );
            let items = if unpack {
                n.div_ceil(4)
            } else {
                (n_len / 4) as usize
            };
            let x = items.div_ceil(64).clamp(1, lim.max_workgroups as usize) as u32;
            groups.push((group, [x, 1, 1]));
        }
        rec.dispatch(kernel, groups)
    }
}

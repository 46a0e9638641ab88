//! Interleaved image samples on the GPU (shaders/image/): unpacked into the planar f32 tensor
//! the kernels read, and the result packed back, with alpha and linear light as the image API
//! asks (`crate::image`), one plane and one band of rows per dispatch so that every binding
//! fits the device's limits.

use super::encode::{bind, padded_bytes, Operand};
use super::pipelines::bind_group;
use super::recording::Recording;
use super::tensor::Strides;
use super::Resampler;
use crate::error::{Error, Result};
use crate::plan::Plan;

crate::gpu::uniform_struct! {
    /// `PixelParams` of shaders/image/common.wgsl (see there).
    pub(crate) struct PixelParams {
        pub width: u32,
        pub rows: u32,
        pub channels: u32,
        pub stride: u32,
        pub base: u32,
        pub alpha: u32,
        pub flags: u32,
        pub max: f32,
        pub channel: u32,
        pub words: u32,
        pub colour_base: u32,
        pub alpha_base: u32,
        pub base2: u32,
        pub base3: u32,
        pub _pad0: u32,
        pub _pad1: u32,
    }
}

/// A sample type of interleaved images (`SAMPLE` of shaders/image/).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PixelSample {
    U8 = 0,
    U16 = 1,
    F16 = 2,
    F32 = 3,
}

impl PixelSample {
    pub fn bytes(self) -> u64 {
        match self {
            PixelSample::U8 => 1,
            PixelSample::U16 | PixelSample::F16 => 2,
            PixelSample::F32 => 4,
        }
    }
}

/// An interleaved image in a buffer: `height` rows of `width` pixels of `channels` samples,
/// rows `stride` samples apart, pixel (0, 0) at byte `offset` (a multiple of 4).
#[derive(Clone, Copy, Debug)]
pub struct PixelLayout {
    pub sample: PixelSample,
    pub width: usize,
    pub height: usize,
    pub channels: usize,
    pub stride: usize,
    pub offset: u64,
}

impl PixelLayout {
    /// Bytes from the image's first sample to the end of its last.
    pub fn byte_len(&self) -> u64 {
        let samples = (self.height - 1) * self.stride + self.width * self.channels;
        samples as u64 * self.sample.bytes()
    }
}

/// What happens to the values on the way (shaders/image/common.wgsl `FLAG_*`): the uint8
/// kernels' values, straight alpha premultiplied here, linear light, premultiplied input;
/// the alpha sample, if handled; full intensity (for float filtering of integer samples).
#[derive(Clone, Copy, Debug)]
pub struct PixelConversion {
    pub uint8: bool,
    pub premultiply: bool,
    pub linear_light: bool,
    pub premultiplied: bool,
    pub alpha: Option<usize>,
    pub max: f32,
}

impl PixelConversion {
    fn flags(&self) -> u32 {
        u32::from(self.uint8)
            | u32::from(self.premultiply) << 1
            | u32::from(self.linear_light) << 2
            | u32::from(self.premultiplied) << 3
    }
}

impl Resampler {
    /// Rows of a band: as many as keep a plane's band and the samples it covers within a
    /// binding.
    fn band_rows(&self, img: &PixelLayout) -> Result<usize> {
        let max = self.chunk_limits().max_binding * 4;
        let row_bytes = (img.stride as u64 * img.sample.bytes()).max(img.width as u64 * 4);
        let rows = (max.saturating_sub(512) / row_bytes.max(1)) as usize;
        if rows == 0 {
            return Err(Error::limit(
                "max_storage_buffer_binding_size",
                format!("one row of {row_bytes} bytes of the image exceeds a binding"),
            ));
        }
        Ok(rows.min(img.height))
    }

    /// The bound words of band `y0..y0 + rows` of `img` in `buffer` (start in elements,
    /// aligned; length) and the band's first sample within them.
    fn band_words(&self, img: &PixelLayout, y0: usize, rows: usize) -> ((u64, u64), u32) {
        let align = self.chunk_limits().align;
        let first = img.offset + (y0 * img.stride) as u64 * img.sample.bytes();
        let band = PixelLayout {
            height: rows,
            ..*img
        };
        let end = first + band.byte_len();
        let start = first / 4 / align * align;
        let len = end.div_ceil(4) - start;
        (
            (start, len),
            ((first - start * 4) / img.sample.bytes()) as u32,
        )
    }

    /// The binding of plane `c`'s band of rows `y0..y0 + rows` in a planar tensor of
    /// `plane` values per plane (start aligned, length) and the band's first value in it.
    fn plane_band(&self, plane: u64, c: usize, first: u64, values: u64) -> ((u64, u64), u32) {
        let align = self.chunk_limits().align;
        let at = c as u64 * plane + first;
        let start = at / align * align;
        ((start, at + values - start), (at - start) as u32)
    }

    fn pixel_params(&self, img: &PixelLayout, conv: &PixelConversion, rows: usize) -> PixelParams {
        PixelParams {
            width: img.width as u32,
            rows: rows as u32,
            channels: img.channels as u32,
            stride: img.stride as u32,
            alpha: conv.alpha.map_or(4, |a| a as u32),
            flags: conv.flags(),
            max: if conv.uint8 { 1.0 } else { conv.max },
            ..PixelParams::default()
        }
    }

    /// Workgroups for `items` lanes of 64: x up to the limit, then y.
    fn lanes(&self, items: u64) -> [u32; 3] {
        let groups = items.div_ceil(64).max(1);
        let max = u64::from(self.limits.max_compute_workgroups_per_dimension);
        let x = groups.min(max);
        [x as u32, groups.div_ceil(x) as u32, 1]
    }

    /// Planes of `img` in the planar tensor the unpack kernel writes: one every so many
    /// values, a multiple of the storage offset alignment, so that the four planes' bindings
    /// (writable, so never overlapping: WebGPU forbids it) start at their own plane.
    pub(crate) fn plane_stride(&self, img: &PixelLayout) -> u64 {
        let align = self.chunk_limits().align;
        ((img.width * img.height) as u64).div_ceil(align) * align
    }

    /// Unpack `img` in `src` into the planar f32 tensor in `planes` (element 0 on, planes
    /// [`Resampler::plane_stride`] apart).
    pub(crate) fn encode_pixels_unpack(
        &self,
        rec: &mut Recording,
        img: &PixelLayout,
        conv: &PixelConversion,
        src: &wgpu::Buffer,
        planes: &wgpu::Buffer,
    ) -> Result<()> {
        let kernel = &self
            .pipelines
            .image(&self.device, false, img.sample as u32)?;
        let rows = self.band_rows(img)?;
        let plane = self.plane_stride(img);
        // Planes past the image's channels are bound to slots of a small buffer of their own,
        // one aligned slot each (writable bindings may not overlap), and never written.
        let align = self.chunk_limits().align;
        let spare = self.scratch((4 * align) as usize)?;
        let mut groups = Vec::new();
        for y0 in (0..img.height).step_by(rows) {
            let n = rows.min(img.height - y0);
            let (words, base) = self.band_words(img, y0, n);
            let values = (n * img.width) as u64;
            let bands: Vec<((u64, u64), u32)> = (0..4)
                .map(|c| self.plane_band(plane, c, (y0 * img.width) as u64, values))
                .collect();
            let params = PixelParams {
                base,
                colour_base: bands[0].1,
                alpha_base: bands[1].1,
                base2: bands[2].1,
                base3: bands[3].1,
                ..self.pixel_params(img, conv, n)
            };
            let ubuf = self.buffer_init(
                Some("resample.image"),
                bytemuck::bytes_of(&params),
                wgpu::BufferUsages::UNIFORM,
            )?;
            let plane_binding = |c: usize| {
                if c < img.channels {
                    bind(planes, bands[c].0 .0, bands[c].0 .1)
                } else {
                    bind(&spare, c as u64 * align, 4)
                }
            };
            let group = bind_group(
                &self.device,
                kernel.label,
                &kernel.layout,
                [
                    ubuf.as_entire_binding(),
                    bind(src, words.0, words.1),
                    plane_binding(0),
                    plane_binding(1),
                    plane_binding(2),
                    plane_binding(3),
                ],
            );
            groups.push((group, self.lanes(values)));
        }
        rec.dispatch(kernel, groups)
    }

    /// Pack the planar f32 tensor in `planes` into `img` in `dst`.
    pub(crate) fn encode_pixels_pack(
        &self,
        rec: &mut Recording,
        img: &PixelLayout,
        conv: &PixelConversion,
        planes: &wgpu::Buffer,
        dst: &wgpu::Buffer,
    ) -> Result<()> {
        let kernel = &self
            .pipelines
            .image(&self.device, true, img.sample as u32)?;
        let rows = self.band_rows(img)?;
        let plane = (img.width * img.height) as u64;
        let mut groups = Vec::new();
        for y0 in (0..img.height).step_by(rows) {
            let n = rows.min(img.height - y0);
            let (words, base) = self.band_words(img, y0, n);
            let band = |c: usize| {
                self.plane_band(plane, c, (y0 * img.width) as u64, (n * img.width) as u64)
            };
            for c in 0..img.channels {
                let (colour, colour_base) = band(c);
                let (alpha, alpha_base) = band(conv.alpha.unwrap_or(c));
                let params = PixelParams {
                    base,
                    channel: c as u32,
                    words: words.1 as u32,
                    colour_base,
                    alpha_base,
                    ..self.pixel_params(img, conv, n)
                };
                let ubuf = self.buffer_init(
                    Some("resample.image"),
                    bytemuck::bytes_of(&params),
                    wgpu::BufferUsages::UNIFORM,
                )?;
                let group = bind_group(
                    &self.device,
                    kernel.label,
                    &kernel.layout,
                    [
                        ubuf.as_entire_binding(),
                        bind(planes, colour.0, colour.1),
                        bind(planes, alpha.0, alpha.1),
                        bind(dst, words.0, words.1),
                    ],
                );
                groups.push((group, self.lanes(words.1)));
            }
        }
        rec.dispatch(kernel, groups)
    }

    /// Record `plan` (planes of one image: its channels) from the image `src` in `src_buf` to
    /// the image `dst` in `dst_buf`, through planar f32 scratch tensors.
    pub(crate) fn encode_pixels(
        &self,
        rec: &mut Recording,
        plan: &Plan,
        (src, src_buf): (&PixelLayout, &wgpu::Buffer),
        (dst, dst_buf): (&PixelLayout, &wgpu::Buffer),
        conv: &PixelConversion,
        clamp: Option<crate::options::Clamp>,
    ) -> Result<()> {
        let stride = self.plane_stride(src);
        let planes_in = self.scratch(plan.planes * stride as usize)?;
        let planes_out = self.scratch(plan.planes * dst.width * dst.height)?;
        self.encode_pixels_unpack(rec, src, conv, src_buf, &planes_in)?;
        let plan = plan.with_identity_pass();
        let in_strides = Strides {
            n: stride,
            c: stride,
            ..Strides::contiguous(1, plan.in_dims)
        };
        self.encode_plan(
            rec,
            &plan,
            1,
            Operand::f32(&planes_in, 0, in_strides),
            Operand::f32(&planes_out, 0, Strides::contiguous(1, plan.out_dims)),
            clamp,
        )?;
        self.encode_pixels_pack(rec, dst, conv, &planes_out, dst_buf)
    }

    /// The embedding path of the image API: `call` from the image `src` to the image `dst`
    /// in the caller's buffers, checked (usage, alignment, room, two buffers, what the call
    /// needs) before anything is recorded; errors inside a scope of ours.
    pub(crate) fn prepare_pixels(
        &self,
        call: &crate::plan::Call,
        (src, src_buf): (&PixelLayout, &wgpu::Buffer),
        (dst, dst_buf): (&PixelLayout, &wgpu::Buffer),
        conv: &PixelConversion,
    ) -> Result<Recording> {
        self.check_alive()?;
        for (img, buf, name) in [(src, src_buf, "src"), (dst, dst_buf, "dst")] {
            if !buf.usage().contains(wgpu::BufferUsages::STORAGE) {
                return Err(Error::input(name, "the buffer needs STORAGE usage"));
            }
            if !img.offset.is_multiple_of(4) {
                return Err(Error::input(
                    name,
                    format!("offset {} is not a multiple of 4 bytes", img.offset),
                ));
            }
            let end = img.offset.saturating_add(img.byte_len().div_ceil(4) * 4);
            if end > buf.size() {
                return Err(Error::input(
                    name,
                    format!(
                        "the image's {} bytes at offset {} do not fit a buffer of {} bytes",
                        img.byte_len(),
                        img.offset,
                        buf.size()
                    ),
                ));
            }
        }
        if src_buf == dst_buf {
            return Err(Error::input(
                "dst",
                "is in the same buffer as src: wgpu cannot bind one buffer for reading and \
                 writing in one dispatch; use two buffers",
            ));
        }
        let planar = (src.width * src.height + dst.width * dst.height) * src.channels * 4;
        self.check_call(call, planar as u64)?;
        let mut rec = Recording::new(&self.limits);
        self.scoped(|| {
            let plan = call.plan();
            self.encode_pixels(
                &mut rec,
                &plan,
                (src, src_buf),
                (dst, dst_buf),
                conv,
                call.clamp(),
            )?;
            Ok(rec)
        })
    }

    /// The host path of the image API: `bytes` (the image `src`, from byte 0) through `plan`
    /// into a tightly packed image `dst`, read back.
    pub(crate) async fn run_pixels(
        &self,
        plan: &Plan,
        bytes: &[u8],
        src: &PixelLayout,
        dst: &PixelLayout,
        conv: &PixelConversion,
        clamp: Option<crate::options::Clamp>,
    ) -> Result<Vec<u8>> {
        self.check_alive()?;
        let usage = wgpu::BufferUsages::STORAGE;
        let mut padded = bytes.to_vec();
        padded.resize(padded_bytes(bytes.len() as u64) as usize, 0);
        let src_buf = self.buffer_init(Some("resample.image.input"), &padded, usage)?;
        let out_bytes = padded_bytes(dst.byte_len());
        let dst_buf = self.device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("resample.image.output"),
            size: out_bytes,
            usage: usage | wgpu::BufferUsages::COPY_SRC,
            mapped_at_creation: false,
        });
        let staging = self.device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("resample.image.readback"),
            size: out_bytes,
            usage: wgpu::BufferUsages::MAP_READ | wgpu::BufferUsages::COPY_DST,
            mapped_at_creation: false,
        });
        let oom = self.device.push_error_scope(wgpu::ErrorFilter::OutOfMemory);
        let val = self.device.push_error_scope(wgpu::ErrorFilter::Validation);
        let mut rec = Recording::new(&self.limits);
        let recorded = self
            .encode_pixels(
                &mut rec,
                plan,
                (src, &src_buf),
                (dst, &dst_buf),
                conv,
                clamp,
            )
            .and_then(|()| rec.copy((&dst_buf, 0), (&staging, 0), out_bytes));
        if recorded.is_ok() {
            let mut encoder = self
                .device
                .create_command_encoder(&wgpu::CommandEncoderDescriptor {
                    label: Some("resample.image"),
                });
            rec.record(&mut encoder);
            self.queue.submit([encoder.finish()]);
        }
        let mut out = Vec::new();
        let read = match recorded {
            Ok(()) => {
                let len = dst.byte_len();
                super::readback::read_with(&self.device, &staging, len.div_ceil(4) * 4, |b| {
                    out.extend_from_slice(&b[..len as usize])
                })
                .await
            }
            Err(e) => Err(e),
        };
        let val = val.pop().await;
        let oom = oom.pop().await;
        if let Some(e) = oom.or(val) {
            return Err(super::recording::scope_error(e));
        }
        self.check_alive()?;
        read.map(|()| out)
    }
}

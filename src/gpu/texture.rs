//! Resizing `wgpu::Texture`s and filling mip chains.
//!
//! A texture level is copied into a buffer (`copy_texture_to_buffer`), decoded to f32
//! channels-last (sRGB formats to linear light), resized by the same plan as any tensor
//! (N=1, C=4 or 1, H, W), encoded back and copied into the destination level. Only layer 0 of
//! 2-D textures; the source needs `COPY_SRC` usage, the destination `COPY_DST`.

use super::encode::Operand;
use super::pipelines::bind_group;
use super::recording::Recording;
use super::tensor::Strides;
use super::Resampler;
use crate::error::{Error, Result};
use crate::options::{Mode, Options};
use crate::plan::{Call, DType};

/// The texel formats the texture path reads and writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TexelFormat {
    Rgba8Unorm,
    /// Filtered in linear light: decoded before, encoded after.
    Rgba8UnormSrgb,
    Rgba16Float,
    Rgba32Float,
    R32Float,
}

impl TexelFormat {
    pub fn of(format: wgpu::TextureFormat) -> Result<TexelFormat> {
        Ok(match format {
            wgpu::TextureFormat::Rgba8Unorm => TexelFormat::Rgba8Unorm,
            wgpu::TextureFormat::Rgba8UnormSrgb => TexelFormat::Rgba8UnormSrgb,
            wgpu::TextureFormat::Rgba16Float => TexelFormat::Rgba16Float,
            wgpu::TextureFormat::Rgba32Float => TexelFormat::Rgba32Float,
            wgpu::TextureFormat::R32Float => TexelFormat::R32Float,
            f => {
                return Err(Error::input(
                    "texture",
                    format!("format {f:?} is not supported (rgba8unorm, rgba8unorm-srgb, rgba16float, rgba32float, r32float)"),
                ))
            }
        })
    }
    /// The code the texel shaders switch on.
    fn code(self) -> u32 {
        match self {
            TexelFormat::Rgba8Unorm => 0,
            TexelFormat::Rgba8UnormSrgb => 1,
            TexelFormat::Rgba16Float => 2,
            TexelFormat::Rgba32Float => 3,
            TexelFormat::R32Float => 4,
        }
    }
    pub fn bytes_per_texel(self) -> u32 {
        match self {
            TexelFormat::Rgba8Unorm | TexelFormat::Rgba8UnormSrgb | TexelFormat::R32Float => 4,
            TexelFormat::Rgba16Float => 8,
            TexelFormat::Rgba32Float => 16,
        }
    }
    pub fn channels(self) -> usize {
        if self == TexelFormat::R32Float {
            1
        } else {
            4
        }
    }

    /// CPU twin of convert/texels_unpack.wgsl for one texel's bytes.
    pub fn decode(self, b: &[u8]) -> Vec<f32> {
        let f = |i: usize| f32::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]);
        match self {
            TexelFormat::Rgba8Unorm => b[..4].iter().map(|&v| v as f32 / 255.0).collect(),
            TexelFormat::Rgba8UnormSrgb => b[..4]
                .iter()
                .enumerate()
                .map(|(i, &v)| {
                    let c = v as f32 / 255.0;
                    if i == 3 {
                        c
                    } else if c <= 0.04045 {
                        c / 12.92
                    } else {
                        ((c + 0.055) / 1.055).powf(2.4)
                    }
                })
                .collect(),
            TexelFormat::Rgba16Float => (0..4)
                .map(|i| half::f16::from_le_bytes([b[2 * i], b[2 * i + 1]]).to_f32())
                .collect(),
            TexelFormat::Rgba32Float => (0..4).map(|i| f(4 * i)).collect(),
            TexelFormat::R32Float => vec![f(0)],
        }
    }
}

#[repr(C)]
#[derive(Clone, Copy, Debug, Default, bytemuck::Pod, bytemuck::Zeroable)]
struct TexelParams {
    width: u32,
    height: u32,
    row_words: u32,
    format: u32,
    base: u32,
    _pad: [u32; 3],
}

fn level_size(t: &wgpu::Texture, mip: u32) -> (u32, u32) {
    ((t.width() >> mip).max(1), (t.height() >> mip).max(1))
}

fn check_texture(
    t: &wgpu::Texture,
    mip: u32,
    name: &'static str,
    usage: wgpu::TextureUsages,
) -> Result<TexelFormat> {
    if t.dimension() != wgpu::TextureDimension::D2 {
        return Err(Error::input(name, "only 2-D textures are supported"));
    }
    if mip >= t.mip_level_count() {
        return Err(Error::input(
            name,
            format!(
                "mip level {mip} of a texture with {} levels",
                t.mip_level_count()
            ),
        ));
    }
    if !t.usage().contains(usage) {
        return Err(Error::input(
            name,
            format!("texture needs {usage:?} usage, has {:?}", t.usage()),
        ));
    }
    if t.sample_count() != 1 {
        return Err(Error::input(
            name,
            "multisampled textures are not supported",
        ));
    }
    TexelFormat::of(t.format())
}

impl Resampler {
    /// Record the resize of level `src_mip` of `src` into level `dst_mip` of `dst` (layer 0).
    /// `options` must produce exactly the destination level's size; any 2-D mode works.
    #[allow(clippy::too_many_arguments)]
    pub fn encode_texture(
        &self,
        encoder: &mut wgpu::CommandEncoder,
        src: &wgpu::Texture,
        src_mip: u32,
        dst: &wgpu::Texture,
        dst_mip: u32,
        options: &Options,
    ) -> Result<()> {
        self.prepare_texture(src, src_mip, dst, dst_mip, options)?
            .record(encoder);
        Ok(())
    }

    /// The commands of [`Resampler::encode_texture`], every size checked first.
    fn prepare_texture(
        &self,
        src: &wgpu::Texture,
        src_mip: u32,
        dst: &wgpu::Texture,
        dst_mip: u32,
        options: &Options,
    ) -> Result<Recording> {
        let sf = check_texture(src, src_mip, "src", wgpu::TextureUsages::COPY_SRC)?;
        let df = check_texture(dst, dst_mip, "dst", wgpu::TextureUsages::COPY_DST)?;
        if sf.channels() != df.channels() {
            return Err(Error::input(
                "dst",
                format!("{sf:?} and {df:?} have different channel counts"),
            ));
        }
        let c = sf.channels();
        let (w, h) = level_size(src, src_mip);
        let (ow, oh) = level_size(dst, dst_mip);
        let call = Call::forward(options, &[1, c, h as usize, w as usize], DType::F32)?;
        let out = call.dst_shape();
        if out[2..] != [oh as usize, ow as usize] {
            return Err(Error::input(
                "dst",
                format!(
                    "level {dst_mip} is {ow}x{oh} but the options give {}x{}",
                    out[3], out[2]
                ),
            ));
        }
        // Every size and buffer checked, and every command made, before anything is recorded.
        let (in_bands, out_bands) = (self.bands(w, h, sf)?, self.bands(ow, oh, df)?);
        self.check_call(&call, 0)?;
        let plan = call.plan().with_identity_pass();
        self.scoped(|| {
            let mut rec = Recording::new(self.limits());
            let wide_in = self.texture_to_f32(&mut rec, src, src_mip, sf, in_bands)?;
            let wide_out = self.scratch_f32(c * (ow * oh) as usize)?;
            self.encode_plan(
                &mut rec,
                &plan,
                c,
                Operand::f32(
                    &wide_in,
                    0,
                    Strides::channels_last(c, [1, h as usize, w as usize]),
                ),
                Operand::f32(
                    &wide_out,
                    0,
                    Strides::channels_last(c, [1, oh as usize, ow as usize]),
                ),
                call.clamp(),
            )?;
            self.f32_to_texture(&mut rec, &wide_out, dst, dst_mip, df, out_bands)?;
            Ok(rec)
        })
    }

    /// Fill levels 1.. of `texture`'s mip chain, each from the one above, with an antialiased
    /// filter (`Mode::Bilinear`, `Mode::Bicubic` or `Mode::Lanczos`). The texture needs
    /// `COPY_SRC | COPY_DST` usage.
    pub fn generate_mips(
        &self,
        encoder: &mut wgpu::CommandEncoder,
        texture: &wgpu::Texture,
        filter: Mode,
    ) -> Result<()> {
        if !matches!(filter, Mode::Bilinear | Mode::Bicubic | Mode::Lanczos) {
            return Err(Error::arg(
                "filter",
                format!("mip filters are bilinear, bicubic or lanczos (antialiased), not {filter}"),
            ));
        }
        // Every level prepared before any is recorded.
        let levels = (1..texture.mip_level_count())
            .map(|level| {
                let (w, h) = level_size(texture, level);
                let o = Options::new(filter)
                    .size([h as usize, w as usize])
                    .antialias(true);
                self.prepare_texture(texture, level - 1, texture, level, &o)
            })
            .collect::<Result<Vec<_>>>()?;
        for rec in levels {
            rec.record(encoder);
        }
        Ok(())
    }

    fn scratch_f32(&self, elements: usize) -> Result<wgpu::Buffer> {
        let bytes = (elements as u64 * 4).max(4);
        if bytes > self.limits().max_buffer_size {
            return Err(Error::limit(
                "max_buffer_size",
                format!("a texture level needs {bytes} bytes as f32"),
            ));
        }
        Ok(self.device().create_buffer(&wgpu::BufferDescriptor {
            label: Some("resample.texels.f32"),
            size: super::encode::padded_bytes(bytes),
            usage: wgpu::BufferUsages::STORAGE,
            mapped_at_creation: false,
        }))
    }

    /// Row bands of a level such that both the texel rows and the f32 rows fit a binding.
    fn bands(&self, w: u32, h: u32, fmt: TexelFormat) -> Result<(u64, u32)> {
        let bpr = (w as u64 * fmt.bytes_per_texel() as u64).div_ceil(256) * 256;
        let f32_row = w as u64 * fmt.channels() as u64 * 4;
        let room = self
            .limits()
            .max_storage_buffer_binding_size
            .saturating_sub(self.limits().min_storage_buffer_offset_alignment as u64);
        let rows = (room / bpr.max(f32_row))
            .min(h as u64)
            .min(self.limits().max_compute_workgroups_per_dimension as u64)
            as u32;
        if rows == 0 {
            return Err(Error::limit(
                "max_storage_buffer_binding_size",
                format!("one row of a {w}-texel-wide level"),
            ));
        }
        let staging = bpr * h as u64;
        let wide = f32_row * h as u64;
        if staging.max(wide) > self.limits().max_buffer_size {
            return Err(Error::limit(
                "max_buffer_size",
                format!(
                    "a {w}x{h} level needs {staging} bytes of texels and {wide} as f32, more than \
                     the adapter's max_buffer_size of {}",
                    self.limits().max_buffer_size
                ),
            ));
        }
        Ok((bpr, rows))
    }

    fn texture_to_f32(
        &self,
        rec: &mut Recording,
        t: &wgpu::Texture,
        mip: u32,
        fmt: TexelFormat,
        (bpr, rows): (u64, u32),
    ) -> Result<wgpu::Buffer> {
        let (w, h) = level_size(t, mip);
        let texels = self.device().create_buffer(&wgpu::BufferDescriptor {
            label: Some("resample.texels"),
            size: bpr * h as u64,
            usage: wgpu::BufferUsages::STORAGE | wgpu::BufferUsages::COPY_DST,
            mapped_at_creation: false,
        });
        rec.texels(false, t, mip, &texels, bpr as u32, (w, h))?;
        let wide = self.scratch_f32(fmt.channels() * (w * h) as usize)?;
        self.texel_pass(rec, true, &texels, &wide, w, h, bpr, rows, fmt)?;
        Ok(wide)
    }

    fn f32_to_texture(
        &self,
        rec: &mut Recording,
        wide: &wgpu::Buffer,
        t: &wgpu::Texture,
        mip: u32,
        fmt: TexelFormat,
        (bpr, rows): (u64, u32),
    ) -> Result<()> {
        let (w, h) = level_size(t, mip);
        let texels = self.device().create_buffer(&wgpu::BufferDescriptor {
            label: Some("resample.texels"),
            size: bpr * h as u64,
            usage: wgpu::BufferUsages::STORAGE | wgpu::BufferUsages::COPY_SRC,
            mapped_at_creation: false,
        });
        self.texel_pass(rec, false, wide, &texels, w, h, bpr, rows, fmt)?;
        rec.texels(true, t, mip, &texels, bpr as u32, (w, h))
    }

    /// Decode (`unpack`: texels -> f32) or encode (f32 -> texels) in row bands.
    #[allow(clippy::too_many_arguments)]
    fn texel_pass(
        &self,
        rec: &mut Recording,
        unpack: bool,
        from: &wgpu::Buffer,
        to: &wgpu::Buffer,
        w: u32,
        h: u32,
        bpr: u64,
        rows: u32,
        fmt: TexelFormat,
    ) -> Result<()> {
        let kernel = if unpack {
            &self.pipelines().texels_unpack
        } else {
            &self.pipelines().texels_pack
        };
        let align = self.limits().min_storage_buffer_offset_alignment as u64;
        let f32_row = w as u64 * fmt.channels() as u64 * 4;
        let mut groups = Vec::new();
        for y0 in (0..h).step_by(rows as usize) {
            let n = rows.min(h - y0);
            let t_range = (y0 as u64 * bpr, n as u64 * bpr);
            let f_start = y0 as u64 * f32_row;
            let f_bind = f_start / align * align;
            let f_range = (f_bind, f_start + n as u64 * f32_row - f_bind);
            let params = TexelParams {
                width: w,
                height: n,
                row_words: (bpr / 4) as u32,
                format: fmt.code(),
                base: ((f_start - f_bind) / 4) as u32,
                _pad: [0; 3],
            };
            let ubuf = self.buffer_init(
                Some("resample.texels"),
                bytemuck::bytes_of(&params),
                wgpu::BufferUsages::UNIFORM,
            )?;
            let (r1, r2) = if unpack {
                (part(from, t_range), part(to, f_range))
            } else {
                (part(from, f_range), part(to, t_range))
            };
            let group = bind_group(
                self.device(),
                kernel.label,
                &kernel.layout,
                [ubuf.as_entire_binding(), r1, r2],
            );
            groups.push((group, [w.div_ceil(64), n, 1]));
        }
        rec.dispatch(kernel, groups)
    }
}

fn part(buffer: &wgpu::Buffer, (offset, len): (u64, u64)) -> wgpu::BindingResource<'_> {
    wgpu::BindingResource::Buffer(wgpu::BufferBinding {
        buffer,
        offset,
        size: wgpu::BufferSize::new(len.max(4)),
    })
}

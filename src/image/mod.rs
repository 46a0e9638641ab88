//! Images as apps hold them: interleaved 8/16-bit integer or 16/32-bit float pixels with
//! alpha, resized with torch's filters on the GPU or on the CPU reference.
//!
//! ```no_run
//! use wgpu_resample::image::{resize, Engine, ImageOptions, ImageRef, Pixels, Size};
//! # fn main() -> wgpu_resample::Result<()> {
//! let (rgba, width, height) = (vec![0u8; 4032 * 3024 * 4], 4032, 3024);
//! let gpu = wgpu_resample::Resampler::new_default()?;
//! let src = ImageRef::new(Pixels::U8(&rgba), width, height, 4)?;
//! let options = ImageOptions::new(wgpu_resample::Mode::Bilinear).antialias(true);
//! let thumb = resize(Engine::Gpu(&gpu), &src, &options.size(Size::Fit { width: 512, height: 512 }))?;
//! # Ok(()) }
//! ```
//!
//! - **8-bit images** run torch's uint8 kernels by default ([`Filtering::Auto`]), so the
//!   result equals `F.interpolate` on the uint8 tensor; float filtering is an option.
//!   16-bit images are filtered in float32 (samples / 65535), rounded half up and saturated
//!   back. f16 and f32 samples are filtered as they are.
//! - **Alpha** (the last sample of 2- and 4-channel images) is premultiplied before
//!   filtering and divided out after ([`Alpha::Premultiply`], the default): in 8 bits for the
//!   uint8 kernels (`round(c * a / 255)`, Pillow's `RGBa`), in float otherwise. A pixel
//!   whose filtered alpha is 0 comes out with colour 0. [`Alpha::Premultiplied`] says the
//!   input is premultiplied already (the output is too); [`Alpha::Ignore`] filters alpha as
//!   any other channel.
//! - **Linear light** (opt-in): sRGB is decoded to linear light before filtering and encoded
//!   after, in float (8-bit images then use float filtering: no round trip through 8 bits).
//! - **Where**: [`Engine::Gpu`] uploads the samples as they are and converts them on the GPU
//!   (shaders/image/), except on CPU adapters (lavapipe), where the host converts (the same
//!   processor, and faster than kernels of scattered accesses there); [`encode`] converts on
//!   the GPU between images in the caller's buffers; [`Engine::Reference`] converts on the CPU
//!   in f64.
//! - **Sizes** follow a [`Size`] policy; a [`Rect`] of the source (fractional edges) and a
//!   window of the output choose what is resampled and what is computed: windows put side
//!   by side equal the whole result (tiles).
//!
//! Conversions to and from the `image` crate's types are behind the `image` feature.

mod light;
mod pixels;
mod size;

#[cfg(feature = "image")]
mod external;

pub use light::{linear_to_srgb, srgb_to_linear};
pub use pixels::{ImageBuf, ImageMut, ImageRef, PixelVec, Pixels, PixelsMut, Sample};
pub use size::{Rect, Size};

use crate::error::{Error, Result};
use crate::gpu::{Input, Resampler};
use crate::options::{Mode, Options};
use crate::plan::{Call, DType};

/// What alpha means (the last sample of 2- and 4-channel images).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Alpha {
    /// Straight alpha: colour is multiplied by alpha before filtering and divided by it
    /// after.
    #[default]
    Premultiply,
    /// The colour is premultiplied already: filtered as it is, and the output is too.
    Premultiplied,
    /// No alpha handling: alpha is filtered as any other channel.
    Ignore,
}

/// How 8-bit images are filtered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Filtering {
    /// torch's uint8 kernels where the mode has them and linear light is off, else float.
    #[default]
    Auto,
    /// torch's uint8 kernels (an error for modes without one, with linear light, or for other
    /// sample types).
    Uint8,
    /// float32, the samples scaled to `[0, 1]`.
    Float,
}

/// Where the filtering runs.
#[derive(Clone, Copy)]
pub enum Engine<'a> {
    /// On the GPU, through [`Resampler`]'s host API.
    Gpu(&'a Resampler),
    /// On the CPU reference (f64).
    Reference,
}

/// What to do with an image: torch's mode and flags, a size policy, alpha, linear light, and
/// which rectangles.
#[derive(Clone, Debug)]
pub struct ImageOptions {
    pub mode: Mode,
    pub antialias: bool,
    pub align_corners: bool,
    pub size: Size,
    pub alpha: Alpha,
    pub linear_light: bool,
    pub filtering: Filtering,
    /// Clamp float results to `[0, 1]` before alpha is divided out and sRGB encoded (integer
    /// samples are saturated anyway).
    pub clamp: bool,
    pub source: Option<Rect<f64>>,
    pub window: Option<Rect<usize>>,
}

impl ImageOptions {
    /// `mode` to the source's own size, until [`ImageOptions::size`] says otherwise.
    pub fn new(mode: Mode) -> ImageOptions {
        ImageOptions {
            mode,
            antialias: false,
            align_corners: false,
            size: Size::Scale { x: 1.0, y: 1.0 },
            alpha: Alpha::Premultiply,
            linear_light: false,
            filtering: Filtering::Auto,
            clamp: false,
            source: None,
            window: None,
        }
    }
    pub fn size(mut self, size: Size) -> Self {
        self.size = size;
        self
    }
    pub fn antialias(mut self, on: bool) -> Self {
        self.antialias = on;
        self
    }
    pub fn align_corners(mut self, on: bool) -> Self {
        self.align_corners = on;
        self
    }
    pub fn alpha(mut self, alpha: Alpha) -> Self {
        self.alpha = alpha;
        self
    }
    pub fn linear_light(mut self, on: bool) -> Self {
        self.linear_light = on;
        self
    }
    pub fn filtering(mut self, f: Filtering) -> Self {
        self.filtering = f;
        self
    }
    pub fn clamp(mut self, on: bool) -> Self {
        self.clamp = on;
        self
    }
    /// Resample the source rectangle `r` (in source pixels, fractional edges allowed): the
    /// size policy applies to its size, and the sampling covers it, reading the pixels
    /// around it as the whole image's resize would. Its left (top) edge must fall on an
    /// output pixel boundary of the scale `r.width / output width`, as a tile's does.
    pub fn source(mut self, r: Rect<f64>) -> Self {
        self.source = Some(r);
        self
    }
    /// Compute only this rectangle of the output (after the size policy): the same pixels as
    /// that part of the whole result.
    pub fn window(mut self, r: Rect<usize>) -> Self {
        self.window = Some(r);
        self
    }
}

/// A call made ready: the torch call (with its window) and the value handling.
pub(crate) struct Prepared {
    call: Call,
    uint8: bool,
    alpha: Alpha,
    linear_light: bool,
    channels: usize,
    out: (usize, usize),
}

impl Prepared {
    /// The alpha sample's index, where alpha is handled (premultiplied here or already).
    fn alpha_channel(&self) -> Option<usize> {
        (matches!(self.channels, 2 | 4) && self.alpha != Alpha::Ignore).then_some(self.channels - 1)
    }
}

/// What the call depends on of an image: its size, channels and sample type.
#[derive(Clone, Copy)]
struct Dims {
    width: usize,
    height: usize,
    channels: usize,
    sample: Sample,
}

impl From<&ImageRef<'_>> for Dims {
    fn from(i: &ImageRef<'_>) -> Dims {
        Dims {
            width: i.width,
            height: i.height,
            channels: i.channels,
            sample: i.pixels.sample(),
        }
    }
}

/// Check everything about `o` on an image of `src`'s dimensions and build the call, before
/// any pixel is touched.
fn prepare(src: Dims, o: &ImageOptions) -> Result<Prepared> {
    let uint8 = uses_uint8(src.sample, o)?;
    let area = source_area(src, o)?;
    let sized = o.size.apply((area.width, area.height))?;
    let keep = kept(sized.keep, o.window)?;
    let (fw, fh) = sized.full;
    let mut options = Options::new(o.mode).antialias(o.antialias);
    if o.align_corners {
        // Only set when true: torch rejects align_corners=False with the other modes too.
        options = options.align_corners(true);
    }
    options = match o.size {
        Size::Scale { x, y } => options.scale_factor([y, x]),
        _ => options.size([fh, fw]),
    };
    if o.clamp && !uint8 {
        options = options.clamp(0.0, 1.0);
    }
    // torch's rules on the shape whose size the policy took (the source rectangle's, rounded
    // up, for a rectangle).
    let (rh, rw) = (area.height.ceil() as usize, area.width.ceil() as usize);
    let mut g = options.resolve(&[1, src.channels, rh, rw])?;
    g.input = vec![src.height, src.width];
    let start = match o.source {
        None => [0, 0],
        Some(_) => sample_rectangle(&mut g, src, (area, [fh, fw]), o)?,
    };
    let range = |s: usize, at: usize, len: usize| -> Result<std::ops::Range<usize>> {
        let a = s.checked_add(at).ok_or_else(|| {
            Error::arg("source", "the rectangle is too far from the image's edge")
        })?;
        Ok(a..a.saturating_add(len))
    };
    let dtype = if uint8 { DType::U8 } else { DType::F32 };
    let call = Call::forward_geometry(g, dtype)?.with_window(vec![
        range(start[0], keep.y, keep.height)?,
        range(start[1], keep.x, keep.width)?,
    ])?;
    Ok(Prepared {
        call,
        uint8,
        alpha: o.alpha,
        linear_light: o.linear_light,
        channels: src.channels,
        out: (keep.width, keep.height),
    })
}

/// Whether the call runs torch's uint8 kernels (see [`Filtering`]).
fn uses_uint8(sample: Sample, o: &ImageOptions) -> Result<bool> {
    Ok(match o.filtering {
        Filtering::Float => false,
        Filtering::Auto => sample == Sample::U8 && !o.linear_light && o.mode.supports_u8(),
        Filtering::Uint8 => {
            if sample != Sample::U8 || o.linear_light {
                return Err(Error::arg(
                    "filtering",
                    "the uint8 kernels take 8-bit samples without linear light",
                ));
            }
            true
        }
    })
}

/// The part of the source the size policy applies to: the whole image, or its rectangle.
fn source_area(src: Dims, o: &ImageOptions) -> Result<Rect<f64>> {
    let (w, h) = (src.width as f64, src.height as f64);
    match o.source {
        None => Ok(Rect {
            x: 0.0,
            y: 0.0,
            width: w,
            height: h,
        }),
        Some(_) if o.align_corners => Err(Error::arg(
            "source",
            "align_corners maps corners to corners: it takes the whole image",
        )),
        Some(r) => {
            let inside = r.x >= 0.0 && r.y >= 0.0 && r.x + r.width <= w && r.y + r.height <= h;
            if r.width > 0.0 && r.height > 0.0 && inside {
                Ok(r)
            } else {
                Err(Error::arg(
                    "source",
                    format!("{r:?} is not a non-empty rectangle inside the {w}x{h} image"),
                ))
            }
        }
    }
}

/// The output rectangle computed: what the policy keeps, or the caller's window of it.
fn kept(keep: Rect<usize>, window: Option<Rect<usize>>) -> Result<Rect<usize>> {
    let Some(win) = window else {
        return Ok(keep);
    };
    let inside =
        |at: usize, len: usize, room: usize| at.checked_add(len).is_some_and(|e| e <= room);
    if win.width == 0
        || win.height == 0
        || !inside(win.x, win.width, keep.width)
        || !inside(win.y, win.height, keep.height)
    {
        return Err(Error::arg(
            "window",
            format!(
                "{win:?} is not a non-empty rectangle inside the {}x{} output",
                keep.width, keep.height
            ),
        ));
    }
    Ok(Rect {
        x: keep.x + win.x,
        y: keep.y + win.y,
        ..win
    })
}

/// A source rectangle `area` resized to `full` (H, W) in `g` (the whole image's input): the
/// whole image sampled at the rectangle's scale, of which the outputs from the rectangle's
/// edge on are computed. Sets the outputs and scales; returns the first output of each axis.
fn sample_rectangle(
    g: &mut crate::options::Geometry,
    src: Dims,
    (area, full): (Rect<f64>, [usize; 2]),
    o: &ImageOptions,
) -> Result<[usize; 2]> {
    let mut start = [0usize; 2];
    for (a, (edge, len)) in [(area.y, area.height), (area.x, area.width)]
        .into_iter()
        .enumerate()
    {
        let step = match o.size {
            Size::Scale { x, y } => 1.0 / [y, x][a],
            _ => len / full[a] as f64,
        };
        let k = edge / step;
        let whole = |v: f64| v.is_finite() && (v - v.round()).abs() <= 1e-9 * v.abs().max(1.0);
        if !whole(k) || k > u32::MAX as f64 {
            return Err(Error::arg(
                "source",
                format!(
                    "its {} edge {edge} is {k} output pixels of the scale {step} from the \
                     image's: a whole number is needed",
                    ["top", "left"][a]
                ),
            ));
        }
        start[a] = k.round() as usize;
        g.output[a] = start[a] + full[a];
        g.scales[a] = Some(1.0 / step);
        if o.mode == Mode::Area {
            // Area's windows follow the sizes (torch's adaptive pooling), not a scale: the
            // whole image must have a whole number of outputs at this scale.
            let n = [src.height, src.width][a] as f64 / step;
            if !whole(n) || (n.round() as usize) < g.output[a] {
                return Err(Error::arg(
                    "source",
                    format!(
                        "area averages windows of the whole image: at the scale {step} it has \
                         {n} outputs along the {}, not a whole number",
                        ["height", "width"][a]
                    ),
                ));
            }
            g.output[a] = n.round() as usize;
        }
    }
    Ok(start)
}

/// Resize `src` as `o` says, on `engine`: a new, tightly packed image of the same sample type
/// and channels. (Not on wasm32, where nothing may block: [`resize_async`] runs there.)
#[cfg(not(target_arch = "wasm32"))]
pub fn resize(engine: Engine<'_>, src: &ImageRef<'_>, o: &ImageOptions) -> Result<ImageBuf> {
    pollster::block_on(resize_async(engine, src, o))
}

/// [`resize`], awaiting the GPU rather than blocking on it.
pub async fn resize_async(
    engine: Engine<'_>,
    src: &ImageRef<'_>,
    o: &ImageOptions,
) -> Result<ImageBuf> {
    run_prepared(engine, src, &prepare(src.into(), o)?).await
}

/// Run a prepared call on `src`.
async fn run_prepared(engine: Engine<'_>, src: &ImageRef<'_>, p: &Prepared) -> Result<ImageBuf> {
    let sample = src.pixels.sample();
    let pixels = match engine {
        // On CPU adapters the host converts: it is the same processor, and lavapipe runs the
        // conversion kernels' scattered accesses lane by lane (2-3x slower end to end).
        Engine::Gpu(r) if !r.cpu_kernels() => gpu_resize(r, src, p).await?,
        _ => {
            let out = match engine {
                // The uint8 kernels' input is whole bytes: uploaded as bytes where the
                // kernels read them in place.
                Engine::Gpu(r) if p.uint8 && r.reads_u8_uploads(&p.call) => {
                    let planar = light::prepare_u8(src, p)
                        .unwrap_or_else(|| light::prepare(src, p, |v| v as u8));
                    r.run_call(&p.call, Input::U8(&planar)).await?
                }
                Engine::Gpu(r) => {
                    let planar = light::prepare(src, p, |v| v);
                    r.run_call(&p.call, Input::F32(&planar)).await?
                }
                Engine::Reference => {
                    crate::reference::run_f32(&p.call, &light::prepare(src, p, |v| v))?
                }
            };
            let out = if p.uint8 {
                // Every value is already a rounded uint8 one.
                out.into_iter().map(|v| light::quantize(v, 255.0)).collect()
            } else {
                out
            };
            let values = light::finish(&out, p.out, src.channels, sample, p);
            PixelVec::from_f32(sample, values.into_iter())
        }
    };
    Ok(ImageBuf {
        pixels,
        width: p.out.0,
        height: p.out.1,
        channels: src.channels,
    })
}

/// The GPU engine: the samples uploaded as they are, converted, filtered and converted back
/// on the GPU (shaders/image/), the result read back.
async fn gpu_resize(r: &Resampler, src: &ImageRef<'_>, p: &Prepared) -> Result<PixelVec> {
    use crate::gpu::PixelLayout;
    let sample = src.pixels.sample();
    let kind = pixel_sample(sample);
    let n = (src.height - 1) * src.stride + src.width * src.channels;
    let bytes: &[u8] = match src.pixels {
        Pixels::U8(v) => &v[..n],
        Pixels::U16(v) => bytemuck::cast_slice(&v[..n]),
        Pixels::F16(v) => bytemuck::cast_slice(&v[..n]),
        Pixels::F32(v) => bytemuck::cast_slice(&v[..n]),
    };
    let layout = |width, height, stride| PixelLayout {
        sample: kind,
        width,
        height,
        channels: src.channels,
        stride,
        offset: 0,
    };
    let from = layout(src.width, src.height, src.stride);
    let to = layout(p.out.0, p.out.1, p.out.0 * src.channels);
    let conv = conversion(p, sample);
    // The planar copies in and out, and the samples, on top of what the call needs.
    let planar = (src.width * src.height + p.out.0 * p.out.1) * src.channels * 4;
    r.check_call(&p.call, (planar + bytes.len()) as u64)?;
    let plan = p.call.plan();
    let out = r
        .run_pixels(&plan, bytes, &from, &to, &conv, p.call.clamp())
        .await?;
    Ok(match sample {
        Sample::U8 => PixelVec::U8(out),
        Sample::U16 => PixelVec::U16(bytemuck::pod_collect_to_vec(&out)),
        Sample::F16 => PixelVec::F16(bytemuck::pod_collect_to_vec(&out)),
        Sample::F32 => PixelVec::F32(bytemuck::pod_collect_to_vec(&out)),
    })
}

/// An image in a wgpu buffer of the caller's (STORAGE usage): `height` rows of `width` pixels
/// of `channels` samples, rows `stride` samples apart, pixel (0, 0) at byte `offset` (a
/// multiple of 4).
#[derive(Clone, Copy, Debug)]
pub struct GpuImage<'a> {
    pub buffer: &'a wgpu::Buffer,
    pub offset: u64,
    pub sample: Sample,
    pub width: usize,
    pub height: usize,
    pub channels: usize,
    pub stride: usize,
}

impl<'a> GpuImage<'a> {
    /// A tightly packed image at byte 0 of `buffer`.
    pub fn new(
        buffer: &'a wgpu::Buffer,
        sample: Sample,
        width: usize,
        height: usize,
        channels: usize,
    ) -> Self {
        GpuImage {
            buffer,
            offset: 0,
            sample,
            width,
            height,
            channels,
            stride: width * channels,
        }
    }
}

/// The output size `o` gives for a source of `width x height` (after the size policy, the
/// source rectangle and the window): what [`encode`]'s destination must hold.
pub fn output_size(
    width: usize,
    height: usize,
    channels: usize,
    o: &ImageOptions,
) -> Result<(usize, usize)> {
    Ok(prepare(
        Dims {
            width,
            height,
            channels,
            sample: Sample::F32,
        },
        o,
    )?
    .out)
}

/// Record the resize of `src` into `dst` (same sample type and channels, the output's size)
/// into the caller's `encoder`: conversions, filtering and alpha as [`resize`] does them, all
/// on the GPU (shaders/image/). Everything is checked before anything is recorded.
pub fn encode(
    r: &Resampler,
    encoder: &mut wgpu::CommandEncoder,
    src: &GpuImage<'_>,
    dst: &GpuImage<'_>,
    o: &ImageOptions,
) -> Result<()> {
    use crate::gpu::PixelLayout;
    let dims = |i: &GpuImage<'_>| Dims {
        width: i.width,
        height: i.height,
        channels: i.channels,
        sample: i.sample,
    };
    pixels::check_dims(src.width, src.height, src.channels, src.stride)?;
    pixels::check_dims(dst.width, dst.height, dst.channels, dst.stride)?;
    let p = prepare(dims(src), o)?;
    if dst.sample != src.sample || dst.channels != src.channels || (dst.width, dst.height) != p.out
    {
        return Err(Error::input(
            "dst",
            format!(
                "{}x{} of {} {:?} samples; the output is {}x{} of {} {:?}",
                dst.width,
                dst.height,
                dst.channels,
                dst.sample,
                p.out.0,
                p.out.1,
                src.channels,
                src.sample
            ),
        ));
    }
    let layout = |i: &GpuImage<'_>| PixelLayout {
        sample: pixel_sample(i.sample),
        width: i.width,
        height: i.height,
        channels: i.channels,
        stride: i.stride,
        offset: i.offset,
    };
    let conv = conversion(&p, src.sample);
    r.prepare_pixels(
        &p.call,
        (&layout(src), src.buffer),
        (&layout(dst), dst.buffer),
        &conv,
    )?
    .record(encoder);
    Ok(())
}

fn pixel_sample(s: Sample) -> crate::gpu::PixelSample {
    use crate::gpu::PixelSample;
    match s {
        Sample::U8 => PixelSample::U8,
        Sample::U16 => PixelSample::U16,
        Sample::F16 => PixelSample::F16,
        Sample::F32 => PixelSample::F32,
    }
}

fn conversion(p: &Prepared, sample: Sample) -> crate::gpu::PixelConversion {
    crate::gpu::PixelConversion {
        uint8: p.uint8,
        premultiply: p.alpha == Alpha::Premultiply,
        linear_light: p.linear_light,
        premultiplied: p.alpha == Alpha::Premultiplied,
        alpha: p.alpha_channel(),
        max: sample.max(),
    }
}

/// Resize `src` as [`resize`] does and write the result into `dst` with its top-left pixel
/// at `at`; `dst` has the same sample type and channels, and room for it. Checked before
/// anything is computed; nothing is written on an error. (Not on wasm32: see
/// [`resize_into_async`].)
#[cfg(not(target_arch = "wasm32"))]
pub fn resize_into(
    engine: Engine<'_>,
    src: &ImageRef<'_>,
    dst: &mut ImageMut<'_>,
    at: (usize, usize),
    o: &ImageOptions,
) -> Result<()> {
    pollster::block_on(resize_into_async(engine, src, dst, at, o))
}

/// [`resize_into`], awaiting the GPU rather than blocking on it.
pub async fn resize_into_async(
    engine: Engine<'_>,
    src: &ImageRef<'_>,
    dst: &mut ImageMut<'_>,
    at: (usize, usize),
    o: &ImageOptions,
) -> Result<()> {
    if dst.pixels.sample() != src.pixels.sample() || dst.channels != src.channels {
        return Err(Error::arg(
            "dst",
            format!(
                "{:?} with {} channels, the source {:?} with {}",
                dst.pixels.sample(),
                dst.channels,
                src.pixels.sample(),
                src.channels
            ),
        ));
    }
    let p = prepare(src.into(), o)?;
    let (w, h) = p.out;
    if at.0 + w > dst.width || at.1 + h > dst.height {
        return Err(Error::arg(
            "at",
            format!(
                "a {w}x{h} result at {at:?} does not fit the {}x{} destination",
                dst.width, dst.height
            ),
        ));
    }
    let out = run_prepared(engine, src, &p).await?;
    dst.put(&out, at);
    Ok(())
}

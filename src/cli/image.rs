//! `resample image`: resize one image file on the GPU.
//!
//! The image is decoded with the `image` crate, turned into a planar `1, C, H, W` float tensor
//! (values scaled to `[0, 1]`), resized by [`Resampler::interpolate`] with torch's semantics,
//! and converted back to the input's bit depth with rounding and saturation.
//!
//! Alpha is handled premultiplied (colour is multiplied by alpha before filtering and divided
//! by it afterwards where alpha > 0), so transparent pixels do not bleed dark fringes into
//! their neighbours. `--linear-light` filters the colour channels in linear light (sRGB decoded
//! before, encoded after); alpha is always linear.
//!
//! The pieces are shared with `resample batch`: [`ResizeArgs`] (the flags), [`load`] (decode
//! and prepare, CPU), [`resize`] (GPU) and [`save`] (finish, encode, write atomically, CPU).

use super::fail;
use crate::{util, Error, Mode, Options, PerDim, Resampler, Result};
use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Resize an image file (PNG, JPEG, WebP, TIFF, BMP, GIF, TGA; 8- or 16-bit; grey, grey+alpha,
/// RGB or RGBA) on the GPU with the semantics of torch.nn.functional.interpolate.
#[derive(clap::Args)]
#[command(after_long_help = AFTER_HELP)]
pub struct Args {
    /// The image to read. The format is detected from the file's content.
    #[arg(value_name = "IN")]
    input: PathBuf,
    /// Where to write the result. The format is chosen from the extension (.png, .jpg/.jpeg,
    /// .webp, .tif/.tiff, .bmp, .gif, .tga). Written atomically: a failed run leaves no file.
    #[arg(value_name = "OUT")]
    output: PathBuf,
    #[command(flatten)]
    resize: ResizeArgs,
}

pub(super) const AFTER_HELP: &str = "\
Sizes and order:
  --size is WIDTHxHEIGHT, width first as image tools write it; the tensor handed to
  interpolate is (N, C, H, W), so --size 640x480 is torch's size=(480, 640).
  --scale 0.5 scales both axes; --scale SX,SY gives x (width) first and becomes torch's
  scale_factor=(SY, SX). The output size is floor(input * scale), and the scale itself is
  used for the sampling coordinates, exactly as torch does (recompute_scale_factor=None).

Values:
  Pixels are converted to floats in [0, 1] (8-bit / 255, 16-bit / 65535), resized, and
  converted back to the input's bit depth with rounding and saturation. Formats that cannot
  store the input's depth or channels get the nearest thing they can store (JPEG: 8-bit, no
  alpha, quality 90; WebP: lossless 8-bit); a warning says so.

Exit status: 0 done, 2 bad arguments or unreadable input/output, 3 no usable GPU or a GPU error.";

/// The resize flags shared by `image` and `batch`.
#[derive(clap::Args, Clone, Debug)]
pub(super) struct ResizeArgs {
    /// Output size in pixels as WIDTHxHEIGHT (e.g. 640x480). Width comes first, as image tools
    /// write it; the tensor order (and torch's size argument) is H, W.
    #[arg(long, value_name = "WxH", allow_hyphen_values = true)]
    size: Option<String>,
    /// Scale factor: one value for both axes (e.g. 0.5 or 2), or SX,SY with the width's factor
    /// first (torch's scale_factor=(SY, SX)). Output size = floor(input size * scale).
    #[arg(long, value_name = "S|SX,SY", allow_hyphen_values = true)]
    scale: Option<String>,
    /// Interpolation mode, named as in torch: nearest, nearest-exact, bilinear, bicubic, area,
    /// lanczos.
    #[arg(long, value_name = "MODE", default_value = "bilinear")]
    mode: String,
    /// Antialiased resampling when downscaling (torch's antialias=True): bilinear, bicubic and
    /// lanczos only. lanczos requires it.
    #[arg(long)]
    antialias: bool,
    /// torch's align_corners=True: the corner pixels' centres of input and output are aligned
    /// (bilinear and bicubic only).
    #[arg(long)]
    align_corners: bool,
    /// Clamp the filtered values to the valid range [0, 1] inside the GPU kernel, as
    /// `.clamp(0, 1)` after interpolate in torch (bicubic and lanczos overshoot). Integer
    /// output is always saturated anyway, so this only changes the result when the clamped
    /// values are processed further: with alpha (premultiplied colour and alpha are clamped
    /// before un-premultiplying), with --linear-light (linear values are clamped before sRGB
    /// encoding), and for 32-bit float images (no other saturation).
    #[arg(long)]
    clamp: bool,
    /// Treat the colour channels as sRGB-encoded: decode them to linear light before
    /// resizing and encode them again afterwards (alpha is left as it is). Gives physically
    /// correct averages (no darkened edges and fine detail when downscaling).
    #[arg(long)]
    linear_light: bool,
}

/// The parsed resize settings.
#[derive(Clone, Debug)]
pub(super) struct Resize {
    pub options: Options,
    pub linear_light: bool,
    /// Which flag gave the output size (for error messages): `--size` or `--scale`.
    size_flag: &'static str,
}

fn arg_err(name: &'static str, reason: impl Into<String>) -> Error {
    Error::Argument {
        name,
        reason: reason.into(),
    }
}

fn parse_f64(flag: &'static str, s: &str, whole: &str) -> Result<f64> {
    s.trim()
        .parse::<f64>()
        .map_err(|_| arg_err(flag, format!("{s:?} is not a number (got {whole:?})")))
}

impl ResizeArgs {
    /// Check the flags (those that do not depend on the image) and build the options.
    pub(super) fn parse(&self) -> Result<Resize> {
        let mode: Mode = self.mode.parse().map_err(|_| {
            arg_err(
                "--mode",
                format!(
                    "unknown mode {:?}; images take nearest, nearest-exact, bilinear, \
                         bicubic, area or lanczos",
                    self.mode
                ),
            )
        })?;
        if matches!(mode.required_dims(), Some(d) if d != 2) {
            return Err(arg_err(
                "--mode",
                format!(
                    "{mode} resizes {}D data; images take nearest, nearest-exact, bilinear, \
                     bicubic, area or lanczos",
                    mode.required_dims().unwrap_or(0)
                ),
            ));
        }
        let mut options = Options::new(mode);
        let size_flag = match (&self.size, &self.scale) {
            (Some(_), Some(_)) => {
                return Err(arg_err("--size", "give either --size or --scale, not both"))
            }
            (None, None) => {
                return Err(arg_err(
                    "--size",
                    "the output size is missing: give --size WIDTHxHEIGHT or --scale S",
                ))
            }
            (Some(s), None) => {
                let parts: Vec<&str> = s.split(['x', 'X']).collect();
                let bad = || {
                    arg_err(
                        "--size",
                        format!("expected WIDTHxHEIGHT with positive integers (e.g. 640x480), got {s:?}"),
                    )
                };
                let [w, h] = parts.as_slice() else {
                    return Err(bad());
                };
                let w: usize = w.trim().parse().map_err(|_| bad())?;
                let h: usize = h.trim().parse().map_err(|_| bad())?;
                if w == 0 || h == 0 {
                    return Err(bad());
                }
                options = options.size([h, w]);
                "--size"
            }
            (None, Some(s)) => {
                let parts: Vec<&str> = s.split(',').collect();
                match parts.as_slice() {
                    [v] => {
                        let v = parse_f64("--scale", v, s)?;
                        options = options.scale_factor([v, v]);
                    }
                    [x, y] => {
                        let x = parse_f64("--scale", x, s)?;
                        let y = parse_f64("--scale", y, s)?;
                        options = options.scale_factor([y, x]);
                    }
                    _ => {
                        return Err(arg_err(
                            "--scale",
                            format!("expected S or SX,SY (e.g. 0.5 or 2,1.5), got {s:?}"),
                        ))
                    }
                }
                "--scale"
            }
        };
        if self.align_corners {
            options = options.align_corners(true);
        }
        options = options.antialias(self.antialias);
        if self.clamp {
            options = options.clamp(0.0, 1.0);
        }
        let r = Resize {
            options,
            linear_light: self.linear_light,
            size_flag,
        };
        // torch's rules that do not depend on the image (mode, antialias, align_corners, the
        // scale's sign): check them now, on a stand-in shape, so that no file is read for a
        // call that can never work.
        // Output sizes depend on the image: those are checked per image.
        if let Err(e) = r.options.resolve(&[1, 1, 4096, 4096]) {
            if matches!(&e, Error::Argument { name, .. } if *name != "size") {
                return Err(r.cli_error(e));
            }
        }
        Ok(r)
    }
}

impl Resize {
    /// Rename torch's argument names in an error to this tool's flags.
    pub(super) fn cli_error(&self, e: Error) -> Error {
        match e {
            Error::Argument { name, reason } => Error::Argument {
                name: match name {
                    "size" | "scale_factor" => self.size_flag,
                    "antialias" => "--antialias",
                    "align_corners" => "--align-corners",
                    "mode" => "--mode",
                    "clamp" => "--clamp",
                    other => other,
                },
                reason: flag_names(&reason),
            },
            other => other,
        }
    }
}

/// Bit depth of the samples as decoded (and as written back).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Depth {
    U8,
    U16,
    F32,
}

impl Depth {
    fn max(self) -> f32 {
        match self {
            Depth::U8 => 255.0,
            Depth::U16 => 65535.0,
            Depth::F32 => 1.0,
        }
    }
}

/// A planar `C, H, W` image with values in `[0, 1]`, prepared for filtering (linear light and
/// premultiplied alpha as the settings ask), or the result of filtering it.
pub(super) struct Planar {
    pub width: usize,
    pub height: usize,
    pub channels: usize,
    pub depth: Depth,
    pub data: Vec<f32>,
}

impl Planar {
    fn has_alpha(&self) -> bool {
        self.channels == 2 || self.channels == 4
    }
    fn colour_channels(&self) -> usize {
        if self.has_alpha() {
            self.channels - 1
        } else {
            self.channels
        }
    }
    fn shape(&self) -> [usize; 4] {
        [1, self.channels, self.height, self.width]
    }
}

fn srgb_to_linear(c: f32) -> f32 {
    if c <= 0.04045 {
        c / 12.92
    } else {
        ((c + 0.055) / 1.055).powf(2.4)
    }
}

fn linear_to_srgb(l: f32) -> f32 {
    if l <= 0.003_130_8 {
        12.92 * l
    } else {
        1.055 * l.powf(1.0 / 2.4) - 0.055
    }
}

fn image_error(path: &Path, e: image::ImageError) -> Error {
    match e {
        image::ImageError::IoError(source) => Error::Io {
            path: path.to_path_buf(),
            source,
        },
        other => Error::Format {
            path: path.to_path_buf(),
            reason: other.to_string(),
        },
    }
}

/// Interleaved samples, their layout, scaled to `[0, 1]`.
fn samples<T: Copy>(raw: &[T], scale: impl Fn(T) -> f32) -> Vec<f32> {
    raw.iter().map(|&v| scale(v)).collect()
}

/// Decode `path` and prepare it for filtering: planar, `[0, 1]`, linear light if asked,
/// premultiplied alpha.
pub(super) fn load(path: &Path, s: &Resize) -> Result<Planar> {
    use image::DynamicImage as D;
    let img = image::ImageReader::open(path)
        .map_err(|source| Error::Io {
            path: path.to_path_buf(),
            source,
        })?
        .with_guessed_format()
        .map_err(|source| Error::Io {
            path: path.to_path_buf(),
            source,
        })?
        .decode()
        .map_err(|e| image_error(path, e))?;
    let (width, height) = (img.width() as usize, img.height() as usize);
    let u8s = |v: u8| f32::from(v) / 255.0;
    let u16s = |v: u16| f32::from(v) / 65535.0;
    let (channels, depth, inter) = match img {
        D::ImageLuma8(b) => (1, Depth::U8, samples(b.as_raw(), u8s)),
        D::ImageLumaA8(b) => (2, Depth::U8, samples(b.as_raw(), u8s)),
        D::ImageRgb8(b) => (3, Depth::U8, samples(b.as_raw(), u8s)),
        D::ImageRgba8(b) => (4, Depth::U8, samples(b.as_raw(), u8s)),
        D::ImageLuma16(b) => (1, Depth::U16, samples(b.as_raw(), u16s)),
        D::ImageLumaA16(b) => (2, Depth::U16, samples(b.as_raw(), u16s)),
        D::ImageRgb16(b) => (3, Depth::U16, samples(b.as_raw(), u16s)),
        D::ImageRgba16(b) => (4, Depth::U16, samples(b.as_raw(), u16s)),
        D::ImageRgb32F(b) => (3, Depth::F32, b.into_raw()),
        other => (4, Depth::F32, other.into_rgba32f().into_raw()),
    };
    let mut p = Planar {
        width,
        height,
        channels,
        depth,
        data: Vec::new(),
    };
    let plane = width * height;
    let colour = p.colour_channels();
    let mut data = vec![0f32; inter.len()];
    for (i, px) in inter.chunks_exact(channels).enumerate() {
        let alpha = if p.has_alpha() { px[channels - 1] } else { 1.0 };
        for (c, &v) in px.iter().enumerate() {
            data[c * plane + i] = if c < colour {
                let v = if s.linear_light { srgb_to_linear(v) } else { v };
                v * alpha
            } else {
                v
            };
        }
    }
    p.data = data;
    Ok(p)
}

/// Resize a prepared image on the GPU.
pub(super) fn resize(r: &Resampler, img: &Planar, s: &Resize) -> Result<Planar> {
    let (data, shape) = r
        .interpolate(&img.data, &img.shape(), &s.options)
        .map_err(|e| s.cli_error(e))?;
    let (height, width) = match shape.as_slice() {
        [_, _, h, w] => (*h, *w),
        _ => {
            return Err(Error::Gpu(format!(
                "interpolate returned an unexpected shape {shape:?}"
            )))
        }
    };
    Ok(Planar {
        width,
        height,
        channels: img.channels,
        depth: img.depth,
        data,
    })
}

/// Check the output path's extension names a format this build can write.
pub(super) fn output_format(path: &Path) -> Result<image::ImageFormat> {
    let supported = "png, jpg/jpeg, webp, tif/tiff, bmp, gif, tga";
    let f = image::ImageFormat::from_path(path).map_err(|_| Error::Format {
        path: path.to_path_buf(),
        reason: format!("cannot tell the image format from the extension (use one of {supported})"),
    })?;
    if !f.writing_enabled() {
        return Err(Error::Format {
            path: path.to_path_buf(),
            reason: format!("cannot write {f:?} images (use one of {supported})"),
        });
    }
    Ok(f)
}

fn quantize(v: f32, max: f32) -> f32 {
    // NaN saturates to 0 as well.
    (v * max).round().clamp(0.0, max)
}

/// Un-premultiply, encode linear light, interleave, quantize: the final image.
fn finish(img: &Planar, s: &Resize) -> Result<image::DynamicImage> {
    use image::{DynamicImage as D, ImageBuffer};
    let plane = img.width * img.height;
    let ch = img.channels;
    let colour = img.colour_channels();
    let mut inter = vec![0f32; img.data.len()];
    for i in 0..plane {
        let alpha = if img.has_alpha() {
            img.data[colour * plane + i]
        } else {
            1.0
        };
        for c in 0..ch {
            let v = img.data[c * plane + i];
            inter[i * ch + c] = if c < colour {
                let v = if img.has_alpha() {
                    if alpha > 0.0 {
                        v / alpha
                    } else {
                        0.0
                    }
                } else {
                    v
                };
                if s.linear_light {
                    linear_to_srgb(v)
                } else {
                    v
                }
            } else {
                v
            };
        }
    }
    let w = u32::try_from(img.width).map_err(|_| arg_err("--size", "width too large"))?;
    let h = u32::try_from(img.height).map_err(|_| arg_err("--size", "height too large"))?;
    let max = img.depth.max();
    let built = match img.depth {
        Depth::U8 => {
            let v: Vec<u8> = inter.iter().map(|&x| quantize(x, max) as u8).collect();
            match ch {
                1 => ImageBuffer::from_raw(w, h, v).map(D::ImageLuma8),
                2 => ImageBuffer::from_raw(w, h, v).map(D::ImageLumaA8),
                3 => ImageBuffer::from_raw(w, h, v).map(D::ImageRgb8),
                _ => ImageBuffer::from_raw(w, h, v).map(D::ImageRgba8),
            }
        }
        Depth::U16 => {
            let v: Vec<u16> = inter.iter().map(|&x| quantize(x, max) as u16).collect();
            match ch {
                1 => ImageBuffer::from_raw(w, h, v).map(D::ImageLuma16),
                2 => ImageBuffer::from_raw(w, h, v).map(D::ImageLumaA16),
                3 => ImageBuffer::from_raw(w, h, v).map(D::ImageRgb16),
                _ => ImageBuffer::from_raw(w, h, v).map(D::ImageRgba16),
            }
        }
        Depth::F32 => match ch {
            3 => ImageBuffer::from_raw(w, h, inter).map(D::ImageRgb32F),
            _ => ImageBuffer::from_raw(w, h, inter).map(D::ImageRgba32F),
        },
    };
    built.ok_or_else(|| Error::Gpu(format!("the resized data does not fill a {w}x{h} image")))
}

fn encode(img: &image::DynamicImage, format: image::ImageFormat) -> image::ImageResult<Vec<u8>> {
    let mut buf = Cursor::new(Vec::new());
    if format == image::ImageFormat::Jpeg {
        let enc = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut buf, 90);
        img.write_with_encoder(enc)?;
    } else {
        img.write_to(&mut buf, format)?;
    }
    Ok(buf.into_inner())
}

fn color_name(c: image::ColorType) -> String {
    format!("{c:?}")
}

/// Finish the resized image, encode it for `path`'s format in memory, and write it atomically.
/// Returns the warnings (e.g. a format that cannot store 16 bits).
pub(super) fn save(img: &Planar, path: &Path, s: &Resize) -> Result<Vec<String>> {
    let format = output_format(path)?;
    let out = finish(img, s)?;
    let mut warnings = Vec::new();
    let from = out.color();
    // image converts to what the encoder can store for JPEG, WebP, BMP and TGA; for PNG, TIFF
    // and GIF a colour type they lack is an error, so step down to one they have.
    let mut candidates = vec![out.clone()];
    if matches!(from, image::ColorType::Rgb32F) {
        candidates.push(out.to_rgb16().into());
    }
    if matches!(from, image::ColorType::Rgba32F | image::ColorType::La16) {
        candidates.push(out.to_rgba16().into());
    }
    candidates.push(out.to_rgba8().into());
    let mut last = None;
    for c in &candidates {
        match encode(c, format) {
            Ok(bytes) => {
                let written = match format {
                    image::ImageFormat::Jpeg => match c.color() {
                        image::ColorType::L8 | image::ColorType::Rgb8 => c.color(),
                        image::ColorType::La8 | image::ColorType::L16 | image::ColorType::La16 => {
                            image::ColorType::L8
                        }
                        _ => image::ColorType::Rgb8,
                    },
                    image::ImageFormat::WebP
                    | image::ImageFormat::Bmp
                    | image::ImageFormat::Tga => match c.color() {
                        image::ColorType::L8
                        | image::ColorType::La8
                        | image::ColorType::Rgb8
                        | image::ColorType::Rgba8 => c.color(),
                        image::ColorType::L16 => image::ColorType::L8,
                        image::ColorType::La16 => image::ColorType::La8,
                        image::ColorType::Rgb16 | image::ColorType::Rgb32F => {
                            image::ColorType::Rgb8
                        }
                        _ => image::ColorType::Rgba8,
                    },
                    _ => c.color(),
                };
                if written != from {
                    warnings.push(format!(
                        "{}: {format:?} cannot store {} pixels; wrote {}",
                        path.display(),
                        color_name(from),
                        color_name(written)
                    ));
                }
                util::write_atomic(path, &bytes)?;
                return Ok(warnings);
            }
            Err(image::ImageError::Unsupported(e)) => last = Some(e.to_string()),
            Err(e) => return Err(image_error(path, e)),
        }
    }
    Err(Error::Format {
        path: path.to_path_buf(),
        reason: format!(
            "cannot encode {} as {format:?}: {}",
            color_name(from),
            last.unwrap_or_default()
        ),
    })
}

/// The options as torch would get them (for the summary line).
pub(super) fn describe(s: &Resize) -> String {
    let o = &s.options;
    let mut t = format!("mode={}", o.mode);
    match (&o.size, &o.scale_factor) {
        (Some(PerDim::Each(v)), _) => t.push_str(&format!(", size={v:?}")),
        (_, Some(PerDim::Each(v))) => t.push_str(&format!(", scale_factor={v:?}")),
        _ => {}
    }
    if o.antialias {
        t.push_str(", antialias=True");
    }
    if o.align_corners == Some(true) {
        t.push_str(", align_corners=True");
    }
    t
}

pub fn run(a: Args) -> ExitCode {
    match run_inner(&a) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(&e),
    }
}

fn run_inner(a: &Args) -> Result<()> {
    let s = a.resize.parse()?;
    output_format(&a.output)?;
    let img = load(&a.input, &s)?;
    // The image's own checks (sizes) before the GPU is touched.
    s.options
        .resolve(&img.shape())
        .map_err(|e| s.cli_error(e))?;
    let r = Resampler::new_default()?;
    let out = resize(&r, &img, &s)?;
    for w in save(&out, &a.output, &s)? {
        eprintln!("resample: warning: {w}");
    }
    println!(
        "{} ({}x{}) -> {} ({}x{}), {}",
        a.input.display(),
        img.width,
        img.height,
        a.output.display(),
        out.width,
        out.height,
        describe(&s)
    );
    Ok(())
}

/// torch's spelling of a flag in a reason (`antialias=true`) as this tool's (`--antialias`).
pub(super) fn flag_names(reason: &str) -> String {
    reason
        .replace("antialias=true", "--antialias")
        .replace("align_corners=true", "--align-corners")
}

//! `resample image`: resize one image file on the GPU.
//!
//! The image is decoded with the `image` crate and resized by the library's image API
//! ([`crate::image`]) with torch's semantics: 8-bit images through torch's uint8 kernels (the
//! result equals `F.interpolate` on the uint8 tensor), 16-bit and float images in float32 with
//! rounding and saturation back to their depth. Alpha is premultiplied before filtering and
//! divided out after (`--premultiplied` when the file's colour already is), and
//! `--linear-light` filters the colour channels in linear light (float filtering).
//!
//! The pieces are shared with `resample batch`: [`ResizeArgs`] (the flags), [`load`] (decode,
//! CPU), [`resize`] (GPU) and [`save`] (encode, write atomically, CPU).

use super::fail;
use crate::image::{Alpha, Engine, Filtering, ImageOptions, ImageRef, Size};
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

  --fit WxH keeps the aspect ratio inside the box; --fill WxH covers the box and cuts it
  from the centre (the other side rounded half up).

Values:
  8-bit images run torch's uint8 kernels: the result equals F.interpolate on the uint8
  tensor (with alpha, colour is premultiplied in 8 bits first, as Pillow does). 16-bit
  images (and 8-bit ones with --linear-light or --float) are filtered as floats in [0, 1]
  and converted back with rounding and saturation. Formats that cannot store the input's
  depth or channels get the nearest thing they can store (JPEG: 8-bit, no alpha, quality
  90; WebP: lossless 8-bit); a warning says so.

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
    /// Fit inside WIDTHxHEIGHT, aspect ratio kept (the other side rounded half up).
    #[arg(long, value_name = "WxH", allow_hyphen_values = true)]
    fit: Option<String>,
    /// Cover WIDTHxHEIGHT, aspect ratio kept, then cut it from the centre.
    #[arg(long, value_name = "WxH", allow_hyphen_values = true)]
    fill: Option<String>,
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
    /// The image's colour is premultiplied by its alpha already: filter it as it is (no
    /// multiplying and dividing by alpha).
    #[arg(long)]
    premultiplied: bool,
    /// Filter 8-bit images in float32 rather than with torch's uint8 kernels.
    #[arg(long)]
    float: bool,
}

/// The parsed resize settings.
#[derive(Clone, Debug)]
pub(super) struct Resize {
    /// torch's arguments (for the checks that do not depend on the image, and the summary).
    pub options: Options,
    pub image: ImageOptions,
    /// Which flag gave the output size (for error messages): `--size`, `--scale`, `--fit`
    /// or `--fill`.
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
        let given: Vec<(&'static str, &String)> = [
            ("--size", &self.size),
            ("--scale", &self.scale),
            ("--fit", &self.fit),
            ("--fill", &self.fill),
        ]
        .into_iter()
        .filter_map(|(flag, v)| v.as_ref().map(|v| (flag, v)))
        .collect();
        let (size_flag, text) = match given.as_slice() {
            [one] => *one,
            [] => {
                return Err(arg_err(
                    "--size",
                    "the output size is missing: give --size WIDTHxHEIGHT, --scale S, --fit WxH or --fill WxH",
                ))
            }
            [(a, _), (b, _), ..] => {
                return Err(arg_err(a, format!("give one of --size, --scale, --fit and --fill, not {a} and {b}")))
            }
        };
        let size = if size_flag == "--scale" {
            let parts: Vec<&str> = text.split(',').collect();
            let (x, y) = match parts.as_slice() {
                [v] => {
                    let v = parse_f64("--scale", v, text)?;
                    (v, v)
                }
                [x, y] => (
                    parse_f64("--scale", x, text)?,
                    parse_f64("--scale", y, text)?,
                ),
                _ => {
                    return Err(arg_err(
                        "--scale",
                        format!("expected S or SX,SY (e.g. 0.5 or 2,1.5), got {text:?}"),
                    ))
                }
            };
            options = options.scale_factor([y, x]);
            Size::Scale { x, y }
        } else {
            let parts: Vec<&str> = text.split(['x', 'X']).collect();
            let bad = || {
                arg_err(
                    size_flag,
                    format!(
                        "expected WIDTHxHEIGHT with positive integers (e.g. 640x480), got {text:?}"
                    ),
                )
            };
            let [w, h] = parts.as_slice() else {
                return Err(bad());
            };
            let width: usize = w.trim().parse().map_err(|_| bad())?;
            let height: usize = h.trim().parse().map_err(|_| bad())?;
            if width == 0 || height == 0 {
                return Err(bad());
            }
            options = options.size([height, width]);
            match size_flag {
                "--fit" => Size::Fit { width, height },
                "--fill" => Size::Fill { width, height },
                _ => Size::Exact { width, height },
            }
        };
        if self.align_corners {
            options = options.align_corners(true);
        }
        options = options.antialias(self.antialias);
        if self.clamp {
            options = options.clamp(0.0, 1.0);
        }
        let image = ImageOptions::new(mode)
            .size(size)
            .antialias(self.antialias)
            .align_corners(self.align_corners)
            .clamp(self.clamp)
            .linear_light(self.linear_light)
            .alpha(if self.premultiplied {
                Alpha::Premultiplied
            } else {
                Alpha::Premultiply
            })
            .filtering(if self.float {
                Filtering::Float
            } else {
                Filtering::Auto
            });
        let r = Resize {
            options,
            image,
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

/// A decoded image, of a kind the image API takes (others are converted to RGBA f32 on
/// loading), or the resized result.
pub(super) struct Loaded {
    pub image: image::DynamicImage,
    pub width: usize,
    pub height: usize,
    pub channels: usize,
}

impl Loaded {
    fn new(image: image::DynamicImage) -> Loaded {
        let (width, height) = (image.width() as usize, image.height() as usize);
        let channels = usize::from(image.color().channel_count());
        Loaded {
            image,
            width,
            height,
            channels,
        }
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

/// Decode `path`, and check that `s` can resize it (before the GPU is touched).
pub(super) fn load(path: &Path, s: &Resize) -> Result<Loaded> {
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
    let img = match img {
        D::ImageLuma8(_)
        | D::ImageLumaA8(_)
        | D::ImageRgb8(_)
        | D::ImageRgba8(_)
        | D::ImageLuma16(_)
        | D::ImageLumaA16(_)
        | D::ImageRgb16(_)
        | D::ImageRgba16(_)
        | D::ImageRgb32F(_)
        | D::ImageRgba32F(_) => img,
        other => D::ImageRgba32F(other.into_rgba32f()),
    };
    let loaded = Loaded::new(img);
    // The sizes this image gets: torch's rules on its shape.
    s.options
        .resolve(&[1, loaded.channels, loaded.height, loaded.width])
        .map_err(|e| s.cli_error(e))?;
    Ok(loaded)
}

/// Resize a decoded image on the GPU with the library's image API.
pub(super) fn resize(r: &Resampler, img: &Loaded, s: &Resize) -> Result<Loaded> {
    let src = ImageRef::from_dynamic(&img.image)?;
    let out = crate::image::resize(Engine::Gpu(r), &src, &s.image).map_err(|e| s.cli_error(e))?;
    Ok(Loaded::new(out.into_dynamic()?))
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
pub(super) fn save(img: &Loaded, path: &Path) -> Result<Vec<String>> {
    let format = output_format(path)?;
    let out = &img.image;
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
    let r = Resampler::new_default()?;
    let out = resize(&r, &img, &s)?;
    for w in save(&out, &a.output)? {
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

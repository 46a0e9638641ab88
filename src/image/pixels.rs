//! Pixel buffers as apps hold them: interleaved samples (1 to 4 channels per pixel, the last
//! of 2 or 4 being alpha), 8- or 16-bit integers or 16- or 32-bit floats, rows `stride`
//! samples apart.

use crate::error::{Error, Result};

/// The samples of an image, borrowed.
#[derive(Clone, Copy, Debug)]
pub enum Pixels<'a> {
    U8(&'a [u8]),
    U16(&'a [u16]),
    F16(&'a [half::f16]),
    F32(&'a [f32]),
}

/// The samples of an image, owned.
#[derive(Clone, Debug, PartialEq)]
pub enum PixelVec {
    U8(Vec<u8>),
    U16(Vec<u16>),
    F16(Vec<half::f16>),
    F32(Vec<f32>),
}

/// The sample type of an image.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sample {
    U8,
    U16,
    F16,
    F32,
}

impl Sample {
    /// The value of full intensity: integer samples are scaled to `[0, 1]` for float
    /// filtering (255 or 65535); float samples are taken as they are (1).
    pub fn max(self) -> f32 {
        match self {
            Sample::U8 => 255.0,
            Sample::U16 => 65535.0,
            Sample::F16 | Sample::F32 => 1.0,
        }
    }
}

impl Pixels<'_> {
    pub fn len(&self) -> usize {
        match self {
            Pixels::U8(v) => v.len(),
            Pixels::U16(v) => v.len(),
            Pixels::F16(v) => v.len(),
            Pixels::F32(v) => v.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn sample(&self) -> Sample {
        match self {
            Pixels::U8(_) => Sample::U8,
            Pixels::U16(_) => Sample::U16,
            Pixels::F16(_) => Sample::F16,
            Pixels::F32(_) => Sample::F32,
        }
    }
}

impl PixelVec {
    pub fn as_pixels(&self) -> Pixels<'_> {
        match self {
            PixelVec::U8(v) => Pixels::U8(v),
            PixelVec::U16(v) => Pixels::U16(v),
            PixelVec::F16(v) => Pixels::F16(v),
            PixelVec::F32(v) => Pixels::F32(v),
        }
    }

    /// `len` samples of type `sample` from `values` (unscaled f32, already rounded and
    /// saturated for the integer types; see `super::light::store`).
    pub(super) fn from_f32(sample: Sample, values: impl Iterator<Item = f32>) -> PixelVec {
        match sample {
            Sample::U8 => PixelVec::U8(values.map(|v| v as u8).collect()),
            Sample::U16 => PixelVec::U16(values.map(|v| v as u16).collect()),
            Sample::F16 => PixelVec::F16(values.map(half::f16::from_f32).collect()),
            Sample::F32 => PixelVec::F32(values.collect()),
        }
    }
}

/// An image in the caller's memory: `height` rows of `width` pixels of `channels` samples,
/// row `y` starting at sample `y * stride`.
#[derive(Clone, Copy, Debug)]
pub struct ImageRef<'a> {
    pub pixels: Pixels<'a>,
    pub width: usize,
    pub height: usize,
    pub channels: usize,
    pub stride: usize,
}

impl<'a> ImageRef<'a> {
    /// A tightly packed image (`stride = width * channels`), checked: 1 to 4 channels, sizes
    /// above 0, and enough samples.
    pub fn new(pixels: Pixels<'a>, width: usize, height: usize, channels: usize) -> Result<Self> {
        let stride = width.saturating_mul(channels);
        ImageRef::with_stride(pixels, width, height, channels, stride)
    }

    /// The same with rows `stride` samples apart (at least `width * channels`).
    pub fn with_stride(
        pixels: Pixels<'a>,
        width: usize,
        height: usize,
        channels: usize,
        stride: usize,
    ) -> Result<Self> {
        check_layout(pixels.len(), width, height, channels, stride)?;
        Ok(ImageRef {
            pixels,
            width,
            height,
            channels,
            stride,
        })
    }

    /// Row `y`'s samples, unscaled, into `out` (`width * channels` of them).
    pub(super) fn row_f32(&self, y: usize, out: &mut [f32]) {
        let at = y * self.stride;
        let n = out.len();
        match self.pixels {
            Pixels::U8(v) => out
                .iter_mut()
                .zip(&v[at..at + n])
                .for_each(|(o, &s)| *o = f32::from(s)),
            Pixels::U16(v) => out
                .iter_mut()
                .zip(&v[at..at + n])
                .for_each(|(o, &s)| *o = f32::from(s)),
            Pixels::F16(v) => out
                .iter_mut()
                .zip(&v[at..at + n])
                .for_each(|(o, s)| *o = s.to_f32()),
            Pixels::F32(v) => out.copy_from_slice(&v[at..at + n]),
        }
    }
}

/// An image the library made: tightly packed rows.
#[derive(Clone, Debug, PartialEq)]
pub struct ImageBuf {
    pub pixels: PixelVec,
    pub width: usize,
    pub height: usize,
    pub channels: usize,
}

impl ImageBuf {
    pub fn as_ref(&self) -> ImageRef<'_> {
        ImageRef {
            pixels: self.pixels.as_pixels(),
            width: self.width,
            height: self.height,
            channels: self.channels,
            stride: self.width * self.channels,
        }
    }
}

/// A destination image in the caller's memory (see [`super::resize_into`]).
#[derive(Debug)]
pub struct ImageMut<'a> {
    pub pixels: PixelsMut<'a>,
    pub width: usize,
    pub height: usize,
    pub channels: usize,
    pub stride: usize,
}

/// The samples of a destination image.
#[derive(Debug)]
pub enum PixelsMut<'a> {
    U8(&'a mut [u8]),
    U16(&'a mut [u16]),
    F16(&'a mut [half::f16]),
    F32(&'a mut [f32]),
}

impl PixelsMut<'_> {
    fn len(&self) -> usize {
        match self {
            PixelsMut::U8(v) => v.len(),
            PixelsMut::U16(v) => v.len(),
            PixelsMut::F16(v) => v.len(),
            PixelsMut::F32(v) => v.len(),
        }
    }

    pub fn sample(&self) -> Sample {
        match self {
            PixelsMut::U8(_) => Sample::U8,
            PixelsMut::U16(_) => Sample::U16,
            PixelsMut::F16(_) => Sample::F16,
            PixelsMut::F32(_) => Sample::F32,
        }
    }
}

impl<'a> ImageMut<'a> {
    /// A destination image, checked as [`ImageRef::with_stride`] checks a source.
    pub fn new(
        pixels: PixelsMut<'a>,
        width: usize,
        height: usize,
        channels: usize,
        stride: usize,
    ) -> Result<Self> {
        check_layout(pixels.len(), width, height, channels, stride)?;
        Ok(ImageMut {
            pixels,
            width,
            height,
            channels,
            stride,
        })
    }

    /// Copy `src` (same sample type and channels) with its top-left pixel at `(x, y)`.
    pub(super) fn put(&mut self, src: &ImageBuf, (x, y): (usize, usize)) {
        let row = src.width * src.channels;
        for r in 0..src.height {
            let at = (y + r) * self.stride + x * self.channels;
            let from = r * row;
            match (&mut self.pixels, &src.pixels) {
                (PixelsMut::U8(d), PixelVec::U8(s)) => {
                    d[at..at + row].copy_from_slice(&s[from..from + row])
                }
                (PixelsMut::U16(d), PixelVec::U16(s)) => {
                    d[at..at + row].copy_from_slice(&s[from..from + row])
                }
                (PixelsMut::F16(d), PixelVec::F16(s)) => {
                    d[at..at + row].copy_from_slice(&s[from..from + row])
                }
                (PixelsMut::F32(d), PixelVec::F32(s)) => {
                    d[at..at + row].copy_from_slice(&s[from..from + row])
                }
                _ => {}
            }
        }
    }
}

/// The checks of an image's dimensions alone (channels, sizes, stride).
pub(super) fn check_dims(
    width: usize,
    height: usize,
    channels: usize,
    stride: usize,
) -> Result<()> {
    check_layout(usize::MAX, width, height, channels, stride)
}

fn check_layout(
    len: usize,
    width: usize,
    height: usize,
    channels: usize,
    stride: usize,
) -> Result<()> {
    if !(1..=4).contains(&channels) {
        return Err(Error::arg(
            "channels",
            format!(
                "{channels} samples per pixel; images have 1 to 4 (grey, grey + alpha, RGB, RGBA)"
            ),
        ));
    }
    if width == 0 || height == 0 {
        return Err(Error::arg(
            "image",
            format!("{width}x{height} pixels: an image has at least one"),
        ));
    }
    let row = width.saturating_mul(channels);
    if stride < row {
        return Err(Error::arg(
            "stride",
            format!("{stride} samples per row is less than {width} pixels x {channels} channels"),
        ));
    }
    let need = (height - 1).saturating_mul(stride).saturating_add(row);
    if len < need {
        return Err(Error::arg(
            "pixels",
            format!("{len} samples; {width}x{height} pixels of {channels} channels with rows {stride} apart need {need}"),
        ));
    }
    Ok(())
}

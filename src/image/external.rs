//! Conversions to and from the `image` crate's types (cargo feature `image`).

use super::pixels::{ImageBuf, ImageRef, PixelVec, Pixels};
use crate::error::{Error, Result};
use image::{DynamicImage as D, ImageBuffer};

impl<'a> ImageRef<'a> {
    /// A view of an `image` crate image: 8- or 16-bit grey, grey + alpha, RGB or RGBA, or
    /// 32-bit float RGB or RGBA. Other kinds: convert them first (`into_rgba32f`, ...).
    pub fn from_dynamic(img: &'a D) -> Result<ImageRef<'a>> {
        let (w, h) = (img.width() as usize, img.height() as usize);
        let (pixels, channels) = match img {
            D::ImageLuma8(b) => (Pixels::U8(b.as_raw()), 1),
            D::ImageLumaA8(b) => (Pixels::U8(b.as_raw()), 2),
            D::ImageRgb8(b) => (Pixels::U8(b.as_raw()), 3),
            D::ImageRgba8(b) => (Pixels::U8(b.as_raw()), 4),
            D::ImageLuma16(b) => (Pixels::U16(b.as_raw()), 1),
            D::ImageLumaA16(b) => (Pixels::U16(b.as_raw()), 2),
            D::ImageRgb16(b) => (Pixels::U16(b.as_raw()), 3),
            D::ImageRgba16(b) => (Pixels::U16(b.as_raw()), 4),
            D::ImageRgb32F(b) => (Pixels::F32(b.as_raw()), 3),
            D::ImageRgba32F(b) => (Pixels::F32(b.as_raw()), 4),
            other => {
                return Err(Error::arg(
                    "image",
                    format!(
                        "{:?} images: convert them to one of 8/16-bit or f32 first",
                        other.color()
                    ),
                ))
            }
        };
        ImageRef::new(pixels, w, h, channels)
    }
}

impl ImageBuf {
    /// This image as an `image` crate image of the same kind (f16 samples become f32).
    pub fn into_dynamic(self) -> Result<D> {
        let (w, h, c) = (self.width as u32, self.height as u32, self.channels);
        let bad = || {
            Error::Gpu(format!(
                "a {w}x{h} image of {c} channels has the wrong length"
            ))
        };
        Ok(match (self.pixels, c) {
            (PixelVec::U8(v), 1) => D::ImageLuma8(ImageBuffer::from_raw(w, h, v).ok_or_else(bad)?),
            (PixelVec::U8(v), 2) => D::ImageLumaA8(ImageBuffer::from_raw(w, h, v).ok_or_else(bad)?),
            (PixelVec::U8(v), 3) => D::ImageRgb8(ImageBuffer::from_raw(w, h, v).ok_or_else(bad)?),
            (PixelVec::U8(v), _) => D::ImageRgba8(ImageBuffer::from_raw(w, h, v).ok_or_else(bad)?),
            (PixelVec::U16(v), 1) => {
                D::ImageLuma16(ImageBuffer::from_raw(w, h, v).ok_or_else(bad)?)
            }
            (PixelVec::U16(v), 2) => {
                D::ImageLumaA16(ImageBuffer::from_raw(w, h, v).ok_or_else(bad)?)
            }
            (PixelVec::U16(v), 3) => D::ImageRgb16(ImageBuffer::from_raw(w, h, v).ok_or_else(bad)?),
            (PixelVec::U16(v), _) => {
                D::ImageRgba16(ImageBuffer::from_raw(w, h, v).ok_or_else(bad)?)
            }
            (PixelVec::F16(v), c) => {
                let f: Vec<f32> = v.iter().map(|x| x.to_f32()).collect();
                return ImageBuf {
                    pixels: PixelVec::F32(f),
                    width: self.width,
                    height: self.height,
                    channels: c,
                }
                .into_dynamic();
            }
            (PixelVec::F32(v), 3) => {
                D::ImageRgb32F(ImageBuffer::from_raw(w, h, v).ok_or_else(bad)?)
            }
            (PixelVec::F32(v), 4) => {
                D::ImageRgba32F(ImageBuffer::from_raw(w, h, v).ok_or_else(bad)?)
            }
            (PixelVec::F32(v), c) => {
                // Grey (and grey + alpha) f32: as RGB(A) with the grey repeated.
                let rgba: Vec<f32> = v
                    .chunks_exact(c)
                    .flat_map(|p| [p[0], p[0], p[0], if c == 2 { p[1] } else { 1.0 }])
                    .collect();
                D::ImageRgba32F(ImageBuffer::from_raw(w, h, rgba).ok_or_else(bad)?)
            }
        })
    }
}

//! Size policies: how the output size follows from the source image (or its rectangle), and
//! which part of the full-size result is kept.

use crate::error::{Error, Result};

/// How the output size follows from the source (or its [`Rect`], see
/// [`super::ImageOptions::source`]), `width x height` of it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Size {
    /// Exactly `width x height` pixels.
    Exact { width: usize, height: usize },
    /// Inside the box, aspect ratio kept: the limiting side takes the box's size, the other
    /// is the source's scaled by the same ratio, rounded half up, at least 1 and at most the
    /// box's.
    Fit { width: usize, height: usize },
    /// Covering the box, aspect ratio kept: the covering side takes the box's size, the other
    /// is scaled by the same ratio and rounded half up (at least the box's); then the box is
    /// cut from the centre (an odd pixel left over goes to the right and bottom edges).
    Fill { width: usize, height: usize },
    /// torch's `scale_factor`: `floor(side * scale)` pixels, the scale used for the sampling
    /// coordinates as torch uses it (`recompute_scale_factor=None`).
    Scale { x: f64, y: f64 },
}

/// A rectangle: of source pixels, with fractional edges ([`super::ImageOptions::source`]),
/// or of output pixels ([`super::ImageOptions::window`]).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rect<T> {
    pub x: T,
    pub y: T,
    pub width: T,
    pub height: T,
}

/// The result of a policy on a source of `(width, height)`: the full-size output, and the
/// part of it the policy keeps (all of it, except for [`Size::Fill`]).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Sized {
    pub full: (usize, usize),
    pub keep: Rect<usize>,
}

/// `a * num / den` rounded half up, for positive values.
fn scaled(a: f64, num: usize, den: f64) -> usize {
    (a * num as f64 / den + 0.5).floor() as usize
}

fn positive(name: &'static str, width: usize, height: usize) -> Result<()> {
    if width == 0 || height == 0 {
        return Err(Error::arg(
            "size",
            format!("{name} {width}x{height}: both sides must be at least 1"),
        ));
    }
    Ok(())
}

impl Size {
    /// The output of this policy for a source of `(width, height)` pixels (fractional for a
    /// source rectangle).
    pub(super) fn apply(self, (sw, sh): (f64, f64)) -> Result<Sized> {
        let all = |w: usize, h: usize| Sized {
            full: (w, h),
            keep: Rect {
                x: 0,
                y: 0,
                width: w,
                height: h,
            },
        };
        match self {
            Size::Exact { width, height } => {
                positive("Exact", width, height)?;
                Ok(all(width, height))
            }
            Size::Fit { width, height } => {
                positive("Fit", width, height)?;
                // Width-limited where width / sw <= height / sh.
                if width as f64 * sh <= height as f64 * sw {
                    Ok(all(width, scaled(sh, width, sw).clamp(1, height)))
                } else {
                    Ok(all(scaled(sw, height, sh).clamp(1, width), height))
                }
            }
            Size::Fill { width, height } => {
                positive("Fill", width, height)?;
                let full = if width as f64 * sh >= height as f64 * sw {
                    (width, scaled(sh, width, sw).max(height))
                } else {
                    (scaled(sw, height, sh).max(width), height)
                };
                Ok(Sized {
                    full,
                    keep: Rect {
                        x: (full.0 - width) / 2,
                        y: (full.1 - height) / 2,
                        width,
                        height,
                    },
                })
            }
            Size::Scale { x, y } => {
                for (name, s) in [("x", x), ("y", y)] {
                    if !(s.is_finite() && s > 0.0) {
                        return Err(Error::arg(
                            "size",
                            format!("Scale's {name} is {s}: a scale is a positive number"),
                        ));
                    }
                }
                let w = (sw * x).floor();
                let h = (sh * y).floor();
                if w < 1.0 || h < 1.0 || w > u32::MAX as f64 || h > u32::MAX as f64 {
                    return Err(Error::arg(
                        "size",
                        format!("Scale {{ x: {x}, y: {y} }} of {sw}x{sh} gives {w}x{h} pixels"),
                    ));
                }
                Ok(all(w as usize, h as usize))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn full(s: Size, src: (f64, f64)) -> (usize, usize) {
        s.apply(src).unwrap().full
    }

    #[test]
    fn policies_round_as_documented() {
        let fit = |w, h| Size::Fit {
            width: w,
            height: h,
        };
        // 4032x3024 into 512x512: width-limited, 3024 * 512 / 4032 = 384.
        assert_eq!(full(fit(512, 512), (4032.0, 3024.0)), (512, 384));
        // Height-limited, 1000 * 100 / 3 = 33.3 -> 33.
        assert_eq!(full(fit(100, 100), (1000.0, 3000.0)), (33, 100));
        // 0.5 rounds up: 3 * 1 / 2 = 1.5 -> 2.
        assert_eq!(full(fit(1, 10), (2.0, 3.0)), (1, 2));
        // Never below 1.
        assert_eq!(full(fit(10, 10), (10000.0, 1.0)), (10, 1));
        let fill = Size::Fill {
            width: 100,
            height: 100,
        };
        let s = fill.apply((300.0, 200.0)).unwrap();
        assert_eq!(s.full, (150, 100));
        assert_eq!(
            s.keep,
            Rect {
                x: 25,
                y: 0,
                width: 100,
                height: 100
            }
        );
        // An odd leftover goes right: 151 - 100 = 51 -> x = 25.
        let s = fill.apply((302.0, 200.0)).unwrap();
        assert_eq!((s.full, s.keep.x), ((151, 100), 25));
        let scale = Size::Scale { x: 0.5, y: 1.5 };
        assert_eq!(full(scale, (101.0, 7.0)), (50, 10));
        assert!(Size::Scale { x: 0.0, y: 1.0 }.apply((4.0, 4.0)).is_err());
        assert!(Size::Exact {
            width: 0,
            height: 3
        }
        .apply((4.0, 4.0))
        .is_err());
    }
}

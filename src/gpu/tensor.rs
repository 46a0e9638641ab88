//! Tensors that live in a caller's `wgpu::Buffer`.

use crate::error::{Error, Result};

/// Memory layout of an N, C, \[D,\] \[H,\] W tensor.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Layout {
    /// torch's default: N C D H W, W fastest.
    #[default]
    Contiguous,
    /// torch's `channels_last` (4-D) / `channels_last_3d` (5-D): N D H W C, C fastest.
    ChannelsLast,
}

/// Element type in storage. Arithmetic is always f32 (torch's opmath for half); `U8` selects
/// torch's uint8 semantics (rounding and saturation after each separable pass).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Element {
    #[default]
    F32,
    /// IEEE binary16, read and written with WGSL's `unpack2x16float` / `pack2x16float`.
    F16,
    U8,
}

impl Element {
    pub fn size(self) -> u64 {
        match self {
            Element::F32 => 4,
            Element::F16 => 2,
            Element::U8 => 1,
        }
    }
}

/// A tensor in a `wgpu::Buffer`: `offset` bytes into `buffer`, of `shape` (N, C, \[D,\] \[H,\] W)
/// in `layout`, stored as `element`.
///
/// The buffer must have `STORAGE` usage (plus `COPY_SRC` to read results back), and `offset`
/// must be a multiple of 4 bytes for every element type. For f16 and u8 outputs, the bytes
/// after the last element up to the next multiple of 4 are preserved.
///
/// The caller keeps the buffers alive until the recorded commands are submitted; scratch,
/// table and parameter buffers the resampler creates are kept alive by wgpu itself.
#[derive(Clone, Debug)]
pub struct GpuTensor<'a> {
    pub buffer: &'a wgpu::Buffer,
    pub offset: u64,
    pub shape: Vec<usize>,
    pub layout: Layout,
    pub element: Element,
}

impl<'a> GpuTensor<'a> {
    /// A contiguous f32 tensor at the start of `buffer`.
    pub fn new(buffer: &'a wgpu::Buffer, shape: &[usize]) -> GpuTensor<'a> {
        GpuTensor {
            buffer,
            offset: 0,
            shape: shape.to_vec(),
            layout: Layout::Contiguous,
            element: Element::F32,
        }
    }
    pub fn offset(mut self, bytes: u64) -> Self {
        self.offset = bytes;
        self
    }
    pub fn layout(mut self, layout: Layout) -> Self {
        self.layout = layout;
        self
    }
    pub fn element(mut self, element: Element) -> Self {
        self.element = element;
        self
    }
    /// Number of elements.
    pub fn len(&self) -> usize {
        self.shape.iter().product()
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Bytes the elements occupy.
    pub fn byte_len(&self) -> u64 {
        self.len() as u64 * self.element.size()
    }

    /// N*C, C and the spatial dims padded to D, H, W.
    pub(crate) fn dims(&self) -> (usize, usize, [usize; 3]) {
        let mut sp = [1usize; 3];
        let s = &self.shape[2..];
        sp[3 - s.len()..].copy_from_slice(s);
        (self.shape[0] * self.shape[1], self.shape[1], sp)
    }

    /// Element strides of this tensor.
    pub(crate) fn strides(&self) -> Strides {
        let (_, c, sp) = self.dims();
        match self.layout {
            Layout::Contiguous => Strides::contiguous(c, sp),
            Layout::ChannelsLast => Strides::channels_last(c, sp),
        }
    }

    /// Usage, alignment and bounds; `name` is the argument's name in errors.
    pub(crate) fn validate(&self, name: &'static str) -> Result<()> {
        if !(3..=5).contains(&self.shape.len()) {
            return Err(Error::input(
                name,
                format!("shape {:?} is not N, C, [D,] [H,] W", self.shape),
            ));
        }
        let usage = self.buffer.usage();
        if !usage.contains(wgpu::BufferUsages::STORAGE) {
            return Err(Error::input(
                name,
                format!("buffer needs STORAGE usage, has {usage:?}"),
            ));
        }
        if !self.offset.is_multiple_of(4) {
            return Err(Error::input(
                name,
                format!("offset {} is not a multiple of 4 bytes", self.offset),
            ));
        }
        let end = self.offset.checked_add(self.byte_len().div_ceil(4) * 4);
        if end.is_none_or(|e| e > self.buffer.size()) {
            return Err(Error::input(
                name,
                format!(
                    "{} bytes at offset {} do not fit a buffer of {} bytes",
                    self.byte_len(),
                    self.offset,
                    self.buffer.size()
                ),
            ));
        }
        // Empty tensors are valid (torch has them): encoding into one records nothing.
        Ok(())
    }

    /// The byte range `[offset, offset + len rounded up to 4)`.
    pub(crate) fn byte_range(&self) -> std::ops::Range<u64> {
        self.offset..self.offset + self.byte_len().div_ceil(4) * 4
    }
}

/// Element strides of a tensor: n, c, d, h, w (NCHW contiguous, channels-last, or a view).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Strides {
    pub n: u64,
    pub c: u64,
    pub d: u64,
    pub h: u64,
    pub w: u64,
}

impl Strides {
    /// torch's default contiguous layout, N C D H W.
    pub fn contiguous(channels: usize, [d, h, w]: [usize; 3]) -> Strides {
        let (c, d, h, w) = (channels as u64, d as u64, h as u64, w as u64);
        Strides {
            n: c * d * h * w,
            c: d * h * w,
            d: h * w,
            h: w,
            w: 1,
        }
    }
    /// torch's channels_last / channels_last_3d layout, N D H W C.
    pub fn channels_last(channels: usize, [d, h, w]: [usize; 3]) -> Strides {
        let (c, d, h, w) = (channels as u64, d as u64, h as u64, w as u64);
        Strides {
            n: d * h * w * c,
            c: 1,
            d: h * w * c,
            h: w * c,
            w: c,
        }
    }
}

//! Buffers the resampler makes: initialised, scratch and kept (spare) buffers, and reading a
//! buffer back.

use super::readback;
use super::recording::Recording;
use super::Resampler;
use crate::error::{Error, Result};

/// New device memory on a CPU adapter is fresh host memory, zeroed page by page on first
/// touch: for a large tensor that costs about as much as the kernels. The host API keeps its
/// last input and output buffers (the sizes of a repeated call) instead of freeing them.
/// Multi-pass plans keep their two scratch buffers (pass i writes `scratch[i % 2]`): a new
/// one would also be zeroed by wgpu before its first pass (1.5-2.5 ms of the 1/4 antialiased
/// bicubic's 10 on lavapipe). Reusing them across calls is safe: a plan's passes are recorded
/// together, and command buffers run one after the other on the queue.
#[derive(Default)]
pub(crate) struct Spare {
    pub(crate) input: Option<wgpu::Buffer>,
    pub(crate) output: Option<wgpu::Buffer>,
    pub(crate) scratch: [Option<wgpu::Buffer>; 2],
}

/// The parameters of a pass's dispatches in one uniform buffer, each in a slot of its own at
/// an offset the device's uniform offset alignment allows.
pub(crate) struct ParamSlots {
    buffer: wgpu::Buffer,
    stride: u64,
    size: u64,
}

impl ParamSlots {
    /// The binding of dispatch `i`'s parameters.
    pub(crate) fn binding(&self, i: usize) -> wgpu::BindingResource<'_> {
        wgpu::BindingResource::Buffer(wgpu::BufferBinding {
            buffer: &self.buffer,
            offset: i as u64 * self.stride,
            size: wgpu::BufferSize::new(self.size),
        })
    }
}

/// Take `slot`'s buffer if it has exactly `size` bytes and `usage`.
pub(crate) fn take_spare(
    slot: &mut Option<wgpu::Buffer>,
    size: u64,
    usage: wgpu::BufferUsages,
) -> Option<wgpu::Buffer> {
    match slot.take() {
        Some(b) if b.size() == size && b.usage() == usage => Some(b),
        _ => None,
    }
}

impl Resampler {
    /// `params` (one per dispatch) in a new uniform buffer, one aligned slot each.
    pub(crate) fn param_slots<P: bytemuck::Pod>(
        &self,
        label: &'static str,
        params: &[P],
    ) -> Result<ParamSlots> {
        let size = std::mem::size_of::<P>() as u64;
        let stride = size.div_ceil(self.uniform_align()) * self.uniform_align();
        let mut bytes = Vec::with_capacity(params.len() * stride as usize);
        for p in params {
            bytes.extend_from_slice(bytemuck::bytes_of(p));
            bytes.resize(bytes.len().div_ceil(stride as usize) * stride as usize, 0);
        }
        let buffer = self.buffer_init(Some(label), &bytes, wgpu::BufferUsages::UNIFORM)?;
        Ok(ParamSlots {
            buffer,
            stride,
            size,
        })
    }

    pub(crate) fn scratch(&self, elements: usize) -> Result<wgpu::Buffer> {
        let bytes = elements as u64 * 4;
        if bytes > self.limits.max_buffer_size {
            return Err(Error::limit(
                "max_buffer_size",
                format!("an f32 scratch copy of {bytes} bytes"),
            ));
        }
        Ok(self.device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("resample.scratch"),
            size: super::encode::padded_bytes(bytes),
            usage: wgpu::BufferUsages::STORAGE,
            mapped_at_creation: false,
        }))
    }
}

impl Resampler {
    /// Submit nothing new, wait for the queue, and read `len` bytes of `buffer` at `offset`
    /// (which needs COPY_SRC usage). A convenience for tests and small tools. (Not on wasm32:
    /// see [`Resampler::read_buffer_async`].)
    #[cfg(not(target_arch = "wasm32"))]
    pub fn read_buffer(&self, buffer: &wgpu::Buffer, offset: u64, len: u64) -> Result<Vec<u8>> {
        pollster::block_on(self.read_buffer_async(buffer, offset, len))
    }

    /// [`Resampler::read_buffer`] as a future (the device is polled until the map completes).
    pub async fn read_buffer_async(
        &self,
        buffer: &wgpu::Buffer,
        offset: u64,
        len: u64,
    ) -> Result<Vec<u8>> {
        self.check_alive()?;
        if !offset.is_multiple_of(4) || offset.checked_add(len).is_none_or(|e| e > buffer.size()) {
            return Err(Error::input(
                "buffer",
                format!("cannot read {len} bytes at {offset} of {}", buffer.size()),
            ));
        }
        if !buffer.usage().contains(wgpu::BufferUsages::COPY_SRC) {
            return Err(Error::input(
                "buffer",
                "needs COPY_SRC usage to be read back",
            ));
        }
        let padded = len.div_ceil(4) * 4;
        if offset + padded > buffer.size() {
            return Err(Error::input(
                "buffer",
                format!("cannot read {len} bytes at {offset} of {}", buffer.size()),
            ));
        }
        let staging = self.scoped(|| {
            let staging = self.device.create_buffer(&wgpu::BufferDescriptor {
                label: Some("resample.readback"),
                size: padded.max(4),
                usage: wgpu::BufferUsages::MAP_READ | wgpu::BufferUsages::COPY_DST,
                mapped_at_creation: false,
            });
            let mut rec = Recording::new(&self.limits);
            rec.copy((buffer, offset), (&staging, 0), padded)?;
            let mut encoder = self
                .device
                .create_command_encoder(&wgpu::CommandEncoderDescriptor {
                    label: Some("resample.read"),
                });
            rec.record(&mut encoder);
            self.queue.submit([encoder.finish()]);
            Ok(staging)
        })?;
        let mut bytes = readback::read(&self.device, &staging, padded).await?;
        bytes.truncate(len as usize);
        Ok(bytes)
    }
}

impl Resampler {
    /// A buffer holding `contents` (padded to 4 bytes). Unlike wgpu's `create_buffer_init`,
    /// a failure (a lost device, say) is an error, not a panic.
    pub(crate) fn buffer_init(
        &self,
        label: Option<&str>,
        contents: &[u8],
        usage: wgpu::BufferUsages,
    ) -> Result<wgpu::Buffer> {
        let buffer = self.device.create_buffer(&wgpu::BufferDescriptor {
            label,
            size: super::encode::padded_bytes(contents.len() as u64),
            usage,
            mapped_at_creation: true,
        });
        {
            let mut view =
                buffer
                    .get_mapped_range_mut(..)
                    .map_err(|e| match self.check_alive() {
                        Err(lost) => lost,
                        Ok(()) => Error::Gpu(format!("mapping a new buffer: {e}")),
                    })?;
            view.slice(..contents.len()).copy_from_slice(contents);
        }
        buffer.unmap();
        Ok(buffer)
    }
}

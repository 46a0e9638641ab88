//! Mapping buffers: reading them back to the host, writing host data into them (`map_async` +
//! a futures-intrusive channel).

use crate::error::{Error, Result};

/// Map `staging` (MAP_READ) and copy its first `len` bytes out. Polls the device until the map
/// completes (a blocking wait on native; the future resolves once the data is there).
pub async fn read(device: &wgpu::Device, staging: &wgpu::Buffer, len: u64) -> Result<Vec<u8>> {
    read_with(device, staging, len, |bytes| bytes.to_vec()).await
}

/// Map `staging` (MAP_READ), hand its first `len` bytes to `f` (which copies them where they
/// are needed: one copy, no intermediate vector), then unmap.
pub async fn read_with<T>(
    device: &wgpu::Device,
    staging: &wgpu::Buffer,
    len: u64,
    f: impl FnOnce(&[u8]) -> T,
) -> Result<T> {
    if len == 0 {
        return Ok(f(&[]));
    }
    let slice = staging.slice(..len);
    map(device, slice, wgpu::MapMode::Read).await?;
    let out = {
        let view = slice
            .get_mapped_range()
            .map_err(|e| Error::Gpu(format!("get_mapped_range: {e}")))?;
        f(&view)
    };
    staging.unmap();
    Ok(out)
}

/// Append little-endian f32s to `out` (a plain copy when `bytes` is aligned, as mapped ranges
/// are).
pub fn extend_f32(out: &mut Vec<f32>, bytes: &[u8]) {
    match bytemuck::try_cast_slice::<u8, f32>(bytes) {
        Ok(v) => out.extend_from_slice(v),
        Err(_) => out.extend(
            bytes
                .chunks_exact(4)
                .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]])),
        ),
    }
}

/// Write `data` at the start of `buffer` (MAP_WRITE, idle) through a mapping.
pub async fn write_mapped(device: &wgpu::Device, buffer: &wgpu::Buffer, data: &[u8]) -> Result<()> {
    let len = (data.len() as u64).div_ceil(4) * 4;
    if len == 0 {
        return Ok(());
    }
    let slice = buffer.slice(..len);
    map(device, slice, wgpu::MapMode::Write).await?;
    {
        let mut view = slice
            .get_mapped_range_mut()
            .map_err(|e| Error::Gpu(format!("get_mapped_range_mut: {e}")))?;
        view.slice(..data.len()).copy_from_slice(data);
    }
    buffer.unmap();
    Ok(())
}

/// Map `slice` and wait for it: polls the device until the map completes (a blocking wait on
/// native; the future resolves once the mapping is there).
async fn map(
    device: &wgpu::Device,
    slice: wgpu::BufferSlice<'_>,
    mode: wgpu::MapMode,
) -> Result<()> {
    let (tx, rx) = futures_intrusive::channel::shared::oneshot_channel();
    slice.map_async(mode, move |r| {
        let _ = tx.send(r);
    });
    device
        .poll(wgpu::PollType::wait_indefinitely())
        .map_err(|e| Error::Gpu(format!("waiting for the GPU: {e}")))?;
    match rx.receive().await {
        Some(Ok(())) => Ok(()),
        Some(Err(e)) => Err(Error::Gpu(format!("map_async failed: {e}"))),
        None => Err(Error::DeviceLost("map_async callback dropped".into())),
    }
}

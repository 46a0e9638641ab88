//! Reading a buffer back to the host: `map_async` + a futures-intrusive channel.

use crate::error::{Error, Result};

/// Map `staging` (MAP_READ) and copy its first `len` bytes out. Polls the device until the map
/// completes (a blocking wait on native; the future resolves once the data is there).
pub async fn read(device: &wgpu::Device, staging: &wgpu::Buffer, len: u64) -> Result<Vec<u8>> {
    if len == 0 {
        return Ok(Vec::new());
    }
    let slice = staging.slice(..len);
    let (tx, rx) = futures_intrusive::channel::shared::oneshot_channel();
    slice.map_async(wgpu::MapMode::Read, move |r| {
        let _ = tx.send(r);
    });
    device
        .poll(wgpu::PollType::wait_indefinitely())
        .map_err(|e| Error::Gpu(format!("waiting for the GPU: {e}")))?;
    match rx.receive().await {
        Some(Ok(())) => {}
        Some(Err(e)) => return Err(Error::Gpu(format!("map_async failed: {e}"))),
        None => return Err(Error::DeviceLost("map_async callback dropped".into())),
    }
    let bytes = {
        let view = slice
            .get_mapped_range()
            .map_err(|e| Error::Gpu(format!("get_mapped_range: {e}")))?;
        view.to_vec()
    };
    staging.unmap();
    Ok(bytes)
}

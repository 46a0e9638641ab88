//! The commands of one call, made and checked before anything is recorded.
//!
//! Every entry point first builds a [`Recording`]: its pipelines, buffers and bind groups are
//! created (under error scopes: a failure is returned, never left to the device), and each
//! command is checked against the device's limits and the buffers' usages here, so that
//! [`Recording::record`] cannot fail. An error therefore leaves the caller's encoder with
//! nothing of ours in it.

use super::pipelines::Kernel;
use crate::error::{Error, Result};

/// One command of a recording.
enum Step {
    /// A compute pass running `pipeline` once per (bind group, workgroup counts).
    Dispatch {
        label: &'static str,
        pipeline: wgpu::ComputePipeline,
        dispatches: Vec<(wgpu::BindGroup, [u32; 3])>,
    },
    Clear {
        buffer: wgpu::Buffer,
        offset: u64,
        size: u64,
    },
    Copy {
        from: wgpu::Buffer,
        from_offset: u64,
        to: wgpu::Buffer,
        to_offset: u64,
        size: u64,
    },
    /// Level `mip` of a 2-D texture (layer 0), to or from rows of `bytes_per_row` in `buffer`.
    Texels {
        to_texture: bool,
        texture: wgpu::Texture,
        mip: u32,
        buffer: wgpu::Buffer,
        bytes_per_row: u32,
        size: (u32, u32),
    },
}

/// The checked commands of a call, in order.
pub(crate) struct Recording {
    steps: Vec<Step>,
    max_workgroups: u32,
}

fn limit(what: &'static str, reason: String) -> Error {
    Error::limit(what, reason)
}

fn needs_usage(buffer: &wgpu::Buffer, usage: wgpu::BufferUsages, what: &str) -> Result<()> {
    if buffer.usage().contains(usage) {
        return Ok(());
    }
    Err(Error::input(
        "buffer",
        format!("{what} needs {usage:?} usage, has {:?}", buffer.usage()),
    ))
}

/// `[offset, offset + size)` is whole words inside `buffer`.
fn in_bounds(buffer: &wgpu::Buffer, offset: u64, size: u64, what: &str) -> Result<()> {
    let fits = offset
        .checked_add(size)
        .is_some_and(|end| end <= buffer.size());
    if !offset.is_multiple_of(4) || !size.is_multiple_of(4) || !fits {
        return Err(Error::input(
            "buffer",
            format!(
                "{what}: {size} bytes at {offset} are not whole words inside {} bytes",
                buffer.size()
            ),
        ));
    }
    Ok(())
}

impl Recording {
    pub fn new(limits: &wgpu::Limits) -> Recording {
        Recording {
            steps: Vec::new(),
            max_workgroups: limits.max_compute_workgroups_per_dimension,
        }
    }

    /// A compute pass of `pipeline`: one dispatch per bind group, each within the device's
    /// workgroup limit.
    pub fn dispatch(
        &mut self,
        kernel: &Kernel,
        dispatches: Vec<(wgpu::BindGroup, [u32; 3])>,
    ) -> Result<()> {
        let label = kernel.label;
        for (_, counts) in &dispatches {
            if counts.iter().any(|&c| c > self.max_workgroups) {
                return Err(limit(
                    "max_compute_workgroups_per_dimension",
                    format!(
                        "{label}: a dispatch of {counts:?} workgroups exceeds the device's {}",
                        self.max_workgroups
                    ),
                ));
            }
        }
        if !dispatches.is_empty() {
            self.steps.push(Step::Dispatch {
                label,
                pipeline: kernel.pipeline.clone(),
                dispatches,
            });
        }
        Ok(())
    }

    /// Zero `size` bytes of `buffer` at `offset` (whole words; COPY_DST usage).
    pub fn clear(&mut self, buffer: &wgpu::Buffer, offset: u64, size: u64) -> Result<()> {
        needs_usage(
            buffer,
            wgpu::BufferUsages::COPY_DST,
            "zero-filling a buffer",
        )?;
        in_bounds(buffer, offset, size, "zero-filling")?;
        if size > 0 {
            self.steps.push(Step::Clear {
                buffer: buffer.clone(),
                offset,
                size,
            });
        }
        Ok(())
    }

    /// Copy `size` bytes between two buffers (whole words; COPY_SRC and COPY_DST usage).
    pub fn copy(
        &mut self,
        (from, from_offset): (&wgpu::Buffer, u64),
        (to, to_offset): (&wgpu::Buffer, u64),
        size: u64,
    ) -> Result<()> {
        needs_usage(from, wgpu::BufferUsages::COPY_SRC, "reading a buffer back")?;
        needs_usage(to, wgpu::BufferUsages::COPY_DST, "copying into a buffer")?;
        in_bounds(from, from_offset, size, "copy source")?;
        in_bounds(to, to_offset, size, "copy destination")?;
        if from == to {
            return Err(Error::input("buffer", "a copy within one buffer"));
        }
        if size > 0 {
            self.steps.push(Step::Copy {
                from: from.clone(),
                from_offset,
                to: to.clone(),
                to_offset,
                size,
            });
        }
        Ok(())
    }

    /// Copy level `mip` (layer 0, `size` texels) of `texture` into rows of `bytes_per_row`
    /// in `buffer` (`to_texture` false), or back (`to_texture` true). The caller checked the
    /// texture's dimension, level and usage; this checks the buffer's side.
    pub fn texels(
        &mut self,
        to_texture: bool,
        texture: &wgpu::Texture,
        mip: u32,
        buffer: &wgpu::Buffer,
        bytes_per_row: u32,
        size: (u32, u32),
    ) -> Result<()> {
        let usage = if to_texture {
            wgpu::BufferUsages::COPY_SRC
        } else {
            wgpu::BufferUsages::COPY_DST
        };
        needs_usage(buffer, usage, "a texel copy")?;
        let bytes = u64::from(bytes_per_row) * u64::from(size.1);
        if !bytes_per_row.is_multiple_of(wgpu::COPY_BYTES_PER_ROW_ALIGNMENT)
            || bytes > buffer.size()
        {
            return Err(Error::input(
                "buffer",
                format!("texel rows of {bytes_per_row} bytes do not fit the staging buffer"),
            ));
        }
        self.steps.push(Step::Texels {
            to_texture,
            texture: texture.clone(),
            mip,
            buffer: buffer.clone(),
            bytes_per_row,
            size,
        });
        Ok(())
    }

    /// Record every command into `encoder`. Nothing here can fail: every command was checked
    /// when it was added.
    pub fn record(self, encoder: &mut wgpu::CommandEncoder) {
        for step in self.steps {
            match step {
                Step::Dispatch {
                    label,
                    pipeline,
                    dispatches,
                } => {
                    let mut pass = encoder.begin_compute_pass(&wgpu::ComputePassDescriptor {
                        label: Some(label),
                        timestamp_writes: None,
                    });
                    pass.set_pipeline(&pipeline);
                    for (group, [x, y, z]) in &dispatches {
                        pass.set_bind_group(0, group, &[]);
                        pass.dispatch_workgroups(*x, *y, *z);
                    }
                }
                Step::Clear {
                    buffer,
                    offset,
                    size,
                } => encoder.clear_buffer(&buffer, offset, Some(size)),
                Step::Copy {
                    from,
                    from_offset,
                    to,
                    to_offset,
                    size,
                } => encoder.copy_buffer_to_buffer(&from, from_offset, &to, to_offset, size),
                Step::Texels {
                    to_texture,
                    texture,
                    mip,
                    buffer,
                    bytes_per_row,
                    size: (width, height),
                } => {
                    let tex = wgpu::TexelCopyTextureInfo {
                        texture: &texture,
                        mip_level: mip,
                        origin: wgpu::Origin3d::ZERO,
                        aspect: wgpu::TextureAspect::All,
                    };
                    let buf = wgpu::TexelCopyBufferInfo {
                        buffer: &buffer,
                        layout: wgpu::TexelCopyBufferLayout {
                            offset: 0,
                            bytes_per_row: Some(bytes_per_row),
                            rows_per_image: Some(height),
                        },
                    };
                    let extent = wgpu::Extent3d {
                        width,
                        height,
                        depth_or_array_layers: 1,
                    };
                    if to_texture {
                        encoder.copy_buffer_to_texture(buf, tex, extent);
                    } else {
                        encoder.copy_texture_to_buffer(tex, buf, extent);
                    }
                }
            }
        }
    }
}

impl super::Resampler {
    /// Run `make` under validation and out-of-memory error scopes, so that a wgpu error
    /// raised while it creates buffers, bind groups or pipelines never reaches the device's
    /// uncaptured-error handler. On native targets the error is returned. On wasm32 the
    /// scopes resolve later (a browser cannot block): an error is kept and every later call
    /// of this `Resampler` returns it (see `check_alive`).
    pub(crate) fn scoped<T>(&self, make: impl FnOnce() -> Result<T>) -> Result<T> {
        let oom = self.device.push_error_scope(wgpu::ErrorFilter::OutOfMemory);
        let val = self.device.push_error_scope(wgpu::ErrorFilter::Validation);
        let made = make();
        #[cfg(not(target_arch = "wasm32"))]
        {
            let val = pollster::block_on(val.pop());
            let oom = pollster::block_on(oom.pop());
            match oom.or(val) {
                Some(e) => Err(scope_error(e)),
                None => made,
            }
        }
        #[cfg(target_arch = "wasm32")]
        {
            let (val, oom) = (val.pop(), oom.pop());
            let lost = self.lost.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let val = val.await;
                if let Some(e) = oom.await.or(val) {
                    if let Ok(mut l) = lost.lock() {
                        l.get_or_insert_with(|| format!("GPU error in an earlier call: {e}"));
                    }
                }
            });
            made
        }
    }
}

pub(crate) fn scope_error(e: wgpu::Error) -> Error {
    match e {
        wgpu::Error::OutOfMemory { .. } => Error::OutOfMemory(e.to_string()),
        wgpu::Error::Validation { description, .. } => Error::Validation(description),
        other => Error::Gpu(other.to_string()),
    }
}

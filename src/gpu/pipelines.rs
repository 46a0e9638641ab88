//! Shaders, explicit bind-group layouts and compute pipelines, built once per `Resampler`.
//!
//! Every shader has one entry point, `main`, and the bind-group layout
//! `0: uniform Params, 1..: storage buffers` written out below.

use crate::error::Result;

/// The WGSL sources; `(label, source)`.
pub const SHADERS: &[(&str, &str)] = &[
    ("resample.gather", include_str!("../../shaders/gather.wgsl")),
    ("resample.unpack", include_str!("../../shaders/unpack.wgsl")),
    ("resample.pack", include_str!("../../shaders/pack.wgsl")),
    ("resample.copy", include_str!("../../shaders/copy.wgsl")),
];

/// The size of `Params` in shaders/gather.wgsl, in bytes.
pub const PARAMS_SIZE: u64 = 32 * 4;

/// A pipeline and its bind-group layout.
pub struct Kernel {
    pub layout: wgpu::BindGroupLayout,
    pub pipeline: wgpu::ComputePipeline,
}

pub struct Pipelines {
    pub gather: Kernel,
    pub unpack: Kernel,
    pub pack: Kernel,
    pub copy: Kernel,
}

fn entry(binding: u32, ty: wgpu::BufferBindingType) -> wgpu::BindGroupLayoutEntry {
    wgpu::BindGroupLayoutEntry {
        binding,
        visibility: wgpu::ShaderStages::COMPUTE,
        ty: wgpu::BindingType::Buffer {
            ty,
            has_dynamic_offset: false,
            min_binding_size: None,
        },
        count: None,
    }
}

/// Build the pipeline of `SHADERS[index]` with a uniform at binding 0, then read-only
/// storage buffers, then one read-write storage buffer.
fn kernel(device: &wgpu::Device, index: usize, read_only: u32, uniform: bool) -> Kernel {
    let (label, source) = SHADERS[index];
    let mut entries = Vec::new();
    let mut b = 0;
    if uniform {
        entries.push(entry(0, wgpu::BufferBindingType::Uniform));
        b = 1;
    }
    for _ in 0..read_only {
        entries.push(entry(
            b,
            wgpu::BufferBindingType::Storage { read_only: true },
        ));
        b += 1;
    }
    entries.push(entry(
        b,
        wgpu::BufferBindingType::Storage { read_only: false },
    ));
    let layout = device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
        label: Some(label),
        entries: &entries,
    });
    let pipeline_layout = device.create_pipeline_layout(&wgpu::PipelineLayoutDescriptor {
        label: Some(label),
        bind_group_layouts: &[Some(&layout)],
        immediate_size: 0,
    });
    let module = device.create_shader_module(wgpu::ShaderModuleDescriptor {
        label: Some(label),
        source: wgpu::ShaderSource::Wgsl(source.into()),
    });
    let pipeline = device.create_compute_pipeline(&wgpu::ComputePipelineDescriptor {
        label: Some(label),
        layout: Some(&pipeline_layout),
        module: &module,
        entry_point: Some("main"),
        compilation_options: Default::default(),
        cache: None,
    });
    Kernel { layout, pipeline }
}

impl Pipelines {
    /// Compile every pipeline; errors (a shader the backend rejects) are captured by the
    /// caller's error scope.
    pub fn new(device: &wgpu::Device) -> Result<Pipelines> {
        Ok(Pipelines {
            gather: kernel(device, 0, 2, true),
            unpack: kernel(device, 1, 1, true),
            pack: kernel(device, 2, 1, true),
            copy: kernel(device, 3, 1, false),
        })
    }
}

//! Shaders, explicit bind-group layouts and compute pipelines, built once per `Resampler`.

use crate::error::Result;

/// The WGSL sources, one entry point (`main`) per file; `(label, source)`.
pub const SHADERS: &[(&str, &str)] =
    &[("resample.gather", include_str!("../../shaders/gather.wgsl"))];

/// The size of `Params` in shaders/gather.wgsl, in bytes.
pub const PARAMS_SIZE: u64 = 32 * 4;

pub struct Pipelines {
    pub gather_layout: wgpu::BindGroupLayout,
    pub gather: wgpu::ComputePipeline,
}

fn storage(binding: u32, read_only: bool) -> wgpu::BindGroupLayoutEntry {
    wgpu::BindGroupLayoutEntry {
        binding,
        visibility: wgpu::ShaderStages::COMPUTE,
        ty: wgpu::BindingType::Buffer {
            ty: wgpu::BufferBindingType::Storage { read_only },
            has_dynamic_offset: false,
            min_binding_size: None,
        },
        count: None,
    }
}

impl Pipelines {
    /// Compile every pipeline; errors (a shader the backend rejects) are captured by the
    /// caller's error scope.
    pub fn new(device: &wgpu::Device) -> Result<Pipelines> {
        let gather_layout = device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
            label: Some("resample.gather"),
            entries: &[
                wgpu::BindGroupLayoutEntry {
                    binding: 0,
                    visibility: wgpu::ShaderStages::COMPUTE,
                    ty: wgpu::BindingType::Buffer {
                        ty: wgpu::BufferBindingType::Uniform,
                        has_dynamic_offset: false,
                        min_binding_size: wgpu::BufferSize::new(PARAMS_SIZE),
                    },
                    count: None,
                },
                storage(1, true),
                storage(2, true),
                storage(3, false),
            ],
        });
        let layout = device.create_pipeline_layout(&wgpu::PipelineLayoutDescriptor {
            label: Some("resample.gather"),
            bind_group_layouts: &[Some(&gather_layout)],
            immediate_size: 0,
        });
        let (label, source) = SHADERS[0];
        let module = device.create_shader_module(wgpu::ShaderModuleDescriptor {
            label: Some(label),
            source: wgpu::ShaderSource::Wgsl(source.into()),
        });
        let gather = device.create_compute_pipeline(&wgpu::ComputePipelineDescriptor {
            label: Some(label),
            layout: Some(&layout),
            module: &module,
            entry_point: Some("main"),
            compilation_options: Default::default(),
            cache: None,
        });
        Ok(Pipelines {
            gather_layout,
            gather,
        })
    }
}

//! Shaders, explicit bind-group layouts and compute pipelines, built once per `Resampler`.
//!
//! Every shader has one entry point, `main`, and the bind-group layout
//! `0: uniform Params, 1..: storage buffers` written out below.

use crate::error::Result;

/// One pipeline's WGSL: its label, the files it is made of (an entry file, then shared parts
/// spliced after it), and the spliced source.
pub struct Shader {
    pub label: &'static str,
    pub files: &'static [&'static str],
    pub source: &'static str,
}

macro_rules! shader {
    ($label:literal, $($file:literal),+) => {
        Shader {
            label: $label,
            files: &[$($file),+],
            source: concat!($(include_str!(concat!("../../shaders/", $file))),+),
        }
    };
}

/// Every pipeline's shader, in the order `Pipelines::new` builds them.
pub const SHADERS: &[Shader] = &[
    shader!("resample.gather", "gather.wgsl", "gather_common.wgsl"),
    shader!(
        "resample.gather_storage",
        "gather_storage.wgsl",
        "gather_common.wgsl"
    ),
    shader!("resample.unpack", "unpack.wgsl"),
    shader!("resample.pack", "pack.wgsl"),
    shader!("resample.copy", "copy.wgsl"),
    shader!("resample.texels_unpack", "texels_unpack.wgsl"),
    shader!("resample.texels_pack", "texels_pack.wgsl"),
];

/// Size of the uniform table array in gather.wgsl, in bytes.
pub const UNIFORM_TABLE_BYTES: u64 = 4096 * 16;

/// The size of `Params` in shaders/gather.wgsl, in bytes.
pub const PARAMS_SIZE: u64 = 40 * 4;

/// A pipeline and its bind-group layout.
#[derive(Clone)]
pub struct Kernel {
    pub layout: wgpu::BindGroupLayout,
    pub pipeline: wgpu::ComputePipeline,
}

/// Which gather pipeline: tables in a uniform buffer or not, and the fixed tap counts
/// (0 = per-output counts from the tables) along D, H, W.
pub type GatherKey = (bool, [u32; 3]);

pub struct Pipelines {
    /// gather pipelines by key, built on first use (the generic ones at start-up).
    gather: std::sync::Mutex<std::collections::HashMap<GatherKey, Kernel>>,
    pub unpack: Kernel,
    pub pack: Kernel,
    pub copy: Kernel,
    pub texels_unpack: Kernel,
    pub texels_pack: Kernel,
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
/// storage buffers (or, with `uniform_tables`, a second uniform then storage buffers), then
/// one read-write storage buffer.
fn kernel(
    device: &wgpu::Device,
    index: usize,
    read_only: u32,
    uniform: bool,
    uniform_tables: bool,
) -> Kernel {
    kernel_with(device, index, read_only, uniform, uniform_tables, &[])
}

fn kernel_with(
    device: &wgpu::Device,
    index: usize,
    read_only: u32,
    uniform: bool,
    uniform_tables: bool,
    constants: &[(&str, f64)],
) -> Kernel {
    let Shader { label, source, .. } = SHADERS[index];
    let mut entries = Vec::new();
    let mut b = 0;
    if uniform {
        entries.push(entry(0, wgpu::BufferBindingType::Uniform));
        b = 1;
    }
    if uniform_tables {
        entries.push(entry(b, wgpu::BufferBindingType::Uniform));
        b += 1;
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
        compilation_options: wgpu::PipelineCompilationOptions {
            constants,
            ..Default::default()
        },
        cache: None,
    });
    Kernel { layout, pipeline }
}

impl Pipelines {
    /// Compile every pipeline; errors (a shader the backend rejects) are captured by the
    /// caller's error scope.
    pub fn new(device: &wgpu::Device) -> Result<Pipelines> {
        let mut gather = std::collections::HashMap::new();
        for uniform in [true, false] {
            gather.insert((uniform, [0; 3]), gather_kernel(device, (uniform, [0; 3])));
        }
        Ok(Pipelines {
            gather: std::sync::Mutex::new(gather),
            unpack: kernel(device, 2, 1, true, false),
            pack: kernel(device, 3, 1, true, false),
            copy: kernel(device, 4, 1, false, false),
            texels_unpack: kernel(device, 5, 1, true, false),
            texels_pack: kernel(device, 6, 1, true, false),
        })
    }
}

fn gather_kernel(device: &wgpu::Device, (uniform, taps): GatherKey) -> Kernel {
    let constants = [
        ("TAPS_D", taps[0] as f64),
        ("TAPS_H", taps[1] as f64),
        ("TAPS_W", taps[2] as f64),
    ];
    if uniform {
        kernel_with(device, 0, 1, true, true, &constants)
    } else {
        kernel_with(device, 1, 2, true, false, &constants)
    }
}

impl Pipelines {
    /// The gather pipeline for `key`, built now if this is its first use.
    pub fn gather(&self, device: &wgpu::Device, key: GatherKey) -> Kernel {
        let mut map = match self.gather.lock() {
            Ok(m) => m,
            Err(poisoned) => poisoned.into_inner(),
        };
        map.entry(key)
            .or_insert_with(|| gather_kernel(device, key))
            .clone()
    }
}

/// Record one compute pass running `pipeline` once per `(bind group, workgroup counts)`.
pub fn record(
    encoder: &mut wgpu::CommandEncoder,
    label: &str,
    pipeline: &wgpu::ComputePipeline,
    dispatches: &[(wgpu::BindGroup, [u32; 3])],
) {
    let mut pass = encoder.begin_compute_pass(&wgpu::ComputePassDescriptor {
        label: Some(label),
        timestamp_writes: None,
    });
    pass.set_pipeline(pipeline);
    for (group, [x, y, z]) in dispatches {
        pass.set_bind_group(0, group, &[]);
        pass.dispatch_workgroups(*x, *y, *z);
    }
}

/// A bind group of `layout` with `resources` at bindings 0, 1, 2, ... in order.
pub fn bind_group<const N: usize>(
    device: &wgpu::Device,
    label: &str,
    layout: &wgpu::BindGroupLayout,
    resources: [wgpu::BindingResource<'_>; N],
) -> wgpu::BindGroup {
    let entries: Vec<wgpu::BindGroupEntry> = resources
        .into_iter()
        .enumerate()
        .map(|(binding, resource)| wgpu::BindGroupEntry {
            binding: binding as u32,
            resource,
        })
        .collect();
    device.create_bind_group(&wgpu::BindGroupDescriptor {
        label: Some(label),
        layout,
        entries: &entries,
    })
}

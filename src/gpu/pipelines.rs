//! Shaders, explicit bind-group layouts and compute pipelines, built once per `Resampler`.
//!
//! Every shader has one entry point, `main`, and the explicit bind-group layout written out
//! below (bindings 0, 1, 2, ... in order; uniform buffers, then storage buffers).

use super::rows::{PeriodicTaps, MAX_TAPS_W};
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
    shader!(
        "resample.gather",
        "gather.wgsl",
        "gather_params.wgsl",
        "finish.wgsl",
        "gather_main.wgsl"
    ),
    shader!(
        "resample.gather_storage",
        "gather_storage.wgsl",
        "gather_params.wgsl",
        "finish.wgsl",
        "gather_main.wgsl"
    ),
    shader!(
        "resample.gather_window",
        "gather_window.wgsl",
        "window_store.wgsl",
        "gather_params.wgsl",
        "finish.wgsl",
        "gather_main.wgsl"
    ),
    shader!(
        "resample.gather_window_fixed",
        "gather_window.wgsl",
        "window_store.wgsl",
        "gather_params.wgsl",
        "finish.wgsl",
        "window_taps.wgsl",
        "gather_window_main.wgsl"
    ),
    shader!(
        "resample.gather_window_fixed_vec4",
        "gather_window.wgsl",
        "window_store_vec4.wgsl",
        "gather_params.wgsl",
        "finish.wgsl",
        "window_taps.wgsl",
        "gather_window_main.wgsl"
    ),
    shader!(
        "resample.gather_window_span",
        "gather_window.wgsl",
        "window_store.wgsl",
        "gather_params.wgsl",
        "finish.wgsl",
        "window_taps.wgsl",
        "gather_window_span.wgsl"
    ),
    shader!(
        "resample.gather_window_span_vec4",
        "gather_window.wgsl",
        "window_store_vec4.wgsl",
        "gather_params.wgsl",
        "finish.wgsl",
        "window_taps.wgsl",
        "gather_window_span.wgsl"
    ),
    shader!(
        "resample.gather_window_axis",
        "gather_window.wgsl",
        "window_store.wgsl",
        "gather_params.wgsl",
        "finish.wgsl",
        "gather_window_axis.wgsl"
    ),
    shader!(
        "resample.gather_window_axis_vec4",
        "gather_window.wgsl",
        "window_store_vec4.wgsl",
        "gather_params.wgsl",
        "finish.wgsl",
        "gather_window_axis.wgsl"
    ),
    shader!(
        "resample.rows_periodic",
        "rows.wgsl",
        "rows_src_f32.wgsl",
        "finish.wgsl",
        "rows_taps.wgsl",
        "rows_periodic.wgsl"
    ),
    shader!(
        "resample.rows_lines",
        "rows.wgsl",
        "rows_src_f32.wgsl",
        "finish.wgsl",
        "rows_taps.wgsl",
        "rows_lines.wgsl"
    ),
    shader!(
        "resample.rows_tabled",
        "rows.wgsl",
        "rows_src_f32.wgsl",
        "finish.wgsl",
        "rows_tabled.wgsl"
    ),
    shader!(
        "resample.rows_periodic_u64",
        "rows.wgsl",
        "rows_src_u64.wgsl",
        "finish.wgsl",
        "rows_taps.wgsl",
        "rows_periodic.wgsl"
    ),
    shader!(
        "resample.rows_lines_u64",
        "rows.wgsl",
        "rows_src_u64.wgsl",
        "finish.wgsl",
        "rows_taps.wgsl",
        "rows_lines.wgsl"
    ),
    shader!(
        "resample.rows_tabled_u64",
        "rows.wgsl",
        "rows_src_u64.wgsl",
        "finish.wgsl",
        "rows_tabled.wgsl"
    ),
    shader!(
        "resample.rows_periodic_pairs",
        "rows.wgsl",
        "rows_src_pairs.wgsl",
        "finish.wgsl",
        "rows_taps.wgsl",
        "rows_periodic.wgsl"
    ),
    shader!("resample.unpack", "unpack.wgsl"),
    shader!("resample.pack", "pack.wgsl"),
    shader!("resample.copy", "copy.wgsl"),
    shader!("resample.texels_unpack", "texels_unpack.wgsl"),
    shader!("resample.texels_pack", "texels_pack.wgsl"),
];

/// Size of the uniform table array in gather.wgsl, in bytes.
pub const UNIFORM_TABLE_BYTES: u64 = 4096 * 16;

/// Size of the uniform input window of gather_window.wgsl, in bytes.
pub const WINDOW_BYTES: u64 = 4096 * 16;

/// The size of `Params` in shaders/gather.wgsl, in bytes.
pub const PARAMS_SIZE: u64 = 44 * 4;

/// A pipeline and its bind-group layout.
#[derive(Clone)]
pub struct Kernel {
    pub layout: wgpu::BindGroupLayout,
    pub pipeline: wgpu::ComputePipeline,
}

/// Where a gather pipeline reads its tables and its input.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum GatherKind {
    /// Tables and input in storage buffers (tables too large for 64 KiB).
    StorageTables,
    /// Tables in a 64 KiB uniform buffer, input in a storage buffer (the general kernel).
    UniformTables,
    /// Tables and a 64 KiB input window in uniform buffers (CPU adapters).
    Window,
    /// The same for a pass with one non-identity axis (`taps` has its stride there, 0 on
    /// the others; gather_window_axis.wgsl).
    WindowAxis,
}

/// Which gather pipeline: its kind, the fixed tap counts (0 = per-output counts from the
/// tables) along D, H, W, for gather_window_main.wgsl log2 of its lanes per row
/// (`LANE_SHIFT`, 0 for the others), the pass's output flags (`OUTPUT_FLAGS`: u8 rounding,
/// clamp) and whether every weight is 1 (`UNIT_WEIGHTS`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct GatherKey {
    pub kind: GatherKind,
    pub taps: [u32; 3],
    pub lane_shift: u32,
    pub output_flags: u32,
    pub unit_weights: bool,
    /// The loop-free window kernels: tap counts vary (`VARIABLE`).
    pub variable: bool,
    /// The loop-free window kernels: the tables are runs (`RUN_TABLES`).
    pub run_tables: bool,
    /// The loop-free window kernels: the output is stored as aligned vec4s
    /// (window_store_vec4.wgsl).
    pub vec4_stores: bool,
    /// The fixed window kernel: the inputs per row its four columns share
    /// (gather_window_span.wgsl's `SPAN`), or 0 (gather_window_main.wgsl).
    pub span: u32,
}

impl GatherKey {
    /// The general pipelines, built at start-up.
    fn general(kind: GatherKind) -> GatherKey {
        GatherKey {
            kind,
            taps: [0; 3],
            lane_shift: 0,
            output_flags: 3,
            unit_weights: false,
            variable: false,
            run_tables: false,
            vec4_stores: false,
            span: 0,
        }
    }
}

pub struct Pipelines {
    /// gather pipelines by key, built on first use (the generic ones at start-up).
    gather: std::sync::Mutex<std::collections::HashMap<GatherKey, Kernel>>,
    /// row-kernel pipelines by key, built on first use (at most ROWS_CACHE kept).
    rows: std::sync::Mutex<std::collections::HashMap<RowsKey, Kernel>>,
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

use wgpu::BufferBindingType as Ty;
const UNIFORM: Ty = Ty::Uniform;
const READ: Ty = Ty::Storage { read_only: true };
const WRITE: Ty = Ty::Storage { read_only: false };

/// Build the pipeline of the shader labelled `label` with `bindings` at 0, 1, 2, ... in order.
fn kernel(device: &wgpu::Device, label: &str, bindings: &[Ty]) -> Kernel {
    kernel_with(device, label, bindings, &[])
}

fn kernel_with(
    device: &wgpu::Device,
    label: &str,
    bindings: &[Ty],
    constants: &[(&str, f64)],
) -> Kernel {
    // Labels are the constants of SHADERS: a miss is a bug of this file, caught by every test.
    let shader = SHADERS
        .iter()
        .find(|s| s.label == label)
        .unwrap_or(&SHADERS[0]);
    let (label, source) = (shader.label, shader.source);
    let entries: Vec<_> = (0u32..)
        .zip(bindings)
        .map(|(b, &ty)| entry(b, ty))
        .collect();
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
        for kind in [GatherKind::UniformTables, GatherKind::StorageTables] {
            let key = GatherKey::general(kind);
            gather.insert(key, gather_kernel(device, key));
        }
        Ok(Pipelines {
            gather: std::sync::Mutex::new(gather),
            rows: std::sync::Mutex::new(std::collections::HashMap::new()),
            unpack: kernel(device, "resample.unpack", &[UNIFORM, READ, WRITE]),
            pack: kernel(device, "resample.pack", &[UNIFORM, READ, WRITE]),
            copy: kernel(device, "resample.copy", &[READ, WRITE]),
            texels_unpack: kernel(device, "resample.texels_unpack", &[UNIFORM, READ, WRITE]),
            texels_pack: kernel(device, "resample.texels_pack", &[UNIFORM, READ, WRITE]),
        })
    }
}

/// Whether every axis has a fixed tap count (the window kind then runs
/// gather_window_main.wgsl).
pub fn fixed_taps(taps: [u32; 3]) -> bool {
    taps.iter().all(|&t| t > 0)
}

/// Whether the pipeline is one of the loop-free window kernels, whose workgroups cover
/// `64 >> LANE_SHIFT` rows (the host sizes the y grid accordingly).
pub fn packs_rows(kind: GatherKind, taps: [u32; 3]) -> bool {
    kind == GatherKind::WindowAxis || (kind == GatherKind::Window && fixed_taps(taps))
}

/// The label of the shader a gather key runs; `vec4_stores` applies to the loop-free window
/// kernels only.
pub fn gather_label(
    kind: GatherKind,
    taps: [u32; 3],
    vec4_stores: bool,
    span: u32,
) -> &'static str {
    match kind {
        GatherKind::Window if fixed_taps(taps) && span > 0 && vec4_stores => {
            "resample.gather_window_span_vec4"
        }
        GatherKind::Window if fixed_taps(taps) && span > 0 => "resample.gather_window_span",
        GatherKind::UniformTables => "resample.gather",
        GatherKind::StorageTables => "resample.gather_storage",
        // Every tap count fixed: the restructured main (gather_window_main.wgsl).
        GatherKind::Window if fixed_taps(taps) && vec4_stores => {
            "resample.gather_window_fixed_vec4"
        }
        GatherKind::Window if fixed_taps(taps) => "resample.gather_window_fixed",
        GatherKind::Window => "resample.gather_window",
        GatherKind::WindowAxis if vec4_stores => "resample.gather_window_axis_vec4",
        GatherKind::WindowAxis => "resample.gather_window_axis",
    }
}

fn gather_kernel(device: &wgpu::Device, key: GatherKey) -> Kernel {
    let GatherKey {
        kind,
        taps,
        lane_shift,
        output_flags,
        unit_weights,
        variable,
        run_tables,
        vec4_stores,
        span,
    } = key;
    let one_plane = kind == GatherKind::Window;
    let label = gather_label(kind, taps, vec4_stores, span);
    let mut constants = vec![
        ("TAPS_D", taps[0] as f64),
        ("TAPS_H", taps[1] as f64),
        ("TAPS_W", taps[2] as f64),
        ("ONE_PLANE", if one_plane { 1.0 } else { 0.0 }),
        ("OUTPUT_FLAGS", output_flags as f64),
        ("UNIT_WEIGHTS", if unit_weights { 1.0 } else { 0.0 }),
    ];
    if kind == GatherKind::Window && fixed_taps(taps) {
        constants.push(("LANE_SHIFT", lane_shift as f64));
        constants.push(("VARIABLE", if variable { 1.0 } else { 0.0 }));
        constants.push(("RUN_TABLES", if run_tables { 1.0 } else { 0.0 }));
        if span > 0 {
            constants.push(("SPAN", span as f64));
        }
    }
    if kind == GatherKind::WindowAxis {
        // The one axis with taps: its stride, and its index as AXIS.
        let axis = taps.iter().rposition(|&t| t > 0).unwrap_or(2);
        constants = vec![
            ("LANE_SHIFT", lane_shift as f64),
            ("AXIS", axis as f64),
            ("TAPS", taps[axis].max(1) as f64),
            ("VARIABLE", if variable { 1.0 } else { 0.0 }),
            ("OUTPUT_FLAGS", output_flags as f64),
            ("UNIT_WEIGHTS", if unit_weights { 1.0 } else { 0.0 }),
            ("RUN_TABLES", if run_tables { 1.0 } else { 0.0 }),
        ];
    }
    let bindings = match kind {
        GatherKind::UniformTables => [UNIFORM, UNIFORM, READ, WRITE],
        GatherKind::StorageTables => [UNIFORM, READ, READ, WRITE],
        GatherKind::Window | GatherKind::WindowAxis => [UNIFORM, UNIFORM, UNIFORM, WRITE],
    };
    kernel_with(device, label, &bindings, &constants)
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

/// Which row-kernel pipeline (shaders/rows*.wgsl): the pass's D and H taps and whether their
/// counts vary (see `rows::RowsPass`), the part's lane group width, span and W taps (see
/// `rows::Part`), output flags, and for rows_periodic.wgsl its W tap
/// constants.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct RowsKey {
    /// rows_lines.wgsl: `g` output rows per lane, `span` input rows (`LINES`).
    pub lines: bool,
    pub taps_d: u32,
    pub taps_h: u32,
    pub variable: bool,
    pub g: u32,
    pub span: u32,
    pub taps: u32,
    pub output_flags: u32,
    pub periodic: Option<PeriodicTaps>,
    /// How the kernel loads its input (the u64 kinds need SHADER_INT64).
    pub loads: Loads,
}

/// Row-kernel pipelines kept (periodic ones are built per W pattern: per scale, not per
/// shape); past it the cache starts again.
const ROWS_CACHE: usize = 256;

/// How a row kernel loads its input: `vec4<f32>`s (shaders/rows_src_f32.wgsl), `vec2<u64>`s
/// (rows_src_u64.wgsl) or pairs of vec4s as `vec4<u64>`s (rows_src_pairs.wgsl; periodic
/// parts only).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Loads {
    F32,
    U64,
    Pairs,
}

/// The row kernel's label: rows_lines, rows_periodic or rows_tabled, with `_u64` or
/// `_pairs` after it as it loads its input (see [`Loads`]).
pub fn rows_label(periodic: bool, lines: bool, loads: Loads) -> &'static str {
    match (periodic, lines, loads) {
        (_, true, Loads::F32) => "resample.rows_lines",
        (true, false, Loads::F32) => "resample.rows_periodic",
        (false, false, Loads::F32) => "resample.rows_tabled",
        (_, true, _) => "resample.rows_lines_u64",
        (true, false, Loads::U64) => "resample.rows_periodic_u64",
        (true, false, Loads::Pairs) => "resample.rows_periodic_pairs",
        (false, false, _) => "resample.rows_tabled_u64",
    }
}

fn rows_kernel(device: &wgpu::Device, key: &RowsKey) -> Kernel {
    let mut constants: Vec<(String, f64)> = vec![
        ("TAPS_D".into(), key.taps_d as f64),
        ("TAPS_H".into(), key.taps_h as f64),
        ("VARIABLE".into(), if key.variable { 1.0 } else { 0.0 }),
        ("G".into(), key.g as f64),
        (
            if key.lines { "LINES" } else { "SPAN" }.into(),
            key.span as f64,
        ),
        ("TAPS_W".into(), key.taps as f64),
        ("OUTPUT_FLAGS".into(), key.output_flags as f64),
    ];
    if let Some(p) = &key.periodic {
        constants.push(("P".into(), p.phases as f64));
        for (j, &o) in p.offsets.iter().enumerate() {
            constants.push((format!("OFF_{j}"), o as f64));
        }
        for (q, &c) in p.counts.iter().enumerate() {
            constants.push((format!("COUNT_{q}"), c as f64));
        }
        for (i, &w) in p.weights.iter().enumerate() {
            let name = format!("WT_{}_{}", i / MAX_TAPS_W, i % MAX_TAPS_W);
            constants.push((name, f32::from_bits(w) as f64));
        }
    }
    let named: Vec<(&str, f64)> = constants.iter().map(|(n, v)| (n.as_str(), *v)).collect();
    kernel_with(
        device,
        rows_label(key.periodic.is_some(), key.lines, key.loads),
        &[UNIFORM, UNIFORM, UNIFORM, UNIFORM, READ, READ, WRITE],
        &named,
    )
}

impl Pipelines {
    /// The row-kernel pipeline for `key`, built now if this is its first use.
    pub fn rows(&self, device: &wgpu::Device, key: &RowsKey) -> Kernel {
        let mut map = match self.rows.lock() {
            Ok(m) => m,
            Err(poisoned) => poisoned.into_inner(),
        };
        if let Some(k) = map.get(key) {
            return k.clone();
        }
        if map.len() >= ROWS_CACHE {
            map.clear();
        }
        let k = rows_kernel(device, key);
        map.insert(key.clone(), k.clone());
        k
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

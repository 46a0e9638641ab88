//! Shaders, explicit bind-group layouts and compute pipelines, built once per `Resampler`.
//!
//! Every shader has one entry point, `main`, and the explicit bind-group layout written out
//! below (bindings 0, 1, 2, ... in order; uniform buffers, then storage buffers).

use super::rows::{PeriodicTaps, MAX_TAPS_W};
use super::shaders;
use crate::error::{Error, Result};

/// Every pipeline's entry file under shaders/ (without `.wgsl`): its label.
#[cfg(test)]
pub const ENTRIES: &[&str] = &[
    "gather/uniform_tables",
    "gather/storage_tables",
    "window/general",
    "window/fixed",
    "window/fixed_vec4",
    "window/span",
    "window/span_vec4",
    "window/axis",
    "window/axis_vec4",
    "rows/periodic",
    "rows/lines",
    "rows/tabled",
    "rows/periodic_u64",
    "rows/lines_u64",
    "rows/tabled_u64",
    "rows/periodic_pairs",
    "convert/unpack",
    "convert/pack",
    "bench/copy",
    "convert/texels_unpack",
    "convert/texels_pack",
];

/// Size of the uniform table array in gather/uniform_tables.wgsl, in bytes.
pub const UNIFORM_TABLE_BYTES: u64 = 4096 * 16;

/// Size of the uniform input window of window/bindings.wgsl, in bytes.
pub const WINDOW_BYTES: u64 = 4096 * 16;

/// The size of `Params` in shaders/gather.wgsl, in bytes.
pub const PARAMS_SIZE: u64 = 44 * 4;

/// A pipeline, its entry file (label) and its bind-group layout.
#[derive(Clone)]
pub struct Kernel {
    pub label: &'static str,
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
    /// the others; window/axis_main.wgsl).
    WindowAxis,
}

/// Which gather pipeline: its kind, the fixed tap counts (0 = per-output counts from the
/// tables) along D, H, W, for window/fixed_main.wgsl log2 of its lanes per row
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
    /// (window/store_vec4.wgsl).
    pub vec4_stores: bool,
    /// The fixed window kernel: the inputs per row its four columns share
    /// (window/span_main.wgsl's `SPAN`), or 0 (window/fixed_main.wgsl).
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

/// Build the pipeline of entry `label` (see [`ENTRIES`]) with `bindings` at 0, 1, 2, ... in
/// order.
fn kernel(device: &wgpu::Device, label: &'static str, bindings: &[Ty]) -> Result<Kernel> {
    kernel_with(device, label, bindings, &[])
}

fn kernel_with(
    device: &wgpu::Device,
    label: &'static str,
    bindings: &[Ty],
    constants: &[(&str, f64)],
) -> Result<Kernel> {
    let source = shaders::compose(&format!("{label}.wgsl"))
        .map_err(|e| Error::Gpu(format!("shader {label}: {e}")))?;
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
    Ok(Kernel {
        label,
        layout,
        pipeline,
    })
}

impl Pipelines {
    /// Compile every pipeline; errors (a shader the backend rejects) are captured by the
    /// caller's error scope.
    pub fn new(device: &wgpu::Device) -> Result<Pipelines> {
        let mut gather = std::collections::HashMap::new();
        for kind in [GatherKind::UniformTables, GatherKind::StorageTables] {
            let key = GatherKey::general(kind);
            gather.insert(key, gather_kernel(device, key)?);
        }
        Ok(Pipelines {
            gather: std::sync::Mutex::new(gather),
            rows: std::sync::Mutex::new(std::collections::HashMap::new()),
            unpack: kernel(device, "convert/unpack", &[UNIFORM, READ, WRITE])?,
            pack: kernel(device, "convert/pack", &[UNIFORM, READ, WRITE])?,
            copy: kernel(device, "bench/copy", &[READ, WRITE])?,
            texels_unpack: kernel(device, "convert/texels_unpack", &[UNIFORM, READ, WRITE])?,
            texels_pack: kernel(device, "convert/texels_pack", &[UNIFORM, READ, WRITE])?,
        })
    }
}

/// Whether every axis has a fixed tap count (the window kind then runs
/// window/fixed_main.wgsl).
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
        GatherKind::Window if fixed_taps(taps) && span > 0 && vec4_stores => "window/span_vec4",
        GatherKind::Window if fixed_taps(taps) && span > 0 => "window/span",
        GatherKind::UniformTables => "gather/uniform_tables",
        GatherKind::StorageTables => "gather/storage_tables",
        // Every tap count fixed: the restructured main (window/fixed_main.wgsl).
        GatherKind::Window if fixed_taps(taps) && vec4_stores => "window/fixed_vec4",
        GatherKind::Window if fixed_taps(taps) => "window/fixed",
        GatherKind::Window => "window/general",
        GatherKind::WindowAxis if vec4_stores => "window/axis_vec4",
        GatherKind::WindowAxis => "window/axis",
    }
}

fn gather_kernel(device: &wgpu::Device, key: GatherKey) -> Result<Kernel> {
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
    pub fn gather(&self, device: &wgpu::Device, key: GatherKey) -> Result<Kernel> {
        let mut map = match self.gather.lock() {
            Ok(m) => m,
            Err(poisoned) => poisoned.into_inner(),
        };
        if let Some(k) = map.get(&key) {
            return Ok(k.clone());
        }
        let k = gather_kernel(device, key)?;
        map.insert(key, k.clone());
        Ok(k)
    }
}

/// Which row-kernel pipeline (shaders/rows*.wgsl): the pass's D and H taps and whether their
/// counts vary (see `rows::RowsPass`), the part's lane group width, span and W taps (see
/// `rows::Part`), output flags, and for rows/periodic_main.wgsl its W tap
/// constants.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct RowsKey {
    /// rows/lines_main.wgsl: `g` output rows per lane, `span` input rows (`LINES`).
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
/// (rows/src_u64.wgsl) or pairs of vec4s as `vec4<u64>`s (rows/src_pairs.wgsl; periodic
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
        (_, true, Loads::F32) => "rows/lines",
        (true, false, Loads::F32) => "rows/periodic",
        (false, false, Loads::F32) => "rows/tabled",
        (_, true, _) => "rows/lines_u64",
        (true, false, Loads::U64) => "rows/periodic_u64",
        (true, false, Loads::Pairs) => "rows/periodic_pairs",
        (false, false, _) => "rows/tabled_u64",
    }
}

fn rows_kernel(device: &wgpu::Device, key: &RowsKey) -> Result<Kernel> {
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
    pub fn rows(&self, device: &wgpu::Device, key: &RowsKey) -> Result<Kernel> {
        let mut map = match self.rows.lock() {
            Ok(m) => m,
            Err(poisoned) => poisoned.into_inner(),
        };
        if let Some(k) = map.get(key) {
            return Ok(k.clone());
        }
        if map.len() >= ROWS_CACHE {
            map.clear();
        }
        let k = rows_kernel(device, key)?;
        map.insert(key.clone(), k.clone());
        Ok(k)
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

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
    "convert/unpack",
    "convert/pack",
    "bench/copy",
    "convert/texels_unpack",
    "image/unpack",
    "image/pack",
    "convert/texels_pack",
    "common/fill",
    "strips/row_f32",
    "strips/row_u64",
    "strips/line_f32",
    "strips/line_u64",
    "strips/row_wide_f32",
    "strips/row_wide_u64",
    "strips/line_wide_f32",
    "strips/line_wide_u64",
    "strips/tile_f32",
    "strips/tile_u64",
    "strips/row_u8",
    "strips/line_u8",
    "strips/row_wide_u8",
    "strips/line_wide_u8",
    "strips/tile_u8",
    "rows/periodic",
    "rows/lines",
    "rows/tabled",
    "rows/periodic_u64",
    "rows/lines_u64",
    "rows/tabled_u64",
    "rows/periodic_pairs",
    "rows/periodic_u8",
    "rows/lines_u8",
    "rows/tabled_u8",
];

/// Size of the uniform table array in gather/uniform_tables.wgsl, in bytes.
pub const UNIFORM_TABLE_BYTES: u64 = 4096 * 16;

/// A pipeline, its entry file (label) and its bind-group layout.
#[derive(Clone)]
pub struct Kernel {
    pub label: &'static str,
    pub layout: wgpu::BindGroupLayout,
    pub pipeline: wgpu::ComputePipeline,
}

/// Where a gather pipeline reads its tables.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum GatherKind {
    /// Tables in a storage buffer (a dispatch's table rows exceed 64 KiB).
    StorageTables,
    /// Tables in a 64 KiB uniform buffer.
    UniformTables,
}

/// Which gather pipeline: its kind, the fixed tap counts along D, H, W (0 = each output's
/// count from the tables) and whether every weight is 1 (`UNIT_WEIGHTS`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct GatherKey {
    pub kind: GatherKind,
    pub taps: [u32; 3],
    pub unit_weights: bool,
}

impl GatherKey {
    /// The general pipelines, built at start-up.
    fn general(kind: GatherKind) -> GatherKey {
        GatherKey {
            kind,
            taps: [0; 3],
            unit_weights: false,
        }
    }

    /// The entry file of the key's pipeline.
    pub fn label(&self) -> &'static str {
        match self.kind {
            GatherKind::UniformTables => "gather/uniform_tables",
            GatherKind::StorageTables => "gather/storage_tables",
        }
    }
}

/// Which strips pipeline (shaders/strips/): the kernel, the span length, whether every
/// access is aligned, and how the input loads (the u64 entries need SHADER_INT64; the u8
/// entries read a uint8 tensor's bytes). A bounded
/// set per device: the row kernel (1 to 3 channels) and the line kernel, 8 and 12 spans, and
/// the tile kernel, 8 spans x 12 rows x 2 column widths; x 2 alignments x 2 finishes each.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct StripsKey {
    pub shape: super::strips::plan::Shape,
    pub span: u32,
    pub aligned: bool,
    /// The pass rounds to uint8 or clamps (`FINISH`; the flags themselves are run-time).
    pub finish: bool,
    /// `F32`, `U64` or `U8` (never `Pairs`).
    pub loads: Loads,
    /// The tile kernel: input rows per row group (`ROWS`), output columns per lane (`COLS`),
    /// and whether the W-filtered values round to uint8 (`ROUND_MID`); 0, 4, false otherwise.
    pub rows: u32,
    pub cols: u32,
    pub round_mid: bool,
    /// Some table weight is poisoned (`POISON` of strips/weights.wgsl).
    pub poisoned: bool,
}

impl StripsKey {
    /// The entry file of the key's pipeline.
    pub fn label(&self) -> &'static str {
        use super::strips::plan::Shape;
        let wide = self.span > 32;
        match (self.shape, self.loads) {
            (Shape::Row { .. }, Loads::U8) if wide => "strips/row_wide_u8",
            (Shape::Line, Loads::U8) if wide => "strips/line_wide_u8",
            (Shape::Row { .. }, Loads::U8) => "strips/row_u8",
            (Shape::Line, Loads::U8) => "strips/line_u8",
            (Shape::Tile, Loads::U8) => "strips/tile_u8",
            (Shape::Row { .. }, Loads::F32) if wide => "strips/row_wide_f32",
            (Shape::Row { .. }, _) if wide => "strips/row_wide_u64",
            (Shape::Line, Loads::F32) if wide => "strips/line_wide_f32",
            (Shape::Line, _) if wide => "strips/line_wide_u64",
            (Shape::Row { .. }, Loads::F32) => "strips/row_f32",
            (Shape::Row { .. }, _) => "strips/row_u64",
            (Shape::Line, Loads::F32) => "strips/line_f32",
            (Shape::Line, _) => "strips/line_u64",
            (Shape::Tile, Loads::F32) => "strips/tile_f32",
            (Shape::Tile, _) => "strips/tile_u64",
        }
    }
}

pub struct Pipelines {
    /// strips pipelines by key, built on first use.
    strips: std::sync::Mutex<std::collections::HashMap<StripsKey, Kernel>>,
    /// gather pipelines by key, built on first use (the general ones at start-up).
    gather: std::sync::Mutex<std::collections::HashMap<GatherKey, Kernel>>,
    /// row-kernel pipelines by key, built on first use (at most ROWS_PIPELINES).
    rows: std::sync::Mutex<std::collections::HashMap<RowsKey, Kernel>>,
    /// The choice (see [`Pipelines::next_call`]) that first asked for each row-kernel
    /// pipeline not built yet.
    rows_asked: std::sync::Mutex<std::collections::HashMap<RowsKey, u64>>,
    calls: std::sync::atomic::AtomicU64,
    /// The choice that first asked for each tile-kernel pass, by its hash (see
    /// [`Pipelines::tile_allowed`]).
    tile_asked: std::sync::Mutex<std::collections::HashMap<u64, u64>>,
    /// The tile-kernel shapes allowed so far (at most TILE_PIPELINES).
    tile_shapes: std::sync::Mutex<std::collections::HashSet<(u32, u32, u32, bool)>>,
    /// The conversions, by `KIND` (0: uint8, 1: float16; `convert::kind`).
    pub unpack: [Kernel; 2],
    pub pack: [Kernel; 2],
    /// The bench's yardstick (`resample bench`).
    #[cfg(all(feature = "cli", not(target_arch = "wasm32")))]
    pub copy: Kernel,
    pub texels_unpack: Kernel,
    pub texels_pack: Kernel,
    pub fill: Kernel,
    /// The image conversions (shaders/image/) by (pack, `SAMPLE`), built on first use.
    image: std::sync::Mutex<std::collections::HashMap<(bool, u32), Kernel>>,
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
            strips: std::sync::Mutex::new(std::collections::HashMap::new()),
            gather: std::sync::Mutex::new(gather),
            rows: std::sync::Mutex::new(std::collections::HashMap::new()),
            rows_asked: std::sync::Mutex::new(std::collections::HashMap::new()),
            calls: std::sync::atomic::AtomicU64::new(0),
            tile_asked: std::sync::Mutex::new(std::collections::HashMap::new()),
            tile_shapes: std::sync::Mutex::new(std::collections::HashSet::new()),
            unpack: [
                convert_kernel(device, "convert/unpack", 0)?,
                convert_kernel(device, "convert/unpack", 1)?,
            ],
            pack: [
                convert_kernel(device, "convert/pack", 0)?,
                convert_kernel(device, "convert/pack", 1)?,
            ],
            #[cfg(all(feature = "cli", not(target_arch = "wasm32")))]
            copy: kernel(device, "bench/copy", &[READ, WRITE])?,
            texels_unpack: kernel(device, "convert/texels_unpack", &[UNIFORM, READ, WRITE])?,
            texels_pack: kernel(device, "convert/texels_pack", &[UNIFORM, READ, WRITE])?,
            fill: kernel(device, "common/fill", &[UNIFORM, WRITE])?,
            image: std::sync::Mutex::new(std::collections::HashMap::new()),
        })
    }
}

/// A conversion pipeline (shaders/convert/) for element `kind`.
fn convert_kernel(device: &wgpu::Device, label: &'static str, kind: u32) -> Result<Kernel> {
    let bindings = [UNIFORM, READ, WRITE];
    kernel_with(device, label, &bindings, &[("KIND", f64::from(kind))])
}

fn gather_kernel(device: &wgpu::Device, key: GatherKey) -> Result<Kernel> {
    let constants = [
        ("TAPS_D", f64::from(key.taps[0])),
        ("TAPS_H", f64::from(key.taps[1])),
        ("TAPS_W", f64::from(key.taps[2])),
        ("UNIT_WEIGHTS", if key.unit_weights { 1.0 } else { 0.0 }),
    ];
    let bindings = match key.kind {
        GatherKind::UniformTables => [UNIFORM, UNIFORM, READ, WRITE],
        GatherKind::StorageTables => [UNIFORM, READ, READ, WRITE],
    };
    kernel_with(device, key.label(), &bindings, &constants)
}

impl Pipelines {
    /// The image conversion pipeline (shaders/image/pack.wgsl if `pack`, else unpack.wgsl)
    /// for sample type `sample`, built now if this is its first use.
    pub fn image(&self, device: &wgpu::Device, pack: bool, sample: u32) -> Result<Kernel> {
        let mut map = match self.image.lock() {
            Ok(m) => m,
            Err(poisoned) => poisoned.into_inner(),
        };
        if let Some(k) = map.get(&(pack, sample)) {
            return Ok(k.clone());
        }
        let (label, bindings): (&'static str, &[Ty]) = if pack {
            ("image/pack", &[UNIFORM, READ, READ, WRITE])
        } else {
            ("image/unpack", &[UNIFORM, READ, WRITE, WRITE, WRITE, WRITE])
        };
        let k = kernel_with(device, label, bindings, &[("SAMPLE", f64::from(sample))])?;
        map.insert((pack, sample), k.clone());
        Ok(k)
    }

    /// The strips pipeline for `key`, built now if this is its first use.
    pub fn strips(&self, device: &wgpu::Device, key: StripsKey) -> Result<Kernel> {
        let mut map = match self.strips.lock() {
            Ok(m) => m,
            Err(poisoned) => poisoned.into_inner(),
        };
        if let Some(k) = map.get(&key) {
            return Ok(k.clone());
        }
        let mut constants = vec![
            ("SPAN", f64::from(key.span)),
            ("ALIGNED", if key.aligned { 1.0 } else { 0.0 }),
            ("FINISH", if key.finish { 1.0 } else { 0.0 }),
            ("POISON", if key.poisoned { 1.0 } else { 0.0 }),
        ];
        match key.shape {
            super::strips::plan::Shape::Row { channels } => {
                constants.push(("CHANNELS", f64::from(channels)));
            }
            super::strips::plan::Shape::Tile => {
                constants.push(("ROWS", f64::from(key.rows)));
                constants.push(("COLS", f64::from(key.cols)));
                constants.push(("ROUND_MID", if key.round_mid { 1.0 } else { 0.0 }));
            }
            super::strips::plan::Shape::Line => {}
        }
        let k = kernel_with(
            device,
            key.label(),
            &[UNIFORM, READ, READ, WRITE],
            &constants,
        )?;
        map.insert(key, k.clone());
        Ok(k)
    }

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
    pub periodic: Option<PeriodicTaps>,
    /// How the kernel loads its input (the u64 kinds need SHADER_INT64).
    pub loads: Loads,
}

/// Row-kernel pipelines a device builds at most. Periodic ones are built per tap pattern
/// (per scale and mode, not per shape); once this many are built, passes whose patterns are
/// not among them run on the strips kernels, whose pipelines are a fixed set: the compile
/// work of a stream of ever new scales is bounded.
pub const ROWS_PIPELINES: usize = 64;

/// The most tile-kernel shapes (span, input rows, columns per lane, alignment) a device runs
/// on the tile kernel; other shapes run on the row and line kernels.
pub const TILE_PIPELINES: usize = 12;

/// How a row or strips kernel loads its input: `vec4<f32>`s (rows/src_f32.wgsl), `vec2<u64>`s
/// (rows/src_u64.wgsl), pairs of vec4s as `vec4<u64>`s (rows/src_pairs.wgsl; periodic
/// row-kernel parts only), or a uint8 tensor's bytes, four to a word (rows/src_u8.wgsl;
/// the whole buffer bound).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Loads {
    F32,
    U64,
    Pairs,
    U8,
}

/// The row kernel's label: rows_lines, rows_periodic or rows_tabled, with `_u64`, `_pairs`
/// or `_u8` after it as it loads its input (see [`Loads`]).
pub fn rows_label(periodic: bool, lines: bool, loads: Loads) -> &'static str {
    match (periodic, lines, loads) {
        (_, true, Loads::U8) => "rows/lines_u8",
        (true, false, Loads::U8) => "rows/periodic_u8",
        (false, false, Loads::U8) => "rows/tabled_u8",
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

/// The map behind `m`, also after a panic elsewhere poisoned the lock.
fn lock<T>(m: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    match m.lock() {
        Ok(g) => g,
        Err(poisoned) => poisoned.into_inner(),
    }
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
        let k = rows_kernel(device, key)?;
        map.insert(key.clone(), k.clone());
        Ok(k)
    }

    /// Whether a tile-kernel pass of `shape` (span, input rows, columns per lane, aligned)
    /// may run during choice `call`: if a pass of that shape already may, or else if an
    /// earlier choice asked for this very `pattern` (a hash of the pass: its sizes and
    /// weights) and fewer than [`TILE_PIPELINES`] shapes may. The tile kernel's pipelines are
    /// many (one per shape) and lavapipe compiles each at its first dispatch (up to seconds
    /// here): a stream of ever new sizes runs on the row and line kernels, whose pipelines
    /// are few, and a call that repeats moves to the tile kernel from its second time on.
    pub fn tile_allowed(&self, shape: (u32, u32, u32, bool), pattern: u64, call: u64) -> bool {
        let mut shapes = lock(&self.tile_shapes);
        if shapes.contains(&shape) {
            return true;
        }
        let first = *lock(&self.tile_asked).entry(pattern).or_insert(call);
        if first < call && shapes.len() < TILE_PIPELINES {
            shapes.insert(shape);
            return true;
        }
        false
    }

    /// A number for one choice of kernels (one call of `Resampler::steps`).
    pub fn next_call(&self) -> u64 {
        self.calls
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    }

    /// Whether the row-kernel pipelines of `keys` are built or may be built now, during
    /// choice `call`: those not built must have been asked for by an earlier choice (a
    /// pattern's first call runs on the strips kernels, whose pipelines are a fixed set, so
    /// a stream of ever new sizes compiles nothing of its own), and at most
    /// [`ROWS_PIPELINES`] are built in all.
    pub fn rows_allowed(&self, keys: &[RowsKey], call: u64) -> bool {
        let map = lock(&self.rows);
        let mut asked = lock(&self.rows_asked);
        let new: std::collections::HashSet<&RowsKey> =
            keys.iter().filter(|k| !map.contains_key(k)).collect();
        let mut earlier = true;
        for &k in &new {
            let first = *asked.entry(k.clone()).or_insert(call);
            earlier &= first < call;
        }
        earlier && map.len() + new.len() <= ROWS_PIPELINES
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

//! `Resampler`: owns the pipelines and runs plans on a wgpu device.

use super::chunks::{self, ChunkLimits, Strides};
use super::pipelines::{
    self, bind_group, GatherKey, GatherKind, Pipelines, PARAMS_SIZE, UNIFORM_TABLE_BYTES,
    WINDOW_BYTES,
};
use super::recording::{scope_error, scoped, Recording};
use super::tensor::{Element, GpuTensor};
use super::{context, readback, rows};
use crate::conformance::Backend;
use crate::error::{Error, Result};
use crate::options::{Clamp, Options};
use crate::plan::{AxisTable, Call, DType, Direction, Pass, Plan};
use crate::util::check_len;
use std::sync::{Arc, Mutex};

/// `Params` of shaders/gather.wgsl.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, bytemuck::Pod, bytemuck::Zeroable)]
struct Params {
    out_w: u32,
    out_h: u32,
    out_d: u32,
    channels: u32,
    s_n: u32,
    s_c: u32,
    s_d: u32,
    s_h: u32,
    s_w: u32,
    t_n: u32,
    t_c: u32,
    t_d: u32,
    t_h: u32,
    t_w: u32,
    src_base: u32,
    dst_base: u32,
    p0: u32,
    planes: u32,
    plane_group: u32,
    h0: u32,
    d0: u32,
    d_count: u32,
    flags: u32,
    taps_d: u32,
    taps_h: u32,
    taps_w: u32,
    tab_d: u32,
    tab_h: u32,
    tab_w: u32,
    clamp_min: f32,
    clamp_max: f32,
    w0: u32,
    w_count: u32,
    rows_d: u32,
    rows_h: u32,
    n_first: u32,
    c_first: u32,
    s_plane: u32,
    t_plane: u32,
    lane_shift: u32,
    last_d: u32,
    last_h: u32,
    last_w: u32,
    _pad: u32,
}

/// How a pass runs: the gather pipeline (kind, taps, lanes per row, variable counts; see
/// `GatherKey`) and its chunks.
struct PassLayout {
    kind: GatherKind,
    taps: [u32; 3],
    lane_shift: u32,
    variable: bool,
    /// Run tables (`AxisTable::run_starts`) of the D, H, W axes, for the window kernels.
    runs: Option<[Vec<i32>; 3]>,
    chunks: Vec<chunks::Chunk>,
    /// gather_window_span.wgsl's `SPAN`, or 0 (see `shared_span`).
    span: u32,
}

/// Inputs per row that gather_window_span.wgsl loads for an invocation's four columns (a
/// group of four from its chunk's first column): the most that any group of the chunks reads
/// with the W run table's `starts`, when that beats loading `taps` per column (upsampling
/// along W: 2x nearest 2 instead of 4, bilinear 4 instead of 8, bicubic 6 instead of 16) and
/// fits the kernel's 8 registers and `span_group_word`'s bits.
fn shared_span(starts: &[i32], taps: usize, chunks: &[chunks::Chunk]) -> Option<u32> {
    if !(1..=4).contains(&taps) || starts.windows(2).any(|p| p[1] < p[0]) {
        return None;
    }
    let ok = |s: i32| (-SPAN_BIAS..(1 << 23) - SPAN_BIAS).contains(&s);
    if !starts.first().copied().is_some_and(ok) || !starts.last().copied().is_some_and(ok) {
        return None;
    }
    let mut rel = 0;
    let mut seen = std::collections::HashSet::new();
    for c in chunks {
        if seen.insert((c.w0, c.nw)) {
            for g in (0..c.nw).step_by(4) {
                let end = (g + 3).min(c.nw - 1);
                rel = rel.max(starts[c.w0 + end] - starts[c.w0 + g]);
            }
        }
    }
    let span = usize::try_from(rel).ok()? + taps;
    (span <= 8 && span < 4 * taps).then_some(span as u32)
}

/// gather_window_span.wgsl's bias of a group's first start (run starts go down to -3).
const SPAN_BIAS: i32 = 8;

/// gather_window_span.wgsl's word for the group of four columns from `o` of a chunk whose
/// columns end before `end`: the first column's run start plus SPAN_BIAS above the other
/// three's starts relative to it, 3 bits each (columns past the end repeat the last).
fn span_group_word(starts: &[i32], o: usize, end: usize) -> u32 {
    let s0 = starts[o];
    let rel = |j: usize| (starts[(o + j).min(end - 1)] - s0) as u32;
    (((s0 + SPAN_BIAS) as u32) << 9) | rel(1) | (rel(2) << 3) | (rel(3) << 6)
}

impl PassLayout {
    fn new(
        kind: GatherKind,
        taps: [u32; 3],
        lane_shift: u32,
        variable: bool,
        runs: Option<[Vec<i32>; 3]>,
        chunks: Vec<chunks::Chunk>,
    ) -> PassLayout {
        let span = match &runs {
            Some(r) if kind == GatherKind::Window && pipelines::fixed_taps(taps) && !variable => {
                shared_span(&r[2], taps[2] as usize, &chunks).unwrap_or(0)
            }
            _ => 0,
        };
        PassLayout {
            kind,
            taps,
            lane_shift,
            variable,
            runs,
            chunks,
            span,
        }
    }
}

/// What `pass_layout` needs to know of a pass's input buffer.
#[derive(Clone, Copy)]
struct Source {
    /// The buffer has UNIFORM usage.
    uniform: bool,
    /// Its size in 4-byte words.
    words: u64,
    /// The tensor's element offset in it.
    offset: u64,
}

/// One side of a pass: a buffer, the element offset of the tensor in it, its strides.
#[derive(Clone, Copy)]
pub(crate) struct Operand<'a> {
    pub buffer: &'a wgpu::Buffer,
    pub offset: u64,
    pub strides: Strides,
}

const FLAG_ROUND_U8: u32 = 1;
const FLAG_CLAMP: u32 = 2;

/// finish.wgsl's `OUTPUT_FLAGS` of a pass: uint8 rounding, the fused clamp.
fn output_flags(pass: &Pass, clamp: Option<Clamp>) -> u32 {
    let mut flags = 0;
    if pass.round_u8 {
        flags |= FLAG_ROUND_U8;
    }
    if clamp.is_some() {
        flags |= FLAG_CLAMP;
    }
    flags
}

/// Words per axis of a chunk's table slice in the uniform buffer (64 KiB = 16384 words).
const TABLE_BUDGET: [usize; 3] = [2048, 6144, 8192];

/// Taps per output that gather_window_axis.wgsl unrolls; beyond, gather_main.wgsl's loops.
const WINDOW_AXIS_MAX_TAPS: usize = 64;

/// The same with uniform input windows: a window holds few input rows, so a chunk has few
/// output depths and rows, and W gets the rest (a 2048-column bilinear row fits, halving the
/// dispatches against TABLE_BUDGET).
const WINDOW_TABLE_BUDGET: [usize; 3] = [256, 1024, 15104];

/// The rows `[o0, o0 + n)` of axis `a`'s table, packed for the GPU and appended to `words` as
/// `count[n] | index[n*k] | weight[n*k]`, or with `runs` as `count[n] | start[n] | weight[n*k]`
/// (the layouts of gather_params.wgsl).
///
/// With `span_groups` (gather_window_span.wgsl), the W axis' count section holds instead the
/// packed starts of each group of four columns from o0 at the group's first column.
fn axis_slice(
    words: &mut Vec<u32>,
    pass: &Pass,
    runs: Option<&[Vec<i32>; 3]>,
    span_groups: bool,
    a: usize,
    (o0, n): (usize, usize),
) {
    let t = &pass.axes[a];
    let k = t.taps;
    match runs {
        Some(r) if span_groups && a == 2 => words.extend((0..n).map(|i| {
            if i % 4 == 0 {
                span_group_word(&r[2], o0 + i, o0 + n)
            } else {
                0
            }
        })),
        _ => words.extend_from_slice(&t.count[o0..o0 + n]),
    }
    match runs {
        Some(r) => words.extend(r[a][o0..o0 + n].iter().map(|&s| s as u32)),
        None => words.extend_from_slice(&t.index[o0 * k..(o0 + n) * k]),
    }
    words.extend(
        t.weight[o0 * k..(o0 + n) * k]
            .iter()
            .map(|&w| (w as f32).to_bits()),
    );
}

/// Words of [`axis_slice`] for `n` rows of axis `a`.
fn axis_slice_len(pass: &Pass, runs: bool, a: usize, n: usize) -> usize {
    let k = pass.axes[a].taps;
    n * (1 + k) + if runs { n } else { n * k }
}

/// Where each chunk's table slices go. A chunk binds one window of the table buffer (`group`
/// start, up to `budget` words) holding its D, H and W slices. Chunks that read the same rows
/// of every axis share one placement (a 1-D pass repeats a few column ranges over many
/// planes); chunks that read the same rows of an axis share that axis' slice while it lies in
/// their window (a 2-D pass whose chunks differ only in their rows uploads its column table
/// once per window, not once per chunk).
/// A chunk's tables: its window's first word, its slices' offsets in the window, and the words
/// the window had when the chunk was placed (what a storage binding covers).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Placement {
    group: usize,
    offsets: [u32; 3],
    len: usize,
}

struct TablePlacer {
    words: Vec<u32>,
    /// W slices carry gather_window_span.wgsl's group words (see `axis_slice`).
    span_groups: bool,
    align: usize,
    budget: usize,
    group: usize,
    placed: std::collections::HashMap<(usize, usize, usize), usize>,
    chunks: std::collections::HashMap<[(usize, usize); 3], Placement>,
}

impl TablePlacer {
    fn new(align: usize, budget: usize, span_groups: bool) -> TablePlacer {
        TablePlacer {
            words: Vec::new(),
            span_groups,
            align,
            budget,
            group: 0,
            placed: std::collections::HashMap::new(),
            chunks: std::collections::HashMap::new(),
        }
    }

    /// Where the tables of a chunk reading `rows` of each axis are.
    fn place(
        &mut self,
        pass: &Pass,
        runs: Option<&[Vec<i32>; 3]>,
        rows: [(usize, usize); 3],
    ) -> Result<Placement> {
        if let Some(&done) = self.chunks.get(&rows) {
            return Ok(done);
        }
        let missing: usize = (0..3)
            .filter(|&a| !self.placed.contains_key(&(a, rows[a].0, rows[a].1)))
            .map(|a| axis_slice_len(pass, runs.is_some(), a, rows[a].1))
            .sum();
        if self.placed.is_empty() || self.words.len() + missing - self.group > self.budget {
            self.group = self.words.len().div_ceil(self.align) * self.align;
            self.words.resize(self.group, 0);
            self.placed.clear();
        }
        let mut offsets = [0u32; 3];
        for (a, &r) in rows.iter().enumerate() {
            let at = match self.placed.get(&(a, r.0, r.1)) {
                Some(&at) => at,
                None => {
                    let at = self.words.len() - self.group;
                    axis_slice(&mut self.words, pass, runs, self.span_groups, a, r);
                    self.placed.insert((a, r.0, r.1), at);
                    at
                }
            };
            offsets[a] = u32::try_from(at)
                .map_err(|_| Error::limit("table size", "tables exceed 2^32 words"))?;
        }
        let done = Placement {
            group: self.group,
            offsets,
            len: self.words.len() - self.group,
        };
        self.chunks.insert(rows, done);
        Ok(done)
    }
}

/// Whether the loop-free window kernels may store aligned vec4s (window_store_vec4.wgsl):
/// contiguous columns, every output row starting at a multiple of 4 elements (the bindings
/// start at multiples of the storage offset alignment), every chunk's columns whole fours.
fn vec4_stores(
    kind: GatherKind,
    taps: [u32; 3],
    chunks: &[chunks::Chunk],
    t: Strides,
    dst_offset: u64,
) -> bool {
    pipelines::packs_rows(kind, taps)
        && t.w == 1
        && [t.n, t.c, t.d, t.h].iter().all(|s| s % 4 == 0)
        && dst_offset.is_multiple_of(4)
        && chunks.iter().all(|c| c.w0 % 4 == 0 && c.nw % 4 == 0)
}

/// The start (in elements, aligned) of the 64 KiB uniform window that covers the input
/// elements `[first, first + len)` of a buffer of `buffer_words` elements, if one does.
fn window_start(buffer_words: u64, first: u64, len: u64, align: u64) -> Option<u64> {
    let win = WINDOW_BYTES / 4;
    if buffer_words < win {
        return None;
    }
    let mut start = first / align * align;
    if start + win > buffer_words {
        start = (buffer_words - win) / align * align;
    }
    (start <= first && first + len <= start + win).then_some(start)
}

fn u32_of(v: usize, what: &'static str) -> Result<u32> {
    u32::try_from(v).map_err(|_| {
        Error::limit(
            what,
            format!("{v} does not fit the kernel's 32-bit index arithmetic"),
        )
    })
}

/// Runs interpolate plans on a wgpu device. Cheap to share: `Send + Sync`, pipelines built
/// once in [`Resampler::new`].
pub struct Resampler {
    device: wgpu::Device,
    queue: wgpu::Queue,
    pipelines: Pipelines,
    limits: wgpu::Limits,
    info: Option<wgpu::AdapterInfo>,
    lost: Arc<Mutex<Option<String>>>,
    /// Read pass inputs through 64 KiB uniform windows (gather_window.wgsl) where they fit.
    windows: bool,
    /// Run the passes the row kernels take (shaders/rows*.wgsl, `rows::plan`) on them.
    rows: bool,
    /// The row kernels load their input as 64-bit words (shaders/rows_src_u64.wgsl).
    u64_loads: bool,
    /// The host API maps its input and output buffers directly (a CPU adapter, whose memory
    /// is the host's, with MAPPABLE_PRIMARY_BUFFERS): no staging copies.
    direct_map: bool,
    /// With `direct_map`, the host API's last input and output buffers, kept for a next call
    /// of the same sizes.
    spare: Mutex<Spare>,
}

/// New device memory on a CPU adapter is fresh host memory, zeroed page by page on first
/// touch: for a large tensor that costs about as much as the kernels. The host API keeps its
/// last input and output buffers (the sizes of a repeated call) instead of freeing them.
/// Multi-pass plans keep their two scratch buffers (pass i writes `scratch[i % 2]`): a new
/// one would also be zeroed by wgpu before its first pass (1.5-2.5 ms of the 1/4 antialiased
/// bicubic's 10 on lavapipe). Reusing them across calls is safe: a plan's passes are recorded
/// together, and command buffers run one after the other on the queue.
#[derive(Default)]
struct Spare {
    input: Option<wgpu::Buffer>,
    output: Option<wgpu::Buffer>,
    scratch: [Option<wgpu::Buffer>; 2],
}

/// Bytes of a buffer holding `len` bytes (padded to 4, at least 4) and `extra` bytes of room.
fn padded_size(len: usize, extra: u64) -> u64 {
    (len as u64).div_ceil(4).max(1) * 4 + extra
}

/// Take `slot`'s buffer if it has exactly `size` bytes and `usage`.
fn take_spare(
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
    /// Build the pipelines on the caller's device (the embedding case). The device and queue
    /// handles are cloned (wgpu handles are reference counted).
    pub fn new(device: &wgpu::Device, queue: &wgpu::Queue) -> Result<Resampler> {
        let oom = device.push_error_scope(wgpu::ErrorFilter::OutOfMemory);
        let val = device.push_error_scope(wgpu::ErrorFilter::Validation);
        let pipelines = Pipelines::new(device);
        if let Some(e) = pollster::block_on(val.pop()) {
            let _ = pollster::block_on(oom.pop());
            return Err(scope_error(e));
        }
        if let Some(e) = pollster::block_on(oom.pop()) {
            return Err(scope_error(e));
        }
        Ok(Resampler {
            device: device.clone(),
            queue: queue.clone(),
            pipelines: pipelines?,
            limits: device.limits(),
            info: None,
            lost: Arc::new(Mutex::new(None)),
            windows: device.adapter_info().device_type == wgpu::DeviceType::Cpu
                && device.limits().max_uniform_buffer_binding_size >= WINDOW_BYTES,
            rows: device.adapter_info().device_type == wgpu::DeviceType::Cpu,
            u64_loads: device.features().contains(wgpu::Features::SHADER_INT64),
            direct_map: device.adapter_info().device_type == wgpu::DeviceType::Cpu
                && device
                    .features()
                    .contains(wgpu::Features::MAPPABLE_PRIMARY_BUFFERS),
            spare: Mutex::new(Spare::default()),
        })
    }

    /// Pick an adapter (see [`context::select_adapter`]: `WGPU_BACKEND`, `WGPU_ADAPTER_NAME`,
    /// `WGPU_POWER_PREF`, software fallback), open a device with its limits, build pipelines.
    pub async fn new_default_async() -> Result<Resampler> {
        let adapter = context::select_adapter().await?;
        let (device, queue) = context::open_device(&adapter).await?;
        let lost = Arc::new(Mutex::new(None));
        let flag = lost.clone();
        device.set_device_lost_callback(move |reason, msg| {
            if let Ok(mut l) = flag.lock() {
                *l = Some(format!("{reason:?}: {msg}"));
            }
        });
        // Errors outside our error scopes must not panic the process: keep them as lost state.
        let flag = lost.clone();
        device.on_uncaptured_error(Arc::new(move |e: wgpu::Error| {
            if let Ok(mut l) = flag.lock() {
                l.get_or_insert_with(|| format!("uncaptured GPU error: {e}"));
            }
        }));
        let mut r = Resampler::new(&device, &queue)?;
        r.info = Some(adapter.get_info());
        r.lost = lost;
        Ok(r)
    }

    /// Blocking [`Resampler::new_default_async`].
    pub fn new_default() -> Result<Resampler> {
        pollster::block_on(Resampler::new_default_async())
    }

    pub fn device(&self) -> &wgpu::Device {
        &self.device
    }
    pub fn queue(&self) -> &wgpu::Queue {
        &self.queue
    }
    /// The adapter's info when this `Resampler` opened the device itself.
    pub fn adapter_info(&self) -> Option<&wgpu::AdapterInfo> {
        self.info.as_ref()
    }
    pub fn limits(&self) -> &wgpu::Limits {
        &self.limits
    }
    pub(crate) fn pipelines(&self) -> &Pipelines {
        &self.pipelines
    }

    /// Whether passes read their input through 64 KiB uniform windows
    /// (`shaders/gather_window.wgsl`) where the input fits them. On by default on CPU
    /// adapters (lavapipe, llvmpipe), where a uniform load costs a fraction of a storage load;
    /// off on GPUs. Results are the same either way.
    pub fn uniform_windows(&self) -> bool {
        self.windows
    }

    /// Choose the input path (see [`Resampler::uniform_windows`]); `true` needs an adapter
    /// whose uniform bindings reach 64 KiB, and is ignored otherwise.
    pub fn with_uniform_windows(mut self, on: bool) -> Resampler {
        self.windows = on && self.limits.max_uniform_buffer_binding_size >= WINDOW_BYTES;
        self
    }

    /// Whether passes over whole, contiguous rows whose rows start at multiples of 4 elements
    /// run on the row kernels (`shaders/rows*.wgsl`: a lane group makes 4 to 16 adjacent
    /// outputs of a row from vec4 loads, its W taps constants of the pipeline where they
    /// repeat from one group to the next). On by default on CPU adapters, where every other
    /// load is a loop over the lanes and every dispatch a fork and join of the worker threads;
    /// off on GPUs. Other passes take the paths of [`Resampler::uniform_windows`]. Results
    /// are the same either way, up to f32 rounding of the sums.
    pub fn row_kernels(&self) -> bool {
        self.rows
    }

    /// Choose whether the row kernels run the passes they can (see
    /// [`Resampler::row_kernels`]).
    pub fn with_row_kernels(mut self, on: bool) -> Resampler {
        self.rows = on;
        self
    }

    /// Whether the row kernels load their input as pairs of 64-bit words
    /// (`shaders/rows_src_u64.wgsl`) rather than as `vec4<f32>`s: on by default where the
    /// device has `SHADER_INT64` (the device this crate opens requests it). Same bits either
    /// way; on lavapipe, whose storage loads go one lane and one component at a time, it
    /// halves the components loaded.
    pub fn u64_loads(&self) -> bool {
        self.u64_loads
    }

    /// Choose how the row kernels load their input (see [`Resampler::u64_loads`]); `true`
    /// needs a device with `SHADER_INT64` and is ignored otherwise.
    pub fn with_u64_loads(mut self, on: bool) -> Resampler {
        self.u64_loads = on && self.has(wgpu::Features::SHADER_INT64);
        self
    }

    /// Whether the host API ([`Resampler::interpolate`] and friends) writes its input and
    /// reads its output in the buffers the kernels use, with no staging copies: on by
    /// default on CPU adapters whose device has `MAPPABLE_PRIMARY_BUFFERS` (the device this
    /// crate opens requests it there). Results are the same either way. On that path the
    /// `Resampler` keeps the last call's input and output buffers for a next call of the same
    /// sizes (fresh device memory on a CPU adapter is zeroed page by page on first touch);
    /// [`Resampler::release_spare_buffers`] frees them.
    pub fn maps_directly(&self) -> bool {
        self.direct_map
    }

    /// Free the buffers kept between calls: the host API's input and output (see
    /// [`Resampler::maps_directly`]) and the scratch buffers of multi-pass plans (two, as large
    /// as the largest intermediate results so far; every path keeps them).
    pub fn release_spare_buffers(&self) {
        *self.spare_lock() = Spare::default();
    }

    /// Choose the host API's buffers (see [`Resampler::maps_directly`]); `true` needs a
    /// device with `MAPPABLE_PRIMARY_BUFFERS` and is ignored otherwise.
    pub fn with_direct_map(mut self, on: bool) -> Resampler {
        self.direct_map = on && self.has(wgpu::Features::MAPPABLE_PRIMARY_BUFFERS);
        self
    }

    /// Usage and extra bytes for a buffer of `len` bytes that this crate creates and a pass
    /// may read: with windows on, UNIFORM and 64 KiB of tail room so that every window
    /// binding fits (no room past `max_buffer_size`: such a pass takes the storage path).
    pub(crate) fn source_usage(&self, len: u64) -> (wgpu::BufferUsages, u64) {
        if !self.windows {
            return (wgpu::BufferUsages::STORAGE, 0);
        }
        let extra = if len + WINDOW_BYTES <= self.limits.max_buffer_size {
            WINDOW_BYTES
        } else {
            0
        };
        (
            wgpu::BufferUsages::STORAGE | wgpu::BufferUsages::UNIFORM,
            extra,
        )
    }

    /// Whether the device has `feature`.
    fn has(&self, feature: wgpu::Features) -> bool {
        self.device.features().contains(feature)
    }

    fn spare_lock(&self) -> std::sync::MutexGuard<'_, Spare> {
        match self.spare.lock() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        }
    }

    fn check_alive(&self) -> Result<()> {
        match self.lost.lock() {
            Ok(l) => match l.as_ref() {
                Some(msg) => Err(Error::DeviceLost(msg.clone())),
                None => Ok(()),
            },
            Err(_) => Err(Error::DeviceLost("device state poisoned".into())),
        }
    }

    /// `plan` with its heavy multi-axis passes split per axis. Reading through uniform windows
    /// costs little next to writing an intermediate, so with windows a pass that the
    /// loop-free kernel takes (at most 4 taps per axis: a 4x4 bicubic or area pass) stays
    /// one pass unless its taps are many; passes of more taps per axis are split as on the
    /// storage path, each part then running gather_window_axis.wgsl.
    fn split(&self, plan: &Plan) -> Plan {
        let windows = self.windows;
        plan.split_heavy_passes(move |taps| {
            if windows && taps.iter().all(|&k| k <= 4) {
                4
            } else {
                2
            }
        })
    }

    /// Offset alignment of uniform bindings, in bytes.
    fn uniform_align(&self) -> u64 {
        (self.limits.min_uniform_buffer_offset_alignment as u64).max(4)
    }

    fn chunk_limits(&self) -> ChunkLimits {
        let max_binding = self.limits.max_storage_buffer_binding_size / 4;
        let align = (self.limits.min_storage_buffer_offset_alignment as u64 / 4).max(1);
        ChunkLimits {
            max_binding,
            align,
            max_src_binding: max_binding,
            src_align: align,
            src_offset: 0,
            one_plane: false,
            max_workgroups: self.limits.max_compute_workgroups_per_dimension,
        }
    }

    /// `interpolate` on f32 data (NCHW, contiguous). Returns the output and its shape.
    pub fn interpolate(
        &self,
        input: &[f32],
        shape: &[usize],
        options: &Options,
    ) -> Result<(Vec<f32>, Vec<usize>)> {
        pollster::block_on(self.interpolate_async(input, shape, options))
    }

    pub async fn interpolate_async(
        &self,
        input: &[f32],
        shape: &[usize],
        options: &Options,
    ) -> Result<(Vec<f32>, Vec<usize>)> {
        let call = Call::forward(options, shape, DType::F32)?;
        check_len("input", input.len(), shape)?;
        let out = self.run_call(&call, input).await?;
        Ok((out, call.dst_shape()))
    }

    /// `interpolate` on uint8 data with torch's uint8 semantics (rounding and saturation after
    /// each separable pass; a clamp applies to the uint8 result).
    pub fn interpolate_u8(
        &self,
        input: &[u8],
        shape: &[usize],
        options: &Options,
    ) -> Result<(Vec<u8>, Vec<usize>)> {
        let call = Call::forward(options, shape, DType::U8)?;
        check_len("input", input.len(), shape)?;
        // The kernels read f32: the widened copy is counted by `run_call`'s check.
        self.check_call(&call, call.src_len() as u64 * 4)?;
        let mut data = crate::util::try_vec(input.len(), "the input as f32")?;
        data.extend(input.iter().map(|&v| f32::from(v)));
        let out = pollster::block_on(self.run_call(&call, &data))?;
        // Every value is already rounded, except where a clamp bound is not an integer: the
        // same rounding as the embedding API's uint8 store (pack.wgsl).
        let round = |v: f32| (v + 0.5).floor().clamp(0.0, 255.0) as u8;
        Ok((out.into_iter().map(round).collect(), call.dst_shape()))
    }

    /// The gradient of `interpolate` with respect to its input (deterministic gather, no
    /// atomics). `grad_output` has the output's shape; returns a tensor of `input_shape`.
    pub fn interpolate_backward(
        &self,
        grad_output: &[f32],
        input_shape: &[usize],
        options: &Options,
    ) -> Result<Vec<f32>> {
        let call = Call::backward(options, input_shape)?;
        check_len("grad_output", grad_output.len(), &call.src_shape())?;
        pollster::block_on(self.run_call(&call, grad_output))
    }

    /// What a host call needs, checked before anything is built: one plane of every pass's
    /// input, output and intermediates within `max_buffer_size` (larger work is done in
    /// batches of planes), and on the host the plan's tables, the output, `extra` bytes of the
    /// caller's and, on a CPU adapter (whose device memory is host memory), the buffers.
    pub(crate) fn check_call(&self, call: &Call, extra: u64) -> Result<()> {
        let plane = call.largest_plane().saturating_mul(4);
        if plane > self.limits.max_buffer_size {
            return Err(Error::limit(
                "max_buffer_size",
                format!(
                    "one plane of the call needs {} but the adapter's buffers hold at most {}",
                    crate::util::bytes_text(plane),
                    crate::util::bytes_text(self.limits.max_buffer_size)
                ),
            ));
        }
        let f32s = |n: usize| (n as u64).saturating_mul(4);
        let device = if self.device.adapter_info().device_type == wgpu::DeviceType::Cpu {
            let planes = call.geometry.planes() as u64;
            f32s(call.src_len())
                .saturating_add(f32s(call.dst_len()))
                .saturating_add(planes.saturating_mul(plane).saturating_mul(2))
        } else {
            0
        };
        crate::util::check_host_memory(&[
            ("the plan's tables", call.plan_bytes()),
            ("the output", f32s(call.dst_len())),
            ("the input's copy", extra),
            (
                "device buffers (a CPU adapter's memory is the host's)",
                device,
            ),
        ])
    }

    /// Run a checked call over host data: upload, every pass, read back.
    async fn run_call(&self, call: &Call, data: &[f32]) -> Result<Vec<f32>> {
        self.check_alive()?;
        if call.is_empty() {
            // Nothing to compute: an empty output, or the gradient of an empty output (0).
            let mut out = crate::util::try_vec(call.dst_len(), "the output")?;
            out.resize(call.dst_len(), 0.0);
            return Ok(out);
        }
        self.check_call(call, 0)?;
        let clamp = match call.direction {
            Direction::Forward => call.geometry.clamp,
            Direction::Backward => None,
        };
        self.run_plan(&call.plan(), data, clamp).await
    }

    /// Run `plan` over host data: upload, every pass, read back. Work larger than
    /// `max_buffer_size` is done in batches of planes.
    pub async fn run_plan(
        &self,
        plan: &Plan,
        data: &[f32],
        clamp: Option<Clamp>,
    ) -> Result<Vec<f32>> {
        self.check_alive()?;
        let in_plane: usize = plan.in_dims.iter().product();
        let out_plane: usize = plan.out_dims.iter().product();
        check_len("input", data.len(), &[plan.planes, in_plane])?;
        if plan.planes * in_plane == 0 || out_plane == 0 {
            return Ok(vec![0.0; plan.planes * out_plane]);
        }
        if plan.passes.is_empty() {
            // Every size unchanged: torch copies (the optional clamp still applies).
            let mut out = crate::util::try_vec(data.len(), "the output")?;
            out.extend_from_slice(data);
            if let Some(c) = clamp {
                out.iter_mut()
                    .filter(|v| !v.is_nan())
                    .for_each(|v| *v = v.clamp(c.min, c.max));
            }
            return Ok(out);
        }
        let largest_plane = plan
            .passes
            .iter()
            .flat_map(|p| [p.in_dims(), p.out_dims()])
            .map(|d| d.iter().product::<usize>() as u64 * 4)
            .max()
            .unwrap_or(4);
        let per_batch = (self.limits.max_buffer_size / largest_plane.max(1)) as usize;
        if per_batch == 0 {
            return Err(Error::limit(
                "max_buffer_size",
                format!(
                    "one plane of {largest_plane} bytes exceeds the adapter's max_buffer_size of {} bytes",
                    self.limits.max_buffer_size
                ),
            ));
        }
        let oom = self.device.push_error_scope(wgpu::ErrorFilter::OutOfMemory);
        let val = self.device.push_error_scope(wgpu::ErrorFilter::Validation);
        let result = self
            .run_batches(plan, data, clamp, per_batch, in_plane, out_plane)
            .await;
        let val = val.pop().await;
        let oom = oom.pop().await;
        if let Some(e) = oom.or(val) {
            return Err(scope_error(e));
        }
        self.check_alive()?;
        result
    }

    async fn run_batches(
        &self,
        plan: &Plan,
        data: &[f32],
        clamp: Option<Clamp>,
        per_batch: usize,
        in_plane: usize,
        out_plane: usize,
    ) -> Result<Vec<f32>> {
        let mut out = crate::util::try_vec(plan.planes * out_plane, "the output")?;
        for p0 in (0..plan.planes).step_by(per_batch) {
            let np = per_batch.min(plan.planes - p0);
            let batch = Plan {
                planes: np,
                ..plan.clone()
            };
            let (usage, extra) = self.source_usage((np * in_plane * 4) as u64);
            // On a CPU adapter with mappable storage buffers the input is written and the
            // output read where the kernels see them; elsewhere through staging copies.
            let mapped = |u: wgpu::BufferUsages| {
                if self.direct_map {
                    u
                } else {
                    wgpu::BufferUsages::empty()
                }
            };
            let data = bytemuck::cast_slice(&data[p0 * in_plane..(p0 + np) * in_plane]);
            let src_usage = usage | mapped(wgpu::BufferUsages::MAP_WRITE);
            // Spare buffers exist only on the direct path (their usage includes MAP_*).
            let spare_src = take_spare(
                &mut self.spare_lock().input,
                padded_size(data.len(), extra),
                src_usage,
            );
            let src = match spare_src {
                Some(b) => {
                    readback::write_mapped(&self.device, &b, data).await?;
                    b
                }
                None => self.buffer_init_padded(Some("resample.input"), data, src_usage, extra)?,
            };
            let bytes = (np * out_plane * 4) as u64;
            let dst_usage = wgpu::BufferUsages::STORAGE
                | wgpu::BufferUsages::COPY_SRC
                | mapped(wgpu::BufferUsages::MAP_READ);
            let spare_dst = take_spare(&mut self.spare_lock().output, bytes.max(4), dst_usage);
            let dst = spare_dst.unwrap_or_else(|| {
                self.device.create_buffer(&wgpu::BufferDescriptor {
                    label: Some("resample.output"),
                    size: bytes.max(4),
                    usage: dst_usage,
                    mapped_at_creation: false,
                })
            });
            let staging = (!self.direct_map).then(|| {
                self.device.create_buffer(&wgpu::BufferDescriptor {
                    label: Some("resample.readback"),
                    size: bytes.max(4),
                    usage: wgpu::BufferUsages::MAP_READ | wgpu::BufferUsages::COPY_DST,
                    mapped_at_creation: false,
                })
            });
            let mut rec = Recording::new(&self.limits);
            // Planes are independent: on the host API they are N*C planes of one channel.
            self.encode_plan(
                &mut rec,
                &batch,
                1,
                Operand {
                    buffer: &src,
                    offset: 0,
                    strides: Strides::contiguous(1, plan.in_dims),
                },
                Operand {
                    buffer: &dst,
                    offset: 0,
                    strides: Strides::contiguous(1, plan.out_dims),
                },
                clamp,
            )?;
            // The read-back copy goes with the kernels (one submission), and the mapped bytes
            // straight into `out`.
            if let Some(staging) = &staging {
                rec.copy((&dst, 0), (staging, 0), bytes)?;
            }
            let mut encoder = self
                .device
                .create_command_encoder(&wgpu::CommandEncoderDescriptor {
                    label: Some("resample"),
                });
            rec.record(&mut encoder);
            self.queue.submit([encoder.finish()]);
            readback::read_with(&self.device, staging.as_ref().unwrap_or(&dst), bytes, |b| {
                readback::extend_f32(&mut out, b)
            })
            .await?;
            if self.direct_map {
                let mut spare = self.spare_lock();
                spare.input = Some(src);
                spare.output = Some(dst);
            }
        }
        Ok(out)
    }

    /// Add `plan` to `rec`: the first pass reads `src`, the last writes `dst`,
    /// intermediate results live in contiguous scratch buffers (kept alive by wgpu until the
    /// commands have run).
    pub(crate) fn encode_plan(
        &self,
        rec: &mut Recording,
        plan: &Plan,
        channels: usize,
        src: Operand<'_>,
        dst: Operand<'_>,
        clamp: Option<Clamp>,
    ) -> Result<()> {
        let split = self.split(plan);
        let plan = &split;
        let mut scratch: Option<wgpu::Buffer> = None;
        for (i, pass) in plan.passes.iter().enumerate() {
            let last = i + 1 == plan.passes.len();
            let input = match &scratch {
                Some(b) => Operand {
                    buffer: b,
                    offset: 0,
                    strides: Strides::contiguous(channels, pass.in_dims()),
                },
                None => src,
            };
            let next = if last {
                None
            } else {
                let len = (plan.planes * pass.out_dims().iter().product::<usize>()) as u64 * 4;
                if len > self.limits.max_buffer_size {
                    return Err(Error::limit(
                        "max_buffer_size",
                        format!("an intermediate result of {len} bytes exceeds the adapter's max_buffer_size"),
                    ));
                }
                let (usage, extra) = self.source_usage(len);
                let size = len.max(4) + extra;
                let slot = &mut self.spare_lock().scratch[i % 2];
                match slot {
                    Some(b) if b.size() >= size && b.usage() == usage => Some(b.clone()),
                    _ => {
                        let b = self.device.create_buffer(&wgpu::BufferDescriptor {
                            label: Some("resample.scratch"),
                            size,
                            usage,
                            mapped_at_creation: false,
                        });
                        *slot = Some(b.clone());
                        Some(b)
                    }
                }
            };
            let output = match &next {
                Some(buffer) => Operand {
                    buffer,
                    offset: 0,
                    strides: Strides::contiguous(channels, pass.out_dims()),
                },
                None => dst,
            };
            self.encode_pass(
                rec,
                pass,
                plan.planes,
                channels,
                input,
                output,
                if last { clamp } else { None },
            )?;
            if next.is_some() {
                scratch = next;
            }
        }
        Ok(())
    }

    /// Which gather pipeline runs `pass` and its chunks (see `Source`). Tables go to a
    /// uniform buffer (far cheaper loads than storage on lavapipe), each chunk binding the
    /// slice of rows it reads: at most TABLE_BUDGET words per axis; an axis whose single row
    /// exceeds its budget sends the pass to storage tables. The input comes through 64 KiB
    /// uniform windows when they are on and every chunk's window fits one (the buffer has
    /// UNIFORM usage and room for the binding), else through a storage binding.
    fn pass_layout(
        &self,
        pass: &Pass,
        planes: usize,
        channels: usize,
        s: Strides,
        t: Strides,
        src: Source,
    ) -> Result<PassLayout> {
        let lim = self.chunk_limits();
        let row_words = pass.axes.each_ref().map(|t| 1 + 2 * t.taps);
        let uniform = UNIFORM_TABLE_BYTES <= self.limits.max_uniform_buffer_binding_size
            && row_words.iter().zip(TABLE_BUDGET).all(|(&r, b)| r <= b);
        let max_rows = uniform.then(|| std::array::from_fn(|a| TABLE_BUDGET[a] / row_words[a]));
        // Fixed tap counts where an axis has the same count for every output.
        let taps = pass.axes.each_ref().map(|t| {
            let c = t.count.first().copied().unwrap_or(0);
            if c <= 4 && t.count.iter().all(|&x| x == c) {
                c
            } else {
                0
            }
        });
        let win_lim = ChunkLimits {
            max_src_binding: WINDOW_BYTES / 4,
            src_align: self.uniform_align() / 4,
            src_offset: src.offset,
            one_plane: true,
            ..lim
        };
        // The loop-free window kernels: at most 4 taps per output on every axis
        // (gather_window_main.wgsl), or one axis with taps and identities elsewhere, as in
        // separable antialiasing and large area windows (gather_window_axis.wgsl, taps
        // unrolled). Their tables are runs when every axis is one (a start per output).
        let stride = pass.axes.each_ref().map(|t| t.taps as u32);
        let fixed = stride.iter().all(|&k| (1..=4).contains(&k));
        let active: Vec<usize> = (0..3).filter(|&a| !pass.axes[a].is_identity()).collect();
        let axis = match active[..] {
            [a] if !fixed && pass.axes[a].taps <= WINDOW_AXIS_MAX_TAPS => Some(a),
            _ => None,
        };
        let try_windows = uniform && self.windows && src.uniform;
        let runs = (try_windows && (fixed || axis.is_some()))
            .then(|| {
                let [d, h, w] = pass.axes.each_ref().map(AxisTable::run_starts);
                Some([d?, h?, w?])
            })
            .flatten();
        let win_row_words = if runs.is_some() {
            pass.axes.each_ref().map(|t| 2 + t.taps)
        } else {
            row_words
        };
        let win_rows = std::array::from_fn(|a| (WINDOW_TABLE_BUDGET[a] / win_row_words[a]).max(1));
        let window_fits = win_row_words
            .iter()
            .zip(WINDOW_TABLE_BUDGET)
            .all(|(&r, b)| r <= b);
        let windowed = (try_windows && window_fits)
            .then(|| chunks::chunks(pass, planes, channels, s, t, win_lim, Some(win_rows)).ok())
            .flatten()
            .filter(|cs| {
                cs.iter().all(|c| {
                    window_start(
                        src.words,
                        src.offset + c.src_start,
                        c.src_len,
                        win_lim.src_align,
                    )
                    .is_some()
                })
            });
        Ok(match windowed {
            Some(cs) => {
                let variable = pass
                    .axes
                    .iter()
                    .any(|t| t.count.iter().any(|&c| c as usize != t.taps));
                let shift = cs.first().map_or(6, |c| c.lane_shift);
                if fixed {
                    PassLayout::new(GatherKind::Window, stride, shift, variable, runs, cs)
                } else if let Some(a) = axis {
                    let mut stride = [0u32; 3];
                    stride[a] = pass.axes[a].taps as u32;
                    PassLayout::new(GatherKind::WindowAxis, stride, shift, variable, runs, cs)
                } else {
                    PassLayout::new(GatherKind::Window, taps, 0, false, None, cs)
                }
            }
            None => {
                let kind = if uniform {
                    GatherKind::UniformTables
                } else {
                    GatherKind::StorageTables
                };
                let cs = chunks::chunks(pass, planes, channels, s, t, lim, max_rows)?;
                PassLayout::new(kind, taps, 0, false, None, cs)
            }
        })
    }

    /// The gather pipeline (its label) and the number of dispatches of each pass that
    /// [`Resampler::interpolate`] runs for this input shape and these options: a diagnostic
    /// (for `resample bench` and the tests), nothing is run.
    pub fn kernel_labels(
        &self,
        shape: &[usize],
        options: &Options,
    ) -> Result<Vec<(String, usize)>> {
        let g = options.resolve(shape)?;
        self.plan_kernel_labels(&Plan::forward(&g, DType::F32))
    }

    /// The same for [`Resampler::interpolate_backward`].
    pub fn backward_kernel_labels(
        &self,
        shape: &[usize],
        options: &Options,
    ) -> Result<Vec<(String, usize)>> {
        let g = options.resolve(shape)?;
        self.plan_kernel_labels(&Plan::backward_of(&g))
    }

    fn plan_kernel_labels(&self, plan: &Plan) -> Result<Vec<(String, usize)>> {
        let split = self.split(plan);
        let mut out = Vec::new();
        for pass in &split.passes {
            let elements = (split.planes * pass.in_dims().iter().product::<usize>()) as u64;
            let (usage, extra) = self.source_usage(elements * 4);
            let outputs = (split.planes * pass.out_dims().iter().product::<usize>()) as u64;
            let (s, t) = (
                Strides::contiguous(1, pass.in_dims()),
                Strides::contiguous(1, pass.out_dims()),
            );
            let words = (elements.div_ceil(4) * 4 + extra / 4, outputs);
            if let Some(rows) =
                self.rows_plan(pass, split.planes, 1, s, t, (0, words.0), (0, words.1))
            {
                for (i, part) in rows.parts.iter().enumerate() {
                    let n = rows.dispatches.iter().filter(|d| d.part == i).count();
                    if n == 0 {
                        continue;
                    }
                    let kind =
                        pipelines::rows_label(part.is_periodic(), part.lines, self.loads(part));
                    out.push((
                        format!("{kind}(g{} span{} taps{})", part.g, part.span, part.taps),
                        n,
                    ));
                }
                continue;
            }
            let source = Source {
                uniform: usage.contains(wgpu::BufferUsages::UNIFORM),
                words: elements + extra / 4,
                offset: 0,
            };
            let PassLayout {
                kind,
                taps,
                chunks: cs,
                span,
                ..
            } = self.pass_layout(
                pass,
                split.planes,
                1,
                Strides::contiguous(1, pass.in_dims()),
                Strides::contiguous(1, pass.out_dims()),
                source,
            )?;
            let t = Strides::contiguous(1, pass.out_dims());
            let vec4 = vec4_stores(kind, taps, &cs, t, 0);
            out.push((
                pipelines::gather_label(kind, taps, vec4, span).to_string(),
                cs.len(),
            ));
        }
        Ok(out)
    }

    /// Add one pass to `rec`.
    #[allow(clippy::too_many_arguments)]
    fn encode_pass(
        &self,
        rec: &mut Recording,
        pass: &Pass,
        planes: usize,
        channels: usize,
        src: Operand<'_>,
        dst: Operand<'_>,
        clamp: Option<Clamp>,
    ) -> Result<()> {
        let at = |o: &Operand<'_>| (o.offset, o.buffer.size() / 4);
        if let Some(rows) = self.rows_plan(
            pass,
            planes,
            channels,
            src.strides,
            dst.strides,
            at(&src),
            at(&dst),
        ) {
            return self.encode_rows(rec, pass, &rows, src, dst, clamp);
        }
        let lim = self.chunk_limits();
        let [out_d, out_h, out_w] = pass.out_dims();
        let (s, t) = (src.strides, dst.strides);
        let source = Source {
            uniform: src.buffer.usage().contains(wgpu::BufferUsages::UNIFORM),
            words: src.buffer.size() / 4,
            offset: src.offset,
        };
        let PassLayout {
            kind,
            taps,
            lane_shift,
            variable,
            runs,
            chunks: cs,
            span,
        } = self.pass_layout(pass, planes, channels, s, t, source)?;
        let win_align = self.uniform_align() / 4;
        let src_words = source.words;
        let flags = output_flags(pass, clamp);
        let key = GatherKey {
            kind,
            taps,
            lane_shift,
            output_flags: flags,
            unit_weights: pass.axes.iter().all(|t| t.weight.iter().all(|&w| w == 1.0)),
            variable,
            run_tables: runs.is_some(),
            vec4_stores: vec4_stores(kind, taps, &cs, t, dst.offset),
            span,
        };
        // Strides enter the kernel modulo 2^32; the offsets they produce inside a bound
        // window are exact because every window is smaller than 2^32 elements.
        let base = Params {
            out_w: u32_of(out_w, "output width")?,
            out_h: u32_of(out_h, "output height")?,
            out_d: u32_of(out_d, "output depth")?,
            channels: u32_of(channels, "channels")?,
            s_n: s.n as u32,
            s_c: s.c as u32,
            s_d: s.d as u32,
            s_h: s.h as u32,
            s_w: s.w as u32,
            t_n: t.n as u32,
            t_c: t.c as u32,
            t_d: t.d as u32,
            t_h: t.h as u32,
            t_w: t.w as u32,
            flags,
            taps_d: u32_of(pass.axes[0].taps, "taps")?,
            taps_h: u32_of(pass.axes[1].taps, "taps")?,
            taps_w: u32_of(pass.axes[2].taps, "taps")?,
            clamp_min: clamp.map_or(0.0, |c| c.min),
            clamp_max: clamp.map_or(0.0, |c| c.max),
            last_d: u32_of(pass.axes[0].in_len.saturating_sub(1), "input depth")?,
            last_h: u32_of(pass.axes[1].in_len.saturating_sub(1), "input height")?,
            last_w: u32_of(pass.axes[2].in_len.saturating_sub(1), "input width")?,
            ..Default::default()
        };
        let kernel = self.pipelines.gather(&self.device, key);
        let uniform = kind != GatherKind::StorageTables;
        let packs_rows = pipelines::packs_rows(kind, taps);

        // Every chunk's Params and table slice go into one buffer each, at aligned offsets;
        // chunks that read the same table rows share a slice.
        let table_align = (self
            .uniform_align()
            .max(self.limits.min_storage_buffer_offset_alignment as u64)
            / 4) as usize;
        let params_stride = PARAMS_SIZE.div_ceil(self.uniform_align()) * self.uniform_align();
        // Uniform tables: chunks share slices inside 64 KiB windows. Storage tables (a row
        // too long for the uniform budget): one group per chunk, bound to its own length.
        let mut tables_at = TablePlacer::new(
            table_align,
            if uniform {
                (UNIFORM_TABLE_BYTES / 4) as usize
            } else {
                0
            },
            span > 0,
        );
        let mut params_bytes: Vec<u8> = Vec::with_capacity(cs.len() * params_stride as usize);
        let mut placed = Vec::with_capacity(cs.len());
        for c in &cs {
            let rows = [(c.d0, c.nd), (c.h0, c.nh), (c.w0, c.nw)];
            let Placement {
                group: at,
                offsets,
                len,
            } = tables_at.place(pass, runs.as_ref(), rows)?;
            let s_abs = src.offset + c.src_start;
            let s_bind = match kind {
                GatherKind::Window | GatherKind::WindowAxis => {
                    window_start(src_words, s_abs, c.src_len, win_align).unwrap_or(0)
                }
                _ => s_abs / lim.align * lim.align,
            };
            let t_abs = dst.offset + c.dst_start;
            let t_bind = t_abs / lim.align * lim.align;
            let params = Params {
                tab_d: offsets[0],
                tab_h: offsets[1],
                tab_w: offsets[2],
                w0: c.w0 as u32,
                w_count: c.nw as u32,
                rows_d: c.nd as u32,
                rows_h: c.nh as u32,
                h0: c.h0 as u32,
                d0: c.d0 as u32,
                d_count: c.nd as u32,
                p0: c.p0 as u32,
                n_first: (c.p0 / channels.max(1)) as u32,
                c_first: (c.p0 % channels.max(1)) as u32,
                // Window chunks keep one n (or have one channel): planes are evenly strided.
                s_plane: if channels <= 1 { s.n } else { s.c } as u32,
                t_plane: if channels <= 1 { t.n } else { t.c } as u32,
                lane_shift: c.lane_shift,
                planes: c.np as u32,
                plane_group: c.plane_group as u32,
                // Offset of (n=0, c=0) relative to the window starts, modulo 2^32.
                src_base: src.offset.wrapping_sub(s_bind) as u32,
                dst_base: dst.offset.wrapping_sub(t_bind) as u32,
                ..base
            };
            params_bytes.extend_from_slice(bytemuck::bytes_of(&params));
            params_bytes.resize(
                params_bytes.len().div_ceil(params_stride as usize) * params_stride as usize,
                0,
            );
            if !uniform && len as u64 * 4 > self.limits.max_storage_buffer_binding_size {
                return Err(Error::limit(
                    "max_storage_buffer_binding_size",
                    format!(
                        "the taps of the outputs one dispatch makes need {} bytes of tables, \
                         more than a storage binding holds ({} bytes): an output reads too many \
                         inputs",
                        len as u64 * 4,
                        self.limits.max_storage_buffer_binding_size
                    ),
                ));
            }
            placed.push((at, len, s_abs, s_bind, t_abs, t_bind));
        }
        // Uniform table bindings are the shader's fixed 64 KiB: room after the last slice.
        let mut words = tables_at.words;
        if uniform {
            words.resize(words.len() + (UNIFORM_TABLE_BYTES / 4) as usize, 0);
        }
        let tables = self.buffer_init(
            Some("resample.tables"),
            bytemuck::cast_slice(&words),
            if uniform {
                wgpu::BufferUsages::UNIFORM
            } else {
                wgpu::BufferUsages::STORAGE
            },
        )?;
        let ubuf = self.buffer_init(
            Some("resample.params"),
            &params_bytes,
            wgpu::BufferUsages::UNIFORM,
        )?;
        let mut dispatches = Vec::with_capacity(cs.len());
        for (i, (c, &(at, len, s_abs, s_bind, t_abs, t_bind))) in cs.iter().zip(&placed).enumerate()
        {
            let table_len = if uniform {
                UNIFORM_TABLE_BYTES / 4
            } else {
                len as u64
            };
            let src_res = match kind {
                GatherKind::Window | GatherKind::WindowAxis => {
                    bind(src.buffer, s_bind, WINDOW_BYTES / 4)
                }
                _ => bind(src.buffer, s_bind, s_abs + c.src_len - s_bind),
            };
            let group = bind_group(
                &self.device,
                "resample.gather",
                &kernel.layout,
                [
                    wgpu::BindingResource::Buffer(wgpu::BufferBinding {
                        buffer: &ubuf,
                        offset: i as u64 * params_stride,
                        size: wgpu::BufferSize::new(PARAMS_SIZE),
                    }),
                    bind(&tables, at as u64, table_len),
                    src_res,
                    bind(dst.buffer, t_bind, t_abs + c.dst_len - t_bind),
                ],
            );
            dispatches.push((
                group,
                [
                    c.workgroups_x,
                    // Only the loop-free window kernels pack several rows into a workgroup.
                    if packs_rows {
                        c.workgroups_y
                    } else {
                        c.nh as u32
                    },
                    (c.groups * c.nd) as u32,
                ],
            ));
        }
        rec.dispatch("resample.gather", &kernel.pipeline, dispatches)
    }
}

impl Resampler {
    /// The row kernels' plan of `pass` (see [`Resampler::row_kernels`]), if they are on and
    /// can run it; `src` and `dst` are the tensors' element offsets and their buffers' sizes
    /// in elements.
    #[allow(clippy::too_many_arguments)]
    fn rows_plan(
        &self,
        pass: &Pass,
        planes: usize,
        channels: usize,
        s: Strides,
        t: Strides,
        src: (u64, u64),
        dst: (u64, u64),
    ) -> Option<rows::RowsPass> {
        if !self.rows {
            return None;
        }
        let lim = self.chunk_limits();
        rows::plan(
            pass,
            planes,
            channels,
            s,
            t,
            rows::RowsLimits {
                max_binding: lim.max_binding,
                // vec4 bindings: starts at multiples of 4 elements too.
                align: lim.align.max(4),
                record_align: self.uniform_align().div_ceil(16).max(1),
                max_workgroups: lim.max_workgroups,
                pair_loads: self.u64_loads,
                src_offset: src.0,
                src_words: src.1,
                dst_offset: dst.0,
                dst_words: dst.1,
            },
        )
    }

    /// How the row kernel of `part` loads its input.
    fn loads(&self, part: &rows::Part) -> pipelines::Loads {
        match (part.pairs, self.u64_loads) {
            (true, _) => pipelines::Loads::Pairs,
            (false, true) => pipelines::Loads::U64,
            (false, false) => pipelines::Loads::F32,
        }
    }

    /// Record a pass the row kernels run: one compute pass per part, each part's dispatches
    /// (plane and row chunks) with their parameters in one uniform buffer.
    #[allow(clippy::too_many_arguments)]
    fn encode_rows(
        &self,
        rec: &mut Recording,
        pass: &Pass,
        plan: &rows::RowsPass,
        src: Operand<'_>,
        dst: Operand<'_>,
        clamp: Option<Clamp>,
    ) -> Result<()> {
        let flags = output_flags(pass, clamp);
        let records = self.buffer_init(
            Some("resample.rows.records"),
            bytemuck::cast_slice(&plan.records),
            wgpu::BufferUsages::UNIFORM,
        )?;
        let bases = self.buffer_init(
            Some("resample.rows.bases"),
            bytemuck::cast_slice(&plan.bases),
            wgpu::BufferUsages::STORAGE,
        )?;
        let window = |vec4: u64| {
            wgpu::BindingResource::Buffer(wgpu::BufferBinding {
                buffer: &records,
                offset: vec4 * 16,
                size: wgpu::BufferSize::new(rows::RECORD_WINDOW * 16),
            })
        };
        let size = std::mem::size_of::<rows::RowParams>() as u64;
        let stride = size.div_ceil(self.uniform_align()) * self.uniform_align();
        let mut bytes = Vec::with_capacity(plan.dispatches.len() * stride as usize);
        for d in &plan.dispatches {
            let params = rows::RowParams {
                clamp_min: clamp.map_or(0.0, |c| c.min),
                clamp_max: clamp.map_or(0.0, |c| c.max),
                ..d.params
            };
            bytes.extend_from_slice(bytemuck::bytes_of(&params));
            bytes.resize(bytes.len().div_ceil(stride as usize) * stride as usize, 0);
        }
        let ubuf = self.buffer_init(
            Some("resample.rows.params"),
            &bytes,
            wgpu::BufferUsages::UNIFORM,
        )?;
        for (i, part) in plan.parts.iter().enumerate() {
            let mine: Vec<(usize, &rows::RowsDispatch)> = plan
                .dispatches
                .iter()
                .enumerate()
                .filter(|(_, d)| d.part == i)
                .collect();
            if mine.is_empty() {
                continue;
            }
            // rows_lines.wgsl applies the H taps itself.
            let key = pipelines::RowsKey {
                lines: part.lines,
                taps_d: if part.lines { 0 } else { plan.taps_d },
                taps_h: if part.lines { 0 } else { plan.taps_h },
                variable: plan.variable && !part.lines,
                g: part.g as u32,
                span: part.span as u32,
                taps: part.taps as u32,
                output_flags: flags,
                periodic: match &part.w {
                    rows::WTaps::Periodic { taps, .. } => Some((**taps).clone()),
                    rows::WTaps::Tabled { .. } => None,
                },
                loads: self.loads(part),
            };
            let kernel = self.pipelines.rows(&self.device, &key);
            let label = pipelines::rows_label(key.periodic.is_some(), key.lines, key.loads);
            let dispatches: Vec<_> = mine
                .iter()
                .map(|&(at, d)| {
                    let group = bind_group(
                        &self.device,
                        label,
                        &kernel.layout,
                        [
                            wgpu::BindingResource::Buffer(wgpu::BufferBinding {
                                buffer: &ubuf,
                                offset: at as u64 * stride,
                                size: wgpu::BufferSize::new(size),
                            }),
                            window(d.windows[0]),
                            window(d.windows[1]),
                            window(d.windows[2]),
                            bases.as_entire_binding(),
                            bind(src.buffer, d.src.0, d.src.1),
                            bind(dst.buffer, d.dst.0, d.dst.1),
                        ],
                    );
                    (group, d.workgroups)
                })
                .collect();
            rec.dispatch(label, &kernel.pipeline, dispatches)?;
        }
        Ok(())
    }
}

fn bind(buffer: &wgpu::Buffer, start: u64, len: u64) -> wgpu::BindingResource<'_> {
    wgpu::BindingResource::Buffer(wgpu::BufferBinding {
        buffer,
        offset: start * 4,
        size: wgpu::BufferSize::new(len.max(1) * 4),
    })
}

/// The GPU as a conformance backend.
pub struct GpuBackend(pub Resampler);

impl Backend for GpuBackend {
    fn name(&self) -> String {
        match self.0.adapter_info() {
            Some(i) => format!(
                "gpu ({}, {:?}, {} {})",
                i.name, i.backend, i.driver, i.driver_info
            ),
            None => "gpu".into(),
        }
    }
    fn forward_f32(&self, input: &[f32], shape: &[usize], o: &Options) -> Result<Vec<f64>> {
        Ok(self
            .0
            .interpolate(input, shape, o)?
            .0
            .into_iter()
            .map(f64::from)
            .collect())
    }
    fn forward_u8(&self, input: &[u8], shape: &[usize], o: &Options) -> Result<Vec<u8>> {
        Ok(self.0.interpolate_u8(input, shape, o)?.0)
    }
    fn backward_f32(&self, g: &[f32], shape: &[usize], o: &Options) -> Result<Vec<f64>> {
        Ok(self
            .0
            .interpolate_backward(g, shape, o)?
            .into_iter()
            .map(f64::from)
            .collect())
    }
}

const _: () = assert!(std::mem::size_of::<Params>() as u64 == PARAMS_SIZE);

/// `Params` of shaders/unpack.wgsl and shaders/pack.wgsl.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, bytemuck::Pod, bytemuck::Zeroable)]
struct ConvertParams {
    count: u32,
    byte_base: u32,
    kind: u32,
    words_or_dst_base: u32,
    src_base: u32,
    _pad: [u32; 3],
}

fn kind(e: Element) -> u32 {
    match e {
        Element::U8 => 0,
        _ => 1,
    }
}

impl Resampler {
    /// Record `interpolate(src) -> dst` into the caller's `encoder`, without submitting.
    ///
    /// `dst` must have the output's shape (see [`Resampler::output_buffer`]). Any layout and
    /// element type on either side; u8 (torch's uint8 semantics) needs u8 on both sides.
    /// Pipelines are never created here; small table/parameter/scratch buffers are.
    pub fn encode(
        &self,
        encoder: &mut wgpu::CommandEncoder,
        src: &GpuTensor<'_>,
        dst: &GpuTensor<'_>,
        options: &Options,
    ) -> Result<()> {
        let dtype = match (src.element, dst.element) {
            (Element::U8, Element::U8) => DType::U8,
            (Element::U8, _) | (_, Element::U8) => {
                return Err(Error::input(
                    "dst",
                    "uint8 semantics need uint8 on both sides",
                ));
            }
            _ => DType::F32,
        };
        let call = Call::forward(options, &src.shape, dtype)?;
        self.prepare(&call, (src, "src"), (dst, "dst"))?
            .record(encoder);
        Ok(())
    }

    /// Record the gradient of `interpolate` with respect to its input: `grad_output` has the
    /// output's shape, `grad_input` the input's. Deterministic: a gather, no atomics.
    pub fn encode_backward(
        &self,
        encoder: &mut wgpu::CommandEncoder,
        grad_output: &GpuTensor<'_>,
        grad_input: &GpuTensor<'_>,
        options: &Options,
    ) -> Result<()> {
        if grad_output.element == Element::U8 || grad_input.element == Element::U8 {
            return Err(Error::input(
                "grad_output",
                "gradients are f32 or f16, not uint8",
            ));
        }
        let call = Call::backward(options, &grad_input.shape)?;
        self.prepare(
            &call,
            (grad_output, "grad_output"),
            (grad_input, "grad_input"),
        )?
        .record(encoder);
        Ok(())
    }

    /// Everything an embedding call records, made and checked first (see [`Recording`]):
    /// the tensors against the call and each other, the memory it needs, then every buffer,
    /// bind group and command under error scopes. Nothing is recorded on an error.
    fn prepare(
        &self,
        call: &Call,
        (src, src_name): (&GpuTensor<'_>, &'static str),
        (dst, dst_name): (&GpuTensor<'_>, &'static str),
    ) -> Result<Recording> {
        self.check_alive()?;
        src.validate(src_name)?;
        dst.validate(dst_name)?;
        for (t, name, want) in [
            (src, src_name, call.src_shape()),
            (dst, dst_name, call.dst_shape()),
        ] {
            if t.shape != want {
                return Err(Error::input(
                    name,
                    format!("shape {:?} should be {want:?}", t.shape),
                ));
            }
        }
        if src.buffer == dst.buffer {
            return Err(Error::input(
                dst_name,
                format!(
                    "is in the same buffer as {src_name}: wgpu cannot bind one buffer for \
                     reading and writing in one dispatch; use two buffers"
                ),
            ));
        }
        let mut rec = Recording::new(&self.limits);
        // Empty tensors (a batch of 0, or area's output size 0): nothing to compute. An
        // empty source with a non-empty destination (the gradient of an empty output) is 0.
        if dst.is_empty() {
            return Ok(rec);
        }
        let wide = |t: &GpuTensor<'_>| {
            if t.element == Element::F32 {
                0
            } else {
                t.len() as u64 * 4
            }
        };
        self.check_call(call, wide(src).saturating_add(wide(dst)))?;
        scoped(&self.device, || {
            if src.is_empty() {
                self.encode_zeros(&mut rec, dst, dst_name)?;
            } else {
                let plan = call.plan();
                let clamp = match call.direction {
                    Direction::Forward => call.geometry.clamp,
                    Direction::Backward => None,
                };
                self.encode_tensors(&mut rec, &plan, src, dst, clamp)?;
            }
            Ok(rec)
        })
    }

    /// A buffer sized for the output of `interpolate(src)` (same element type and layout),
    /// with STORAGE | COPY_SRC | COPY_DST usage, and the tensor describing it.
    pub fn output_buffer(
        &self,
        src: &GpuTensor<'_>,
        options: &Options,
    ) -> Result<(wgpu::Buffer, Vec<usize>)> {
        let g = options.resolve(&src.shape)?;
        let shape = g.output_shape();
        let bytes = (g.output_len() as u64 * src.element.size()).div_ceil(4) * 4;
        if bytes > self.limits.max_buffer_size {
            return Err(Error::limit(
                "max_buffer_size",
                format!("the output needs {bytes} bytes"),
            ));
        }
        let buffer = scoped(&self.device, || {
            Ok(self.device.create_buffer(&wgpu::BufferDescriptor {
                label: Some("resample.output"),
                size: bytes.max(4),
                usage: wgpu::BufferUsages::STORAGE
                    | wgpu::BufferUsages::COPY_SRC
                    | wgpu::BufferUsages::COPY_DST,
                mapped_at_creation: false,
            }))
        })?;
        Ok((buffer, shape))
    }

    /// Zero `dst`: the gradient of an empty output.
    fn encode_zeros(
        &self,
        rec: &mut Recording,
        dst: &GpuTensor<'_>,
        name: &'static str,
    ) -> Result<()> {
        if dst.element == Element::F32 {
            // Whole words: the f32 tensor's own bytes.
            if !dst.buffer.usage().contains(wgpu::BufferUsages::COPY_DST) {
                return Err(Error::input(
                    name,
                    "zero-filling the gradient of an empty output needs COPY_DST usage",
                ));
            }
            let r = dst.byte_range();
            rec.clear(dst.buffer, r.start, r.end - r.start)
        } else {
            // f16 (or u8) may end mid-word: pack a zeroed f32 scratch (new buffers are
            // zero-initialised), which leaves the bytes after the tensor as they were.
            let zeros = self.scratch(dst.len())?;
            self.encode_convert(
                rec,
                false,
                dst.element,
                dst.len(),
                (&zeros, 0),
                (dst.buffer, dst.offset),
            )
        }
    }

    /// `plan` from `src` to `dst`, through f32 scratch copies where either is not f32.
    fn encode_tensors(
        &self,
        rec: &mut Recording,
        plan: &Plan,
        src: &GpuTensor<'_>,
        dst: &GpuTensor<'_>,
        clamp: Option<Clamp>,
    ) -> Result<()> {
        let channels = src.shape[1];
        // Widen f16/u8 input into an f32 scratch copy of the same layout.
        let wide_src;
        let src_op = if src.element == Element::F32 {
            Operand {
                buffer: src.buffer,
                offset: src.offset / 4,
                strides: src.strides(),
            }
        } else {
            wide_src = self.scratch(src.len())?;
            self.encode_convert(
                rec,
                true,
                src.element,
                src.len(),
                (src.buffer, src.offset),
                (&wide_src, 0),
            )?;
            Operand {
                buffer: &wide_src,
                offset: 0,
                strides: src.strides(),
            }
        };
        let wide_dst;
        let dst_op = if dst.element == Element::F32 {
            Operand {
                buffer: dst.buffer,
                offset: dst.offset / 4,
                strides: dst.strides(),
            }
        } else {
            wide_dst = self.scratch(dst.len())?;
            Operand {
                buffer: &wide_dst,
                offset: 0,
                strides: dst.strides(),
            }
        };
        // Nothing to resample (every size unchanged): torch copies; an identity pass does that
        // and converts the layout on the way.
        let plan = &plan.with_identity_pass();
        self.encode_plan(rec, plan, channels, src_op, dst_op, clamp)?;
        if dst.element != Element::F32 {
            self.encode_convert(
                rec,
                false,
                dst.element,
                dst.len(),
                (dst_op.buffer, 0),
                (dst.buffer, dst.offset),
            )?;
        }
        Ok(())
    }

    fn scratch(&self, elements: usize) -> Result<wgpu::Buffer> {
        let bytes = elements as u64 * 4;
        if bytes > self.limits.max_buffer_size {
            return Err(Error::limit(
                "max_buffer_size",
                format!("an f32 scratch copy of {bytes} bytes"),
            ));
        }
        let (usage, extra) = self.source_usage(bytes);
        Ok(self.device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("resample.scratch"),
            size: bytes.max(4) + extra,
            usage,
            mapped_at_creation: false,
        }))
    }

    /// Widen (`unpack`) `count` elements at byte `from.1` into f32 at element `to.1`, or narrow
    /// (`!unpack`) f32 at element `from.1` into `element` at byte `to.1`; in chunks that fit a
    /// binding.
    fn encode_convert(
        &self,
        rec: &mut Recording,
        unpack: bool,
        element: Element,
        count: usize,
        from: (&wgpu::Buffer, u64),
        to: (&wgpu::Buffer, u64),
    ) -> Result<()> {
        let lim = self.chunk_limits();
        let align_bytes = lim.align * 4;
        // Elements per chunk: a multiple of 4 (whole words of u8 and f16), fitting a binding.
        let per = ((lim.max_binding.saturating_sub(2 * lim.align)) / 4 * 4).max(4) as usize;
        let kernel = if unpack {
            &self.pipelines.unpack
        } else {
            &self.pipelines.pack
        };
        let mut groups = Vec::new();
        for e0 in (0..count).step_by(per) {
            let n = per.min(count - e0);
            let (narrow, wide) = if unpack { (from, to) } else { (to, from) };
            let nb = narrow.1 + e0 as u64 * element.size();
            let n_bind = nb / align_bytes * align_bytes;
            let n_len = (nb + n as u64 * element.size()).div_ceil(4) * 4 - n_bind;
            let wb = wide.1 + e0 as u64;
            let w_bind = wb / lim.align * lim.align;
            let params = ConvertParams {
                count: n as u32,
                byte_base: (nb - n_bind) as u32,
                kind: kind(element),
                words_or_dst_base: if unpack {
                    (wb - w_bind) as u32
                } else {
                    (n_len / 4) as u32
                },
                src_base: (wb - w_bind) as u32,
                _pad: [0; 3],
            };
            let ubuf = self.buffer_init(
                Some("resample.convert"),
                bytemuck::bytes_of(&params),
                wgpu::BufferUsages::UNIFORM,
            )?;
            let narrow_res = wgpu::BindingResource::Buffer(wgpu::BufferBinding {
                buffer: narrow.0,
                offset: n_bind,
                size: wgpu::BufferSize::new(n_len.max(4)),
            });
            let wide_res = bind(wide.0, w_bind, wb + n as u64 - w_bind);
            let (r1, r2) = if unpack {
                (narrow_res, wide_res)
            } else {
                (wide_res, narrow_res)
            };
            let group = bind_group(
                &self.device,
                if unpack {
                    "resample.unpack"
                } else {
                    "resample.pack"
                },
                &kernel.layout,
                [ubuf.as_entire_binding(), r1, r2],
            );
            let items = if unpack { n } else { (n_len / 4) as usize };
            let x = items.div_ceil(64).clamp(1, lim.max_workgroups as usize) as u32;
            groups.push((group, [x, 1, 1]));
        }
        let label = if unpack {
            "resample.unpack"
        } else {
            "resample.pack"
        };
        rec.dispatch(label, &kernel.pipeline, groups)
    }
}

impl Resampler {
    /// Submit nothing new, wait for the queue, and read `len` bytes of `buffer` at `offset`
    /// (which needs COPY_SRC usage). A convenience for tests and small tools.
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
        let staging = scoped(&self.device, || {
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
    /// Record a vec4 copy of all of `src` into `dst` (the bandwidth yardstick of
    /// `resample bench`); both sizes multiples of 16 bytes, `dst` at least as large.
    pub fn encode_copy(
        &self,
        encoder: &mut wgpu::CommandEncoder,
        src: &wgpu::Buffer,
        dst: &wgpu::Buffer,
    ) -> Result<()> {
        let total = src.size().min(dst.size()) / 16 * 16;
        let max = (self.limits.max_storage_buffer_binding_size / 256 * 256).max(256);
        let mut groups = Vec::new();
        let mut start = 0;
        while start < total {
            let len = max.min(total - start);
            let part = |b| {
                wgpu::BindingResource::Buffer(wgpu::BufferBinding {
                    buffer: b,
                    offset: start,
                    size: wgpu::BufferSize::new(len),
                })
            };
            groups.push((
                bind_group(
                    &self.device,
                    "resample.copy",
                    &self.pipelines.copy.layout,
                    [part(src), part(dst)],
                ),
                [
                    (len / 16)
                        .div_ceil(64)
                        .clamp(1, self.limits.max_compute_workgroups_per_dimension as u64)
                        as u32,
                    1,
                    1,
                ],
            ));
            start += len;
        }
        let mut rec = Recording::new(&self.limits);
        rec.dispatch("resample.copy", &self.pipelines.copy.pipeline, groups)?;
        rec.record(encoder);
        Ok(())
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
        self.buffer_init_padded(label, contents, usage, 0)
    }

    /// `buffer_init` with `extra` zero bytes after the contents.
    pub(crate) fn buffer_init_padded(
        &self,
        label: Option<&str>,
        contents: &[u8],
        usage: wgpu::BufferUsages,
        extra: u64,
    ) -> Result<wgpu::Buffer> {
        let buffer = self.device.create_buffer(&wgpu::BufferDescriptor {
            label,
            size: padded_size(contents.len(), extra),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::options::{Mode, Options};
    use crate::plan::{DType, Plan};

    /// The first forward pass of `mode` from a 1 x 1 x H x W `input` to `size` (H, W).
    fn first_pass(mode: Mode, input: [usize; 2], size: [usize; 2]) -> Pass {
        let g = Options::new(mode)
            .size(size)
            .resolve(&[1, 1, input[0], input[1]])
            .unwrap();
        Plan::forward(&g, DType::F32).passes.swap_remove(0)
    }

    /// Every chunk's three slices lie inside its group's window, hold exactly that chunk's
    /// rows, and chunks reading the same column rows share the slice within a group.
    #[test]
    fn table_slices_are_shared_inside_their_window() {
        let pass = &first_pass(Mode::Bilinear, [40, 1500], [700, 3000]);
        let runs = {
            let [d, h, w] = pass.axes.each_ref().map(AxisTable::run_starts);
            [d.unwrap(), h.unwrap(), w.unwrap()]
        };
        for runs in [None, Some(&runs)] {
            let budget = 16384;
            let mut t = TablePlacer::new(8, budget, false);
            // Chunks of 7 rows over the full width, then a second column split.
            let mut chunks = Vec::new();
            for w in [(0, 3000), (0, 1500), (1500, 1500)] {
                for h0 in (0..700).step_by(7) {
                    chunks.push([(0, 1), (h0, 7.min(700 - h0)), w]);
                }
            }
            let mut groups = std::collections::BTreeSet::new();
            for rows in chunks {
                let Placement {
                    group: at,
                    offsets: off,
                    len,
                } = t.place(pass, runs, rows).unwrap();
                assert!(len <= budget);
                assert!(at.is_multiple_of(8));
                groups.insert(at);
                for a in 0..3 {
                    let mut want = Vec::new();
                    axis_slice(&mut want, pass, runs, false, a, rows[a]);
                    let s = at + off[a] as usize;
                    assert!(s + want.len() <= at + budget, "{rows:?} axis {a}");
                    assert_eq!(&t.words[s..s + want.len()], &want[..], "{rows:?} axis {a}");
                }
            }
            // 300 chunks, but their column tables were written once per window.
            assert!(groups.len() < 40, "{} groups", groups.len());
            assert!(t.words.len() < 40 * budget);
        }
    }

    fn columns(w0: usize, nw: usize) -> chunks::Chunk {
        chunks::Chunk {
            p0: 0,
            np: 1,
            d0: 0,
            nd: 1,
            h0: 0,
            nh: 1,
            w0,
            nw,
            src_start: 0,
            src_len: 0,
            dst_start: 0,
            dst_len: 0,
            plane_group: 1,
            groups: 1,
            workgroups_x: 1,
            workgroups_y: 1,
            lane_shift: 3,
        }
    }

    /// The inputs an invocation's four columns share: 2 for a 2x nearest row, 4 for bilinear,
    /// 6 for bicubic, 8 at most; none for spans that gain nothing or non-monotone starts.
    /// Groups start at each chunk's first column.
    #[test]
    fn shared_spans() {
        let w_starts = |mode, w_in: usize, w_out: usize| {
            let w = &first_pass(mode, [4, w_in], [4, w_out]).axes[2];
            (w.run_starts().unwrap(), w.taps)
        };
        let whole = |n| [columns(0, n)];
        let (s, k) = w_starts(Mode::Nearest, 64, 128);
        assert_eq!(shared_span(&s, k, &whole(128)), Some(2));
        // Groups from an odd column of a 2x nearest row read 3 inputs.
        assert_eq!(shared_span(&s, k, &[columns(2, 124)]), Some(2));
        assert_eq!(
            shared_span(&s, k, &[columns(0, 64), columns(65, 63)]),
            Some(3)
        );
        let (s, k) = w_starts(Mode::Bilinear, 64, 128);
        assert_eq!(shared_span(&s, k, &whole(128)), Some(4));
        let (s, k) = w_starts(Mode::Bicubic, 64, 128);
        assert_eq!(shared_span(&s, k, &whole(128)), Some(6));
        let (s, k) = w_starts(Mode::Bicubic, 100, 75);
        assert_eq!(shared_span(&s, k, &whole(75)), Some(8));
        // 2x downscale, bilinear: 4 columns read 8 inputs, as many as their own taps.
        let (s, k) = w_starts(Mode::Bilinear, 128, 64);
        assert_eq!(shared_span(&s, k, &whole(64)), None);
        assert_eq!(shared_span(&[0, 1, 0, 1], 2, &whole(4)), None);
        // Fewer than four columns: the span of those there are.
        assert_eq!(shared_span(&[-1, 0], 4, &whole(2)), Some(5));
        // The packed word: start + 8 above the relative starts; past the end, the last.
        assert_eq!(
            span_group_word(&[-1, 0, 0, 1, 5], 0, 5),
            (7 << 9) | 1 | (1 << 3) | (2 << 6)
        );
        assert_eq!(
            span_group_word(&[-1, 0, 0, 1, 5], 3, 5),
            (9 << 9) | 4 | (4 << 3) | (4 << 6)
        );
    }

    /// A storage-table pass (budget 0): one group per chunk.
    #[test]
    fn storage_tables_get_a_group_per_chunk() {
        let pass = &first_pass(Mode::Bilinear, [4, 4], [8, 8]);
        let mut t = TablePlacer::new(8, 0, false);
        let a = t.place(pass, None, [(0, 1), (0, 4), (0, 8)]).unwrap();
        let b = t.place(pass, None, [(0, 1), (4, 4), (0, 8)]).unwrap();
        let whole = 3 + 4 * 5 + 8 * 5;
        assert_eq!(
            a,
            Placement {
                group: 0,
                offsets: [0, 3, 3 + 4 * 5],
                len: whole
            }
        );
        assert!(b.group >= whole && b.group.is_multiple_of(8), "{b:?}");
        assert_eq!((b.offsets, b.len), ([0, 3, 3 + 4 * 5], whole));
        // The same rows again: the same placement, nothing written.
        let n = t.words.len();
        assert_eq!(t.place(pass, None, [(0, 1), (0, 4), (0, 8)]).unwrap(), a);
        assert_eq!(t.words.len(), n);
    }
}

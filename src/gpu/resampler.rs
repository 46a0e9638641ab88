//! `Resampler`: a device, its pipelines and the switches that choose how passes run.

use super::buffers::Spare;
use super::device;
use super::gather::chunks::ChunkLimits;
use super::pipelines::Pipelines;
use super::recording::scope_error;
use crate::error::{Error, Result};
use crate::plan::Plan;
use std::sync::{Arc, Mutex};

/// Runs interpolate plans on a wgpu device. Cheap to share: `Send + Sync` where the target
/// has threads (wgpu's handles are neither on wasm32), pipelines built once in
/// [`Resampler::new`] or [`Resampler::new_async`].
pub struct Resampler {
    pub(crate) device: wgpu::Device,
    pub(crate) queue: wgpu::Queue,
    pub(crate) pipelines: Pipelines,
    pub(crate) limits: wgpu::Limits,
    pub(crate) info: Option<wgpu::AdapterInfo>,
    pub(crate) lost: Arc<Mutex<Option<String>>>,
    /// Run the passes on the kernels for CPU adapters (shaders/rows/, shaders/strips/).
    pub(crate) cpu_kernels: bool,
    /// The strips kernels load their input as 64-bit words (shaders/strips/src_u64.wgsl).
    pub(crate) u64_loads: bool,
    /// The tile kernel takes every pass it can from its first call (see
    /// [`Resampler::with_eager_tiles`]).
    pub(crate) eager_tiles: bool,
    /// The host API maps its input and output buffers directly (a CPU adapter, whose memory
    /// is the host's, with MAPPABLE_PRIMARY_BUFFERS): no staging copies.
    pub(crate) direct_map: bool,
    /// With `direct_map`, the host API's last input and output buffers, kept for a next call
    /// of the same sizes.
    pub(crate) spare: Mutex<Spare>,
}

impl Resampler {
    /// Build the pipelines on the caller's device (the embedding case). The device and queue
    /// handles are cloned (wgpu handles are reference counted). (Not on wasm32, where
    /// nothing may block: see [`Resampler::new_async`].)
    #[cfg(not(target_arch = "wasm32"))]
    pub fn new(device: &wgpu::Device, queue: &wgpu::Queue) -> Result<Resampler> {
        pollster::block_on(Resampler::new_async(device, queue))
    }

    /// [`Resampler::new`] as a future: the pipelines' errors are awaited, not blocked on.
    pub async fn new_async(device: &wgpu::Device, queue: &wgpu::Queue) -> Result<Resampler> {
        let oom = device.push_error_scope(wgpu::ErrorFilter::OutOfMemory);
        let val = device.push_error_scope(wgpu::ErrorFilter::Validation);
        let pipelines = Pipelines::new(device);
        let val = val.pop().await;
        let oom = oom.pop().await;
        if let Some(e) = val.or(oom) {
            return Err(scope_error(e));
        }
        Ok(Resampler {
            device: device.clone(),
            queue: queue.clone(),
            pipelines: pipelines?,
            limits: device.limits(),
            info: None,
            lost: Arc::new(Mutex::new(None)),
            cpu_kernels: device.adapter_info().device_type == wgpu::DeviceType::Cpu
                && cpu_kernels_fit(&device.limits()),
            u64_loads: device.features().contains(wgpu::Features::SHADER_INT64),
            eager_tiles: false,
            direct_map: device.adapter_info().device_type == wgpu::DeviceType::Cpu
                && device
                    .features()
                    .contains(wgpu::Features::MAPPABLE_PRIMARY_BUFFERS),
            spare: Mutex::new(Spare::default()),
        })
    }

    /// Pick an adapter (see [`device::select_adapter`]: `WGPU_BACKEND`, `WGPU_ADAPTER_NAME`,
    /// `WGPU_POWER_PREF`, software fallback), open a device with its limits, build pipelines.
    pub async fn new_default_async() -> Result<Resampler> {
        let adapter = device::select_adapter().await?;
        let (device, queue) = device::open_device(&adapter).await?;
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
        let mut r = Resampler::new_async(&device, &queue).await?;
        r.info = Some(adapter.get_info());
        r.lost = lost;
        Ok(r)
    }

    /// Blocking [`Resampler::new_default_async`] (not on wasm32).
    #[cfg(not(target_arch = "wasm32"))]
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

    /// Whether passes run on the kernels for CPU adapters: the row kernels
    /// (`shaders/rows/`) where a pass's taps repeat from one group of outputs to the next
    /// (integer and many rational scales: the taps are constants of a pipeline built per
    /// pattern, at most `ROWS_PIPELINES` of them per device), the strips kernels
    /// (`shaders/strips/`: one or two axes per pass, a lane making four or eight adjacent
    /// outputs for several rows from span weights it loads once; a fixed set of pipelines)
    /// for every other shape. On by default on CPU adapters (lavapipe, llvmpipe), where
    /// every load whose address differs between lanes is a loop over the lanes; off on GPUs,
    /// which run the gather kernels (`shaders/gather/`: one invocation per output). Results
    /// are the same either way, up to f32 rounding of the sums.
    pub fn cpu_kernels(&self) -> bool {
        self.cpu_kernels
    }

    /// Choose the kernels (see [`Resampler::cpu_kernels`]); `true` needs a device whose
    /// uniform bindings hold 64 KiB (the row kernels' tables) and is ignored otherwise.
    pub fn with_cpu_kernels(mut self, on: bool) -> Resampler {
        self.cpu_kernels = on && cpu_kernels_fit(&self.limits);
        self
    }

    /// Whether the kernels for CPU adapters load their input as pairs of 64-bit words
    /// (`shaders/strips/src_u64.wgsl`, `shaders/rows/src_u64.wgsl`) rather than as
    /// `vec4<f32>`s: on by default where the
    /// device has `SHADER_INT64` (the device this crate opens requests it). Same bits either
    /// way; on lavapipe, whose storage loads go one lane and one component at a time, it
    /// halves the components loaded.
    pub fn u64_loads(&self) -> bool {
        self.u64_loads
    }

    /// Choose how the kernels for CPU adapters load their input (see
    /// [`Resampler::u64_loads`]); `true`
    /// needs a device with `SHADER_INT64` and is ignored otherwise.
    pub fn with_u64_loads(mut self, on: bool) -> Resampler {
        self.u64_loads = on && self.has(wgpu::Features::SHADER_INT64);
        self
    }

    /// On CPU adapters the tile kernel (W and H at once) takes a pass from the second call
    /// of that pass on, and only passes of at least 2^18 outputs: its pipelines compile at
    /// their first dispatch (up to seconds on lavapipe), which small or one-off calls would
    /// not win back. `true` lets it take every pass it can, from the first call (to compare,
    /// and for the tests). Results are the same either way, up to f32 rounding of the sums.
    pub fn with_eager_tiles(mut self, on: bool) -> Resampler {
        self.eager_tiles = on;
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

    /// Whether the device has `feature`.
    pub(crate) fn has(&self, feature: wgpu::Features) -> bool {
        self.device.features().contains(feature)
    }

    pub(crate) fn spare_lock(&self) -> std::sync::MutexGuard<'_, Spare> {
        match self.spare.lock() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        }
    }

    pub(crate) fn check_alive(&self) -> Result<()> {
        match self.lost.lock() {
            Ok(l) => match l.as_ref() {
                Some(msg) => Err(Error::DeviceLost(msg.clone())),
                None => Ok(()),
            },
            Err(_) => Err(Error::DeviceLost("device state poisoned".into())),
        }
    }

    /// `plan` as its passes run: on CPU adapters one axis per pass (W, then H, then
    /// D: torch's nesting order), except a pass that picks (nearest) at most a quarter as many
    /// elements as it reads; on GPUs, passes whose taps multiply to at least twice their sum
    /// (4x4 bicubic, area windows) are split the same way, since an intermediate costs less
    /// than reading every tap product.
    pub(crate) fn split(&self, plan: &Plan) -> Plan {
        // A whole picking pass runs on the gather kernels, which read only the picked inputs.
        let shrinks = |p: &crate::plan::Pass| {
            let count = |d: [usize; 3]| d.iter().product::<usize>();
            p.picks() && 4 * count(p.out_dims()) <= count(p.in_dims())
        };
        let cpu = self.cpu_kernels;
        plan.split_heavy_passes(move |p| {
            if !cpu {
                2
            } else if shrinks(p) {
                usize::MAX
            } else {
                0
            }
        })
    }

    /// Offset alignment of uniform bindings, in bytes.
    pub(crate) fn uniform_align(&self) -> u64 {
        (self.limits.min_uniform_buffer_offset_alignment as u64).max(4)
    }

    pub(crate) fn chunk_limits(&self) -> ChunkLimits {
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
}

/// Whether a device's limits hold the kernels for CPU adapters: their row kernels read 64 KiB
/// uniform windows of tables.
fn cpu_kernels_fit(limits: &wgpu::Limits) -> bool {
    limits.max_uniform_buffer_binding_size >= super::pipelines::UNIFORM_TABLE_BYTES
}

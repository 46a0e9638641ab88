//! Adapter and device selection for callers that do not bring their own device.
//!
//! Honours wgpu's conventions: `WGPU_BACKEND` (e.g. `vulkan`, `gl`, `metal`, `dx12`),
//! `WGPU_ADAPTER_NAME` (a case-insensitive substring of the adapter's name) and
//! `WGPU_POWER_PREF` (`low` / `high`). Without them the default adapter of the primary
//! backends (Vulkan, Metal, DX12) is used, GL only when those have none, and when there is no
//! hardware adapter, a software one (lavapipe / llvmpipe / WARP).

use crate::error::{Error, Result};

fn instance(backends: wgpu::Backends) -> wgpu::Instance {
    let mut desc = wgpu::InstanceDescriptor::new_without_display_handle();
    desc.backends = backends;
    wgpu::Instance::new(desc)
}

/// The backends to try: `WGPU_BACKEND` if set; else the primary ones (Vulkan, Metal, DX12),
/// and GL only when none of those has an adapter.
#[cfg(not(target_arch = "wasm32"))]
async fn backends_with_adapters() -> (wgpu::Instance, wgpu::Backends, Vec<wgpu::Adapter>) {
    if let Some(b) = wgpu::Backends::from_env() {
        let inst = instance(b);
        let all = inst.enumerate_adapters(b).await;
        return (inst, b, all);
    }
    let inst = instance(wgpu::Backends::PRIMARY);
    let all = inst.enumerate_adapters(wgpu::Backends::PRIMARY).await;
    if !all.is_empty() {
        return (inst, wgpu::Backends::PRIMARY, all);
    }
    let inst = instance(wgpu::Backends::SECONDARY);
    let all = inst.enumerate_adapters(wgpu::Backends::SECONDARY).await;
    (inst, wgpu::Backends::SECONDARY, all)
}

/// Every adapter wgpu can see under the current `WGPU_BACKEND` (all backends if unset).
#[cfg(not(target_arch = "wasm32"))]
pub fn enumerate() -> Vec<wgpu::AdapterInfo> {
    let backends = wgpu::Backends::from_env().unwrap_or(wgpu::Backends::all());
    pollster::block_on(instance(backends).enumerate_adapters(backends))
        .iter()
        .map(|a| a.get_info())
        .collect()
}

/// Pick an adapter as described in the module docs; on wasm32, the browser's WebGPU adapter
/// (`navigator.gpu.requestAdapter()`).
#[cfg(target_arch = "wasm32")]
pub async fn select_adapter() -> Result<wgpu::Adapter> {
    let inst = instance(wgpu::Backends::BROWSER_WEBGPU);
    inst.request_adapter(&wgpu::RequestAdapterOptions::default())
        .await
        .map_err(|e| {
            Error::NoAdapter(format!(
                "WebGPU gave no adapter ({e}): the browser needs WebGPU on (navigator.gpu)"
            ))
        })
}

/// Pick an adapter as described in the module docs.
#[cfg(not(target_arch = "wasm32"))]
pub async fn select_adapter() -> Result<wgpu::Adapter> {
    let (inst, backends, all) = backends_with_adapters().await;
    let names = || {
        all.iter()
            .map(|a| {
                let i = a.get_info();
                format!("{} ({:?})", i.name, i.backend)
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    if let Ok(want) = std::env::var("WGPU_ADAPTER_NAME") {
        let want_l = want.to_lowercase();
        return all
            .iter()
            .find(|a| a.get_info().name.to_lowercase().contains(&want_l))
            .cloned()
            .ok_or_else(|| {
                Error::NoAdapter(format!(
                    "WGPU_ADAPTER_NAME={want:?} matches none of the adapters found: [{}]",
                    names()
                ))
            });
    }
    let power_preference = wgpu::PowerPreference::from_env().unwrap_or_default();
    for force_fallback_adapter in [false, true] {
        let opts = wgpu::RequestAdapterOptions {
            power_preference,
            force_fallback_adapter,
            compatible_surface: None,
            ..Default::default()
        };
        if let Ok(a) = inst.request_adapter(&opts).await {
            return Ok(a);
        }
    }
    // request_adapter may refuse an adapter it does not consider conformant; take any.
    all.into_iter().next().ok_or_else(|| {
        Error::NoAdapter(format!(
            "wgpu found no adapter for backends {backends:?}; on Linux install a Vulkan driver \
             (Debian/Ubuntu: apt-get install mesa-vulkan-drivers for the lavapipe software adapter)"
        ))
    })
}

/// The limits the resampler asks a device for: WebGPU's defaults, or the adapter's where it
/// has less (a compatibility-mode adapter), with the few limits the kernels grow into
/// raised to the adapter's own: buffer and binding sizes (larger tensors in one binding),
/// workgroups per dimension, storage buffers per stage (the image conversion kernels bind 5),
/// uniform bindings up to the 64 KiB tables of the gather and row kernels (below that the
/// gather kernels read their tables from storage buffers), and the adapter's offset
/// alignments where they are finer (bindings placed closer to the data).
pub fn needed_limits(adapter: &wgpu::Limits) -> wgpu::Limits {
    let base = wgpu::Limits::defaults().or_worse_values_from(adapter);
    wgpu::Limits {
        max_buffer_size: adapter.max_buffer_size,
        max_storage_buffer_binding_size: adapter.max_storage_buffer_binding_size,
        max_compute_workgroups_per_dimension: adapter.max_compute_workgroups_per_dimension,
        max_storage_buffers_per_shader_stage: adapter
            .max_storage_buffers_per_shader_stage
            .min(8)
            .max(base.max_storage_buffers_per_shader_stage),
        max_uniform_buffer_binding_size: adapter
            .max_uniform_buffer_binding_size
            .min(super::pipelines::UNIFORM_TABLE_BYTES)
            .max(base.max_uniform_buffer_binding_size),
        min_storage_buffer_offset_alignment: adapter.min_storage_buffer_offset_alignment,
        min_uniform_buffer_offset_alignment: adapter.min_uniform_buffer_offset_alignment,
        ..base
    }
}

/// The optional features the resampler uses where the adapter has them: 64-bit integers
/// (the kernels for CPU adapters load f32 pairs as 64-bit words), on CPU adapters mappable
/// storage buffers (the host API's data written and read where the kernels see it), and
/// with the `cli` feature timestamp queries (`resample bench`). Without them it runs all the
/// same.
pub fn wanted_features(adapter: &wgpu::Adapter) -> wgpu::Features {
    let mut wanted = wgpu::Features::SHADER_INT64;
    if cfg!(all(feature = "cli", not(target_arch = "wasm32"))) {
        wanted |= wgpu::Features::TIMESTAMP_QUERY;
    }
    if adapter.get_info().device_type == wgpu::DeviceType::Cpu {
        wanted |= wgpu::Features::MAPPABLE_PRIMARY_BUFFERS;
    }
    adapter.features() & wanted
}

/// Open a device on `adapter` with [`needed_limits`] and [`wanted_features`].
pub async fn open_device(adapter: &wgpu::Adapter) -> Result<(wgpu::Device, wgpu::Queue)> {
    let desc = wgpu::DeviceDescriptor {
        label: Some("wgpu_resample"),
        required_features: wanted_features(adapter),
        required_limits: needed_limits(&adapter.limits()),
        ..Default::default()
    };
    adapter.request_device(&desc).await.map_err(|e| {
        Error::Gpu(format!(
            "request_device on {}: {e}",
            adapter.get_info().name
        ))
    })
}

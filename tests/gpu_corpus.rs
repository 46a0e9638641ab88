#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The vendored torch corpora on the GPU: every forward (f32 and uint8), gradient and
//! rejection of tests/data/torch, of tests/data/torch-edges (random and edge cases: scales
//! that need exact JSON parsing, nearest's 1-D/3-D indices, gradients where torch's backward
//! is not the transpose of its forward, empty area outputs), of tests/data/torch-rows (rows
//! whose widths are multiples of 8) and of
//! tests/data/torch-f32-picks (nearest and nearest-exact where torch's float32 picks differ
//! from float64's), and ONNX's Resize cases of tests/data/onnx.
//!
//! One trial per (configuration, corpus) pair, so that they run in parallel.
//! (The Cpu configurations need SHADER_INT64; the eager-tiles trials make the tile kernel run
//! on the corpora's small shapes, which it takes only from a pass's second call otherwise.)

mod common;

use std::path::Path;
use wgpu_resample::conformance::GpuBackend;
use wgpu_resample::conformance::{self, Only};
use wgpu_resample::gpu::Resampler;

/// How a trial's Resampler runs the passes.
#[derive(Clone, Copy, Debug)]
enum Config {
    /// The kernels for CPU adapters, loading 64-bit words (devices with SHADER_INT64).
    Cpu,
    /// The kernels for CPU adapters with vec4<f32> loads.
    CpuF32Loads,
    /// The kernels for CPU adapters, the tile kernel taking every pass it can from the first
    /// call (by default it waits for a pass's second call and takes large passes only).
    CpuEagerTiles,
    /// The gather kernels (the GPU family).
    Gather,
}

/// Run tests/data/`corpus` on a Resampler of its own in configuration `config` (GpuBackend
/// takes ownership): at least `at_least` checks, none failing.
fn corpus_on_gpu(config: Config, corpus: &str, at_least: usize) {
    let (cpu, u64_loads) = match config {
        Config::Cpu | Config::CpuEagerTiles => (true, true),
        Config::CpuF32Loads => (true, false),
        Config::Gather => (false, false),
    };
    let r = Resampler::new_default()
        .unwrap()
        .with_cpu_kernels(cpu)
        .with_u64_loads(u64_loads)
        .with_eager_tiles(matches!(config, Config::CpuEagerTiles));
    // The Cpu trials run only where the device has SHADER_INT64 (`gpu_int64` below).
    assert_eq!(r.u64_loads(), u64_loads, "{config:?}: the loads");
    let loads = if r.u64_loads() { "u64" } else { "f32" };
    let path = format!("{} ({loads} loads)", common::path_name(&r));
    let backend = GpuBackend(r);
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(corpus)
        .join("manifest.json");
    let report = conformance::run(&manifest, &backend, Only::All).unwrap();
    let details = || {
        let mut s = format!("{corpus}, input path: {path}\n{}", report.table());
        for f in &report.failures {
            s += &format!("FAIL {f}\n");
        }
        s
    };
    assert!(
        report.total() >= at_least,
        "{corpus}: {} checks, expected at least {at_least}\n{}",
        report.total(),
        details()
    );
    assert_eq!(
        report.failed(),
        0,
        "{corpus}, {path}: {}\n{}",
        report.summary(),
        details()
    );
}

/// One test function per (configuration, corpus, at least this many checks), and `main`.
macro_rules! corpus_trials {
    ($($kind:ident $name:ident: $config:ident, $corpus:literal, $at_least:literal;)*) => {
        $(
            fn $name() {
                corpus_on_gpu(Config::$config, $corpus, $at_least);
            }
        )*
        tests!($($kind: $name),*);
    };
}

corpus_trials! {
    gpu_int64 torch_on_cpu_kernels: Cpu, "torch", 1200;
    gpu_int64 torch_on_eager_tiles: CpuEagerTiles, "torch", 1200;
    gpu_int64 torch_edges_on_eager_tiles: CpuEagerTiles, "torch-edges", 550;
    gpu_int64 torch_rows_on_eager_tiles: CpuEagerTiles, "torch-rows", 290;
    gpu_int64 onnx_on_eager_tiles: CpuEagerTiles, "onnx", 189;
    gpu torch_on_cpu_kernels_f32_loads: CpuF32Loads, "torch", 1200;
    gpu torch_on_gather_kernels: Gather, "torch", 1200;
    gpu_int64 torch_edges_on_cpu_kernels: Cpu, "torch-edges", 550;
    gpu torch_edges_on_cpu_kernels_f32_loads: CpuF32Loads, "torch-edges", 550;
    gpu torch_edges_on_gather_kernels: Gather, "torch-edges", 550;
    gpu_int64 torch_rows_on_cpu_kernels: Cpu, "torch-rows", 290;
    gpu torch_rows_on_cpu_kernels_f32_loads: CpuF32Loads, "torch-rows", 290;
    gpu torch_rows_on_gather_kernels: Gather, "torch-rows", 290;
    gpu_int64 torch_f32_picks_on_cpu_kernels: Cpu, "torch-f32-picks", 80;
    gpu torch_f32_picks_on_cpu_kernels_f32_loads: CpuF32Loads, "torch-f32-picks", 80;
    gpu torch_f32_picks_on_gather_kernels: Gather, "torch-f32-picks", 80;
    gpu_int64 onnx_on_cpu_kernels: Cpu, "onnx", 189;
    gpu onnx_on_cpu_kernels_f32_loads: CpuF32Loads, "onnx", 189;
    gpu onnx_on_gather_kernels: Gather, "onnx", 189;
    gpu_int64 onnx_disagreements_on_cpu_kernels: Cpu, "onnx-disagreements", 50;
    gpu onnx_disagreements_on_gather_kernels: Gather, "onnx-disagreements", 50;
}

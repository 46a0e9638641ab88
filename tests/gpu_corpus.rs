#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The vendored torch corpora on the GPU: every forward (f32 and uint8), gradient and
//! rejection of tests/data/torch, of tests/data/torch-edges (random and edge cases: scales
//! that need exact JSON parsing, nearest's 1-D/3-D indices, gradients where torch's backward
//! is not the transpose of its forward, empty area outputs) and of tests/data/torch-rows
//! (rows whose widths are multiples of 8: the row kernels, pair loads included).

mod common;

use std::path::Path;
use wgpu_resample::conformance::{self, Only};
use wgpu_resample::gpu::{GpuBackend, Resampler};

#[test]
fn torch_corpus_on_gpu() {
    if common::gpu().is_none() {
        return;
    }
    // The adapter's default (on CPU adapters the row kernels, loading 64-bit words where the
    // device has them, then uniform windows), the row kernels with vec4<f32> loads, and each
    // input path without the row kernels, each on a Resampler of its own: GpuBackend takes
    // ownership.
    for (rows, u64_loads, windows) in [
        (true, true, true),
        (true, false, true),
        (false, false, true),
        (false, false, false),
    ] {
        let r = Resampler::new_default()
            .unwrap()
            .with_row_kernels(rows)
            .with_uniform_windows(windows);
        if rows && !u64_loads && !r.u64_loads() {
            continue; // the first configuration already loaded vec4<f32>s
        }
        let r = r.with_u64_loads(u64_loads);
        let loads = if r.u64_loads() { "u64" } else { "f32" };
        let path = format!("{} ({loads} loads)", common::path_name(&r));
        let backend = GpuBackend(r);
        for (corpus, at_least) in [("torch", 1200), ("torch-edges", 550), ("torch-rows", 290)] {
            let manifest = Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/data")
                .join(corpus)
                .join("manifest.json");
            let report = conformance::run(&manifest, &backend, Only::All).unwrap();
            println!("{corpus}, input path: {path}");
            print!("{}", report.table());
            for f in &report.failures {
                println!("FAIL {f}");
            }
            assert!(report.total() >= at_least, "{corpus}: {}", report.total());
            assert_eq!(report.failed(), 0, "{corpus}, {path}: {}", report.summary());
        }
    }
}

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The vendored torch corpora (tests/data/torch, torch-edges, torch-rows, torch-f32-picks) on
//! the CPU reference: every forward, gradient, uint8 and rejection case must pass.

use std::path::Path;
use wgpu_resample::conformance::{self, CpuBackend, Only, Report};

/// Run tests/data/`corpus` on the reference: at least `at_least` checks, none failing.
fn passes_on_reference(corpus: &str, at_least: usize) -> Report {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(corpus)
        .join("manifest.json");
    let report = conformance::run(&manifest, &CpuBackend, Only::All).expect("corpus loads");
    print!("{}", report.table());
    for f in &report.failures {
        println!("FAIL {f}");
    }
    assert!(
        report.total() >= at_least,
        "{corpus} too small: {}",
        report.total()
    );
    assert_eq!(report.failed(), 0, "{corpus}: {}", report.summary());
    report
}

#[test]
fn torch_corpus_on_cpu_reference() {
    // As vendored: 652 forwards (80 of them uint8), 572 gradients, 15 rejections.
    let report = passes_on_reference("torch", 1200);
    let errors: usize = report.modes.values().map(|m| m.errors.total).sum();
    let grads: usize = report.modes.values().map(|m| m.gradient.total).sum();
    assert!(errors > 0 && grads > 0);
}

/// tests/data/torch-edges: torch cases made by tools/torch-cases/gen.py (random arguments, and
/// the edges where earlier versions differed from torch: scales whose f64 parse must be
/// exact, nearest's indices in 1-D and 3-D, gradients where torch's backward is not the
/// transpose of its forward, area's empty outputs).
#[test]
fn torch_edge_corpus_on_cpu_reference() {
    // As vendored: 290 forwards, 204 gradients, 65 rejections.
    passes_on_reference("torch-edges", 550);
}

/// tests/data/torch-rows: torch cases made by tools/torch-cases/gen_rows.py (seed 808): every
/// mode with rows whose widths are multiples of 8 in and out, at scales whose taps repeat
/// along a row and at random ones (the GPU's row kernels; here the reference).
#[test]
fn torch_rows_corpus_on_cpu_reference() {
    // As vendored: 163 forwards, 138 gradients.
    passes_on_reference("torch-rows", 290);
}

/// tests/data/torch-f32-picks: nearest and nearest-exact cases made by float32 torch, only
/// (in, out) pairs where float32 and float64 pick different inputs (see tests/data/FORMAT.md):
/// the reference must pick what torch picks for float32 data.
#[test]
fn torch_f32_picks_corpus_on_cpu_reference() {
    // As vendored: 40 cases (20 nearest, 20 nearest-exact), each a forward and a gradient.
    let report = passes_on_reference("torch-f32-picks", 80);
    let grads: usize = report.modes.values().map(|m| m.gradient.total).sum();
    assert!(grads > 0);
}

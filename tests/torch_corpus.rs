#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The vendored torch corpus (tests/data/torch) on the CPU reference: every forward, gradient,
//! uint8 and rejection case must pass.

use std::path::Path;
use wgpu_resample::conformance::{self, CpuBackend, Only};

#[test]
fn torch_corpus_on_cpu_reference() {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/torch/manifest.json");
    let report = conformance::run(&manifest, &CpuBackend, Only::All).expect("corpus loads");
    print!("{}", report.table());
    for f in &report.failures {
        println!("FAIL {f}");
    }
    // As vendored: 652 forwards (80 of them uint8), 572 gradients, 15 rejections.
    assert!(
        report.total() >= 1200,
        "corpus too small: {}",
        report.total()
    );
    let errors: usize = report.modes.values().map(|m| m.errors.total).sum();
    let grads: usize = report.modes.values().map(|m| m.gradient.total).sum();
    assert!(errors > 0 && grads > 0);
    assert_eq!(report.failed(), 0, "{}", report.summary());
}

/// tests/data/torch-edges: torch cases made by tools/torch-cases/gen.py (random arguments, and
/// the edges where earlier versions differed from torch: scales whose f64 parse must be
/// exact, nearest's indices in 1-D and 3-D, gradients where torch's backward is not the
/// transpose of its forward, area's empty outputs).
#[test]
fn torch_edge_corpus_on_cpu_reference() {
    let manifest =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/torch-edges/manifest.json");
    let report = conformance::run(&manifest, &CpuBackend, Only::All).expect("corpus loads");
    print!("{}", report.table());
    for f in &report.failures {
        println!("FAIL {f}");
    }
    // As vendored: 290 forwards, 204 gradients, 65 rejections.
    assert!(
        report.total() >= 550,
        "corpus too small: {}",
        report.total()
    );
    assert_eq!(report.failed(), 0, "{}", report.summary());
}

/// tests/data/torch-rows: torch cases made by tools/torch-cases/gen_rows.py (seed 808): every
/// mode with rows whose widths are multiples of 8 in and out, at scales whose taps repeat
/// along a row and at random ones (the GPU's row kernels; here the reference).
#[test]
fn torch_rows_corpus_on_cpu_reference() {
    let manifest =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/torch-rows/manifest.json");
    let report = conformance::run(&manifest, &CpuBackend, Only::All).expect("corpus loads");
    print!("{}", report.table());
    for f in &report.failures {
        println!("FAIL {f}");
    }
    // As vendored: 163 forwards, 138 gradients.
    assert!(
        report.total() >= 290,
        "corpus too small: {}",
        report.total()
    );
    assert_eq!(report.failed(), 0, "{}", report.summary());
}

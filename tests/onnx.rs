#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! ONNX `Resize` on the CPU reference: the vendored onnx corpus (the onnx package's own
//! backend tests and onnxruntime cases), the adjoint identity of every mode and coordinate
//! mode (the gradient), the torch calls that are ONNX configurations, and the spec's
//! rejections as typed errors.

mod common;

use common::onnx::{equivalences, random_case, shapes};
use common::Rng;
use std::path::Path;
use wgpu_resample::conformance::{self, CpuBackend, Only};
use wgpu_resample::options::onnx::{CoordinateMode, NearestMode, OnnxMode, OnnxOptions};
use wgpu_resample::{reference, Error, Mode, Options};

fn corpus_on_reference(corpus: &str, at_least: usize) {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(corpus)
        .join("manifest.json");
    let report = conformance::run(&manifest, &CpuBackend, Only::All).unwrap();
    print!("{}", report.table());
    for f in &report.failures {
        println!("FAIL {f}");
    }
    assert!(report.total() >= at_least, "{}", report.total());
    assert_eq!(report.failed(), 0, "{}", report.summary());
}

#[test]
fn onnx_corpus_on_cpu_reference() {
    // As vendored: 39 onnx backend tests and 150 onnxruntime cases, forwards only.
    corpus_on_reference("onnx", 189);
}

/// Cases where onnxruntime and the onnx reference disagree (tools/onnx-cases/gen.py
/// --disagreements): the expected output is the one the spec's exact arithmetic gives (each
/// case's origin says whose).
#[test]
fn onnx_disagreements_on_cpu_reference() {
    corpus_on_reference("onnx-disagreements", 50);
}

fn dot(a: &[f64], b: &[f32]) -> f64 {
    a.iter().zip(b).map(|(&x, &y)| x * f64::from(y)).sum()
}

/// The gradient is the transpose of the forward: `<A x, g> = <x, A^T g>` for random `x`
/// and `g`, in f64 to 1e-10 of the terms' size (a wrong tap moves it by about a term).
#[test]
fn adjoint_identity_every_mode_and_coordinate_mode() {
    let mut rng = Rng::new(0x0AA7);
    let mut seen = std::collections::HashSet::new();
    let mut staged = 0;
    for case in 0..600 {
        let (shape, o) = random_case(&mut rng);
        let x = rng.data(shape.iter().product());
        let (y, oshape) = reference::resize(&x, &shape, &o).unwrap();
        let g = rng.data(oshape.iter().product());
        let gx = reference::resize_backward(&g, &shape, &o).unwrap();
        let left = dot(&y, &g);
        let right = dot(&gx, &x);
        let size: f64 = y
            .iter()
            .zip(&g)
            .map(|(a, &b)| (a * f64::from(b)).abs())
            .sum();
        assert!(
            (left - right).abs() <= 1e-10 * size.max(1.0),
            "case {case}: {shape:?} {o:?}: {left} vs {right}"
        );
        seen.insert((o.mode, o.coordinate_mode, o.antialias));
        staged += usize::from(oshape[..2] != shape[..2]);
    }
    assert!(
        staged > 20,
        "{staged} cases resized the batch or channel axis"
    );
    // Every mode with every coordinate mode, and linear and cubic antialiased, were drawn.
    assert_eq!(seen.len(), 3 * 6 + 2 * 6, "{seen:?}");
}

/// `torch`'s call and `onnx`'s give the same result on the reference.
pub fn same(torch: &Options, onnx: &OnnxOptions, shape: &[usize]) -> f64 {
    let x = Rng::new(shape.iter().product::<usize>() as u64).data(shape.iter().product());
    let (a, sa) = reference::interpolate(&x, shape, torch).unwrap();
    let (b, sb) = reference::resize(&x, shape, onnx).unwrap();
    assert_eq!(sa, sb, "{torch:?} / {onnx:?}");
    a.iter()
        .zip(&b)
        .map(|(p, q)| (p - q).abs())
        .fold(0.0, f64::max)
}

#[test]
fn torch_calls_that_are_onnx_configurations() {
    for (shape, size) in shapes() {
        for (what, torch, onnx) in equivalences(size.len(), &size) {
            let d = same(&torch, &onnx, &shape);
            assert!(d <= 1e-12, "{what}, {shape:?} -> {size:?}: {d:e}");
        }
    }
}

/// Where torch and ONNX part: an output of one element. torch's linear modes sample the
/// input's centre; `pytorch_half_pixel` takes input 0 and `half_pixel` the centre.
#[test]
fn one_output_element_torch_half_pixel_and_pytorch_half_pixel() {
    let shape = [1, 1, 5];
    let torch = Options::new(Mode::Linear).size([1]);
    let half = OnnxOptions::new(OnnxMode::Linear).sizes([1, 1, 1]);
    let pytorch = half
        .clone()
        .coordinate_mode(CoordinateMode::PytorchHalfPixel);
    assert!(same(&torch, &half, &shape) <= 1e-12);
    let x = [3.0f32, 1.0, 4.0, 1.0, 5.0];
    assert_eq!(
        reference::resize(&x, &shape, &pytorch).unwrap().0,
        vec![3.0]
    );
    assert_eq!(
        reference::interpolate(&x, &shape, &torch).unwrap().0,
        vec![4.0]
    );
}

/// `tf_crop_and_resize`: outputs whose coordinate leaves the input take the extrapolation
/// value; the others interpolate the crop.
#[test]
fn crop_and_resize_extrapolates_outside_the_input() {
    let x: Vec<f32> = (0..16).map(|v| v as f32).collect();
    let o = OnnxOptions::new(OnnxMode::Linear)
        .coordinate_mode(CoordinateMode::TfCropAndResize)
        .axes([2, 3])
        .roi([-0.5, 0.0, 1.0, 1.0])
        .sizes([4, 4])
        .extrapolation_value(-7.0);
    let (y, shape) = reference::resize(&x, &[1, 1, 4, 4], &o).unwrap();
    assert_eq!(shape, vec![1, 1, 4, 4]);
    // Rows at coordinates -1.5 (outside), 0, 1.5 and 3 of rows 0..=3; columns unchanged.
    assert!(y[..4].iter().all(|&v| v == -7.0), "{y:?}");
    assert_eq!(&y[4..8], &[0.0, 1.0, 2.0, 3.0]);
    assert_eq!(&y[8..12], &[6.0, 7.0, 8.0, 9.0]);
    assert_eq!(&y[12..], &[12.0, 13.0, 14.0, 15.0]);
}

/// Resizing the batch and channel axes (ONNX allows every axis): a second stage.
#[test]
fn batch_and_channel_axes_resize_too() {
    let x: Vec<f32> = (0..12).map(|v| v as f32).collect();
    let o = OnnxOptions::new(OnnxMode::Nearest)
        .coordinate_mode(CoordinateMode::Asymmetric)
        .nearest_mode(NearestMode::Floor)
        .scales([2.0, 1.0, 1.0]);
    let (y, shape) = reference::resize(&x, &[2, 2, 3], &o).unwrap();
    assert_eq!(shape, vec![4, 2, 3]);
    let want: Vec<f64> = [
        0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 6, 7, 8, 9, 10, 11,
    ]
    .iter()
    .map(|&v| f64::from(v))
    .collect();
    assert_eq!(y, want);
}

fn rejected(shape: &[usize], o: &OnnxOptions) -> &'static str {
    match reference::resize(&vec![0.0; shape.iter().product()], shape, o) {
        Err(Error::Argument { name, .. }) | Err(Error::Input { name, .. }) => name,
        other => panic!("{o:?} on {shape:?}: {other:?}"),
    }
}

#[test]
fn the_specs_rejections_name_the_attribute() {
    let lin = || OnnxOptions::new(OnnxMode::Linear);
    let s = [1, 1, 4, 4];
    assert_eq!(rejected(&s, &lin()), "scales");
    assert_eq!(
        rejected(&s, &lin().scales([1.0; 4]).sizes([1; 4])),
        "scales"
    );
    assert_eq!(rejected(&s, &lin().scales([1.0, 1.0, 2.0])), "scales");
    assert_eq!(rejected(&s, &lin().scales([1.0, 1.0, 2.0, -1.0])), "scales");
    assert_eq!(
        rejected(&s, &lin().scales([1.0, 1.0, 2.0, f32::NAN])),
        "scales"
    );
    assert_eq!(rejected(&s, &lin().sizes([1, 1, 4, -2])), "sizes");
    assert_eq!(rejected(&s, &lin().axes([2, 2]).sizes([4, 4])), "axes");
    assert_eq!(rejected(&s, &lin().axes([4]).sizes([4])), "axes");
    assert_eq!(rejected(&s, &lin().axes([-5]).sizes([4])), "axes");
    assert_eq!(
        rejected(
            &s,
            &lin()
                .coordinate_mode(CoordinateMode::TfCropAndResize)
                .sizes([1, 1, 2, 2])
        ),
        "roi"
    );
    assert_eq!(
        rejected(
            &s,
            &lin()
                .coordinate_mode(CoordinateMode::TfCropAndResize)
                .roi([0.0, 1.0])
                .sizes([1, 1, 2, 2])
        ),
        "roi"
    );
    assert_eq!(
        rejected(
            &s,
            &OnnxOptions::new(OnnxMode::Nearest)
                .antialias(true)
                .sizes([1, 1, 2, 2])
        ),
        "antialias"
    );
    assert_eq!(
        rejected(&s, &lin().cubic_coeff_a(f64::NAN).sizes([1, 1, 2, 2])),
        "cubic_coeff_a"
    );
    assert_eq!(
        rejected(&[1, 1, 1, 1, 4, 4], &lin().sizes([1, 1, 1, 1, 4, 4])),
        "input"
    );
    assert_eq!(rejected(&[4, 4], &lin().sizes([4, 4])), "input");
    assert_eq!(
        "linear".parse::<OnnxMode>().unwrap(),
        OnnxMode::Linear,
        "ONNX's names parse"
    );
    assert!(matches!(
        "bilinear".parse::<OnnxMode>(),
        Err(Error::Argument { name: "mode", .. })
    ));
    assert!(matches!(
        "round".parse::<NearestMode>(),
        Err(Error::Argument {
            name: "nearest_mode",
            ..
        })
    ));
}

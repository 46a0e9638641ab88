#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! ONNX `Resize` on the GPU against the CPU reference: random cases of every mode,
//! coordinate mode and attribute, forward and gradient, on every kernel family and input
//! path; `tf_crop_and_resize`'s extrapolation through the embedding API (channels-last, at
//! offsets); the torch calls that are ONNX configurations give the same results here too.
//! (The vendored onnx corpus runs in tests/gpu_corpus.rs.)

mod common;

use common::onnx::{equivalences, random_case, shapes};
use common::{max_abs, max_abs_diff, Rng};
use wgpu::util::DeviceExt;
use wgpu_resample::gpu::{GpuTensor, Layout};
use wgpu_resample::options::onnx::{CoordinateMode, OnnxMode, OnnxOptions};
use wgpu_resample::{reference, Error, Resampler};

tests!(
    gpu: random_cases_match_the_reference,
    gpu: crop_and_resize_through_the_embedding_api,
    gpu: torch_calls_that_are_onnx_configurations,
);

fn tol(want: &[f64], nearest: bool) -> f64 {
    if nearest {
        0.0
    } else {
        2e-5 * max_abs(want).max(1.0)
    }
}

/// Forward and gradient of random cases, on the kernels for CPU adapters and on the gather
/// kernels, through every input path.
fn random_cases_match_the_reference() {
    let paths = common::gpu_paths();
    let gather = Resampler::new_default().unwrap().with_cpu_kernels(false);
    let mut rs: Vec<&Resampler> = paths.clone();
    rs.push(&gather);
    let mut rng = Rng::new(0x6A7E);
    for case in 0..160 {
        let (shape, o) = random_case(&mut rng);
        let x = rng.data(shape.iter().product());
        let (want, oshape) = reference::resize(&x, &shape, &o).unwrap();
        let g = rng.data(want.len());
        let want_g = reference::resize_backward(&g, &shape, &o).unwrap();
        let r = rs[case % rs.len()];
        let (got, gshape) = r.resize(&x, &shape, &o).unwrap();
        assert_eq!(gshape, oshape);
        let nearest = o.mode == OnnxMode::Nearest;
        let d = max_abs_diff(&got, &want);
        assert!(
            d <= tol(&want, nearest),
            "case {case} {shape:?} {o:?}: forward {d:e}"
        );
        let got_g = r.resize_backward(&g, &shape, &o).unwrap();
        let d = max_abs_diff(&got_g, &want_g);
        assert!(
            d <= 2e-5 * max_abs(&want_g).max(1.0),
            "case {case} {shape:?} {o:?}: gradient {d:e}"
        );
    }
}

fn upload(r: &Resampler, x: &[f32], pad_front: usize) -> wgpu::Buffer {
    let mut v = vec![f32::NAN; pad_front];
    v.extend_from_slice(x);
    r.device()
        .create_buffer_init(&wgpu::util::BufferInitDescriptor {
            label: None,
            contents: bytemuck::cast_slice(&v),
            usage: wgpu::BufferUsages::STORAGE
                | wgpu::BufferUsages::COPY_SRC
                | wgpu::BufferUsages::COPY_DST,
        })
}

/// `tf_crop_and_resize` recorded into the caller's encoder: channels-last tensors at offsets,
/// the extrapolated outputs written by the fill kernel, the rest by the passes; a call that
/// resizes the batch axis is a typed error there, before anything is recorded.
fn crop_and_resize_through_the_embedding_api() {
    let r = common::gpu();
    let mut rng = Rng::new(0xC409);
    let shape = [2, 3, 9, 11];
    let o = OnnxOptions::new(OnnxMode::Cubic)
        .coordinate_mode(CoordinateMode::TfCropAndResize)
        .axes([2, 3])
        .roi([-0.3, 0.2, 0.8, 1.4])
        .sizes([7, 13])
        .extrapolation_value(-5.5);
    let x = rng.data(shape.iter().product());
    let (want, oshape) = reference::resize(&x, &shape, &o).unwrap();
    assert!(want.iter().any(|&v| v == -5.5), "some outputs extrapolate");
    assert!(want.iter().any(|&v| v != -5.5), "some interpolate");
    let src = upload(r, &common::to_channels_last(&x, &shape), 8);
    let n_out: usize = oshape.iter().product();
    let dst = upload(r, &vec![0.0; n_out], 16);
    let ts = GpuTensor::new(&src, &shape)
        .layout(Layout::ChannelsLast)
        .offset(32);
    let td = GpuTensor::new(&dst, &oshape)
        .layout(Layout::ChannelsLast)
        .offset(64);
    let mut enc = r.device().create_command_encoder(&Default::default());
    r.encode_resize(&mut enc, &ts, &td, &o).unwrap();
    r.queue().submit([enc.finish()]);
    let bytes = r.read_buffer(&dst, 64, (n_out * 4) as u64).unwrap();
    let got: Vec<f32> = bytemuck::cast_slice(&bytes).to_vec();
    let got = common::from_channels_last(&got, &oshape);
    let d = max_abs_diff(&got, &want);
    assert!(d <= tol(&want, false), "{d:e}");

    let staged = OnnxOptions::new(OnnxMode::Nearest).scales([2.0, 1.0, 1.0, 1.0]);
    let mut enc = r.device().create_command_encoder(&Default::default());
    let e = r.encode_resize(&mut enc, &ts, &td, &staged).unwrap_err();
    assert!(matches!(e, Error::Argument { name: "sizes", .. }), "{e}");
}

/// The pairs of tests/onnx.rs, on the GPU: the torch call and the ONNX call agree.
fn torch_calls_that_are_onnx_configurations() {
    let r = common::gpu();
    for (shape, size) in shapes() {
        let x = Rng::new(7).data(shape.iter().product());
        for (what, torch, onnx) in equivalences(size.len(), &size) {
            let (a, _) = r.interpolate(&x, &shape, &torch).unwrap();
            let (b, _) = r.resize(&x, &shape, &onnx).unwrap();
            let b: Vec<f64> = b.into_iter().map(f64::from).collect();
            let d = max_abs_diff(&a, &b);
            assert!(d <= 2e-6, "{what}, {shape:?} -> {size:?}: {d:e}");
        }
    }
}

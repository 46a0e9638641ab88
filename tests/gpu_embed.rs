#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The embedding API: tensors in the caller's buffers, recorded into the caller's encoder.
//! NCHW vs channels-last in and out, f32 / f16 / u8 storage, offsets, backward, several
//! resizes in one submit, misuse as errors, and concurrent use from several threads.

mod common;

use common::{max_abs, to_channels_last, Rng};
use std::path::Path;
use wgpu::util::DeviceExt;
use wgpu_resample::conformance::{self, Backend, Only};
use wgpu_resample::gpu::{Element, GpuTensor, Layout};
use wgpu_resample::options::onnx::OnnxOptions;
use wgpu_resample::{reference, Error, Mode, Options, Resampler};

tests!(
    gpu: layouts_in_and_out_forward_and_backward,
    gpu: channels_last_stays_on_the_cpu_kernels,
    gpu: f16_storage_in_and_out,
    gpu: u8_and_f16_of_odd_lengths,
    gpu: corpus_uint8_cases_with_u8_storage,
    gpu: several_resizes_in_one_submit,
    gpu: misuse_is_an_error_not_a_panic,
    gpu: one_buffer_is_never_source_and_destination,
    gpu: concurrent_use_from_threads,
);

const USAGE: wgpu::BufferUsages = wgpu::BufferUsages::STORAGE
    .union(wgpu::BufferUsages::COPY_SRC)
    .union(wgpu::BufferUsages::COPY_DST);

fn upload(r: &Resampler, bytes: &[u8]) -> wgpu::Buffer {
    let mut v = bytes.to_vec();
    v.resize(bytes.len().div_ceil(4) * 4, 0);
    r.device()
        .create_buffer_init(&wgpu::util::BufferInitDescriptor {
            label: None,
            contents: &v,
            usage: USAGE,
        })
}

fn from_channels_last<T: Copy + Default>(x: &[T], shape: &[usize]) -> Vec<T> {
    let (n, c) = (shape[0], shape[1]);
    let s: usize = shape[2..].iter().product();
    let mut out = vec![T::default(); x.len()];
    for b in 0..n {
        for i in 0..s {
            for ch in 0..c {
                out[(b * c + ch) * s + i] = x[(b * s + i) * c + ch];
            }
        }
    }
    out
}

fn f32s(b: &[u8]) -> Vec<f32> {
    b.chunks_exact(4)
        .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect()
}

fn run_f32(
    r: &Resampler,
    x: &[f32],
    shape: &[usize],
    o: &Options,
    lin: Layout,
    lout: Layout,
    backward: bool,
) -> Vec<f32> {
    let g = o.resolve(shape).unwrap();
    let (src_shape, dst_shape) = if backward {
        (g.output_shape(), g.input_shape())
    } else {
        (g.input_shape(), g.output_shape())
    };
    let data = if lin == Layout::ChannelsLast {
        to_channels_last(x, &src_shape)
    } else {
        x.to_vec()
    };
    let src = upload(r, bytemuck::cast_slice(&data));
    let n_out: usize = dst_shape.iter().product();
    let dst = r.device().create_buffer(&wgpu::BufferDescriptor {
        label: None,
        size: (n_out * 4) as u64,
        usage: USAGE,
        mapped_at_creation: false,
    });
    let ts = GpuTensor::new(&src, &src_shape).layout(lin);
    let td = GpuTensor::new(&dst, &dst_shape).layout(lout);
    let mut enc = r.device().create_command_encoder(&Default::default());
    if backward {
        r.encode_backward(&mut enc, &ts, &td, o).unwrap();
    } else {
        r.encode(&mut enc, &ts, &td, o).unwrap();
    }
    r.queue().submit([enc.finish()]);
    let out = f32s(&r.read_buffer(&dst, 0, (n_out * 4) as u64).unwrap());
    if lout == Layout::ChannelsLast {
        from_channels_last(&out, &dst_shape)
    } else {
        out
    }
}

fn layouts_in_and_out_forward_and_backward() {
    let r = common::gpu();
    let mut rng = Rng::new(11);
    let cases: Vec<(Vec<usize>, Options)> = vec![
        (vec![2, 3, 7, 9], Options::new(Mode::Bilinear).size([12, 5])),
        (
            vec![1, 4, 9, 8],
            Options::new(Mode::Bicubic).size([4, 3]).antialias(true),
        ),
        (
            vec![2, 3, 10, 11],
            Options::new(Mode::Lanczos).size([7, 23]).antialias(true),
        ),
        (
            vec![2, 2, 4, 5, 6],
            Options::new(Mode::Trilinear)
                .size([7, 3, 9])
                .align_corners(true),
        ),
        (
            vec![1, 3, 5, 6, 7],
            Options::new(Mode::Area).size([2, 3, 4]),
        ),
        (
            vec![3, 2, 13],
            Options::new(Mode::Linear).scale_factor([1.7]),
        ),
        (
            vec![2, 5, 6, 7],
            Options::new(Mode::NearestExact).size([11, 3]),
        ),
    ];
    for (shape, o) in cases {
        let x = rng.data(shape.iter().product());
        let (want, oshape) = reference::interpolate(&x, &shape, &o).unwrap();
        let gy = rng.data(oshape.iter().product());
        let want_g = reference::interpolate_backward(&gy, &shape, &o).unwrap();
        for lin in [Layout::Contiguous, Layout::ChannelsLast] {
            for lout in [Layout::Contiguous, Layout::ChannelsLast] {
                let got = run_f32(r, &x, &shape, &o, lin, lout, false);
                let d = common::max_abs_diff(&got, &want);
                assert!(
                    d <= 2e-5 * max_abs(&want).max(1.0),
                    "{o:?} {shape:?} {lin:?}->{lout:?}: {d}"
                );
                let got = run_f32(r, &gy, &shape, &o, lin, lout, true);
                let d = common::max_abs_diff(&got, &want_g);
                assert!(
                    d <= 2e-5 * max_abs(&want_g).max(1.0),
                    "backward {o:?} {shape:?} {lin:?}->{lout:?}: {d}"
                );
            }
        }
    }
}

/// Channels-last in and out keeps its layout through the intermediate result, so on CPU
/// adapters every pass runs on the kernels for CPU adapters (the gather kernels only
/// convert layouts).
fn channels_last_stays_on_the_cpu_kernels() {
    let r = common::gpu();
    if !r.cpu_kernels() {
        // On GPUs the gather kernels are the default: nothing to check here.
        return;
    }
    let shape = [2, 3, 24, 32];
    let o = Options::new(Mode::Bilinear).size([40, 56]).antialias(true);
    let oshape = [2, 3, 40, 56];
    let src = upload(r, &vec![0u8; 4 * shape.iter().product::<usize>()]);
    let dst = upload(r, &vec![0u8; 4 * oshape.iter().product::<usize>()]);
    let ts = GpuTensor::new(&src, &shape).layout(Layout::ChannelsLast);
    let td = GpuTensor::new(&dst, &oshape).layout(Layout::ChannelsLast);
    let labels = r.encode_kernel_labels(&ts, &td, &o).unwrap();
    assert!(!labels.is_empty());
    for (label, _) in &labels {
        assert!(!label.starts_with("gather/"), "{labels:?}");
    }
    let td = GpuTensor::new(&dst, &oshape);
    let labels = r.encode_kernel_labels(&ts, &td, &o).unwrap();
    assert!(
        labels.iter().any(|(l, _)| l.starts_with("gather/")),
        "a layout change runs on the gather kernels: {labels:?}"
    );
}

fn f16_storage_in_and_out() {
    let r = common::gpu();
    let mut rng = Rng::new(12);
    let shape = [2, 3, 9, 7];
    let x: Vec<f32> = rng.data(shape.iter().product());
    let xh: Vec<half::f16> = x.iter().map(|&v| half::f16::from_f32(v)).collect();
    let xr: Vec<f32> = xh.iter().map(|v| v.to_f32()).collect();
    let o = Options::new(Mode::Bicubic).size([5, 11]);
    let (want, oshape) = reference::interpolate(&xr, &shape, &o).unwrap();
    let n_out: usize = oshape.iter().product();
    // The output sits at byte offset 8 of a buffer whose other bytes must survive.
    let src = upload(r, bytemuck::cast_slice(&xh));
    let dst = upload(r, &vec![0xABu8; 8 + n_out * 2 + 6]);
    for (lin, lout) in [
        (Layout::Contiguous, Layout::Contiguous),
        (Layout::Contiguous, Layout::ChannelsLast),
    ] {
        let ts = GpuTensor::new(&src, &shape)
            .element(Element::F16)
            .layout(lin);
        let td = GpuTensor::new(&dst, &oshape)
            .element(Element::F16)
            .layout(lout)
            .offset(8);
        let mut enc = r.device().create_command_encoder(&Default::default());
        r.encode(&mut enc, &ts, &td, &o).unwrap();
        r.queue().submit([enc.finish()]);
        let bytes = r.read_buffer(&dst, 0, dst.size()).unwrap();
        assert!(
            bytes[..8].iter().all(|&b| b == 0xAB),
            "bytes before the tensor kept"
        );
        assert!(
            bytes[8 + n_out * 2..8 + n_out * 2 + 6]
                .iter()
                .all(|&b| b == 0xAB),
            "bytes after the tensor kept"
        );
        let got: Vec<f32> = bytes[8..8 + n_out * 2]
            .chunks_exact(2)
            .map(|c| half::f16::from_le_bytes([c[0], c[1]]).to_f32())
            .collect();
        let got = if lout == Layout::ChannelsLast {
            from_channels_last(&got, &oshape)
        } else {
            got
        };
        for (g, w) in got.iter().zip(&want) {
            // One f16 rounding of the f32 result: relative 2^-11.
            assert!((*g as f64 - w).abs() <= w.abs() * 1e-3 + 1e-3, "{g} vs {w}");
        }
    }
}

/// uint8 and float16 tensors at several offsets, in and out, whose lengths end mid-word (the
/// conversion kernels' partial last words). uint8 equals the reference's uint8 kernels; the
/// bytes around the output survive.
fn u8_and_f16_of_odd_lengths() {
    let r = common::gpu();
    let mut rng = Rng::new(31);
    let shape = [1, 3, 7, 9];
    let n: usize = shape.iter().product();
    let x: Vec<u8> = rng.data(n).iter().map(|v| (v * 255.0) as u8).collect();
    let o = Options::new(Mode::Bilinear).size([5, 13]).antialias(true);
    let (want, oshape) = reference::interpolate_u8(&x, &shape, &o).unwrap();
    let n_out: usize = oshape.iter().product();
    for (at_in, at_out) in [(4, 8), (0, 4), (8, 0), (0, 0)] {
        let mut bytes = vec![0x5Au8; at_in + n + 7];
        bytes[at_in..at_in + n].copy_from_slice(&x);
        let src = upload(r, &bytes);
        let dst = upload(r, &vec![0xABu8; at_out + n_out + 9]);
        let ts = GpuTensor::new(&src, &shape)
            .element(Element::U8)
            .offset(at_in as u64);
        let td = GpuTensor::new(&dst, &oshape)
            .element(Element::U8)
            .offset(at_out as u64);
        let mut enc = r.device().create_command_encoder(&Default::default());
        r.encode(&mut enc, &ts, &td, &o).unwrap();
        r.queue().submit([enc.finish()]);
        let got = r.read_buffer(&dst, 0, dst.size()).unwrap();
        assert!(
            got[..at_out].iter().all(|&b| b == 0xAB),
            "u8 at {at_in}/{at_out}: bytes before"
        );
        assert!(
            got[at_out + n_out..].iter().all(|&b| b == 0xAB),
            "u8 at {at_in}/{at_out}: bytes after"
        );
        assert_eq!(
            &got[at_out..at_out + n_out],
            &want[..],
            "u8 at {at_in}/{at_out}"
        );
    }
    // float16: 2 x 189 input and 2 x 195 output bytes.
    let xf: Vec<f32> = rng.data(n);
    let xh: Vec<half::f16> = xf.iter().map(|&v| half::f16::from_f32(v)).collect();
    let xr: Vec<f32> = xh.iter().map(|v| v.to_f32()).collect();
    let o = Options::new(Mode::Nearest).size([5, 13]);
    let (want, _) = reference::interpolate(&xr, &shape, &o).unwrap();
    for (at_in, at_out) in [(4usize, 8usize), (8, 4), (0, 0)] {
        let mut bytes = vec![0x5Au8; at_in + 2 * n + 6];
        bytes[at_in..at_in + 2 * n].copy_from_slice(bytemuck::cast_slice(&xh));
        let src = upload(r, &bytes);
        let dst = upload(r, &vec![0xABu8; at_out + 2 * n_out + 6]);
        let ts = GpuTensor::new(&src, &shape)
            .element(Element::F16)
            .offset(at_in as u64);
        let td = GpuTensor::new(&dst, &oshape)
            .element(Element::F16)
            .offset(at_out as u64);
        let mut enc = r.device().create_command_encoder(&Default::default());
        r.encode(&mut enc, &ts, &td, &o).unwrap();
        r.queue().submit([enc.finish()]);
        let got = r.read_buffer(&dst, 0, dst.size()).unwrap();
        assert!(
            got[..at_out].iter().all(|&b| b == 0xAB),
            "f16 at {at_in}/{at_out}: before"
        );
        assert!(
            got[at_out + 2 * n_out..].iter().all(|&b| b == 0xAB),
            "f16 at {at_in}/{at_out}: after"
        );
        let vals: Vec<f64> = got[at_out..at_out + 2 * n_out]
            .chunks_exact(2)
            .map(|c| f64::from(half::f16::from_le_bytes([c[0], c[1]]).to_f32()))
            .collect();
        // Nearest picks of f16 values: exact.
        assert_eq!(vals, want, "f16 at {at_in}/{at_out}");
    }
}

/// The GPU with u8 storage end to end (unpack, uint8 plan, pack) as a conformance backend.
struct U8Storage<'a>(&'a Resampler);

impl Backend for U8Storage<'_> {
    fn name(&self) -> String {
        "gpu-u8-storage".into()
    }
    fn forward_f32(
        &self,
        x: &[f32],
        shape: &[usize],
        o: &Options,
    ) -> wgpu_resample::Result<Vec<f64>> {
        Ok(self
            .0
            .interpolate(x, shape, o)?
            .0
            .into_iter()
            .map(f64::from)
            .collect())
    }
    fn resize_f32(
        &self,
        x: &[f32],
        shape: &[usize],
        o: &OnnxOptions,
    ) -> wgpu_resample::Result<Vec<f64>> {
        Ok(self
            .0
            .resize(x, shape, o)?
            .0
            .into_iter()
            .map(f64::from)
            .collect())
    }
    fn forward_u8(&self, x: &[u8], shape: &[usize], o: &Options) -> wgpu_resample::Result<Vec<u8>> {
        let r = self.0;
        let src = upload(r, x);
        let ts = GpuTensor::new(&src, shape).element(Element::U8);
        let (dst, oshape) = r.output_buffer(&ts, o)?;
        let td = GpuTensor::new(&dst, &oshape).element(Element::U8);
        let mut enc = r.device().create_command_encoder(&Default::default());
        r.encode(&mut enc, &ts, &td, o)?;
        r.queue().submit([enc.finish()]);
        r.read_buffer(&dst, 0, td.byte_len())
    }
    fn backward_f32(
        &self,
        g: &[f32],
        shape: &[usize],
        o: &Options,
    ) -> wgpu_resample::Result<Vec<f64>> {
        Ok(self
            .0
            .interpolate_backward(g, shape, o)?
            .into_iter()
            .map(f64::from)
            .collect())
    }
}

fn corpus_uint8_cases_with_u8_storage() {
    let r = common::gpu();
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/torch/manifest.json");
    let report = conformance::run(&manifest, &U8Storage(r), Only::Forward).unwrap();
    assert_eq!(
        report.failed(),
        0,
        "{:?}\n{}",
        report.failures,
        report.table()
    );
}

fn several_resizes_in_one_submit() {
    let r = common::gpu();
    let mut rng = Rng::new(13);
    let shape = [1, 3, 16, 16];
    let x = rng.data(768);
    let src = upload(r, bytemuck::cast_slice(&x));
    let ts = GpuTensor::new(&src, &shape);
    let opts = [
        Options::new(Mode::Bilinear).size([32, 32]),
        Options::new(Mode::Area).size([4, 4]),
        Options::new(Mode::Lanczos).size([9, 9]).antialias(true),
    ];
    let mut enc = r.device().create_command_encoder(&Default::default());
    let mut outs = Vec::new();
    for o in &opts {
        let (buf, oshape) = r.output_buffer(&ts, o).unwrap();
        r.encode(&mut enc, &ts, &GpuTensor::new(&buf, &oshape), o)
            .unwrap();
        outs.push(buf);
    }
    r.queue().submit([enc.finish()]);
    for (o, buf) in opts.iter().zip(&outs) {
        let (want, _) = reference::interpolate(&x, &shape, o).unwrap();
        let got = f32s(&r.read_buffer(buf, 0, (want.len() * 4) as u64).unwrap());
        assert!(common::max_abs_diff(&got, &want) < 1e-4);
    }
}

fn misuse_is_an_error_not_a_panic() {
    let r = common::gpu();
    let shape = [1, 1, 4, 4];
    let o = Options::new(Mode::Bilinear).size([8, 8]);
    let good = upload(r, &[0u8; 64]);
    let out = r.device().create_buffer(&wgpu::BufferDescriptor {
        label: None,
        size: 256,
        usage: USAGE,
        mapped_at_creation: false,
    });
    let no_storage = r.device().create_buffer(&wgpu::BufferDescriptor {
        label: None,
        size: 256,
        usage: wgpu::BufferUsages::COPY_DST,
        mapped_at_creation: false,
    });
    let mut enc = r.device().create_command_encoder(&Default::default());
    let src = GpuTensor::new(&good, &shape);
    let cases: Vec<(GpuTensor, GpuTensor, &str)> = vec![
        (
            src.clone(),
            GpuTensor::new(&no_storage, &[1, 1, 8, 8]),
            "dst",
        ),
        (src.clone(), GpuTensor::new(&out, &[1, 1, 8, 7]), "dst"),
        (
            src.clone(),
            GpuTensor::new(&out, &[1, 1, 8, 8]).offset(2),
            "dst",
        ),
        (
            src.clone(),
            GpuTensor::new(&out, &[1, 1, 8, 8]).offset(64),
            "dst",
        ),
        (
            GpuTensor::new(&good, &[1, 1, 4, 5]),
            GpuTensor::new(&out, &[1, 1, 8, 8]),
            "src",
        ),
        (
            src.clone().element(Element::U8),
            GpuTensor::new(&out, &[1, 1, 8, 8]),
            "dst",
        ),
    ];
    for (s, d, name) in cases {
        match r.encode(&mut enc, &s, &d, &o) {
            Err(Error::Input { name: n, .. }) => assert_eq!(n, name),
            other => panic!("{s:?} -> {d:?}: expected an input error naming {name}, got {other:?}"),
        }
    }
    // The encoder is still usable.
    r.queue().submit([enc.finish()]);
}

/// One buffer can never be both the source and the destination of a call (wgpu cannot bind
/// it read-only and read-write in one dispatch), whether the tensors overlap in it or not:
/// an input error naming `dst` (`grad_input` for the backward), with sizes, shapes and
/// offsets that are valid otherwise, and the encoder stays usable.
fn one_buffer_is_never_source_and_destination() {
    let r = common::gpu();
    let mut rng = Rng::new(14);
    let (shape, out_shape) = ([1, 1, 4, 4], [1, 1, 8, 8]);
    let o = Options::new(Mode::Bilinear).size([8, 8]);
    let x = rng.data(16);
    let gy = rng.data(64);
    let (want, _) = reference::interpolate(&x, &shape, &o).unwrap();
    let want_g = reference::interpolate_backward(&gy, &shape, &o).unwrap();
    // The input (64 bytes) at the start of a 320-byte buffer: room for the 256-byte output
    // at byte 64 (disjoint: [0, 64) and [64, 320)) or at byte 32 (overlapping: [32, 288)).
    let mut bytes: Vec<u8> = bytemuck::cast_slice(&x).to_vec();
    bytes.resize(320, 0);
    let shared = upload(r, &bytes);
    let src = GpuTensor::new(&shared, &shape);
    let overlapping = GpuTensor::new(&shared, &out_shape).offset(32);
    let disjoint = GpuTensor::new(&shared, &out_shape).offset(64);
    // The backward's upstream gradient (256 bytes) first, its result (64 bytes) after it or
    // inside it.
    let mut gbytes: Vec<u8> = bytemuck::cast_slice(&gy).to_vec();
    gbytes.resize(320, 0);
    let gshared = upload(r, &gbytes);
    let grad_output = GpuTensor::new(&gshared, &out_shape);
    let grad_overlapping = GpuTensor::new(&gshared, &shape).offset(128);
    let grad_disjoint = GpuTensor::new(&gshared, &shape).offset(256);

    let val = r.device().push_error_scope(wgpu::ErrorFilter::Validation);
    let mut enc = r.device().create_command_encoder(&Default::default());
    // The same tensors are accepted with the destination in a buffer of its own: only the
    // sharing is wrong below.
    let fresh = || upload(r, &[0u8; 320]);
    let (before, after, grad_before, grad_after) = (fresh(), fresh(), fresh(), fresh());
    r.encode(
        &mut enc,
        &src,
        &GpuTensor::new(&before, &out_shape).offset(32),
        &o,
    )
    .unwrap();
    r.encode_backward(
        &mut enc,
        &grad_output,
        &GpuTensor::new(&grad_before, &shape).offset(256),
        &o,
    )
    .unwrap();
    for (dst, what) in [(&overlapping, "overlapping"), (&disjoint, "disjoint")] {
        match r.encode(&mut enc, &src, dst, &o) {
            Err(Error::Input { name: "dst", .. }) => {}
            other => panic!(
                "src {src:?} and dst {dst:?} ({what} ranges of one buffer): expected an input \
                 error naming dst, got {other:?}"
            ),
        }
    }
    for (dst, what) in [
        (&grad_overlapping, "overlapping"),
        (&grad_disjoint, "disjoint"),
    ] {
        match r.encode_backward(&mut enc, &grad_output, dst, &o) {
            Err(Error::Input {
                name: "grad_input", ..
            }) => {}
            other => panic!(
                "backward {grad_output:?} into {dst:?} ({what} ranges of one buffer): expected \
                 an input error naming grad_input, got {other:?}"
            ),
        }
    }
    // After the errors: more work on the same encoder, which finishes, submits and completes
    // without a validation error.
    r.encode(
        &mut enc,
        &src,
        &GpuTensor::new(&after, &out_shape).offset(64),
        &o,
    )
    .unwrap();
    r.encode_backward(
        &mut enc,
        &grad_output,
        &GpuTensor::new(&grad_after, &shape).offset(128),
        &o,
    )
    .unwrap();
    r.queue().submit([enc.finish()]);
    r.device()
        .poll(wgpu::PollType::wait_indefinitely())
        .expect("the device polls without error");
    let error = pollster::block_on(val.pop());
    assert!(error.is_none(), "validation error: {error:?}");
    for (buf, at, want) in [
        (&before, 32, &want),
        (&after, 64, &want),
        (&grad_before, 256, &want_g),
        (&grad_after, 128, &want_g),
    ] {
        let got = f32s(&r.read_buffer(buf, at, 4 * want.len() as u64).unwrap());
        let d = common::max_abs_diff(&got, want);
        assert!(d <= 2e-5 * max_abs(want).max(1.0), "at byte {at}: {d}");
    }
    // The rejected calls wrote nothing: the shared buffers are as uploaded.
    assert_eq!(r.read_buffer(&shared, 0, 320).unwrap(), bytes);
    assert_eq!(r.read_buffer(&gshared, 0, 320).unwrap(), gbytes);
    // And the Resampler still works.
    let (got, _) = r.interpolate(&x, &shape, &o).unwrap();
    assert!(common::max_abs_diff(&got, &want) <= 2e-5 * max_abs(&want).max(1.0));
}

fn concurrent_use_from_threads() {
    let r = common::gpu();
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Resampler>();
    std::thread::scope(|s| {
        for t in 0..6u64 {
            s.spawn(move || {
                let mut rng = Rng::new(100 + t);
                for i in 0..8 {
                    let shape = [1, 2, 5 + (t as usize), 7 + i];
                    let x = rng.data(shape.iter().product());
                    let o = [
                        Options::new(Mode::Bilinear).size([9, 4]),
                        Options::new(Mode::Bicubic).size([3, 13]).antialias(true),
                        Options::new(Mode::Nearest).scale_factor([1.5, 0.5]),
                    ][i % 3]
                        .clone();
                    let (got, _) = r.interpolate(&x, &shape, &o).unwrap();
                    let (want, _) = reference::interpolate(&x, &shape, &o).unwrap();
                    assert!(common::max_abs_diff(&got, &want) <= 1e-4);
                }
            });
        }
    });
}

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Hostile input: every case returns a typed error (or torch's answer) and nothing panics.
//!
//! | case | expected |
//! | --- | --- |
//! | NaN / ±inf in the data, every mode | GPU == reference (same NaN positions and infinities) |
//! | wrong rank, mismatched lengths of size / scale_factor | `Error::Input` / `Error::Argument` |
//! | scale_factor 0, negative, NaN, ±inf | `Error::Argument { name: "scale_factor" }` |
//! | size 0 | `Error::Argument { name: "size" }` |
//! | sizes past 2^32 or past addressable memory | `Error::Limit` |
//! | outputs larger than host memory (1x1x1 -> 1e9, every entry point) | `Error::Limit`, within seconds, no abort |
//! | empty tensors with huge sizes ((0,1,1) -> 4e9) | an empty result within seconds, no table built |
//! | uint8 with a clamp | the same clamped uint8 result on the reference, the host API and `encode` |
//! | embedding misuse on a device whose uncaptured-error handler panics | a typed error, nothing recorded |
//! | the CLI with those sizes | one line on stderr and exit 2, or the empty result |
//! | data length not matching the shape | `Error::Input` |
//! | a lost device | `Error::DeviceLost` on the next call; a new `Resampler` works |
//! | malformed, truncated, oversized .npy headers (seeded mutations) | `Error::Format`, no panic |
//! | many threads for a bounded time | identical to the reference; resident memory stable |

mod common;

use common::Rng;
use std::time::{Duration, Instant};
use wgpu::util::DeviceExt;
use wgpu_resample::gpu::{Element, GpuTensor};
use wgpu_resample::npy::{self, NpyArray, NpyData};
use wgpu_resample::{reference, Error, Mode, Options, Resampler};

tests!(
    gpu: nan_and_infinity_propagate_like_the_reference,
    gpu: nan_and_infinity_propagate_on_eager_tiles,
    cpu: bad_arguments_are_typed_errors,
    gpu: bad_arguments_are_typed_errors_on_the_gpu,
    cpu: outputs_beyond_memory_are_errors_not_aborts,
    gpu: outputs_beyond_memory_are_errors_not_aborts_on_the_gpu,
    cpu: empty_tensors_with_huge_sizes_return_at_once,
    gpu: empty_tensors_with_huge_sizes_return_at_once_on_the_gpu,
    gpu: uint8_clamp_is_one_rule_on_every_path,
    gpu: embedding_errors_never_reach_the_callers_device,
    gpu: cli_huge_sizes_are_one_line_errors,
    gpu: lost_device_is_an_error_and_a_new_resampler_works,
    cpu: malformed_npy_is_rejected_without_panicking,
    gpu: soak_many_threads_identical_results_stable_memory,
    gpu: onnx_sizes_beyond_memory_are_errors_on_both_backends,
);

fn all_mode_cases() -> Vec<(Vec<usize>, Options)> {
    vec![
        (vec![1, 2, 9], Options::new(Mode::Nearest).size([17])),
        (
            vec![1, 2, 9, 7],
            Options::new(Mode::NearestExact).size([4, 11]),
        ),
        (vec![1, 2, 9], Options::new(Mode::Linear).size([20])),
        (
            vec![1, 2, 9, 7],
            Options::new(Mode::Bilinear)
                .size([18, 3])
                .align_corners(true),
        ),
        (vec![1, 2, 9, 7], Options::new(Mode::Bicubic).size([13, 15])),
        (
            vec![1, 2, 9, 7],
            Options::new(Mode::Bilinear).size([4, 3]).antialias(true),
        ),
        (
            vec![1, 2, 9, 7],
            Options::new(Mode::Bicubic).size([5, 16]).antialias(true),
        ),
        (
            vec![1, 2, 9, 7],
            Options::new(Mode::Lanczos).size([4, 13]).antialias(true),
        ),
        (
            vec![1, 2, 4, 5, 6],
            Options::new(Mode::Trilinear).size([7, 3, 9]),
        ),
        (
            vec![1, 2, 4, 9, 7],
            Options::new(Mode::Area).size([3, 4, 2]),
        ),
        (
            vec![1, 2, 9, 7],
            Options::new(Mode::Bicubic).size([13, 15]).clamp(-1.0, 1.0),
        ),
    ]
}

fn nan_and_infinity_propagate_like_the_reference() {
    let gpu = common::gpu();
    let mut rng = Rng::new(99);
    for (shape, o) in all_mode_cases() {
        let n: usize = shape.iter().product();
        let mut x = rng.data(n);
        x[n / 3] = f32::NAN;
        x[n / 2] = f32::INFINITY;
        x[2 * n / 3] = f32::NEG_INFINITY;
        let (want, _) = reference::interpolate(&x, &shape, &o).unwrap();
        let (got, _) = gpu.interpolate(&x, &shape, &o).unwrap();
        assert!(
            want.iter().any(|v| !v.is_finite()),
            "{o:?}: the specials reach the output"
        );
        for (i, (&g, &w)) in got.iter().zip(&want).enumerate() {
            assert!(
                common::same_special(g, w),
                "{o:?} on {shape:?}: element {i}: gpu {g} vs reference {w}"
            );
        }
    }
}

/// The same on a resampler whose tile kernel takes every W and H pair from the first call,
/// with specials at borders and inside, where a tap's weight is zero (align_corners on the
/// grid) and where clamped bicubic taps of both signs meet (the kernels' POISON handling).
fn nan_and_infinity_propagate_on_eager_tiles() {
    let r = Resampler::new_default().unwrap().with_eager_tiles(true);
    let mut rng = Rng::new(7);
    let mut cases = all_mode_cases();
    cases.extend([
        (
            vec![2, 3, 21, 34],
            Options::new(Mode::Bilinear).size([31, 51]),
        ),
        (
            vec![2, 3, 21, 34],
            Options::new(Mode::Bilinear)
                .size([41, 67])
                .align_corners(true),
        ),
        (
            vec![1, 3, 21, 34],
            Options::new(Mode::Bicubic).size([31, 50]),
        ),
        (
            vec![1, 3, 40, 36],
            Options::new(Mode::Bilinear).size([17, 13]).antialias(true),
        ),
        (vec![1, 2, 40, 36], Options::new(Mode::Area).size([13, 11])),
    ]);
    let mut tiles = 0;
    for (shape, o) in cases {
        let labels = r.kernel_labels(&shape, &o).unwrap();
        tiles += labels.iter().filter(|(l, _)| l.contains("tile")).count();
        let n: usize = shape.iter().product();
        let w = *shape.last().unwrap();
        let mut x = rng.data(n);
        for (k, at) in [0, w - 1, n / 3, n / 2 + 1, 2 * n / 3, n - 1]
            .into_iter()
            .enumerate()
        {
            x[at] = [f32::NAN, f32::INFINITY, f32::NEG_INFINITY][k % 3];
        }
        let (want, _) = reference::interpolate(&x, &shape, &o).unwrap();
        let (got, _) = r.interpolate(&x, &shape, &o).unwrap();
        assert!(
            want.iter().any(|v| !v.is_finite()),
            "{o:?}: specials reach the output"
        );
        assert!(
            want.iter().any(|v| v.is_finite()),
            "{o:?}: finite outputs too"
        );
        for (i, (&g, &w)) in got.iter().zip(&want).enumerate() {
            assert!(
                common::same_special(g, w),
                "{o:?} on {shape:?}: element {i}: gpu {g} vs reference {w}"
            );
        }
    }
    // On CPU adapters the W and H pairs ran on the tile kernel.
    assert!(!r.cpu_kernels() || tiles >= 8, "{tiles} tile passes");
}

fn bad_arguments_are_typed_errors() {
    check_bad_arguments(None);
}

fn bad_arguments_are_typed_errors_on_the_gpu() {
    check_bad_arguments(Some(common::gpu()));
}

fn check_bad_arguments(gpu: Option<&Resampler>) {
    let x = vec![0.0f32; 25];
    let shape = [1, 1, 5, 5];
    let bad: Vec<(Options, &str)> = vec![
        (
            Options::new(Mode::Bilinear).scale_factor([0.0, 1.0]),
            "scale_factor",
        ),
        (
            Options::new(Mode::Bilinear).scale_factor([-1.0, 1.0]),
            "scale_factor",
        ),
        (
            Options::new(Mode::Bilinear).scale_factor([f64::NAN, 1.0]),
            "scale_factor",
        ),
        (
            Options::new(Mode::Bilinear).scale_factor([f64::INFINITY, 1.0]),
            "scale_factor",
        ),
        (
            Options::new(Mode::Bilinear).scale_factor([f64::NEG_INFINITY, 1.0]),
            "scale_factor",
        ),
        (
            Options::new(Mode::Bilinear).scale_factor([1e300, 1.0]),
            "scale_factor",
        ),
        (
            Options::new(Mode::Bilinear).scale_factor([1e10, 1.0]),
            "spatial size",
        ),
        (Options::new(Mode::Bilinear).size([0, 3]), "size"),
        (Options::new(Mode::Bilinear).size([3]), "size"),
        (Options::new(Mode::Bilinear).size([3, 3, 3]), "size"),
        (Options::new(Mode::Trilinear).size([3, 3]), "input"),
        (
            Options::new(Mode::Bilinear).size([1 << 33, 3]),
            "spatial size",
        ),
        (
            Options::new(Mode::Bilinear).size([3, 3]).clamp(1.0, 0.0),
            "clamp",
        ),
        (
            Options::new(Mode::Bilinear)
                .size([3, 3])
                .clamp(f32::NAN, 0.0),
            "clamp",
        ),
    ];
    for (o, name) in bad {
        let errs = [
            Some(reference::interpolate(&x, &shape, &o).map(|_| ())),
            gpu.map(|r| r.interpolate(&x, &shape, &o).map(|_| ())),
            gpu.map(|r| r.interpolate_backward(&x, &shape, &o).map(|_| ())),
        ];
        for e in errs.into_iter().flatten() {
            match e {
                Err(Error::Argument { name: n, .. })
                | Err(Error::Input { name: n, .. })
                | Err(Error::Limit { what: n, .. }) => {
                    assert_eq!(n, name, "{o:?}")
                }
                other => panic!("{o:?}: expected an error naming {name}, got {other:?}"),
            }
        }
    }
    // Wrong data length and wrong rank.
    let o = Options::new(Mode::Bilinear).size([3, 3]);
    assert!(matches!(
        reference::interpolate(&x[..24], &shape, &o),
        Err(Error::Input { name: "input", .. })
    ));
    assert!(matches!(
        reference::interpolate(&x, &[25], &o),
        Err(Error::Input { name: "input", .. })
    ));
    assert!(matches!(
        reference::interpolate_backward(&x, &shape, &o),
        Err(Error::Input {
            name: "grad_output",
            ..
        })
    ));
    if let Some(r) = gpu {
        assert!(matches!(
            r.interpolate(&x[..24], &shape, &o),
            Err(Error::Input { name: "input", .. })
        ));
        assert!(matches!(
            r.interpolate_u8(&[0u8; 25], &shape, &Options::new(Mode::Area).size([2, 2])),
            Err(Error::Argument { name: "mode", .. })
        ));
    }
}

/// `f` ends within `secs` seconds (the call under test must not build what it cannot hold).
fn quickly<T>(secs: u64, what: &str, f: impl FnOnce() -> T) -> T {
    let start = Instant::now();
    let out = f();
    let took = start.elapsed();
    assert!(took < Duration::from_secs(secs), "{what} took {took:?}");
    out
}

fn limit_error<T: std::fmt::Debug>(what: &str, r: wgpu_resample::Result<T>) {
    match r {
        Err(Error::Limit { .. }) => {}
        other => panic!("{what}: expected a limit error, got {other:?}"),
    }
}

fn outputs_beyond_memory_are_errors_not_aborts() {
    // 1e6 planes of 2 -> 1e9 elements each... 4e15 bytes: no machine has that.
    let x = vec![1.0f32; 4];
    let o = Options::new(Mode::Nearest).size([1 << 31, 1 << 20]);
    limit_error(
        "2^51 outputs",
        reference::interpolate(&x, &[1, 1, 2, 2], &o),
    );
    // 1x1x1 -> 1e9: torch accepts it; the tables and the output need far more than this
    // machine's memory, and the error comes before any of it is built.
    for mode in [Mode::Nearest, Mode::Linear, Mode::Area] {
        let o = Options::new(mode).size([1_000_000_000]);
        quickly(10, "1e9 forward", || {
            limit_error(
                "1e9 forward",
                reference::interpolate(&[1.0], &[1, 1, 1], &o),
            )
        });
        // The gradient of a 1e9-long input from one output.
        let o1 = Options::new(mode).size([1]);
        quickly(10, "1e9 backward", || {
            limit_error(
                "1e9 backward",
                reference::interpolate_backward(&[1.0], &[1, 1, 1_000_000_000], &o1),
            )
        });
    }
    let o = Options::new(Mode::Nearest).size([1_000_000_000]);
    quickly(10, "1e9 uint8", || {
        limit_error("1e9 uint8", reference::interpolate_u8(&[1], &[1, 1, 1], &o))
    });
}

fn outputs_beyond_memory_are_errors_not_aborts_on_the_gpu() {
    let r = common::gpu();
    let x = vec![1.0f32; 4];
    let o = Options::new(Mode::Nearest).size([1 << 31, 1 << 20]);
    limit_error("2^51 outputs", r.interpolate(&x, &[1, 1, 2, 2], &o));
    // A single plane larger than max_buffer_size: refused with the limit's name.
    let side = ((r.limits().max_buffer_size / 4) as f64).sqrt() as usize + 16;
    let o = Options::new(Mode::Nearest).size([side, side]);
    limit_error("one plane", r.interpolate(&x, &[1, 1, 2, 2], &o));
    for mode in [Mode::Nearest, Mode::Linear, Mode::Area] {
        let o = Options::new(mode).size([1_000_000_000]);
        quickly(10, "1e9 forward", || {
            limit_error("1e9 forward", r.interpolate(&[1.0], &[1, 1, 1], &o))
        });
        let o1 = Options::new(mode).size([1]);
        quickly(10, "1e9 backward", || {
            limit_error(
                "1e9 backward",
                r.interpolate_backward(&[1.0], &[1, 1, 1_000_000_000], &o1),
            )
        });
    }
    let o = Options::new(Mode::Nearest).size([1_000_000_000]);
    quickly(10, "1e9 uint8", || {
        limit_error("1e9 uint8", r.interpolate_u8(&[1], &[1, 1, 1], &o))
    });
}

/// A forward entry point: data, shape, options -> output and shape.
type Forward<'a> =
    &'a dyn Fn(&[f32], &[usize], &Options) -> wgpu_resample::Result<(Vec<f64>, Vec<usize>)>;
/// A backward entry point: gradient, input shape, options -> input gradient.
type Backward<'a> = &'a dyn Fn(&[f32], &[usize], &Options) -> wgpu_resample::Result<Vec<f64>>;

/// (0, 1, 1) -> 4e9 and area to 0: torch returns an empty tensor (or a zero gradient).
fn check_empty(forward: Forward<'_>, backward: Backward<'_>) {
    let o = Options::new(Mode::Nearest).size([4_000_000_000]);
    let (y, shape) = quickly(5, "(0,1,1) -> 4e9", || forward(&[], &[0, 1, 1], &o)).unwrap();
    assert!(y.is_empty());
    assert_eq!(shape, vec![0, 1, 4_000_000_000]);
    let g = quickly(5, "(0,1,1) -> 4e9 backward", || {
        backward(&[], &[0, 1, 1], &o)
    })
    .unwrap();
    assert!(g.is_empty());
    // Area to an output size of 0: empty output, and the gradient of it is zero.
    let o = Options::new(Mode::Area).size([0, 3]);
    let (y, shape) = forward(&[1.0; 20], &[1, 1, 4, 5], &o).unwrap();
    assert!(y.is_empty());
    assert_eq!(shape, vec![1, 1, 0, 3]);
    let g = backward(&[], &[1, 1, 4, 5], &o).unwrap();
    assert_eq!(g, vec![0.0; 20]);
}

fn empty_tensors_with_huge_sizes_return_at_once() {
    check_empty(&reference::interpolate, &reference::interpolate_backward);
}

fn empty_tensors_with_huge_sizes_return_at_once_on_the_gpu() {
    let r = common::gpu();
    let wide = |v: Vec<f32>| v.into_iter().map(f64::from).collect::<Vec<_>>();
    check_empty(
        &|x, s, o| r.interpolate(x, s, o).map(|(y, s)| (wide(y), s)),
        &|g, s, o| r.interpolate_backward(g, s, o).map(wide),
    );
}

/// torch's uint8 round: half up, saturated.
fn round_u8(v: f64) -> u8 {
    (v + 0.5).floor().clamp(0.0, 255.0) as u8
}

fn uint8_clamp_is_one_rule_on_every_path() {
    let r = common::gpu();
    let mut rng = Rng::new(0xC1A3);
    let shape = [1, 3, 9, 7];
    let x = rng.bytes(shape.iter().product());
    for o in [
        Options::new(Mode::Bicubic).size([13, 5]),
        Options::new(Mode::Bilinear).size([4, 11]).antialias(true),
        Options::new(Mode::Nearest).size([5, 12]),
        Options::new(Mode::Lanczos).size([12, 4]).antialias(true),
    ] {
        let (plain, _) = reference::interpolate_u8(&x, &shape, &o).unwrap();
        for (min, max) in [
            (20.0f32, 200.0f32),
            (20.5, 200.2),
            (-5.0, 300.0),
            (64.0, 64.0),
        ] {
            let oc = o.clone().clamp(min, max);
            // The rule: the uint8 result, clamped into [min, max], rounded half up again.
            let want: Vec<u8> = plain
                .iter()
                .map(|&v| round_u8(f64::from(v).clamp(f64::from(min), f64::from(max))))
                .collect();
            let (cpu, _) = reference::interpolate_u8(&x, &shape, &oc).unwrap();
            let (gpu, out_shape) = r.interpolate_u8(&x, &shape, &oc).unwrap();
            assert_eq!(cpu, want, "{oc:?}: reference");
            assert_eq!(gpu, want, "{oc:?}: host API");
            // The embedding API with uint8 storage on both sides.
            let src = upload(r, &x);
            let dst = r.device().create_buffer(&wgpu::BufferDescriptor {
                label: None,
                size: (want.len() as u64).div_ceil(4) * 4,
                usage: USAGE,
                mapped_at_creation: false,
            });
            let mut enc = r.device().create_command_encoder(&Default::default());
            r.encode(
                &mut enc,
                &GpuTensor::new(&src, &shape).element(Element::U8),
                &GpuTensor::new(&dst, &out_shape).element(Element::U8),
                &oc,
            )
            .unwrap();
            r.queue().submit([enc.finish()]);
            let got = r.read_buffer(&dst, 0, want.len() as u64).unwrap();
            assert_eq!(got, want, "{oc:?}: encode");
        }
    }
}

const USAGE: wgpu::BufferUsages = wgpu::BufferUsages::STORAGE
    .union(wgpu::BufferUsages::COPY_SRC)
    .union(wgpu::BufferUsages::COPY_DST);

fn upload(r: &Resampler, bytes: &[u8]) -> wgpu::Buffer {
    let mut v = bytes.to_vec();
    v.resize(bytes.len().div_ceil(4).max(1) * 4, 0);
    r.device()
        .create_buffer_init(&wgpu::util::BufferInitDescriptor {
            label: None,
            contents: &v,
            usage: USAGE,
        })
}

/// A device of the default adapter with small buffer and binding limits and wgpu's default
/// uncaptured-error handler, which panics: any error of ours that reached the device would
/// fail the test.
fn strict_device() -> (wgpu::Device, wgpu::Queue) {
    let adapter = pollster::block_on(wgpu_resample::gpu::select_adapter()).unwrap();
    let limits = wgpu::Limits {
        max_buffer_size: 1 << 20,
        max_storage_buffer_binding_size: 1 << 16,
        ..adapter.limits()
    };
    pollster::block_on(adapter.request_device(&wgpu::DeviceDescriptor {
        label: Some("strict"),
        required_limits: limits,
        ..Default::default()
    }))
    .unwrap()
}

fn embedding_errors_never_reach_the_callers_device() {
    let (device, queue) = strict_device();
    let r = Resampler::new(&device, &queue)
        .unwrap()
        .with_cpu_kernels(false);
    let f32s = |v: &[f32]| bytemuck::cast_slice::<f32, u8>(v).to_vec();
    // Each call fails before anything is recorded: the destination keeps its sentinel.
    let check = |what: &str,
                 call: &dyn Fn(&mut wgpu::CommandEncoder) -> wgpu_resample::Result<()>,
                 sentinel: &wgpu::Buffer| {
        let mut enc = device.create_command_encoder(&Default::default());
        match call(&mut enc) {
            Err(Error::Input { .. }) | Err(Error::Limit { .. }) => {}
            other => panic!("{what}: expected an input or limit error, got {other:?}"),
        }
        queue.submit([enc.finish()]);
        device.poll(wgpu::PollType::wait_indefinitely()).unwrap();
        let bytes = r.read_buffer(sentinel, 0, 4).unwrap();
        assert_eq!(
            f32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]),
            7.0,
            "{what}"
        );
    };
    let shape = [1, 1, 8, 8];
    let x: Vec<f32> = (0..64).map(|i| i as f32).collect();
    let o = Options::new(Mode::Bilinear).size([16, 16]);
    // One buffer as source and destination, at disjoint ranges.
    let mut both = f32s(&x);
    both.extend(f32s(&[7.0; 256]));
    let one = upload(&r, &both);
    check(
        "one buffer, disjoint ranges",
        &|enc| {
            r.encode(
                enc,
                &GpuTensor::new(&one, &shape),
                &GpuTensor::new(&one, &[1, 1, 16, 16]).offset(256),
                &o,
            )
        },
        &upload(&r, &f32s(&[7.0])),
    );
    let src = upload(&r, &f32s(&x));
    let dst = upload(&r, &f32s(&[7.0; 256]));
    // A table row larger than a storage binding (64 KiB here): area of 16384 inputs to 1.
    let long = upload(&r, &f32s(&vec![1.0; 16384]));
    let one_out = upload(&r, &f32s(&[7.0]));
    check(
        "a storage table past the binding limit",
        &|enc| {
            r.encode(
                enc,
                &GpuTensor::new(&long, &[1, 1, 16384]),
                &GpuTensor::new(&one_out, &[1, 1, 1]),
                &Options::new(Mode::Area).size([1]),
            )
        },
        &one_out,
    );
    // An f16 destination whose f32 scratch copy exceeds max_buffer_size (1 MiB here).
    let n = 300 * 1024;
    let big_src = upload(&r, &f32s(&vec![1.0; n / 4]));
    let half_dst = upload(&r, &vec![0u8; n * 2]);
    queue.write_buffer(&half_dst, 0, &f32s(&[7.0]));
    check(
        "a scratch copy past max_buffer_size",
        &|enc| {
            r.encode(
                enc,
                &GpuTensor::new(&big_src, &[1, 1, n / 4]),
                &GpuTensor::new(&half_dst, &[1, 1, n]).element(Element::F16),
                &Options::new(Mode::Nearest).size([n]),
            )
        },
        &half_dst,
    );
    // A texture whose f32 copy exceeds max_buffer_size: refused before any staging buffer.
    let tex = |usage| {
        device.create_texture(&wgpu::TextureDescriptor {
            label: None,
            size: wgpu::Extent3d {
                width: 512,
                height: 512,
                depth_or_array_layers: 1,
            },
            mip_level_count: 1,
            sample_count: 1,
            dimension: wgpu::TextureDimension::D2,
            format: wgpu::TextureFormat::Rgba8Unorm,
            usage,
            view_formats: &[],
        })
    };
    let (ta, tb) = (
        tex(wgpu::TextureUsages::COPY_SRC),
        tex(wgpu::TextureUsages::COPY_DST),
    );
    check(
        "a texture past max_buffer_size",
        &|enc| {
            r.encode_texture(
                enc,
                &ta,
                0,
                &tb,
                0,
                &Options::new(Mode::Bilinear).size([512, 512]),
            )
        },
        &dst,
    );
    // Shapes and usages the call does not fit.
    check(
        "a destination of the wrong shape",
        &|enc| {
            r.encode(
                enc,
                &GpuTensor::new(&src, &shape),
                &GpuTensor::new(&dst, &[1, 1, 15, 16]),
                &o,
            )
        },
        &dst,
    );
    // The same device still works, and gives the reference's answer.
    let mut enc = device.create_command_encoder(&Default::default());
    r.encode(
        &mut enc,
        &GpuTensor::new(&src, &shape),
        &GpuTensor::new(&dst, &[1, 1, 16, 16]),
        &o,
    )
    .unwrap();
    queue.submit([enc.finish()]);
    let got = r.read_buffer(&dst, 0, 1024).unwrap();
    let got: Vec<f32> = bytemuck::cast_slice(&got).to_vec();
    let (want, _) = reference::interpolate(&x, &shape, &o).unwrap();
    assert!(common::max_abs_diff(&got, &want) < 1e-4);
}

/// The CLI on those sizes: one line on stderr and exit 2 within seconds, or the empty result.
fn cli_huge_sizes_are_one_line_errors() {
    let dir =
        std::env::temp_dir().join(format!("wgpu-resample-hostile-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let write = |name: &str, shape: Vec<usize>, data: Vec<f32>| {
        let p = dir.join(name);
        npy::write(
            &p,
            &NpyArray {
                shape,
                data: NpyData::F32(data),
            },
        )
        .unwrap();
        p
    };
    let one = write("one.npy", vec![1, 1, 1], vec![1.0]);
    let empty = write("empty.npy", vec![0, 1, 1], vec![]);
    let out = dir.join("out.npy");
    let run = |input: &std::path::Path, size: &str, backend: &str| {
        quickly(30, "the CLI", || {
            std::process::Command::new(env!("CARGO_BIN_EXE_resample"))
                .args(["tensor"])
                .arg(input)
                .arg(&out)
                .args(["--size", size, "--backend", backend])
                .output()
                .unwrap()
        })
    };
    for backend in ["cpu", "gpu"] {
        let o = run(&one, "1000000000", backend);
        let err = String::from_utf8_lossy(&o.stderr);
        let lines: Vec<&str> = err.lines().filter(|l| l.starts_with("resample:")).collect();
        assert_eq!(o.status.code(), Some(2), "{backend}: {err}");
        assert_eq!(lines.len(), 1, "{backend}: {err}");
        assert!(lines[0].contains("limit exceeded"), "{backend}: {err}");
        assert!(
            !err.contains("panicked") && !err.contains("backtrace"),
            "{err}"
        );
        assert!(!out.exists(), "nothing written on an error");
        let o = run(&empty, "4000000000", backend);
        assert!(
            o.status.success(),
            "{backend}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        assert_eq!(npy::read(&out).unwrap().shape, vec![0, 1, 4_000_000_000]);
        std::fs::remove_file(&out).unwrap();
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

fn lost_device_is_an_error_and_a_new_resampler_works() {
    let r = Resampler::new_default().unwrap();
    let x = vec![1.0f32; 16];
    let o = Options::new(Mode::Bilinear).size([8, 8]);
    r.interpolate(&x, &[1, 1, 4, 4], &o).unwrap();
    r.device().destroy();
    match r.interpolate(&x, &[1, 1, 4, 4], &o) {
        Err(Error::DeviceLost(_)) | Err(Error::Gpu(_)) | Err(Error::Validation(_)) => {}
        other => panic!("expected a device error after destroy, got {other:?}"),
    }
    let r2 = Resampler::new_default().unwrap();
    let (y, _) = r2.interpolate(&x, &[1, 1, 4, 4], &o).unwrap();
    assert!(y.iter().all(|&v| (v - 1.0).abs() < 1e-6));
}

fn malformed_npy_is_rejected_without_panicking() {
    let good = npy::encode(&NpyArray {
        shape: vec![2, 3],
        data: NpyData::F32(vec![1.0; 6]),
    })
    .unwrap();
    assert!(npy::parse(&good).is_ok());
    let header_end = 10 + u16::from_le_bytes([good[8], good[9]]) as usize;
    let mut specific: Vec<Vec<u8>> = vec![
        vec![],
        b"\x93NUMPY".to_vec(),
        good[..9].to_vec(),
        good[..header_end - 5].to_vec(),
        good[..good.len() - 1].to_vec(),
        [good.clone(), vec![0]].concat(),
    ];
    let text = String::from_utf8_lossy(&good[10..header_end]).into_owned();
    for (from, to) in [
        ("<f4", "<i8"),
        ("<f4", ">f4"),
        ("False", "True"),
        ("(2, 3)", "(1099511627776, 1099511627776)"),
        ("(2, 3)", "(2, -3)"),
        ("(2, 3)", "(2, 3"),
        ("'shape'", "'shap'"),
        ("'descr'", "'d'"),
    ] {
        let mut b = good[..10].to_vec();
        b.extend_from_slice(text.replacen(from, to, 1).as_bytes());
        b.extend_from_slice(&good[header_end..]);
        specific.push(b);
    }
    // A header length far past the file.
    let mut huge = good.clone();
    huge[8] = 0xff;
    huge[9] = 0xff;
    specific.push(huge);
    let mut v2 = good.clone();
    v2[6] = 2;
    specific.push(v2);
    for (i, bytes) in specific.iter().enumerate() {
        assert!(npy::parse(bytes).is_err(), "case {i} accepted");
    }
    // Seeded mutations: any byte flips, truncations and insertions; parse must return.
    let mut rng = Rng::new(0xF022);
    let mut rejected = 0;
    for _ in 0..20_000 {
        let mut b = good.clone();
        for _ in 0..rng.range(1, 4) {
            match rng.range(0, 2) {
                0 => {
                    let i = rng.range(0, b.len() - 1);
                    b[i] = rng.next_u64() as u8;
                }
                1 => b.truncate(rng.range(0, b.len())),
                _ => {
                    let i = rng.range(0, b.len());
                    b.insert(i, rng.next_u64() as u8);
                }
            }
            if b.is_empty() {
                break;
            }
        }
        if npy::parse(&b).is_err() {
            rejected += 1;
        }
    }
    assert!(
        rejected > 1000,
        "mutations are mostly rejected ({rejected})"
    );
    // From a file: the path is in the error.
    let dir = std::env::temp_dir().join(format!("wgpu-resample-hostile-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join("bad.npy");
    std::fs::write(&p, &good[..20]).unwrap();
    match npy::read(&p) {
        Err(e @ Error::Format { .. }) => assert!(e.to_string().contains("bad.npy")),
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        npy::read(&dir.join("missing.npy")),
        Err(Error::Io { .. })
    ));
    std::fs::remove_dir_all(&dir).unwrap();
}

fn resident_kib() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = s.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4)
}

/// Runs in a process of its own (this test binary again, with only this test), so that the
/// resident memory it watches is its own, not that of the tests running beside it.
fn soak_many_threads_identical_results_stable_memory() {
    const ALONE: &str = "WGPU_RESAMPLE_SOAK_ALONE";
    if std::env::var_os(ALONE).is_none() {
        let out = std::process::Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "soak_many_threads_identical_results_stable_memory",
                "--test-threads",
                "1",
            ])
            .env(ALONE, "1")
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout).into_owned()
            + &String::from_utf8_lossy(&out.stderr);
        assert!(
            out.status.success() && text.contains("1 passed"),
            "the soak process failed:\n{text}"
        );
        return;
    }
    let r = common::gpu();
    let round = |seed: u64| {
        std::thread::scope(|s| {
            for t in 0..4u64 {
                s.spawn(move || {
                    let mut rng = Rng::new(seed * 10 + t);
                    for i in 0..6usize {
                        let shape = [1, 1 + i % 3, 6 + t as usize, 9 + i];
                        let x = rng.data(shape.iter().product());
                        let o = [
                            Options::new(Mode::Bicubic).size([11, 4]),
                            Options::new(Mode::Area).size([3, 5]),
                            Options::new(Mode::Lanczos).size([5, 17]).antialias(true),
                        ][i % 3]
                            .clone();
                        let (got, _) = r.interpolate(&x, &shape, &o).unwrap();
                        let (want, _) = reference::interpolate(&x, &shape, &o).unwrap();
                        assert!(common::max_abs_diff(&got, &want) <= 1e-4);
                    }
                });
            }
        })
    };
    for k in 0..3 {
        round(k);
    }
    let before = resident_kib();
    let start = std::time::Instant::now();
    let mut k = 3;
    while start.elapsed().as_secs() < 8 {
        round(k);
        k += 1;
    }
    if let (Some(a), Some(b)) = (before, resident_kib()) {
        assert!(
            b < a + 64 * 1024,
            "resident memory grew from {a} KiB to {b} KiB in {k} rounds"
        );
    }
}

/// ONNX Resize with sizes no machine holds (spatial, and the batch axis: a staged call):
/// limit errors within seconds on the reference and the GPU, before anything is built; an
/// empty input returns at once.
fn onnx_sizes_beyond_memory_are_errors_on_both_backends() {
    use wgpu_resample::options::onnx::{OnnxMode, OnnxOptions};
    let r = common::gpu();
    let huge = [
        OnnxOptions::new(OnnxMode::Linear).sizes([1, 1, 1_000_000_000, 1_000_000_000]),
        OnnxOptions::new(OnnxMode::Cubic).scales([1.0, 1.0, 1e9, 1e9]),
        OnnxOptions::new(OnnxMode::Nearest).sizes([4_000_000_000, 1, 1, 1]),
        OnnxOptions::new(OnnxMode::Nearest)
            .axes([0])
            .sizes([900_000_000]),
    ];
    for o in &huge {
        quickly(10, "onnx reference", || {
            limit_error(
                "onnx reference",
                reference::resize(&[1.0], &[1, 1, 1, 1], o),
            )
        });
        quickly(10, "onnx gpu", || {
            limit_error("onnx gpu", r.resize(&[1.0], &[1, 1, 1, 1], o))
        });
    }
    // The gradient of a 1e10-element input from one output.
    let o = OnnxOptions::new(OnnxMode::Linear).sizes([1, 1, 1, 1]);
    let big = [1, 1, 100_000, 100_000];
    quickly(10, "onnx gradient", || {
        limit_error(
            "onnx gradient",
            reference::resize_backward(&[1.0], &big, &o),
        )
    });
    quickly(10, "onnx gpu gradient", || {
        limit_error("onnx gpu gradient", r.resize_backward(&[1.0], &big, &o))
    });
    let o = OnnxOptions::new(OnnxMode::Cubic).sizes([0, 1, 4_000_000_000, 4_000_000_000]);
    let (y, shape) = quickly(10, "empty", || reference::resize(&[], &[0, 1, 2, 2], &o)).unwrap();
    assert!(y.is_empty() && shape == vec![0, 1, 4_000_000_000, 4_000_000_000]);
}

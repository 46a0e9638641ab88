#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The kernels for CPU adapters on rows whose widths are multiples of 4, against the CPU
//! reference: the row kernels (shaders/rows/: passes whose taps repeat, and their borders)
//! and the strips kernels (shaders/strips/: the other passes), in every mode and dimension,
//! forward and backward, f32 and uint8, NaN and infinities, the fused clamp, tensors at
//! offsets in the caller's buffers, and bindings small enough that passes are cut into
//! plane, row and record chunks. Each test asserts which kernels ran.

mod common;

use common::{max_abs, max_abs_diff, Rng};
use wgpu::util::DeviceExt;
use wgpu_resample::gpu::GpuTensor;
use wgpu_resample::{reference, Mode, Options, Resampler};

tests!(
    gpu_int64: randomized_rows_match_the_reference_u64_loads,
    gpu: randomized_rows_match_the_reference_f32_loads,
    gpu_int64: standard_scales_run_periodic_u64_loads,
    gpu: standard_scales_run_periodic_f32_loads,
    gpu_int64: uint8_on_rows_matches_the_reference_u64_loads,
    gpu: uint8_on_rows_matches_the_reference_f32_loads,
    gpu_int64: specials_propagate_like_the_reference_u64_loads,
    gpu: specials_propagate_like_the_reference_f32_loads,
    gpu_int64: fused_clamp_on_rows_u64_loads,
    gpu: fused_clamp_on_rows_f32_loads,
    gpu_int64: tensors_at_offsets_in_caller_buffers_u64_loads,
    gpu: tensors_at_offsets_in_caller_buffers_f32_loads,
    gpu: small_bindings_cut_passes_into_chunks,
    gpu: row_pipelines_are_a_bounded_set,
    gpu: a_new_pattern_first_runs_on_the_strips_kernels,
    gpu: the_tile_kernel_takes_large_or_repeated_passes,
    gpu: strong_downscales_run_the_wide_strips_kernels,
);

/// How the row kernels load their input: 64-bit words where the device has SHADER_INT64
/// (the default there), or vec4<f32>s.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Loads {
    U64,
    F32,
}

/// A GPU resampler of its own (its own device, so its own budget of row-kernel pipelines:
/// `ROWS_PIPELINES`) with the kernels for CPU adapters on (their default on CPU adapters;
/// asked for on GPUs, so that they are checked wherever the tests run), loading their input
/// as `loads` says (the u64 trials run only on devices with SHADER_INT64: `gpu_int64` in
/// `tests!`).
fn rows_gpu(loads: Loads) -> Resampler {
    let want_u64 = loads == Loads::U64;
    let r = Resampler::new_default()
        .unwrap()
        .with_cpu_kernels(true)
        .with_u64_loads(want_u64);
    assert_eq!(r.u64_loads(), want_u64, "the row kernels' loads");
    r
}

/// Two test functions, one per configuration, for each `$name(r: &Resampler)`: `$u64` runs
/// it with u64 loads (where the device has them), `$f32` with vec4<f32> loads.
macro_rules! per_loads {
    ($($name:ident: $u64:ident, $f32:ident;)*) => {
        $(
            fn $u64() {
                $name(&rows_gpu(Loads::U64));
            }
            fn $f32() {
                $name(&rows_gpu(Loads::F32));
            }
        )*
    };
}

per_loads! {
    randomized_rows_match_the_reference:
        randomized_rows_match_the_reference_u64_loads,
        randomized_rows_match_the_reference_f32_loads;
    standard_scales_run_periodic:
        standard_scales_run_periodic_u64_loads,
        standard_scales_run_periodic_f32_loads;
    uint8_on_rows_matches_the_reference:
        uint8_on_rows_matches_the_reference_u64_loads,
        uint8_on_rows_matches_the_reference_f32_loads;
    specials_propagate_like_the_reference:
        specials_propagate_like_the_reference_u64_loads,
        specials_propagate_like_the_reference_f32_loads;
    fused_clamp_on_rows: fused_clamp_on_rows_u64_loads, fused_clamp_on_rows_f32_loads;
    tensors_at_offsets_in_caller_buffers:
        tensors_at_offsets_in_caller_buffers_u64_loads,
        tensors_at_offsets_in_caller_buffers_f32_loads;
}

/// The kernels of a call whose pattern an earlier call asked for: a pattern's first call
/// runs on the strips kernels (no row-kernel pipeline is built for it), later ones on the
/// row kernels where they take it.
fn second_labels(r: &Resampler, shape: &[usize], o: &Options) -> Vec<(String, usize)> {
    r.kernel_labels(shape, o).unwrap();
    r.kernel_labels(shape, o).unwrap()
}

/// How many kernels a call runs (one per pass), and how many of its row-kernel parts are
/// periodic and tabled (a pass on the row kernels lists its parts joined by " + ").
fn row_kernels(r: &Resampler, shape: &[usize], o: &Options) -> (usize, usize, usize) {
    let labels = second_labels(r, shape, o);
    let parts: Vec<&str> = labels.iter().flat_map(|(l, _)| l.split(" + ")).collect();
    let periodic = parts
        .iter()
        .filter(|l| l.starts_with("rows/periodic"))
        .count();
    let tabled = parts
        .iter()
        .filter(|l| l.starts_with("rows/tabled"))
        .count();
    (labels.len(), periodic, tabled)
}

const WIDTHS: &[usize] = &[4, 8, 12, 16, 20, 24, 32, 40, 48, 64, 96, 128];

/// A random call whose W sizes are multiples of 4: integer and half scales (periodic on
/// the row kernels) and others (on the strips kernels), every mode.
fn random_case(rng: &mut Rng) -> Option<(Vec<usize>, Options)> {
    let mode = rng.pick(&Mode::ALL);
    let dims = mode.required_dims().unwrap_or_else(|| rng.range(1, 3));
    let mut shape = vec![rng.range(1, 2), rng.range(1, 3)];
    let mut size = Vec::new();
    for axis in 0..dims {
        if axis + 1 < dims {
            let n = rng.range(1, [0, 0, 40, 12][dims]);
            shape.push(n);
            size.push(rng.range(1, [0, 0, 48, 14][dims]));
        } else {
            let n = rng.pick(WIDTHS);
            shape.push(n);
            let out = match rng.range(0, 5) {
                0 => 2 * n,
                1 => 4 * n,
                2 if n.is_multiple_of(8) => n / 2,
                3 if n.is_multiple_of(16) => n / 4,
                _ => rng.pick(WIDTHS),
            };
            size.push(out);
        }
    }
    let mut o = Options::new(mode).size(size);
    if mode.takes_align_corners() && mode != Mode::Lanczos && rng.bool() {
        o = o.align_corners(rng.bool());
    }
    if mode == Mode::Lanczos || (matches!(mode, Mode::Bilinear | Mode::Bicubic) && rng.bool()) {
        o = o.antialias(true);
    }
    o.resolve(&shape).ok()?;
    Some((shape, o))
}

fn tol(want: &[f64], exact: bool) -> f64 {
    if exact {
        0.0
    } else {
        2e-5 * max_abs(want).max(1.0)
    }
}

fn randomized_rows_match_the_reference(r: &Resampler) {
    let mut rng = Rng::new(0x0A0B_2026);
    let (mut n, mut on_rows, mut periodic, mut tabled) = (0, 0, 0, 0);
    while n < 160 {
        let Some((shape, o)) = random_case(&mut rng) else {
            continue;
        };
        n += 1;
        let (passes, p, t) = row_kernels(r, &shape, &o);
        if p + t > 0 {
            on_rows += 1;
        }
        periodic += p;
        tabled += t;
        let exact = matches!(o.mode, Mode::Nearest | Mode::NearestExact);
        let x = rng.data(shape.iter().product());
        let (want, _) = reference::interpolate(&x, &shape, &o).unwrap();
        let (got, _) = r.interpolate(&x, &shape, &o).unwrap();
        let d = max_abs_diff(&got, &want);
        assert!(
            d <= tol(&want, exact),
            "forward {o:?} on {shape:?} ({passes} kernels): {d:e}"
        );

        let gy = rng.data(want.len());
        let want_g = reference::interpolate_backward(&gy, &shape, &o).unwrap();
        let got_g = r.interpolate_backward(&gy, &shape, &o).unwrap();
        let d = max_abs_diff(&got_g, &want_g);
        assert!(
            d <= tol(&want_g, false),
            "backward {o:?} on {shape:?}: {d:e}"
        );
    }
    // The row kernels take the passes whose taps repeat (integer and half scales) and their
    // borders, until the device's budget of their pipelines (ROWS_PIPELINES) is spent; the
    // strips kernels the others.
    let summary = format!(
        "{on_rows} of {n} calls on the row kernels: {periodic} periodic, {tabled} tabled parts"
    );
    assert!(on_rows >= 20 && on_rows < n, "{summary}");
    assert!(periodic >= 50 && tabled > 0, "{summary}");
}

/// The workloads' shapes (scaled down): their passes run periodic inside, tabled at the
/// borders, and match the reference.
fn standard_scales_run_periodic(r: &Resampler) {
    let mut rng = Rng::new(5);
    let o = Options::new;
    for (shape, opts) in [
        (vec![1, 3, 64, 64], o(Mode::Bilinear).size([128, 128])),
        (vec![2, 4, 16, 32], o(Mode::Nearest).size([32, 64])),
        (vec![1, 3, 64, 64], o(Mode::Bicubic).size([128, 128])),
        (
            vec![1, 3, 128, 128],
            o(Mode::Bicubic).size([32, 32]).antialias(true),
        ),
        (vec![1, 3, 128, 128], o(Mode::Area).size([32, 32])),
        (vec![1, 4, 8, 16, 16], o(Mode::Trilinear).size([16, 32, 32])),
        (vec![4, 8, 256], o(Mode::Linear).size([512])),
        // Three phases per lane group of 12 (rows/periodic) or 6 (rows/lines).
        (vec![1, 3, 64, 64], o(Mode::Bilinear).size([96, 96])),
        (
            vec![1, 2, 16, 16, 16],
            o(Mode::NearestExact).size([48, 48, 48]),
        ),
    ] {
        let (passes, periodic, _) = row_kernels(r, &shape, &opts);
        assert!(periodic >= 1, "{opts:?} on {shape:?}: {passes} kernels");
        // Pair loads where the device has 64-bit integers (and its storage bindings start
        // at multiples of 8 elements), at least for the downscales and nearest, whose
        // spans are whole pairs of vec4s; never without.
        let labels = r.kernel_labels(&shape, &opts).unwrap();
        let pairs = labels
            .iter()
            .any(|(l, _)| l.starts_with("rows/periodic_pairs("));
        let aligned = r
            .limits()
            .min_storage_buffer_offset_alignment
            .is_multiple_of(32);
        let whole = opts.antialias || matches!(opts.mode, Mode::Nearest | Mode::Area);
        if !r.u64_loads() || (aligned && whole) {
            assert_eq!(pairs, r.u64_loads(), "{opts:?} on {shape:?}: {labels:?}");
        }
        // The antialiased downscale's H pass: rows_lines.wgsl inside.
        if opts.antialias {
            let labels = r.kernel_labels(&shape, &opts).unwrap();
            assert!(
                labels.iter().any(|(l, _)| l.contains("rows/lines")),
                "{labels:?}"
            );
        }
        let x = rng.data(shape.iter().product());
        let (want, _) = reference::interpolate(&x, &shape, &opts).unwrap();
        let (got, _) = r.interpolate(&x, &shape, &opts).unwrap();
        let exact = opts.mode == Mode::Nearest;
        let d = max_abs_diff(&got, &want);
        assert!(d <= tol(&want, exact), "{opts:?} on {shape:?}: {d:e}");
    }
}

fn uint8_on_rows_matches_the_reference(r: &Resampler) {
    let mut rng = Rng::new(0x0808);
    let mut n = 0;
    let mut on_rows = 0;
    while n < 60 {
        let Some((shape, o)) = random_case(&mut rng) else {
            continue;
        };
        if !o.mode.supports_u8() {
            continue;
        }
        n += 1;
        let x = rng.bytes(shape.iter().product());
        let (want, _) = reference::interpolate_u8(&x, &shape, &o).unwrap();
        let (got, _) = r.interpolate_u8(&x, &shape, &o).unwrap();
        let d = common::max_u8_diff(&got, &want);
        // As tests/gpu_vs_reference.rs: the GPU's f32 sums are exact for upsampling and
        // moderate downscaling, one step at most elsewhere.
        let exact = matches!(o.mode, Mode::Nearest | Mode::NearestExact);
        assert!(
            d <= if exact { 0 } else { 1 },
            "uint8 {o:?} on {shape:?}: {d}"
        );
        // The kernels read the uploaded bytes themselves (`_u8` entries) where they run the
        // first pass: the row kernels, or the strips kernels.
        r.kernel_labels_u8(&shape, &o).unwrap();
        let labels = r.kernel_labels_u8(&shape, &o).unwrap();
        let first = labels[0].0.split(" + ").collect::<Vec<_>>();
        let rows = first.iter().all(|l| l.starts_with("rows/"));
        if rows || first.iter().all(|l| l.starts_with("strips/")) {
            assert!(first.iter().all(|l| l.contains("_u8")), "{labels:?}");
        }
        on_rows += usize::from(rows);
    }
    assert!(
        on_rows >= 20,
        "{on_rows} of {n} uint8 calls' first passes on the row kernels"
    );
}

/// NaN and infinities reach the same outputs as in the reference, forward and backward
/// (whose transposed tables have taps past their counts: masked, not multiplied by 0; and
/// taps of both signs on one element, which make NaN of an infinity).
fn specials_propagate_like_the_reference(r: &Resampler) {
    let mut rng = Rng::new(0x1AF);
    let o = Options::new;
    for (shape, opts) in [
        (vec![1, 2, 12, 16], o(Mode::Bilinear).size([24, 32])),
        (vec![1, 2, 12, 16], o(Mode::Bicubic).size([24, 32])),
        (
            vec![1, 2, 12, 64],
            o(Mode::Bicubic).size([12, 16]).antialias(true),
        ),
        (vec![1, 2, 24, 24], o(Mode::Area).size([12, 12])),
        (vec![1, 2, 6, 8, 8], o(Mode::Trilinear).size([12, 16, 16])),
        (vec![2, 2, 40], o(Mode::Linear).size([16])),
        (vec![1, 2, 12, 16], o(Mode::Nearest).size([20, 40])),
        (
            vec![1, 2, 12, 48],
            o(Mode::Lanczos).size([24, 20]).antialias(true),
        ),
    ] {
        // On the kernels for CPU adapters: the row kernels where the taps repeat, the
        // strips kernels elsewhere (the nearest and lanczos cases here).
        let labels = r.kernel_labels(&shape, &opts).unwrap();
        assert!(
            labels
                .iter()
                .all(|(l, _)| l.starts_with("rows/") || l.starts_with("strips/")),
            "{opts:?} on {shape:?}: {labels:?}"
        );
        let g = opts.resolve(&shape).unwrap();
        for backward in [false, true] {
            let n: usize = if backward {
                g.output_len()
            } else {
                g.input_len()
            };
            let mut x = rng.data(n);
            x[n / 3] = f32::NAN;
            x[n / 2] = f32::INFINITY;
            x[2 * n / 3 + 1] = f32::NEG_INFINITY;
            let (got, want) = if backward {
                (
                    r.interpolate_backward(&x, &shape, &opts).unwrap(),
                    reference::interpolate_backward(&x, &shape, &opts).unwrap(),
                )
            } else {
                (
                    r.interpolate(&x, &shape, &opts).unwrap().0,
                    reference::interpolate(&x, &shape, &opts).unwrap().0,
                )
            };
            assert!(
                want.iter().any(|v| !v.is_finite()),
                "{opts:?}: specials reach the output"
            );
            for (i, (&g, &w)) in got.iter().zip(&want).enumerate() {
                assert!(
                    common::same_special(g, w),
                    "{opts:?} backward={backward} element {i}: gpu {g} vs reference {w}"
                );
            }
        }
    }
}

fn fused_clamp_on_rows(r: &Resampler) {
    let shape = [1, 1, 16, 16];
    let x: Vec<f32> = (0..256)
        .map(|i| if (i % 16) < 8 { 0.0 } else { 1.0 })
        .collect();
    let free = Options::new(Mode::Bicubic).size([32, 32]);
    let clamped = free.clone().clamp(0.0, 1.0);
    let (_, p, _) = row_kernels(r, &shape, &clamped);
    assert!(p > 0);
    let (a, _) = r.interpolate(&x, &shape, &free).unwrap();
    let (b, _) = r.interpolate(&x, &shape, &clamped).unwrap();
    assert!(
        a.iter().any(|&v| !(0.0..=1.0).contains(&v)),
        "bicubic overshoots"
    );
    for (c, f) in b.iter().zip(&a) {
        assert_eq!(*c, f.clamp(0.0, 1.0));
    }
}

/// Tensors at offsets in the caller's buffers: at multiples of 4 elements the row kernels
/// take them, elsewhere the other paths; both give the host API's result.
fn tensors_at_offsets_in_caller_buffers(r: &Resampler) {
    let mut rng = Rng::new(31);
    // Bilinear up (tensors ending with their buffers), and a W-only antialiased 1/4
    // downscale with room after the input: its pair loads (rows_src_pairs.wgsl) then
    // start 4 elements before a tensor at an odd multiple of 4.
    let cases = [
        (
            [2, 3, 8, 16],
            Options::new(Mode::Bilinear).size([16, 32]),
            0,
        ),
        (
            [1, 2, 8, 256],
            Options::new(Mode::Bicubic).size([8, 64]).antialias(true),
            8,
        ),
    ];
    for (shape, o, room) in cases {
        let x = rng.data(shape.iter().product());
        let (want, out_shape) = reference::interpolate(&x, &shape, &o).unwrap();
        let usage = wgpu::BufferUsages::STORAGE | wgpu::BufferUsages::COPY_SRC;
        for (src_at, dst_at) in [(4usize, 8usize), (8, 4), (2, 4), (4, 6)] {
            let mut data = vec![7.0f32; src_at];
            data.extend_from_slice(&x);
            data.extend(std::iter::repeat_n(7.0f32, room));
            let src = r
                .device()
                .create_buffer_init(&wgpu::util::BufferInitDescriptor {
                    label: None,
                    contents: bytemuck::cast_slice(&data),
                    usage,
                });
            let sentinel = vec![-3.0f32; dst_at + want.len() + 4];
            let dst = r
                .device()
                .create_buffer_init(&wgpu::util::BufferInitDescriptor {
                    label: None,
                    contents: bytemuck::cast_slice(&sentinel),
                    usage,
                });
            let ts = GpuTensor::new(&src, &shape).offset(src_at as u64 * 4);
            let td = GpuTensor::new(&dst, &out_shape).offset(dst_at as u64 * 4);
            let mut enc = r.device().create_command_encoder(&Default::default());
            r.encode(&mut enc, &ts, &td, &o).unwrap();
            r.queue().submit([enc.finish()]);
            let bytes = r.read_buffer(&dst, 0, dst.size()).unwrap();
            let got: Vec<f32> = bytemuck::pod_collect_to_vec(&bytes);
            assert!(
                got[..dst_at].iter().all(|&v| v == -3.0),
                "before the tensor"
            );
            assert!(
                got[dst_at + want.len()..].iter().all(|&v| v == -3.0),
                "after the tensor"
            );
            let d = max_abs_diff(&got[dst_at..dst_at + want.len()], &want);
            assert!(d <= tol(&want, false), "{o:?} at {src_at}, {dst_at}: {d:e}");
        }
    }
}

/// A device whose storage bindings hold 1 MiB: passes cut into plane chunks, row chunks
/// (a W-only pass) and H record windows (more rows than one 64 KiB record window).
fn small_bindings_cut_passes_into_chunks() {
    let main = common::gpu();
    let adapter_limits = main.device().limits();
    let (device, queue) = pollster::block_on(async {
        let adapter = wgpu_resample::gpu::select_adapter().await.unwrap();
        let limits = wgpu::Limits {
            max_storage_buffer_binding_size: 1 << 20,
            ..adapter_limits
        };
        adapter
            .request_device(&wgpu::DeviceDescriptor {
                required_limits: limits,
                ..Default::default()
            })
            .await
            .unwrap()
    });
    let r = Resampler::new(&device, &queue)
        .unwrap()
        .with_cpu_kernels(true);
    let mut rng = Rng::new(8);
    let o = Options::new;
    for (shape, opts, at_least) in [
        // 6 output planes of 512 KiB: one plane per chunk.
        (vec![1, 6, 128, 256], o(Mode::Bilinear).size([256, 512]), 6),
        // A W-only pass of 128 rows of 8 KiB: row chunks.
        (vec![8, 16, 1024], o(Mode::Linear).size([2048]), 2),
        // 2400 output rows of 2 taps: two H record windows.
        (vec![1, 1, 1200, 16], o(Mode::Bilinear).size([2400, 32]), 2),
        // An antialiased H pass whose taps do not repeat (scale 4.096), 17 taps over 500
        // rows: on the strips line kernel, whose bindings fit in one dispatch.
        (
            vec![1, 1, 2048, 16],
            o(Mode::Bicubic).size([500, 16]).antialias(true),
            1,
        ),
        // The same at 1/4, whose H taps repeat (rows_lines.wgsl): planes of 256 KiB, four to
        // a chunk.
        (
            vec![1, 12, 1024, 64],
            o(Mode::Bicubic).size([256, 64]).antialias(true),
            3,
        ),
    ] {
        let labels = second_labels(&r, &shape, &opts);
        let rows: Vec<_> = labels
            .iter()
            .filter(|(l, _)| l.starts_with("rows/") || l.starts_with("strips/"))
            .collect();
        assert!(!rows.is_empty(), "{opts:?}: {labels:?}");
        assert!(
            rows.iter().any(|(_, n)| *n >= at_least),
            "{opts:?}: {labels:?}"
        );
        let x = rng.data(shape.iter().product());
        let (want, _) = reference::interpolate(&x, &shape, &opts).unwrap();
        let (got, _) = r.interpolate(&x, &shape, &opts).unwrap();
        let d = max_abs_diff(&got, &want);
        assert!(d <= tol(&want, false), "{opts:?} on {shape:?}: {d:e}");
        let gy = rng.data(want.len());
        let want_g = reference::interpolate_backward(&gy, &shape, &opts).unwrap();
        let got_g = r.interpolate_backward(&gy, &shape, &opts).unwrap();
        let d = max_abs_diff(&got_g, &want_g);
        assert!(
            d <= tol(&want_g, false),
            "backward {opts:?} on {shape:?}: {d:e}"
        );
    }
}

/// A device builds at most `ROWS_PIPELINES` row-kernel pipelines: a stream of ever new
/// periodic scales moves to the strips kernels once they are built, with the same results,
/// and the scales already built stay on the row kernels.
fn row_pipelines_are_a_bounded_set() {
    let r = rows_gpu(if common::gpu().u64_loads() {
        Loads::U64
    } else {
        Loads::F32
    });
    let mut rng = Rng::new(0xB0B);
    let on_rows = |shape: &[usize], o: &Options| {
        let labels = second_labels(&r, shape, o);
        labels.iter().any(|(l, _)| l.starts_with("rows/"))
    };
    let first = (vec![2, 1, 64], Options::new(Mode::Linear).size([128]));
    assert!(on_rows(&first.0, &first.1), "2x linear on the row kernels");
    r.interpolate(&rng.data(128), &first.0, &first.1).unwrap();
    let mut moved = None;
    // Integer upscales of every filtering mode: a new tap pattern each.
    'search: for k in 2..40usize {
        for mode in [Mode::Linear, Mode::Nearest, Mode::NearestExact] {
            let shape = vec![2, 1, 64];
            let o = Options::new(mode).size([64 * k]);
            let rows = on_rows(&shape, &o);
            let x = rng.data(128);
            let (got, _) = r.interpolate(&x, &shape, &o).unwrap();
            let (want, _) = reference::interpolate(&x, &shape, &o).unwrap();
            let exact = mode != Mode::Linear;
            let d = max_abs_diff(&got, &want);
            assert!(d <= tol(&want, exact), "{o:?}: {d:e}");
            if !rows {
                moved = Some((k, mode));
                break 'search;
            }
        }
    }
    let (k, mode) = moved.expect("every scale stayed on the row kernels");
    let labels = r
        .kernel_labels(&[2, 1, 64], &Options::new(mode).size([64 * k]))
        .unwrap();
    assert!(
        labels.iter().all(|(l, _)| l.starts_with("strips/")),
        "{k}x {mode:?}: {labels:?}"
    );
    assert!(
        on_rows(&first.0, &first.1),
        "2x linear left the row kernels"
    );
}

/// A pattern's first call builds no row-kernel pipeline: it runs on the strips kernels (a
/// fixed set of pipelines), and the row kernels take the pattern from its second call on.
fn a_new_pattern_first_runs_on_the_strips_kernels() {
    let r = rows_gpu(if common::gpu().u64_loads() {
        Loads::U64
    } else {
        Loads::F32
    });
    let mut rng = Rng::new(0xF1257);
    let (shape, o) = (
        vec![1, 3, 64, 64],
        Options::new(Mode::Bilinear).size([128, 128]),
    );
    let x = rng.data(shape.iter().product());
    let (want, _) = reference::interpolate(&x, &shape, &o).unwrap();
    for (call, family) in [(1, "strips/"), (2, "rows/"), (3, "rows/")] {
        let labels = r.kernel_labels(&shape, &o).unwrap();
        assert!(
            labels.iter().all(|(l, _)| l.starts_with(family)),
            "call {call}: {labels:?}"
        );
        let (got, _) = r.interpolate(&x, &shape, &o).unwrap();
        let d = max_abs_diff(&got, &want);
        assert!(d <= tol(&want, false), "call {call}: {d:e}");
    }
}

/// The tile kernel (W and H at once) takes a pass from its second call and only large
/// passes, unless `with_eager_tiles`; the results agree either way.
fn the_tile_kernel_takes_large_or_repeated_passes() {
    let tiles = |r: &Resampler, shape: &[usize], o: &Options| {
        r.kernel_labels(shape, o)
            .unwrap()
            .iter()
            .any(|(l, _)| l.starts_with("strips/tile"))
    };
    let o = Options::new(Mode::Bicubic).size([61, 75]);
    let small = [1, 3, 40, 48];
    let lazy = rows_gpu(Loads::F32);
    let eager = rows_gpu(Loads::F32).with_eager_tiles(true);
    assert!(
        tiles(&eager, &small, &o),
        "eager: a small pass on the tile kernel"
    );
    assert!(!tiles(&lazy, &small, &o) && !tiles(&lazy, &small, &o));
    let large = [1, 3, 1000, 1200];
    let o2 = Options::new(Mode::Bicubic).size([1525, 1875]);
    assert!(!tiles(&lazy, &large, &o2), "a large pass's first call");
    assert!(tiles(&lazy, &large, &o2), "a large pass's second call");
    let x = Rng::new(0x711E).data(small.iter().product());
    let (a, _) = lazy.interpolate(&x, &small, &o).unwrap();
    let (b, _) = eager.interpolate(&x, &small, &o).unwrap();
    let (want, _) = reference::interpolate(&x, &small, &o).unwrap();
    assert!(max_abs_diff(&a, &want) <= tol(&want, false));
    assert!(max_abs_diff(&b, &want) <= tol(&want, false));
}

/// Antialiased downscales of 5-8x, whose groups of four outputs read 33 to 64 inputs: the
/// strips kernels' wide entries (strips/*_wide_*), in float32 and uint8 and channels-last,
/// against the reference.
fn strong_downscales_run_the_wide_strips_kernels() {
    let r = common::gpu();
    let mut rng = Rng::new(64);
    let o = Options::new;
    for (shape, opts) in [
        (
            vec![1, 2, 160, 240],
            o(Mode::Bilinear).size([20, 30]).antialias(true),
        ),
        (
            vec![1, 3, 100, 150],
            o(Mode::Bicubic).size([20, 30]).antialias(true),
        ),
    ] {
        let labels = r.kernel_labels(&shape, &opts).unwrap();
        if r.cpu_kernels() {
            assert!(
                labels.iter().all(|(l, _)| l.contains("_wide_")),
                "{labels:?}"
            );
        }
        let x = rng.data(shape.iter().product());
        let (want, _) = reference::interpolate(&x, &shape, &opts).unwrap();
        let (got, _) = r.interpolate(&x, &shape, &opts).unwrap();
        let d = max_abs_diff(&got, &want);
        assert!(d <= tol(&want, false), "{opts:?} on {shape:?}: {d:e}");
        let xb: Vec<u8> = x.iter().map(|v| ((v + 4.0) * 31.0) as u8).collect();
        let (want, _) = reference::interpolate_u8(&xb, &shape, &opts).unwrap();
        let (got, _) = r.interpolate_u8(&xb, &shape, &opts).unwrap();
        assert_eq!(got, want, "uint8 {opts:?} on {shape:?}");
    }
}

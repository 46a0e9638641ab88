#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Seeded randomized comparisons of the GPU against the CPU reference: forward (f32 and u8)
//! and backward, across modes, dims, align_corners, antialias, size vs scale_factor,
//! recompute_scale_factor, batch and channel counts, sizes of 1, primes, and large ratios.

mod common;

use common::{max_abs, max_abs_diff, Rng};
use wgpu_resample::{reference, Mode, Options, Resampler};

tests!(
    gpu: randomized_forward_and_backward_match_reference,
    gpu: randomized_uint8_matches_reference,
    gpu: fused_clamp_bounds_bicubic_overshoot,
    gpu: host_paths_map_directly_on_cpu_adapters,
);

const SIZES: &[usize] = &[1, 2, 3, 4, 5, 7, 8, 11, 13, 16, 17, 31, 32, 61, 97];
const SCALES: &[f64] = &[
    0.0625,
    0.1,
    0.25,
    1.0 / 3.0,
    0.5,
    0.7,
    0.999,
    1.0,
    1.001,
    1.3,
    1.5,
    2.0,
    2.5,
    3.0,
    7.9,
    16.0,
];

fn random_case(rng: &mut Rng) -> Option<(Vec<usize>, Options)> {
    let mode = rng.pick(&Mode::ALL);
    let dims = mode.required_dims().unwrap_or_else(|| rng.range(1, 3));
    let mut shape = vec![rng.range(1, 3), rng.range(1, 4)];
    let cap = [0, 97, 61, 13][dims];
    for _ in 0..dims {
        shape.push(rng.pick(SIZES).min(cap));
    }
    let mut o = Options::new(mode);
    if rng.bool() {
        let out: Vec<usize> = (0..dims)
            .map(|_| rng.pick(SIZES).min(cap) * if rng.range(0, 5) == 0 { 3 } else { 1 })
            .collect();
        o = o.size(out);
    } else {
        o = o.scale_factor((0..dims).map(|_| rng.pick(SCALES)));
        if rng.range(0, 2) == 0 {
            o = o.recompute_scale_factor(rng.bool());
        }
    }
    if mode.takes_align_corners() && mode != Mode::Lanczos && rng.bool() {
        o = o.align_corners(rng.bool());
    }
    if mode == Mode::Lanczos || (matches!(mode, Mode::Bilinear | Mode::Bicubic) && rng.bool()) {
        o = o.antialias(true);
    }
    // Keep the work of one case small.
    let g = o.resolve(&shape).ok()?;
    if g.output_len() > 300_000 {
        return None;
    }
    Some((shape, o))
}

fn exact_mode(m: Mode) -> bool {
    matches!(m, Mode::Nearest | Mode::NearestExact)
}

fn randomized_forward_and_backward_match_reference() {
    for gpu in common::gpu_paths() {
        randomized_cases(gpu);
    }
}

fn randomized_cases(gpu: &Resampler) {
    let path = common::path_name(gpu);
    let mut rng = Rng::new(0x5EED_2026);
    let (mut n, mut tries) = (0, 0);
    let mut per_mode = std::collections::BTreeMap::new();
    while n < 400 {
        tries += 1;
        assert!(tries < 20_000, "too few valid random cases");
        let Some((shape, o)) = random_case(&mut rng) else {
            continue;
        };
        let len: usize = shape.iter().product();
        let x = rng.data(len);
        let (want, wshape) = reference::interpolate(&x, &shape, &o).unwrap();
        let (got, gshape) = gpu.interpolate(&x, &shape, &o).unwrap();
        assert_eq!(gshape, wshape);
        let d = max_abs_diff(&got, &want);
        let tol = if exact_mode(o.mode) {
            0.0
        } else {
            2e-5 * max_abs(&want).max(1.0)
        };
        assert!(
            d <= tol,
            "{path}: forward {o:?} on {shape:?}: max diff {d:e} > {tol:e}"
        );

        let gy = rng.data(want.len());
        let want_g = reference::interpolate_backward(&gy, &shape, &o).unwrap();
        let got_g = gpu.interpolate_backward(&gy, &shape, &o).unwrap();
        let d = max_abs_diff(&got_g, &want_g);
        let tol = 2e-5 * max_abs(&want_g).max(1.0);
        assert!(
            d <= tol,
            "{path}: backward {o:?} on {shape:?}: max diff {d:e} > {tol:e}"
        );
        *per_mode.entry(o.mode.name()).or_insert(0) += 1;
        n += 1;
    }
    assert_eq!(
        per_mode.len(),
        Mode::ALL.len(),
        "{path}: every mode drawn; {n} random cases (forward + backward) per mode: {per_mode:?}"
    );
}

fn randomized_uint8_matches_reference() {
    let gpu = common::gpu();
    let mut rng = Rng::new(0xB17E);
    let mut n = 0;
    while n < 150 {
        let Some((shape, o)) = random_case(&mut rng) else {
            continue;
        };
        if !o.mode.supports_u8() {
            continue;
        }
        let x = rng.bytes(shape.iter().product());
        let (want, _) = reference::interpolate_u8(&x, &shape, &o).unwrap();
        let (got, _) = gpu.interpolate_u8(&x, &shape, &o).unwrap();
        let d = common::max_u8_diff(&got, &want);
        // f32 on the GPU vs f64 on the host can round a tie differently: one step at most.
        let tol = if exact_mode(o.mode) { 0 } else { 1 };
        assert!(d <= tol, "uint8 {o:?} on {shape:?}: max diff {d}");
        n += 1;
    }
}

fn fused_clamp_bounds_bicubic_overshoot() {
    let gpu = common::gpu();
    // A step edge: bicubic overshoots below 0 and above 1.
    let x: Vec<f32> = (0..64).map(|i| if i % 8 < 4 { 0.0 } else { 1.0 }).collect();
    let o = Options::new(Mode::Bicubic).size([8, 29]);
    let (free, _) = gpu.interpolate(&x, &[1, 1, 8, 8], &o).unwrap();
    assert!(
        free.iter().any(|&v| v < 0.0) && free.iter().any(|&v| v > 1.0),
        "bicubic overshoots"
    );
    let oc = o.clone().clamp(0.0, 1.0);
    let (clamped, _) = gpu.interpolate(&x, &[1, 1, 8, 8], &oc).unwrap();
    let (want, _) = reference::interpolate(&x, &[1, 1, 8, 8], &oc).unwrap();
    assert!(clamped.iter().all(|&v| (0.0..=1.0).contains(&v)));
    assert!(max_abs_diff(&clamped, &want) < 1e-6);
    for (c, f) in clamped.iter().zip(&free) {
        assert_eq!(*c, f.clamp(0.0, 1.0));
    }
}

/// The host API's two ways of moving data (buffers mapped directly on CPU adapters, staging
/// copies elsewhere) give the reference's result, and a CPU adapter takes the direct way
/// when its device allows it (the device `new_default` opens requests the feature there).
fn host_paths_map_directly_on_cpu_adapters() {
    let paths = common::gpu_paths();
    let main = paths[0];
    let cpu = main
        .adapter_info()
        .is_some_and(|i| i.device_type == wgpu::DeviceType::Cpu);
    let mappable = main
        .device()
        .features()
        .contains(wgpu::Features::MAPPABLE_PRIMARY_BUFFERS);
    assert_eq!(main.maps_directly(), cpu && mappable);
    if cpu
        && main
            .adapter_info()
            .is_some_and(|i| i.backend == wgpu::Backend::Vulkan)
    {
        // lavapipe offers the feature: CI's adapter takes the direct path.
        assert!(
            mappable,
            "a Vulkan CPU adapter without MAPPABLE_PRIMARY_BUFFERS"
        );
    }
    let mut rng = Rng::new(77);
    let shape = [2, 3, 37, 53];
    let x = rng.data(shape.iter().product());
    let o = Options::new(Mode::Bicubic).size([61, 29]);
    let (want, _) = reference::interpolate(&x, &shape, &o).unwrap();
    // A second call of the same sizes (the direct path reuses the first call's buffers) with
    // other data, a call of other sizes, then the first sizes again after the spare buffers
    // are released.
    let y = rng.data(x.len());
    let (want_y, _) = reference::interpolate(&y, &shape, &o).unwrap();
    let small = [1, 2, 9, 11];
    let z = rng.data(small.iter().product());
    let (want_z, _) = reference::interpolate(&z, &small, &o).unwrap();
    let mut seen = std::collections::BTreeSet::new();
    for r in paths {
        seen.insert(r.maps_directly());
        let calls = [
            (&x, &shape[..], &want),
            (&y, &shape[..], &want_y),
            (&z, &small[..], &want_z),
            (&x, &shape[..], &want),
        ];
        for (i, (data, shape, want)) in calls.into_iter().enumerate() {
            if i == 3 {
                r.release_spare_buffers();
            }
            let (got, _) = r.interpolate(data, shape, &o).unwrap();
            let d = max_abs_diff(&got, want);
            assert!(
                d <= 2e-5 * max_abs(want).max(1.0),
                "direct={} call {i}: {d:e}",
                r.maps_directly()
            );
        }
    }
    if mappable && cpu {
        assert_eq!(seen.len(), 2, "both host paths ran");
    }
}

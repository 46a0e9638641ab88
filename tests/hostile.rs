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
//! | outputs larger than host memory | `Error::Limit { what: "host memory" }`, no abort |
//! | data length not matching the shape | `Error::Input` |
//! | a lost device | `Error::DeviceLost` on the next call; a new `Resampler` works |
//! | malformed, truncated, oversized .npy headers (seeded mutations) | `Error::Format`, no panic |
//! | many threads for a bounded time | identical to the reference; resident memory stable |

mod common;

use common::Rng;
use wgpu_resample::npy::{self, NpyArray, NpyData};
use wgpu_resample::{reference, Error, Mode, Options, Resampler};

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

#[test]
fn nan_and_infinity_propagate_like_the_reference() {
    let Some(gpu) = common::gpu() else { return };
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

#[test]
fn bad_arguments_are_typed_errors() {
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
    let gpu = common::gpu();
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

#[test]
fn outputs_beyond_memory_are_errors_not_aborts() {
    // 1e6 planes of 2 -> 1e9 elements each... 4e15 bytes: no machine has that.
    let x = vec![1.0f32; 4];
    let o = Options::new(Mode::Nearest).size([1 << 31, 1 << 20]);
    match reference::interpolate(&x, &[1, 1, 2, 2], &o) {
        Err(Error::Limit { .. }) => {}
        other => panic!("expected a limit error, got {other:?}"),
    }
    if let Some(r) = common::gpu() {
        match r.interpolate(&x, &[1, 1, 2, 2], &o) {
            Err(Error::Limit { .. }) => {}
            other => panic!("expected a limit error, got {other:?}"),
        }
        // A single plane larger than max_buffer_size: refused with the limit's name.
        let side = ((r.limits().max_buffer_size / 4) as f64).sqrt() as usize + 16;
        match r.interpolate(
            &x,
            &[1, 1, 2, 2],
            &Options::new(Mode::Nearest).size([side, side]),
        ) {
            Err(Error::Limit { .. }) => {}
            other => panic!("expected a limit error, got {:?}", other.map(|v| v.1)),
        }
    }
}

#[test]
fn lost_device_is_an_error_and_a_new_resampler_works() {
    if common::gpu().is_none() {
        return;
    }
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

#[test]
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

#[test]
fn soak_many_threads_identical_results_stable_memory() {
    let Some(r) = common::gpu() else { return };
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
        println!("{k} rounds; resident {a} KiB -> {b} KiB");
        assert!(
            b < a + 64 * 1024,
            "resident memory grew from {a} KiB to {b} KiB"
        );
    }
}

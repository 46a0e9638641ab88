#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The `resample` binary end to end: image, tensor and batch subcommands, exit codes, messages,
//! and that failures leave no output behind.
//!
//! The tests that need a GPU adapter are `gpu:` tests of tests/common's harness: reported
//! ignored when there is none, failed when CI requires one.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use wgpu_resample::npy::{self, NpyArray, NpyData};
use wgpu_resample::{reference, Mode, Options};

tests!(
    gpu: image_resize_keeps_size_and_constant_colour,
    gpu: image_16bit_png_round_trip,
    gpu: image_rgba_is_filtered_premultiplied,
    gpu: image_linear_light_averages_in_linear_light,
    gpu: image_other_output_formats,
    gpu: image_8bit_png_equals_torch_uint8,
    gpu: image_fit_fill_and_premultiplied,
    gpu: tensor_f32_gpu_matches_reference,
    cpu: tensor_f32_cpu_backend_is_the_reference,
    gpu: tensor_u8_gpu,
    cpu: tensor_u8_cpu,
    gpu: tensor_f16,
    gpu: batch_reports_corrupt_file_and_does_the_rest,
    cpu: batch_errors,
    cpu: image_argument_errors,
    cpu: tensor_argument_errors,
    gpu: tensor_size_beyond_the_device_is_a_usage_error,
    cpu: help_documents_every_flag,
    gpu: tensor_onnx_on_both_backends,
    cpu: tensor_onnx_errors,
);

fn resample(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_resample"))
        .args(args)
        .output()
        .expect("runs the resample binary")
}

/// The tool's stderr, without the lines libwayland prints when Mesa probes for a display
/// on a machine that has none ("error: XDG_RUNTIME_DIR is invalid or not set ..."): that is
/// the system's noise, not the tool's output.
fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr)
        .lines()
        .filter(|l| !l.starts_with("error: XDG_RUNTIME_DIR"))
        .map(|l| format!("{l}\n"))
        .collect()
}

fn code(o: &Output) -> i32 {
    o.status.code().expect("exited normally")
}

/// A fresh, empty folder for one test, removed when the test passes (kept for a look when it
/// fails).
struct TempDir(PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        if !std::thread::panicking() {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

impl std::ops::Deref for TempDir {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.0
    }
}

fn tmp(name: &str) -> TempDir {
    let d = std::env::temp_dir().join(format!("resample-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    TempDir(d)
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// The files in a folder, sorted (hidden temporary files included).
fn files(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// Assert an exit code of 2, a one-line message naming `needle`, and no `out` file.
fn assert_usage_error(o: &Output, needle: &str, out: &Path) {
    let err = stderr(o);
    assert_eq!(code(o), 2, "stderr: {err}");
    assert_eq!(err.trim_end().lines().count(), 1, "not one line: {err}");
    assert!(err.starts_with("resample: error: "), "{err}");
    assert!(err.contains(needle), "{needle:?} not in {err:?}");
    assert!(!out.exists(), "{} was written", out.display());
}

fn rgb_png(path: &Path, w: u32, h: u32, f: impl Fn(u32, u32) -> [u8; 3]) {
    image::RgbImage::from_fn(w, h, |x, y| image::Rgb(f(x, y)))
        .save(path)
        .unwrap();
}

// ---------------------------------------------------------------------------------------------
// image

fn image_resize_keeps_size_and_constant_colour() {
    let d = tmp("image-const");
    let input = d.join("in.png");
    rgb_png(&input, 40, 30, |_, _| [10, 200, 77]);
    for (args, want) in [
        (vec!["--size", "20x15", "--mode", "bicubic"], (20, 15)),
        (vec!["--size", "64x10"], (64, 10)),
        (vec!["--scale", "2"], (80, 60)),
        (vec!["--scale", "0.5,2"], (20, 60)),
        (vec!["--size", "13x7", "--antialias"], (13, 7)),
        (
            vec!["--size", "13x7", "--mode", "lanczos", "--antialias"],
            (13, 7),
        ),
        (vec!["--size", "13x7", "--mode", "area"], (13, 7)),
        (vec!["--size", "50x33", "--mode", "nearest-exact"], (50, 33)),
    ] {
        let out = d.join("out.png");
        let mut a = vec!["image", s(&input), s(&out)];
        a.extend(&args);
        let o = resample(&a);
        assert_eq!(code(&o), 0, "{args:?}: {}", stderr(&o));
        let img = image::open(&out).unwrap();
        assert_eq!((img.width(), img.height()), want, "{args:?}");
        assert_eq!(img.color(), image::ColorType::Rgb8);
        let rgb = img.to_rgb8();
        assert!(
            rgb.pixels().all(|p| p.0 == [10, 200, 77]),
            "{args:?}: constant image changed"
        );
        std::fs::remove_file(&out).unwrap();
    }
    assert_eq!(files(&d), vec!["in.png"], "stray files");
}

fn image_16bit_png_round_trip() {
    let d = tmp("image-16");
    let input = d.join("in16.png");
    image::ImageBuffer::<image::Luma<u16>, _>::from_fn(32, 16, |_, _| image::Luma([40_000u16]))
        .save(&input)
        .unwrap();
    let out = d.join("out16.png");
    let o = resample(&[
        "image",
        s(&input),
        s(&out),
        "--size",
        "64x24",
        "--mode",
        "bicubic",
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let img = image::open(&out).unwrap();
    assert_eq!(img.color(), image::ColorType::L16);
    assert_eq!((img.width(), img.height()), (64, 24));
    assert!(img.to_luma16().pixels().all(|p| p.0[0] == 40_000));

    // A 16-bit gradient keeps more than 256 distinct levels.
    let input = d.join("grad16.png");
    image::ImageBuffer::<image::Luma<u16>, _>::from_fn(512, 2, |x, _| {
        image::Luma([(x * 128) as u16])
    })
    .save(&input)
    .unwrap();
    let o = resample(&["image", s(&input), s(&out), "--size", "1024x2"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let img = image::open(&out).unwrap().to_luma16();
    let mut levels: Vec<u16> = img.pixels().map(|p| p.0[0]).collect();
    levels.sort_unstable();
    levels.dedup();
    assert!(levels.len() > 600, "{} levels", levels.len());
}

fn image_rgba_is_filtered_premultiplied() {
    let d = tmp("image-rgba");
    let input = d.join("rgba.png");
    // Opaque red on the left, fully transparent black on the right.
    image::RgbaImage::from_fn(32, 8, |x, _| {
        image::Rgba(if x < 16 {
            [255, 0, 0, 255]
        } else {
            [0, 0, 0, 0]
        })
    })
    .save(&input)
    .unwrap();
    let out = d.join("out.png");
    let o = resample(&["image", s(&input), s(&out), "--scale", "2"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let img = image::open(&out).unwrap();
    assert_eq!(img.color(), image::ColorType::Rgba8);
    assert_eq!((img.width(), img.height()), (64, 16));
    let img = img.to_rgba8();
    let mut blended = 0;
    for p in img.pixels() {
        let [r, g, b, a] = p.0;
        if a > 0 {
            // No dark fringe: where anything is visible it is pure red.
            assert_eq!([r, g, b], [255, 0, 0], "darkened edge pixel {:?}", p.0);
        }
        if a > 0 && a < 255 {
            blended += 1;
        }
    }
    assert!(blended > 0, "the edge was not blended at all");
}

fn image_linear_light_averages_in_linear_light() {
    let d = tmp("image-linear");
    let input = d.join("bw.png");
    image::GrayImage::from_fn(2, 1, |x, _| image::Luma([if x == 0 { 0 } else { 255 }]))
        .save(&input)
        .unwrap();
    let out = d.join("out.png");
    let o = resample(&[
        "image",
        s(&input),
        s(&out),
        "--size",
        "1x1",
        "--mode",
        "area",
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(
        image::open(&out).unwrap().to_luma8().get_pixel(0, 0).0,
        [128]
    );
    let o = resample(&[
        "image",
        s(&input),
        s(&out),
        "--size",
        "1x1",
        "--mode",
        "area",
        "--linear-light",
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    // linear 0.5 is sRGB 0.7354 -> 188
    assert_eq!(
        image::open(&out).unwrap().to_luma8().get_pixel(0, 0).0,
        [188]
    );
}

fn image_other_output_formats() {
    let d = tmp("image-formats");
    let input = d.join("in.png");
    image::RgbaImage::from_fn(24, 16, |x, y| {
        image::Rgba([x as u8 * 10, y as u8 * 10, 90, 255])
    })
    .save(&input)
    .unwrap();
    for ext in ["jpg", "webp", "tif", "bmp", "gif", "tga", "png"] {
        let out = d.join(format!("out.{ext}"));
        let o = resample(&["image", s(&input), s(&out), "--size", "12x8"]);
        assert_eq!(code(&o), 0, "{ext}: {}", stderr(&o));
        let img = image::open(&out).unwrap();
        assert_eq!((img.width(), img.height()), (12, 8), "{ext}");
    }
}

// ---------------------------------------------------------------------------------------------
// tensor

/// `resample image` on an 8-bit PNG made from each of the torch corpus's 2-D uint8 cases with
/// one or three channels and one batch element (`--size`, or `--scale` for a scale_factor
/// torch samples with): torch's uint8 result, exactly (within the case's tolerance: lanczos
/// 1).
fn image_8bit_png_equals_torch_uint8() {
    let d = tmp("image-uint8");
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/torch");
    let manifest = wgpu_resample::conformance::load_manifest(&dir.join("manifest.json")).unwrap();
    let mut checked = 0;
    for case in &manifest.cases {
        let (Some(shape), None, true) = (&case.output_shape, &case.expect_error, case.is_u8())
        else {
            continue;
        };
        let x = npy::read(&dir.join(&case.input)).unwrap();
        let ([1, c, h, w], [_, _, oh, ow]) = (&x.shape[..], &shape[..]) else {
            continue;
        };
        let (c, h, w, oh, ow) = (*c, *h, *w, *oh, *ow);
        // torch's size, or its scale_factor (used for sampling unless recomputed).
        let (flag, dims) = match (&case.scale_factor, case.recompute_scale_factor) {
            (Some(sf), Some(false) | None) => ("--scale", format!("{},{}", sf[1], sf[0])),
            _ => ("--size", format!("{ow}x{oh}")),
        };
        if !(c == 1 || c == 3) || oh < 1 || ow < 1 {
            continue;
        }
        let NpyData::U8(xs) = &x.data else { panic!() };
        let plane = h * w;
        let inter: Vec<u8> = (0..plane)
            .flat_map(|i| (0..c).map(move |k| xs[k * plane + i]))
            .collect();
        let input = d.join("in.png");
        let (w32, h32) = (w as u32, h as u32);
        if c == 1 {
            image::GrayImage::from_raw(w32, h32, inter)
                .unwrap()
                .save(&input)
                .unwrap();
        } else {
            image::RgbImage::from_raw(w32, h32, inter)
                .unwrap()
                .save(&input)
                .unwrap();
        }
        let out = d.join("out.png");
        let mut args = vec![
            "image",
            s(&input),
            s(&out),
            flag,
            &dims,
            "--mode",
            &case.mode,
        ];
        if case.antialias {
            args.push("--antialias");
        }
        if case.align_corners == Some(true) {
            args.push("--align-corners");
        }
        let o = resample(&args);
        assert_eq!(code(&o), 0, "{}: {}", case.id, stderr(&o));
        let got = image::open(&out).unwrap().into_bytes();
        let want = npy::read(&dir.join(case.expected.as_ref().unwrap())).unwrap();
        let NpyData::U8(want) = want.data else {
            panic!()
        };
        let oplane = oh * ow;
        let atol = case.atol.unwrap_or(0.0);
        for (i, &g) in got.iter().enumerate() {
            let e = want[(i % c) * oplane + i / c];
            assert!(
                (f64::from(g) - f64::from(e)).abs() <= atol,
                "{} ({}): sample {i}: {g} vs torch {e}",
                case.id,
                case.mode
            );
        }
        checked += 1;
    }
    assert!(checked >= 15, "{checked} cases checked");
    std::fs::remove_dir_all(&d.0).ok();
}

/// `--fit` and `--fill` sizes, and `--premultiplied` leaving premultiplied colour as it is.
fn image_fit_fill_and_premultiplied() {
    let d = tmp("image-fit");
    let input = d.join("in.png");
    rgb_png(&input, 40, 30, |_, _| [10, 200, 77]);
    for (flag, want) in [("--fit", (20, 15)), ("--fill", (20, 20))] {
        let out = d.join("out.png");
        let o = resample(&["image", s(&input), s(&out), flag, "20x20"]);
        assert_eq!(code(&o), 0, "{flag}: {}", stderr(&o));
        let img = image::open(&out).unwrap();
        assert_eq!((img.width(), img.height()), want, "{flag}");
    }
    // Premultiplied RGBA: half-transparent grey next to transparent black averages to the
    // plain mean (no division by alpha); straight alpha divides it out.
    let rgba = d.join("rgba.png");
    image::RgbaImage::from_fn(2, 1, |x, _| {
        image::Rgba(if x == 0 {
            [100, 100, 100, 128]
        } else {
            [0, 0, 0, 0]
        })
    })
    .save(&rgba)
    .unwrap();
    let out = d.join("half.png");
    for (extra, want) in [
        (Some("--premultiplied"), [50, 50, 50, 64]),
        (None, [100, 100, 100, 64]),
    ] {
        let mut args = vec!["image", s(&rgba), s(&out), "--size", "1x1", "--antialias"];
        args.extend(extra);
        let o = resample(&args);
        assert_eq!(code(&o), 0, "{extra:?}: {}", stderr(&o));
        let px = image::open(&out).unwrap().to_rgba8().into_raw();
        assert_eq!(px, want, "{extra:?}");
    }
}

fn values(n: usize) -> Vec<f32> {
    (0..n)
        .map(|i| ((i * 37 % 101) as f32 / 101.0 - 0.3) * 2.0)
        .collect()
}

fn run_tensor_f32(
    name: &str,
    shape: &[usize],
    args: &[&str],
    options: &Options,
    backend: &str,
) -> (Vec<f32>, Vec<f64>) {
    let d = tmp(name);
    let (input, output) = (d.join("in.npy"), d.join("out.npy"));
    let x = values(shape.iter().product());
    npy::write(
        &input,
        &NpyArray {
            shape: shape.to_vec(),
            data: NpyData::F32(x.clone()),
        },
    )
    .unwrap();
    let mut a = vec!["tensor", s(&input), s(&output), "--backend", backend];
    a.extend(args);
    let o = resample(&a);
    assert_eq!(code(&o), 0, "{args:?}: {}", stderr(&o));
    let (want, want_shape) = reference::interpolate(&x, shape, options).unwrap();
    let got = npy::read(&output).unwrap();
    assert_eq!(got.shape, want_shape, "{args:?}");
    let NpyData::F32(got) = got.data else {
        panic!("output dtype is not float32")
    };
    (got, want)
}

fn max_diff(a: &[f32], b: &[f64]) -> f64 {
    assert_eq!(a.len(), b.len());
    a.iter()
        .zip(b)
        .map(|(&x, &y)| (x as f64 - y).abs())
        .fold(0.0, f64::max)
}

fn tensor_cases() -> Vec<(&'static str, Vec<usize>, Vec<&'static str>, Options)> {
    vec![
        (
            "bicubic",
            vec![1, 2, 5, 7],
            vec!["--size", "9,4", "--mode", "bicubic", "--align-corners"],
            Options::new(Mode::Bicubic).size([9, 4]).align_corners(true),
        ),
        (
            "bilinear-aa",
            vec![2, 3, 16, 12],
            vec!["--size", "5,7", "--mode", "bilinear", "--antialias"],
            Options::new(Mode::Bilinear).size([5, 7]).antialias(true),
        ),
        (
            "linear",
            vec![1, 3, 10],
            vec!["--scale", "2.5", "--mode", "linear"],
            Options::new(Mode::Linear).scale_factor_all(2.5),
        ),
        (
            "trilinear-recompute",
            vec![1, 1, 4, 5, 6],
            vec![
                "--scale",
                "1.5,2,0.7",
                "--mode",
                "trilinear",
                "--recompute-scale-factor",
            ],
            Options::new(Mode::Trilinear)
                .scale_factor([1.5, 2.0, 0.7])
                .recompute_scale_factor(true),
        ),
        (
            "area-clamp",
            vec![1, 2, 9, 9],
            vec!["--size", "4", "--mode", "area", "--clamp", "-0.2,0.5"],
            Options::new(Mode::Area).size_all(4).clamp(-0.2, 0.5),
        ),
        (
            "nearest",
            vec![1, 1, 7, 3],
            vec!["--scale", "3,1.7"],
            Options::new(Mode::Nearest).scale_factor([3.0, 1.7]),
        ),
    ]
}

fn tensor_f32_gpu_matches_reference() {
    for (name, shape, args, o) in tensor_cases() {
        let (got, want) = run_tensor_f32(&format!("t-gpu-{name}"), &shape, &args, &o, "gpu");
        let diff = max_diff(&got, &want);
        assert!(diff <= 1e-5, "{name}: max diff {diff}");
    }
}

fn tensor_f32_cpu_backend_is_the_reference() {
    for (name, shape, args, o) in tensor_cases() {
        let (got, want) = run_tensor_f32(&format!("t-cpu-{name}"), &shape, &args, &o, "cpu");
        for (g, w) in got.iter().zip(&want) {
            assert_eq!(*g, *w as f32, "{name}");
        }
    }
}

fn run_tensor_u8(name: &str, backend: &str) {
    let d = tmp(name);
    let (input, output) = (d.join("in.npy"), d.join("out.npy"));
    let shape = [1usize, 3, 6, 5];
    let x: Vec<u8> = (0..90u32).map(|i| (i * 53 % 256) as u8).collect();
    npy::write(
        &input,
        &NpyArray {
            shape: shape.to_vec(),
            data: NpyData::U8(x.clone()),
        },
    )
    .unwrap();
    let o = resample(&[
        "tensor",
        s(&input),
        s(&output),
        "--size",
        "11,8",
        "--mode",
        "bicubic",
        "--backend",
        backend,
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let (want, want_shape) =
        reference::interpolate_u8(&x, &shape, &Options::new(Mode::Bicubic).size([11, 8])).unwrap();
    let got = npy::read(&output).unwrap();
    assert_eq!(got.shape, want_shape);
    assert_eq!(got.data, NpyData::U8(want));
}

fn tensor_u8_gpu() {
    run_tensor_u8("t-u8-gpu", "gpu");
}

fn tensor_u8_cpu() {
    run_tensor_u8("t-u8-cpu", "cpu");
}

fn tensor_f16() {
    let d = tmp("t-f16");
    let (input, output) = (d.join("in.npy"), d.join("out.npy"));
    let shape = [1usize, 2, 4, 4];
    let x: Vec<f32> = values(32)
        .into_iter()
        .map(|v| half::f16::from_f32(v).to_f32())
        .collect();
    let bits = x
        .iter()
        .map(|&v| half::f16::from_f32(v).to_bits())
        .collect();
    npy::write(
        &input,
        &NpyArray {
            shape: shape.to_vec(),
            data: NpyData::F16(bits),
        },
    )
    .unwrap();
    let o = resample(&[
        "tensor",
        s(&input),
        s(&output),
        "--size",
        "7,3",
        "--mode",
        "bilinear",
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let (want, _) =
        reference::interpolate(&x, &shape, &Options::new(Mode::Bilinear).size([7, 3])).unwrap();
    let got = npy::read(&output).unwrap();
    assert_eq!(got.shape, vec![1, 2, 7, 3]);
    let NpyData::F16(bits) = got.data else {
        panic!("output dtype is not float16")
    };
    for (b, w) in bits.iter().zip(&want) {
        let g = half::f16::from_bits(*b).to_f64();
        assert!((g - w).abs() <= 1e-3 * (1.0 + w.abs()), "{g} vs {w}");
    }
}

// ---------------------------------------------------------------------------------------------
// batch

fn batch_reports_corrupt_file_and_does_the_rest() {
    let d = tmp("batch");
    let (input, output) = (d.join("in"), d.join("out"));
    std::fs::create_dir_all(&input).unwrap();
    for (i, name) in ["a.png", "b.png", "c.bmp", "d.jpg"].iter().enumerate() {
        rgb_png(&input.join(name), 30 + i as u32, 20, |x, y| {
            [x as u8 * 7, y as u8 * 9, 100]
        });
    }
    std::fs::write(input.join("broken.png"), b"this is not a png").unwrap();
    std::fs::write(input.join("notes.txt"), b"not an image").unwrap();
    let o = resample(&["batch", s(&input), s(&output), "--size", "10x5"]);
    let err = stderr(&o);
    assert_eq!(code(&o), 1, "stderr: {err}");
    assert!(err.contains("broken.png"), "{err}");
    assert!(!err.contains("a.png"), "{err}");
    assert_eq!(files(&output), vec!["a.png", "b.png", "c.bmp", "d.jpg"]);
    for f in files(&output) {
        let img = image::open(output.join(&f)).unwrap();
        assert_eq!((img.width(), img.height()), (10, 5), "{f}");
    }

    // All good: exit 0; --format changes the output type.
    std::fs::remove_file(input.join("broken.png")).unwrap();
    let out2 = d.join("out2");
    let o = resample(&[
        "batch",
        s(&input),
        s(&out2),
        "--scale",
        "0.5",
        "--format",
        "png",
        "--mode",
        "bicubic",
        "--antialias",
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(files(&out2), vec!["a.png", "b.png", "c.png", "d.png"]);
}

fn batch_errors() {
    let d = tmp("batch-errors");
    let out = d.join("out");
    let o = resample(&["batch", s(&d.join("missing")), s(&out), "--size", "4x4"]);
    assert_usage_error(&o, "missing", &out);
    let o = resample(&["batch", s(&d), s(&out), "--size", "4x4"]);
    assert_usage_error(&o, "no image files", &out);
    let o = resample(&["batch", s(&d), s(&out)]);
    assert_usage_error(&o, "--size", &out);
    // Two inputs that would be written to one output.
    rgb_png(&d.join("a.png"), 4, 4, |_, _| [0, 0, 0]);
    image::RgbImage::new(4, 4).save(d.join("a.bmp")).unwrap();
    let o = resample(&["batch", s(&d), s(&out), "--size", "2x2", "--format", "png"]);
    assert_usage_error(&o, "a.bmp", &out);
    let o = resample(&["batch", s(&d), s(&d), "--size", "2x2"]);
    assert_usage_error(&o, "input folder", &d.join("none"));
    let o = resample(&["batch", s(&d), s(&out), "--size", "2x2", "--format", "xyz"]);
    assert_usage_error(&o, "--format", &out);
}

// ---------------------------------------------------------------------------------------------
// errors (no GPU needed: all are caught before the GPU is touched)

fn image_argument_errors() {
    let d = tmp("image-errors");
    let input = d.join("in.png");
    rgb_png(&input, 8, 8, |_, _| [1, 2, 3]);
    let out = d.join("out.png");
    let (i, o_) = (s(&input), s(&out));
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["image", i, o_], "--size"),
        (
            vec!["image", i, o_, "--size", "4x4", "--scale", "2"],
            "--size",
        ),
        (vec!["image", i, o_, "--size", "4"], "--size"),
        (vec!["image", i, o_, "--size", "0x4"], "--size"),
        (vec!["image", i, o_, "--scale", "-1"], "--scale"),
        (vec!["image", i, o_, "--scale", "x"], "--scale"),
        (vec!["image", i, o_, "--scale", "0.01"], "--scale"),
        (
            vec!["image", i, o_, "--size", "4x4", "--mode", "bogus"],
            "--mode",
        ),
        (
            vec!["image", i, o_, "--size", "4x4", "--mode", "trilinear"],
            "--mode",
        ),
        (
            vec!["image", i, o_, "--size", "4x4", "--mode", "lanczos"],
            "--antialias",
        ),
        (
            vec![
                "image",
                i,
                o_,
                "--size",
                "4x4",
                "--mode",
                "area",
                "--antialias",
            ],
            "--antialias",
        ),
        (
            vec![
                "image",
                i,
                o_,
                "--size",
                "4x4",
                "--mode",
                "nearest",
                "--align-corners",
            ],
            "--align-corners",
        ),
        (
            vec!["image", "no-such-file.png", o_, "--size", "4x4"],
            "no-such-file.png",
        ),
    ];
    for (args, needle) in cases {
        let o = resample(&args);
        assert_usage_error(&o, needle, &out);
    }
    // An output format that cannot be told from the name.
    let bad_out = d.join("out.xyz");
    let o = resample(&["image", i, s(&bad_out), "--size", "4x4"]);
    assert_usage_error(&o, "out.xyz", &bad_out);
    // A corrupt input.
    let corrupt = d.join("corrupt.png");
    std::fs::write(&corrupt, b"\x89PNG\r\n\x1a\n garbage").unwrap();
    let o = resample(&["image", s(&corrupt), o_, "--size", "4x4"]);
    assert_usage_error(&o, "corrupt.png", &out);
    assert_eq!(files(&d), vec!["corrupt.png", "in.png"], "stray files");
}

fn tensor_argument_errors() {
    let d = tmp("tensor-errors");
    let input = d.join("in.npy");
    npy::write(
        &input,
        &NpyArray {
            shape: vec![1, 1, 4, 4],
            data: NpyData::U8(vec![0; 16]),
        },
    )
    .unwrap();
    let flat = d.join("flat.npy");
    npy::write(
        &flat,
        &NpyArray {
            shape: vec![4, 4],
            data: NpyData::F32(vec![0.0; 16]),
        },
    )
    .unwrap();
    let wide = d.join("wide.npy");
    npy::write(
        &wide,
        &NpyArray {
            shape: vec![1, 1, 4],
            data: NpyData::F64(vec![0.0; 4]),
        },
    )
    .unwrap();
    let garbage = d.join("garbage.npy");
    std::fs::write(&garbage, b"\x93NUMPY\x01\x00{}").unwrap();
    let out = d.join("out.npy");
    let (i, o_) = (s(&input), s(&out));
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["tensor", i, o_], "--size"),
        (vec!["tensor", i, o_, "--size", "a,b"], "--size"),
        (vec!["tensor", i, o_, "--size", "3,4,5"], "--size"),
        (vec!["tensor", i, o_, "--scale", "0"], "--scale"),
        (vec!["tensor", i, o_, "--scale", "nan"], "--scale"),
        (vec!["tensor", i, o_, "--scale", "-2"], "--scale"),
        (vec!["tensor", i, o_, "--size", "0,4"], "--size"),
        (
            vec!["tensor", i, o_, "--size", "8", "--mode", "cubic"],
            "--mode",
        ),
        (
            vec!["tensor", i, o_, "--size", "8", "--mode", "area"],
            "--mode",
        ),
        (
            vec![
                "tensor", i, o_, "--size", "8", "--mode", "bilinear", "--clamp", "1",
            ],
            "--clamp",
        ),
        (
            vec![
                "tensor", i, o_, "--size", "8", "--mode", "bilinear", "--clamp", "2,1",
            ],
            "--clamp",
        ),
        (
            vec!["tensor", i, o_, "--size", "8", "--recompute-scale-factor"],
            "--recompute-scale-factor",
        ),
        (
            vec!["tensor", i, o_, "--size", "8", "--mode", "linear"],
            "linear",
        ),
        (vec!["tensor", s(&flat), o_, "--size", "8"], "flat.npy"),
        (vec!["tensor", s(&wide), o_, "--size", "8"], "float64"),
        (
            vec!["tensor", "missing.npy", o_, "--size", "8"],
            "missing.npy",
        ),
        (
            vec!["tensor", s(&garbage), o_, "--size", "8"],
            "garbage.npy",
        ),
    ];
    for (args, needle) in cases {
        let o = resample(&args);
        assert_usage_error(&o, needle, &out);
    }
    assert_eq!(
        files(&d),
        vec!["flat.npy", "garbage.npy", "in.npy", "wide.npy"],
        "stray files"
    );
}

/// A size valid for torch but beyond the device's limits: a usage error too, once the
/// adapter's limits are known (this one needs the GPU).
fn tensor_size_beyond_the_device_is_a_usage_error() {
    let d = tmp("tensor-limit");
    let input = d.join("in.npy");
    npy::write(
        &input,
        &NpyArray {
            shape: vec![1, 1, 4, 4],
            data: NpyData::U8(vec![0; 16]),
        },
    )
    .unwrap();
    let out = d.join("out.npy");
    let o = resample(&["tensor", s(&input), s(&out), "--size", "100000,100000"]);
    assert_usage_error(&o, "limit exceeded", &out);
    assert_eq!(files(&d), vec!["in.npy"], "stray files");
}

fn help_documents_every_flag() {
    for (cmd, flags) in [
        (
            "image",
            &[
                "--size",
                "--scale",
                "--mode",
                "--antialias",
                "--align-corners",
                "--clamp",
                "--linear-light",
                "--fit",
                "--fill",
                "--premultiplied",
                "--float",
                "WIDTHxHEIGHT",
            ][..],
        ),
        (
            "tensor",
            &[
                "--size",
                "--scale",
                "--mode",
                "--antialias",
                "--align-corners",
                "--recompute-scale-factor",
                "--clamp",
                "--backend",
            ][..],
        ),
        ("batch", &["--size", "--scale", "--format", "--jobs"][..]),
    ] {
        let o = resample(&[cmd, "--help"]);
        assert_eq!(code(&o), 0);
        let text = String::from_utf8_lossy(&o.stdout);
        for f in flags {
            assert!(text.contains(f), "{cmd} --help lacks {f}");
        }
    }
}

/// `resample tensor --onnx`: ONNX Resize on the GPU and the CPU backend, against the library's
/// reference.
fn tensor_onnx_on_both_backends() {
    use wgpu_resample::options::onnx::{CoordinateMode, OnnxMode, OnnxOptions};
    let shape = [2, 3, 5, 7];
    let spec = "mode=cubic,coordinate_transformation_mode=tf_crop_and_resize,\
                roi=[0.1,-0.2,0.9,1.1],axes=[2,3],sizes=[8,9],extrapolation_value=-1,\
                cubic_coeff_a=-0.5";
    let o = OnnxOptions::new(OnnxMode::Cubic)
        .coordinate_mode(CoordinateMode::TfCropAndResize)
        .roi([0.1, -0.2, 0.9, 1.1])
        .axes([2, 3])
        .sizes([8, 9])
        .extrapolation_value(-1.0)
        .cubic_coeff_a(-0.5);
    let x = values(shape.iter().product());
    let (want, want_shape) = reference::resize(&x, &shape, &o).unwrap();
    assert!(want.contains(&-1.0));
    for backend in ["gpu", "cpu"] {
        let d = tmp(&format!("onnx-{backend}"));
        let (input, output) = (d.join("in.npy"), d.join("out.npy"));
        npy::write(
            &input,
            &NpyArray {
                shape: shape.to_vec(),
                data: NpyData::F32(x.clone()),
            },
        )
        .unwrap();
        let o = resample(&[
            "tensor",
            s(&input),
            s(&output),
            "--backend",
            backend,
            "--onnx",
            spec,
        ]);
        assert_eq!(code(&o), 0, "{}", stderr(&o));
        let got = npy::read(&output).unwrap();
        assert_eq!(got.shape, want_shape);
        let NpyData::F32(got) = got.data else {
            panic!("not float32")
        };
        let tol = if backend == "cpu" { 1e-6 } else { 1e-5 };
        assert!(max_diff(&got, &want) <= tol, "{backend}");
    }
}

fn tensor_onnx_errors() {
    let d = tmp("onnx-errors");
    let (input, output) = (d.join("in.npy"), d.join("out.npy"));
    npy::write(
        &input,
        &NpyArray {
            shape: vec![1, 1, 4, 4],
            data: NpyData::F32(vec![0.0; 16]),
        },
    )
    .unwrap();
    for (args, needle) in [
        (vec!["--onnx", "mode=linear,sizes=[1,1,8]"], "sizes"),
        (vec!["--onnx", "mode=linear,size=[1,1,8,8]"], "unknown key"),
        (vec!["--onnx", "mode=bilinear,sizes=[1,1,8,8]"], "mode"),
        (
            vec!["--onnx", "mode=linear,sizes=[1,1,8,8]", "--size", "8"],
            "--size",
        ),
        (
            vec![
                "--onnx",
                "mode=linear,coordinate_transformation_mode=tf_crop_and_resize,sizes=[1,1,8,8]",
            ],
            "roi",
        ),
    ] {
        let mut a = vec!["tensor", s(&input), s(&output), "--backend", "cpu"];
        a.extend(args.iter().copied());
        let o = resample(&a);
        assert_usage_error(&o, needle, &output);
        assert!(stderr(&o).contains("--onnx"), "{}", stderr(&o));
    }
}

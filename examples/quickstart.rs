#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Quickstart: every interpolation mode on the default GPU adapter, checked against the CPU
//! reference.
//!
//! ```text
//! cargo run --release --example quickstart
//! ```
//!
//! Builds a test image (gradients, a disc, fine stripes and a checkerboard that show aliasing),
//! a small 3D volume (a sphere) and a 1D signal in code, resizes them with every mode, writes
//! the 2D results (and the middle slice of the 3D ones) as PNGs into `quickstart-output/`, and
//! prints per mode the output size, the GPU time and the largest difference from the CPU
//! reference.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;
use wgpu_resample::{reference, Mode, Options, Resampler};

const W: usize = 192;
const H: usize = 128;

/// A 3-channel planar test image in [0, 1].
fn test_image() -> Vec<f32> {
    let plane = W * H;
    let mut img = vec![0f32; 3 * plane];
    for y in 0..H {
        for x in 0..W {
            let (fx, fy) = (x as f32 / (W - 1) as f32, y as f32 / (H - 1) as f32);
            // Smooth gradients in the background.
            let mut rgb = [fx, fy, 0.5 * (1.0 - fx)];
            // A disc with a hard edge.
            let (dx, dy) = (x as f32 - 56.0, y as f32 - 64.0);
            if dx * dx + dy * dy < 36.0 * 36.0 {
                rgb = [1.0, 0.9, 0.2];
            }
            // Fine vertical stripes (period 2 px) and a 1 px checkerboard: alias when
            // downscaled without a low-pass filter.
            if x >= 112 && y < 60 {
                let v = if x % 2 == 0 { 1.0 } else { 0.0 };
                rgb = [v, v, v];
            }
            if x >= 112 && y >= 68 {
                let v = if (x + y) % 2 == 0 { 0.9 } else { 0.1 };
                rgb = [v, 0.3, 1.0 - v];
            }
            for (c, v) in rgb.into_iter().enumerate() {
                img[c * plane + y * W + x] = v;
            }
        }
    }
    img
}

/// A 16³ volume with a sphere of radius 6.
fn test_volume(n: usize) -> Vec<f32> {
    let c = (n as f32 - 1.0) / 2.0;
    let mut v = Vec::with_capacity(n * n * n);
    for z in 0..n {
        for y in 0..n {
            for x in 0..n {
                let d = ((x as f32 - c).powi(2) + (y as f32 - c).powi(2) + (z as f32 - c).powi(2))
                    .sqrt();
                v.push(if d < 6.0 { 1.0 } else { 0.0 });
            }
        }
    }
    v
}

fn write_rgb(path: &Path, planar: &[f32], w: usize, h: usize) {
    let plane = w * h;
    let mut px = Vec::with_capacity(3 * plane);
    for i in 0..plane {
        for c in 0..3 {
            px.push((planar[c * plane + i] * 255.0).round().clamp(0.0, 255.0) as u8);
        }
    }
    image::RgbImage::from_raw(w as u32, h as u32, px)
        .expect("buffer fits")
        .save(path)
        .expect("writes PNG");
}

fn write_grey(path: &Path, v: &[f32], w: usize, h: usize) {
    let px = v
        .iter()
        .map(|&x| (x * 255.0).round().clamp(0.0, 255.0) as u8)
        .collect();
    image::GrayImage::from_raw(w as u32, h as u32, px)
        .expect("buffer fits")
        .save(path)
        .expect("writes PNG");
}

/// A file-name friendly form of a label: "lanczos (antialias)" -> "lanczos-antialias".
fn slug(label: &str) -> String {
    label
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

struct Row {
    what: String,
    output: Vec<usize>,
    first_ms: f64,
    ms: f64,
    diff: f64,
}

/// Run one call on the GPU three times (the first timed: it compiles the pipelines it needs;
/// the second untimed: on CPU adapters a repeated call may move to kernels built for its
/// pattern; the third timed, every pipeline built) and on the CPU reference; returns the
/// GPU output.
fn run(
    r: &Resampler,
    what: &str,
    x: &[f32],
    shape: &[usize],
    o: &Options,
    rows: &mut Vec<Row>,
) -> (Vec<f32>, Vec<usize>) {
    let t = Instant::now();
    r.interpolate(x, shape, o).expect("GPU interpolate");
    let first_ms = t.elapsed().as_secs_f64() * 1e3;
    r.interpolate(x, shape, o).expect("GPU interpolate");
    let t = Instant::now();
    let (gpu, out_shape) = r.interpolate(x, shape, o).expect("GPU interpolate");
    let ms = t.elapsed().as_secs_f64() * 1e3;
    let (cpu, _) = reference::interpolate(x, shape, o).expect("CPU reference");
    let diff = gpu
        .iter()
        .zip(&cpu)
        .map(|(&g, &c)| (g as f64 - c).abs())
        .fold(0.0, f64::max);
    rows.push(Row {
        what: what.to_string(),
        output: out_shape.clone(),
        first_ms,
        ms,
        diff,
    });
    (gpu, out_shape)
}

/// The largest |GPU - CPU| a call may show: f32 sums against the f64 reference.
const TOLERANCE: f64 = 1e-4;

/// Print the table; false if any call differs from the reference by more than TOLERANCE.
fn print_table(title: &str, rows: &[Row]) -> bool {
    println!("\n{title}");
    println!(
        "  {:<34} {:>18} {:>10} {:>10} {:>14}",
        "mode", "output shape", "1st ms", "3rd ms", "max |GPU-CPU|"
    );
    for r in rows {
        println!(
            "  {:<34} {:>18} {:>10.2} {:>10.2} {:>14.2e}",
            r.what,
            format!("{:?}", r.output),
            r.first_ms,
            r.ms,
            r.diff
        );
    }
    rows.iter().all(|r| r.diff <= TOLERANCE)
}

fn main() -> ExitCode {
    let r = match Resampler::new_default() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("quickstart: no usable GPU adapter: {e}");
            eprintln!(
                "  Install a Vulkan, Metal or DX12 driver (or Mesa's lavapipe for a software \
                 adapter); `resample info` lists what wgpu finds."
            );
            return ExitCode::from(3);
        }
    };
    match r.adapter_info() {
        Some(i) => println!(
            "adapter: {} | backend {:?} | {:?} | driver {} {}",
            i.name, i.backend, i.device_type, i.driver, i.driver_info
        ),
        None => println!("adapter: (unknown)"),
    }
    let dir = PathBuf::from("quickstart-output");
    if let Err(e) = std::fs::create_dir_all(&dir) {
        eprintln!("quickstart: cannot create {}: {e}", dir.display());
        return ExitCode::from(2);
    }
    println!("writing PNGs to {}/", dir.display());
    println!(
        "GPU ms = wall time of one Resampler::interpolate call (upload, dispatch, read back): \
         1st = the first call with these arguments, which compiles the pipelines it needs; \
         3rd = the same call a third time, every pipeline it needs built (on CPU adapters \
         the 2nd call, untimed, builds the kernels of a pattern asked for twice)"
    );
    if let Err(e) = r.interpolate(
        &[0.0; 16],
        &[1, 1, 4, 4],
        &Options::new(Mode::Nearest).size([2, 2]),
    ) {
        eprintln!("quickstart: the GPU failed: {e}");
        return ExitCode::from(3);
    }

    let mut ok = true;
    // 2D: the test image, down (0.375x) and up (2.5x).
    let img = test_image();
    write_rgb(&dir.join("image-input.png"), &img, W, H);
    let shape = [1, 3, H, W];
    let modes: Vec<(&str, Options)> = vec![
        ("nearest", Options::new(Mode::Nearest)),
        ("nearest-exact", Options::new(Mode::NearestExact)),
        ("bilinear", Options::new(Mode::Bilinear)),
        ("bicubic", Options::new(Mode::Bicubic)),
        ("area", Options::new(Mode::Area)),
        (
            "bilinear+antialias",
            Options::new(Mode::Bilinear).antialias(true),
        ),
        (
            "bicubic+antialias",
            Options::new(Mode::Bicubic).antialias(true),
        ),
        (
            "lanczos (antialias)",
            Options::new(Mode::Lanczos).antialias(true),
        ),
    ];
    let mut rows = Vec::new();
    for (dir_name, (oh, ow)) in [("down", (48, 72)), ("up", (320, 480))] {
        for (name, o) in &modes {
            let o = o.clone().size([oh, ow]);
            let (y, _) = run(
                &r,
                &format!("{name} {dir_name}"),
                &img,
                &shape,
                &o,
                &mut rows,
            );
            let file = format!("image-{dir_name}-{}.png", slug(name));
            write_rgb(&dir.join(file), &y, ow, oh);
        }
    }
    ok &= print_table(
        &format!("image {W}x{H} RGB (tensor [1, 3, {H}, {W}]) -> 72x48 and 480x320"),
        &rows,
    );

    // 3D: a 16³ sphere, up to 40³ (nearest, trilinear, area) and down to 8³ (area).
    let n = 16;
    let vol = test_volume(n);
    let vshape = [1, 1, n, n, n];
    write_grey(
        &dir.join("volume-input-mid.png"),
        &vol[(n / 2) * n * n..][..n * n],
        n,
        n,
    );
    let mut rows = Vec::new();
    for (name, o) in [
        ("nearest up", Options::new(Mode::Nearest).size([40, 40, 40])),
        (
            "trilinear up",
            Options::new(Mode::Trilinear).size([40, 40, 40]),
        ),
        (
            "trilinear up (align_corners)",
            Options::new(Mode::Trilinear)
                .size([40, 40, 40])
                .align_corners(true),
        ),
        ("area up", Options::new(Mode::Area).size([40, 40, 40])),
        ("area down", Options::new(Mode::Area).size([8, 8, 8])),
    ] {
        let (y, s) = run(&r, name, &vol, &vshape, &o, &mut rows);
        let (d, h, w) = (s[2], s[3], s[4]);
        let mid = &y[(d / 2) * h * w..][..h * w];
        write_grey(
            &dir.join(format!("volume-{}-mid.png", slug(name))),
            mid,
            w,
            h,
        );
    }
    ok &= print_table(
        "volume 16³ sphere (tensor [1, 1, 16, 16, 16]), middle slice written",
        &rows,
    );

    // 1D: a signal with a smooth part and a step, 32 -> 128 samples.
    let sig: Vec<f32> = (0..32)
        .map(|i| {
            let t = i as f32 / 31.0;
            0.5 + 0.3 * (t * 12.0).sin() + if i >= 20 { 0.15 } else { -0.15 }
        })
        .collect();
    let mut rows = Vec::new();
    let (y, _) = run(
        &r,
        "linear",
        &sig,
        &[1, 1, 32],
        &Options::new(Mode::Linear).size([128]),
        &mut rows,
    );
    // Plot input (grey dots) and output (white line) into a 128x64 PNG.
    let (pw, ph) = (128usize, 64usize);
    let mut plot = vec![0f32; pw * ph];
    let row_of = |v: f32| ((1.0 - v.clamp(0.0, 1.0)) * (ph - 1) as f32).round() as usize;
    for (x, &v) in y.iter().enumerate() {
        plot[row_of(v) * pw + x] = 1.0;
    }
    for (i, &v) in sig.iter().enumerate() {
        plot[row_of(v) * pw + i * 4 + 1] = 0.5;
    }
    write_grey(&dir.join("signal-linear.png"), &plot, pw, ph);
    ok &= print_table("signal (tensor [1, 1, 32]) -> 128 samples", &rows);

    println!("\nPNGs written to {}/", dir.display());
    if !ok {
        eprintln!(
            "quickstart: a GPU result differs from the CPU reference by more than {TOLERANCE:e}"
        );
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}

//! Baseline: burn's wgpu `interpolate` on the standard workloads (bench/workloads.json).
//!
//! Usage:
//!   burn-interpolate-bench [--workloads PATH] [--runs N] [--warmup N] [--json]
//!
//! For each 2D workload burn supports (nearest / bilinear / bicubic on 4D NCHW, no
//! antialias): build a uniform-random f32 input on the wgpu device (Vulkan API, so
//! lavapipe/llvmpipe on a machine without a GPU), warm up, then time `runs` iterations of
//! `interpolate(x) ; device.sync()` and report the median and min wall time in ms.
//! `device.sync()` waits for queued work to finish without reading anything back to the host.

use std::time::Instant;

use burn::tensor::module::interpolate;
use burn::tensor::ops::{InterpolateMode, InterpolateOptions};
use burn::tensor::wgpu::WgpuBackend;
use burn::tensor::{Device, DeviceKind, Distribution, Tensor};
use serde_json::Value;

/// burn version this crate is pinned to (see Cargo.toml).
const BURN_VERSION: &str = "0.22.1";
const METHOD: &str = "interpolate + device.sync() (no readback)";

struct Args {
    workloads: String,
    runs: usize,
    warmup: usize,
    json: bool,
}

fn parse_args() -> Args {
    let default_workloads = concat!(env!("CARGO_MANIFEST_DIR"), "/../workloads.json").to_string();
    let mut args = Args {
        workloads: default_workloads,
        runs: 9,
        warmup: 2,
        json: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--workloads" => args.workloads = it.next().expect("--workloads needs a path"),
            "--runs" => {
                args.runs = it
                    .next()
                    .and_then(|v| v.parse().ok())
                    .expect("--runs needs a positive integer")
            }
            "--warmup" => {
                args.warmup = it
                    .next()
                    .and_then(|v| v.parse().ok())
                    .expect("--warmup needs an integer")
            }
            "--json" => args.json = true,
            "-h" | "--help" => {
                eprintln!(
                    "usage: burn-interpolate-bench [--workloads PATH] [--runs N] [--warmup N] [--json]"
                );
                std::process::exit(0);
            }
            other => {
                eprintln!("unknown argument: {other}");
                std::process::exit(2);
            }
        }
    }
    assert!(args.runs >= 1, "--runs must be >= 1");
    args
}

/// Why burn cannot run this workload, or the mode to use.
fn burn_mode(w: &Value) -> Result<InterpolateMode, String> {
    let mode = w["mode"].as_str().unwrap_or("");
    let input = w["input"].as_array().map(|a| a.len()).unwrap_or(0);
    if w.get("antialias").and_then(Value::as_bool) == Some(true) {
        return Err("antialias not supported by burn interpolate".into());
    }
    if input != 4 {
        return Err(format!(
            "burn interpolate is 2D only (4D NCHW); workload is {}D",
            input.saturating_sub(2)
        ));
    }
    match mode {
        "nearest" => Ok(InterpolateMode::Nearest),
        "bilinear" => Ok(InterpolateMode::Bilinear),
        "bicubic" => Ok(InterpolateMode::Bicubic),
        other => Err(format!("mode '{other}' not supported by burn interpolate")),
    }
}

fn dims<const N: usize>(v: &Value) -> [usize; N] {
    let a = v.as_array().expect("expected an array");
    assert_eq!(a.len(), N, "unexpected rank");
    std::array::from_fn(|i| a[i].as_u64().expect("expected an integer") as usize)
}

fn median(sorted: &[f64]) -> f64 {
    let n = sorted.len();
    if n % 2 == 1 {
        sorted[n / 2]
    } else {
        0.5 * (sorted[n / 2 - 1] + sorted[n / 2])
    }
}

fn main() {
    let args = parse_args();
    let text = std::fs::read_to_string(&args.workloads)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", args.workloads));
    let root: Value = serde_json::from_str(&text).expect("workloads file is not valid JSON");
    let workloads = root["workloads"].as_array().expect("no 'workloads' array");

    // Pin wgpu to the Vulkan API (lavapipe here); kernels are WGSL compiled by wgpu/naga.
    let device = Device::wgpu_options()
        .device_kind(DeviceKind::DefaultDevice)
        .graphics_api(WgpuBackend::Vulkan)
        .init()
        .expect("could not initialise a wgpu (Vulkan) device");
    device.seed(0);
    match device.identity() {
        Some(id) => eprintln!("burn {BURN_VERSION} wgpu device: {} [{}]", id.name, id.fingerprint),
        None => eprintln!("burn {BURN_VERSION} wgpu device: (no identity reported)"),
    }

    if !args.json {
        println!(
            "{:<20} {:<10} {:>20} {:>12} {:>10} {:>10}",
            "id", "mode", "input", "output", "median_ms", "min_ms"
        );
    }

    for w in workloads {
        let id = w["id"].as_str().unwrap_or("?");
        let mode_name = w["mode"].as_str().unwrap_or("?");
        let mode = match burn_mode(w) {
            Ok(m) => m,
            Err(reason) => {
                eprintln!("skip {id}: {reason}");
                if !args.json {
                    println!("{:<20} {:<10} unsupported: {reason}", id, mode_name);
                }
                continue;
            }
        };
        let shape: [usize; 4] = dims(&w["input"]);
        let size: [usize; 2] = dims(&w["size"]);
        // burn's default is align_corners = true; follow the workload (PyTorch default false).
        let align_corners = w
            .get("align_corners")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        let options = InterpolateOptions::new(mode)
            .with_align_corners(align_corners)
            .with_output_size(size);

        let x = Tensor::<4>::random(shape, Distribution::Default, &device);
        device.sync().expect("sync failed");

        let run_once = || {
            let y = interpolate(x.clone(), options.clone());
            device.sync().expect("sync failed");
            y
        };

        // Warm-up: shader compilation and (if enabled) autotuning happen here.
        for _ in 0..args.warmup {
            let y = run_once();
            assert_eq!(y.dims(), [shape[0], shape[1], size[0], size[1]]);
        }

        let mut times = Vec::with_capacity(args.runs);
        for _ in 0..args.runs {
            let t0 = Instant::now();
            let y = run_once();
            times.push(t0.elapsed().as_secs_f64() * 1e3);
            drop(y);
        }
        times.sort_by(|a, b| a.partial_cmp(b).unwrap());
        let med = median(&times);
        let min = times[0];

        if args.json {
            let line = serde_json::json!({
                "id": id,
                "mode": mode_name,
                "burn": BURN_VERSION,
                "median_ms": med,
                "min_ms": min,
                "runs": args.runs,
                "method": METHOD,
            });
            println!("{line}");
        } else {
            println!(
                "{:<20} {:<10} {:>20} {:>12} {:>10.3} {:>10.3}",
                id,
                mode_name,
                format!("{:?}", shape),
                format!("{}x{}", size[0], size[1]),
                med,
                min
            );
        }
    }
    if !args.json {
        println!("(burn {BURN_VERSION}; {METHOD}; {} runs after {} warm-up)", args.runs, args.warmup);
    }
}

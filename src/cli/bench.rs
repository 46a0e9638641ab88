//! `resample bench`: the standard workloads against the adapter's copy bandwidth, the CPU
//! reference and (when installed) PyTorch's CPU interpolate.

use super::{fail, EXIT_USAGE};
use crate::gpu::bench::{self, Workloads};
use crate::{Error, Resampler};
use std::path::PathBuf;
use std::process::{Command, ExitCode};

#[derive(clap::Args)]
pub struct Args {
    /// Workloads file (resample's copy of the standard workloads by default).
    #[arg(long, default_value = "bench/workloads.json")]
    workloads: PathBuf,
    /// Run only these workload ids (repeatable).
    #[arg(long = "workload")]
    only: Vec<String>,
    /// Timed runs per measurement (after one warm-up); medians are reported.
    #[arg(long, default_value_t = 9)]
    runs: usize,
    /// Also time the backward (gradient) kernel.
    #[arg(long)]
    backward: bool,
    /// Skip timing the CPU reference (f64, single-threaded; slow on large workloads).
    #[arg(long)]
    no_reference: bool,
    /// Also run bench/torch_cpu.py (PyTorch's CPU interpolate, 2 threads) if torch is installed.
    #[arg(long)]
    torch: bool,
    /// One JSON object per workload instead of a table.
    #[arg(long)]
    json: bool,
    /// Input path: `auto` (uniform windows on CPU adapters, storage on GPUs), `windows` or
    /// `storage`.
    #[arg(long, value_parser = ["auto", "windows", "storage"], default_value = "auto")]
    input: String,
    /// The row kernels (shaders/rows*.wgsl) for the passes they take: the adapter's default
    /// (on for CPU adapters), or on / off, to compare.
    #[arg(long, value_parser = ["auto", "on", "off"], default_value = "auto")]
    rows: String,
    /// How the row kernels load their input: as 64-bit words where the device has
    /// SHADER_INT64 (auto), or as `vec4<f32>`s (f32), to compare.
    #[arg(long, value_parser = ["auto", "f32"], default_value = "auto")]
    loads: String,
}

fn torch_medians(a: &Args) -> std::collections::HashMap<String, (f64, Option<f64>)> {
    let mut m = std::collections::HashMap::new();
    let script = a.workloads.with_file_name("torch_cpu.py");
    let mut cmd = Command::new("python3");
    cmd.arg(&script)
        .arg("--json")
        .arg("--workloads")
        .arg(&a.workloads)
        .arg("--runs")
        .arg(a.runs.to_string())
        .arg("--threads")
        .arg("2");
    if a.backward {
        cmd.arg("--backward");
    }
    let Ok(out) = cmd.output() else {
        eprintln!("resample: bench: python3 not found; no torch figures");
        return m;
    };
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        if let Ok(v) = serde_json::from_str::<serde_json::Value>(line) {
            if let (Some(id), Some(ms)) = (v["id"].as_str(), v["median_ms"].as_f64()) {
                m.insert(id.to_string(), (ms, v["backward_median_ms"].as_f64()));
            }
        }
    }
    if m.is_empty() {
        eprintln!(
            "resample: bench: no torch figures ({})",
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    m
}

pub fn run(a: Args) -> ExitCode {
    let text = match std::fs::read_to_string(&a.workloads) {
        Ok(t) => t,
        Err(source) => {
            return fail(&Error::Io {
                path: a.workloads.clone(),
                source,
            })
        }
    };
    let wl: Workloads = match serde_json::from_str(&text) {
        Ok(w) => w,
        Err(e) => {
            return fail(&Error::Format {
                path: a.workloads.clone(),
                reason: e.to_string(),
            })
        }
    };
    if a.runs == 0 {
        eprintln!("resample: error: invalid argument `--runs`: must be at least 1");
        return ExitCode::from(EXIT_USAGE);
    }
    let r = match Resampler::new_default() {
        Ok(r) => {
            let r = match a.input.as_str() {
                "windows" => r.with_uniform_windows(true),
                "storage" => r.with_uniform_windows(false),
                _ => r,
            };
            let r = match a.rows.as_str() {
                "on" => r.with_row_kernels(true),
                "off" => r.with_row_kernels(false),
                _ => r,
            };
            if a.loads == "f32" {
                r.with_u64_loads(false)
            } else {
                r
            }
        }
        Err(e) => return fail(&e),
    };
    let (name, backend, driver) = r
        .adapter_info()
        .map(|i| {
            (
                i.name.clone(),
                format!("{:?}", i.backend),
                format!("{} {}", i.driver, i.driver_info),
            )
        })
        .unwrap_or_default();
    let torch = if a.torch {
        torch_medians(&a)
    } else {
        Default::default()
    };
    if !a.json {
        println!("adapter: {name} | {backend} | {driver}");
        println!(
            "row kernels: {} ({} loads); other passes' input path: {}",
            if r.row_kernels() { "on" } else { "off" },
            if r.u64_loads() { "u64" } else { "f32" },
            if r.uniform_windows() {
                "uniform windows"
            } else {
                "storage"
            }
        );
        println!(
            "medians of {} runs (ms); bandwidth = (input + output bytes) / time",
            a.runs
        );
        println!(
            "{:<18} {:>9} {:>9} {:>9} {:>8} {:>8} {:>7} {:>10} {:>9} {:>9} {:>9}  kernels",
            "workload",
            "kernel",
            "e2e",
            "copy",
            "GB/s",
            "copyGB/s",
            "ratio",
            "reference",
            "backward",
            "torch",
            "torch-bwd"
        );
    }
    let opt = |v: Option<f64>| v.map_or("-".to_string(), |v| format!("{v:.2}"));
    for w in wl
        .workloads
        .iter()
        .filter(|w| a.only.is_empty() || a.only.contains(&w.id))
    {
        let m = match bench::measure(&r, w, a.runs, a.backward, !a.no_reference) {
            Ok(m) => m,
            Err(e) => return fail(&e),
        };
        let t = torch.get(&w.id);
        if a.json {
            let mut v = serde_json::to_value(&m).unwrap_or_default();
            v["adapter"] = name.clone().into();
            v["backend"] = backend.clone().into();
            v["driver"] = driver.clone().into();
            v["input_path"] = if r.uniform_windows() {
                "uniform windows"
            } else {
                "storage"
            }
            .into();
            v["row_kernels"] = r.row_kernels().into();
            v["row_loads"] = if r.u64_loads() { "u64" } else { "f32" }.into();
            if let Some((ms, bwd)) = t {
                v["torch_cpu_ms"] = (*ms).into();
                v["torch_threads"] = 2.into();
                if let Some(b) = bwd {
                    v["torch_cpu_backward_ms"] = (*b).into();
                }
            }
            println!("{v}");
        } else {
            println!(
                "{:<18} {:>9.2} {:>9.2} {:>9.2} {:>8.2} {:>8.2} {:>7.2} {:>10} {:>9} {:>9} {:>9}  {}",
                m.id,
                m.kernel_ms,
                m.end_to_end_ms,
                m.copy_ms,
                m.kernel_gbps,
                m.copy_gbps,
                m.copy_ratio,
                opt(m.reference_ms),
                opt(m.backward_ms),
                opt(t.map(|t| t.0)),
                opt(t.and_then(|t| t.1)),
                m.kernels.join(" + "),
            );
            if !m.backward_kernels.is_empty() {
                println!("{:<18} backward: {}", "", m.backward_kernels.join(" + "));
            }
        }
    }
    match bench::small_call_latency(&r, a.runs.max(21)) {
        Ok((median_ms, min_ms)) => {
            if a.json {
                println!(
                    "{}",
                    serde_json::json!({"id": "latency-1x3x64x64-to-128x128", "mode": "bilinear", "end_to_end_ms": median_ms, "min_ms": min_ms, "adapter": name, "backend": backend, "driver": driver})
                );
            } else {
                println!("small call: 1x3x64x64 -> 128x128 bilinear, host -> GPU -> host, pipelines cached: median {median_ms:.3} ms (min {min_ms:.3} ms) per call");
            }
        }
        Err(e) => return fail(&e),
    }
    ExitCode::SUCCESS
}

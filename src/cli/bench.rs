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
    /// The kernels: the adapter's default (`auto`: the kernels for CPU adapters on CPU
    /// adapters, the gather kernels on GPUs), or `cpu` / `gather`, to compare.
    #[arg(long, value_parser = ["auto", "cpu", "gather"], default_value = "auto")]
    kernels: String,
    /// How the kernels for CPU adapters load their input: as 64-bit words where the device
    /// has SHADER_INT64 (auto), or as `vec4<f32>`s (f32), to compare.
    #[arg(long, value_parser = ["auto", "f32"], default_value = "auto")]
    loads: String,
    /// Run the file's streams (calls whose sizes change from call to call: the first pass
    /// on a new device, pipelines built as needed, then the second) instead of its workloads.
    #[arg(long)]
    streams: bool,
}

fn torch_medians(a: &Args) -> TorchTimes {
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
    if a.streams {
        cmd.arg("--streams");
    }
    let Ok(out) = cmd.output() else {
        eprintln!("resample: bench: python3 not found; no torch figures");
        return m;
    };
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        if let Ok(v) = serde_json::from_str::<serde_json::Value>(line) {
            // A workload's median and backward median, or a stream's first and second pass.
            let first = v["median_ms"].as_f64().or(v["first_pass_ms"].as_f64());
            let second = v["backward_median_ms"]
                .as_f64()
                .or(v["second_pass_ms"].as_f64());
            if let (Some(id), Some(ms)) = (v["id"].as_str(), first) {
                m.insert(id.to_string(), (ms, second));
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
    let open = || -> crate::Result<Resampler> {
        let r = Resampler::new_default()?;
        let r = match a.kernels.as_str() {
            "cpu" => r.with_cpu_kernels(true),
            "gather" => r.with_cpu_kernels(false),
            _ => r,
        };
        Ok(if a.loads == "f32" {
            r.with_u64_loads(false)
        } else {
            r
        })
    };
    let r = match open() {
        Ok(r) => r,
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
    let adapter = Adapter {
        name,
        backend,
        driver,
    };
    if !a.json {
        println!(
            "adapter: {} | {} | {}",
            adapter.name, adapter.backend, adapter.driver
        );
        println!(
            "kernels: {} ({} loads)",
            if r.cpu_kernels() {
                "for CPU adapters (rows, strips)"
            } else {
                "gather"
            },
            if r.u64_loads() { "u64" } else { "f32" },
        );
    }
    let done = if a.streams {
        streams(&a, &wl, &open, &torch)
    } else {
        workloads(&a, &wl, &r, &adapter, &torch)
    };
    if let Err(e) = done {
        return fail(&e);
    }
    ExitCode::SUCCESS
}

/// The adapter as the output names it.
struct Adapter {
    name: String,
    backend: String,
    driver: String,
}

type TorchTimes = std::collections::HashMap<String, (f64, Option<f64>)>;

fn opt(v: Option<f64>) -> String {
    v.map_or("-".to_string(), |v| format!("{v:.2}"))
}

/// A channels-last workload of one 2-D image of 1 to 4 channels, end to end through the image
/// API (interleaved samples in and out, alpha ignored: torch's work): the median of `runs`
/// calls after one; `None` for other workloads.
fn image_end_to_end(r: &Resampler, w: &bench::Workload, runs: usize) -> crate::Result<Option<f64>> {
    use crate::image::{resize, Alpha, Engine, Filtering, ImageOptions, ImageRef, Pixels, Size};
    let (&[1, c, h, iw], true, None) = (&w.input[..], w.channels_last()?, &w.onnx) else {
        return Ok(None);
    };
    if !(1..=4).contains(&c) {
        return Ok(None);
    }
    let g = w.options()?.resolve(&w.input)?;
    let size = match (&w.size, &w.scale_factor) {
        (None, Some(s)) => Size::Scale { x: s[1], y: s[0] },
        _ => Size::Exact {
            width: g.output[1],
            height: g.output[0],
        },
    };
    let (u8, uint8) = (w.uint8()?, Filtering::Uint8);
    let o = ImageOptions::new(g.mode)
        .antialias(w.antialias)
        .align_corners(w.align_corners == Some(true))
        .size(size)
        .alpha(Alpha::Ignore)
        .filtering(if u8 { uint8 } else { Filtering::Float });
    let x = bench::test_data(c * h * iw, 1);
    let xb: Vec<u8> = x.iter().map(|&v| (v * 255.0) as u8).collect();
    let pixels = if u8 { Pixels::U8(&xb) } else { Pixels::F32(&x) };
    let img = ImageRef::new(pixels, iw, h, c)?;
    let call = || resize(Engine::Gpu(r), &img, &o).map(drop);
    call()?;
    let mut v = Vec::with_capacity(runs);
    for _ in 0..runs {
        let t = std::time::Instant::now();
        call()?;
        v.push(t.elapsed().as_secs_f64() * 1e3);
    }
    Ok(Some(bench::median(&mut v)))
}

/// The file's workloads, one line (or JSON object) each, then the small-call latency.
fn workloads(
    a: &Args,
    wl: &Workloads,
    r: &Resampler,
    adapter: &Adapter,
    torch: &TorchTimes,
) -> crate::Result<()> {
    if !a.json {
        println!(
            "medians of {} runs (ms); bandwidth = (input + output bytes) / time; e2e: host -> GPU -> host",
            a.runs
        );
        println!(
            "{:<28} {:>9} {:>9} {:>9} {:>8} {:>8} {:>7} {:>10} {:>9} {:>9} {:>9}  kernels",
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
    for w in wl
        .workloads
        .iter()
        .filter(|w| a.only.is_empty() || a.only.contains(&w.id))
    {
        let mut m = bench::measure(r, w, a.runs, a.backward, !a.no_reference)?;
        if m.end_to_end_ms.is_none() {
            m.end_to_end_ms = image_end_to_end(r, w, a.runs)?;
        }
        let t = torch.get(&w.id);
        if a.json {
            let mut v = serde_json::to_value(&m).unwrap_or_default();
            v["adapter"] = adapter.name.clone().into();
            v["backend"] = adapter.backend.clone().into();
            v["driver"] = adapter.driver.clone().into();
            v["cpu_kernels"] = r.cpu_kernels().into();
            v["loads"] = if r.u64_loads() { "u64" } else { "f32" }.into();
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
                "{:<28} {:>9.2} {:>9} {:>9.2} {:>8.2} {:>8.2} {:>7.2} {:>10} {:>9} {:>9} {:>9}  {}",
                m.id,
                m.kernel_ms,
                opt(m.end_to_end_ms),
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
                println!("{:<28} backward: {}", "", m.backward_kernels.join(" + "));
            }
        }
    }
    let (median_ms, min_ms) = bench::small_call_latency(r, a.runs.max(21))?;
    if a.json {
        println!(
            "{}",
            serde_json::json!({"id": "latency-1x3x64x64-to-128x128", "mode": "bilinear", "end_to_end_ms": median_ms, "min_ms": min_ms, "adapter": adapter.name, "backend": adapter.backend, "driver": adapter.driver})
        );
    } else {
        println!("small call: 1x3x64x64 -> 128x128 bilinear, host -> GPU -> host, pipelines cached: median {median_ms:.3} ms (min {min_ms:.3} ms) per call");
    }
    Ok(())
}

/// The file's streams: each on a new resampler (its own device), the first pass and the
/// second, against torch's first and second pass over the same calls.
fn streams(
    a: &Args,
    wl: &Workloads,
    open: &dyn Fn() -> crate::Result<Resampler>,
    torch: &TorchTimes,
) -> crate::Result<()> {
    if !a.json {
        println!("totals over each stream's calls (ms), host -> GPU -> host; open: a new device and resampler");
        println!(
            "{:<28} {:>6} {:>9} {:>11} {:>11} {:>11} {:>11}  shader cache",
            "stream", "calls", "open", "first", "second", "torch-1st", "torch-2nd"
        );
    }
    for st in wl
        .streams
        .iter()
        .filter(|s| a.only.is_empty() || a.only.contains(&s.id))
    {
        let m = bench::measure_stream(st, open)?;
        let t = torch.get(&st.id);
        if a.json {
            let mut v = serde_json::to_value(&m).unwrap_or_default();
            if let Some((first, second)) = t {
                v["torch_cpu_first_pass_ms"] = (*first).into();
                v["torch_cpu_second_pass_ms"] = (*second).into();
            }
            println!("{v}");
        } else {
            println!(
                "{:<28} {:>6} {:>9.1} {:>11.1} {:>11.1} {:>11} {:>11}  {}",
                m.id,
                m.calls,
                m.open_ms,
                m.first_pass_ms,
                m.second_pass_ms,
                opt(t.map(|t| t.0)),
                opt(t.and_then(|t| t.1)),
                if m.shader_cache_off {
                    "off"
                } else {
                    "on (MESA_SHADER_CACHE_DISABLE=true for a cold first pass)"
                },
            );
        }
    }
    Ok(())
}

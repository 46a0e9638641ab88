//! Measurements for `resample bench`: GPU kernel time (timestamp queries), end-to-end time,
//! a vec4 copy kernel over the same bytes (the adapter's bandwidth yardstick), the CPU
//! reference, and the backward kernel.

use super::resampler::Resampler;
use super::tensor::GpuTensor;
use crate::error::{Error, Result};
use crate::options::{Mode, Options};
use serde::{Deserialize, Serialize};
use std::time::Instant;

/// One entry of bench/workloads.json.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct Workload {
    pub id: String,
    pub mode: String,
    pub input: Vec<usize>,
    pub size: Vec<usize>,
    #[serde(default)]
    pub align_corners: Option<bool>,
    #[serde(default)]
    pub antialias: bool,
}

#[derive(Clone, Debug, Deserialize)]
pub struct Workloads {
    pub workloads: Vec<Workload>,
}

impl Workload {
    pub fn options(&self) -> Result<Options> {
        let mode: Mode = self.mode.parse()?;
        let mut o = Options::new(mode)
            .size(self.size.iter().copied())
            .antialias(self.antialias);
        o.align_corners = self.align_corners;
        Ok(o)
    }
}

/// Medians (milliseconds) of one workload.
#[derive(Clone, Debug, Serialize)]
pub struct Measurement {
    pub id: String,
    pub mode: String,
    pub runs: usize,
    /// How kernel times were taken: "timestamp" or "submit-wait".
    pub timer: String,
    pub kernel_ms: f64,
    pub end_to_end_ms: f64,
    pub copy_ms: f64,
    /// Input + output bytes over the kernel time, GB/s.
    pub kernel_gbps: f64,
    pub copy_gbps: f64,
    /// kernel_gbps / copy_gbps.
    pub copy_ratio: f64,
    pub reference_ms: Option<f64>,
    pub backward_ms: Option<f64>,
    /// The gather pipeline of each forward pass and its dispatch count, as
    /// `label x count` (see `Resampler::kernel_labels`).
    pub kernels: Vec<String>,
    /// The same for the backward, with `--backward`.
    pub backward_kernels: Vec<String>,
}

pub fn median(v: &mut [f64]) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    match v.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => v[n / 2],
        n => 0.5 * (v[n / 2 - 1] + v[n / 2]),
    }
}

/// Times GPU work recorded by a closure: timestamps around it when the device has
/// TIMESTAMP_QUERY, else wall time of submit + wait.
struct Timer {
    query: Option<(wgpu::QuerySet, wgpu::Buffer, wgpu::Buffer)>,
    period_ns: f64,
}

impl Timer {
    fn new(r: &Resampler) -> Timer {
        let d = r.device();
        let query = d
            .features()
            .contains(wgpu::Features::TIMESTAMP_QUERY)
            .then(|| {
                let set = d.create_query_set(&wgpu::QuerySetDescriptor {
                    label: Some("resample.bench"),
                    ty: wgpu::QueryType::Timestamp,
                    count: 2,
                });
                let resolve = d.create_buffer(&wgpu::BufferDescriptor {
                    label: Some("resample.bench.resolve"),
                    size: 16,
                    usage: wgpu::BufferUsages::QUERY_RESOLVE | wgpu::BufferUsages::COPY_SRC,
                    mapped_at_creation: false,
                });
                let read = d.create_buffer(&wgpu::BufferDescriptor {
                    label: Some("resample.bench.read"),
                    size: 16,
                    usage: wgpu::BufferUsages::COPY_SRC
                        | wgpu::BufferUsages::COPY_DST
                        | wgpu::BufferUsages::STORAGE,
                    mapped_at_creation: false,
                });
                (set, resolve, read)
            });
        Timer {
            query,
            period_ns: r.queue().get_timestamp_period() as f64,
        }
    }

    fn name(&self) -> &'static str {
        if self.query.is_some() {
            "timestamp"
        } else {
            "submit-wait"
        }
    }

    /// Milliseconds the GPU spent on the work `record` puts into an encoder.
    fn time(
        &self,
        r: &Resampler,
        record: &dyn Fn(&mut wgpu::CommandEncoder) -> Result<()>,
    ) -> Result<f64> {
        let d = r.device();
        let mut enc = d.create_command_encoder(&wgpu::CommandEncoderDescriptor {
            label: Some("resample.bench"),
        });
        let mark = |enc: &mut wgpu::CommandEncoder, i: u32| {
            if let Some((set, _, _)) = &self.query {
                let _ = enc.begin_compute_pass(&wgpu::ComputePassDescriptor {
                    label: Some("resample.bench.mark"),
                    timestamp_writes: Some(wgpu::ComputePassTimestampWrites {
                        query_set: set,
                        beginning_of_pass_write_index: Some(i),
                        end_of_pass_write_index: None,
                    }),
                });
            }
        };
        mark(&mut enc, 0);
        record(&mut enc)?;
        mark(&mut enc, 1);
        if let Some((set, resolve, read)) = &self.query {
            enc.resolve_query_set(set, 0..2, resolve, 0);
            enc.copy_buffer_to_buffer(resolve, 0, read, 0, 16);
        }
        let t0 = Instant::now();
        r.queue().submit([enc.finish()]);
        match &self.query {
            Some((_, _, read)) => {
                let raw = r.read_buffer(read, 0, 16)?;
                let t: Vec<u64> = raw
                    .chunks_exact(8)
                    .map(|c| u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]))
                    .collect();
                Ok(t[1].saturating_sub(t[0]) as f64 * self.period_ns / 1e6)
            }
            None => {
                r.device()
                    .poll(wgpu::PollType::wait_indefinitely())
                    .map_err(|e| Error::Gpu(format!("waiting for the GPU: {e}")))?;
                Ok(t0.elapsed().as_secs_f64() * 1e3)
            }
        }
    }
}

/// A buffer as this crate would make it for a pass to read (see `Resampler::source_usage`).
fn storage(r: &Resampler, bytes: u64) -> wgpu::Buffer {
    let (usage, extra) = r.source_usage(bytes);
    r.device().create_buffer(&wgpu::BufferDescriptor {
        label: Some("resample.bench"),
        size: bytes.div_ceil(16) * 16 + extra,
        usage: usage | wgpu::BufferUsages::COPY_SRC | wgpu::BufferUsages::COPY_DST,
        mapped_at_creation: false,
    })
}

/// Deterministic pseudo-random data in [0, 1).
pub fn test_data(n: usize, seed: u64) -> Vec<f32> {
    let mut s = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    (0..n)
        .map(|_| {
            s = s
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (s >> 40) as f32 / (1u64 << 24) as f32
        })
        .collect()
}

/// Measure one workload: `runs` timed runs after a warm-up, medians.
pub fn measure(
    r: &Resampler,
    w: &Workload,
    runs: usize,
    backward: bool,
    reference: bool,
) -> Result<Measurement> {
    let o = w.options()?;
    let g = o.resolve(&w.input)?;
    let (in_len, out_len) = (g.input_len(), g.output_len());
    let x = test_data(in_len, 1);
    let timer = Timer::new(r);

    let (usage, extra) = r.source_usage(in_len as u64 * 4);
    let src = r.buffer_init_padded(
        Some("resample.bench.input"),
        bytemuck::cast_slice(&x),
        usage | wgpu::BufferUsages::COPY_SRC,
        extra,
    )?;
    let dst = storage(r, out_len as u64 * 4);
    let ts = GpuTensor::new(&src, &w.input);
    let td = GpuTensor::new(&dst, &g.output_shape());
    let fwd = |enc: &mut wgpu::CommandEncoder| r.encode(enc, &ts, &td, &o);
    let timed = |f: &dyn Fn(&mut wgpu::CommandEncoder) -> Result<()>| -> Result<f64> {
        timer.time(r, f)?; // warm-up
        let mut v = (0..runs)
            .map(|_| timer.time(r, f))
            .collect::<Result<Vec<_>>>()?;
        Ok(median(&mut v))
    };
    let kernel_ms = timed(&fwd)?;

    // The copy yardstick: a vec4 copy moving as many bytes (read + write) as the kernel.
    let bytes = (in_len + out_len) as u64 * 4;
    let half = (bytes / 2).div_ceil(16) * 16;
    let (ca, cb) = (storage(r, half), storage(r, half));
    let copy = |enc: &mut wgpu::CommandEncoder| {
        r.encode_copy(enc, &ca, &cb)?;
        Ok(())
    };
    let copy_ms = timed(&copy)?;

    let mut e2e: Vec<f64> = Vec::with_capacity(runs);
    r.interpolate(&x, &w.input, &o)?;
    for _ in 0..runs {
        let t = Instant::now();
        r.interpolate(&x, &w.input, &o)?;
        e2e.push(t.elapsed().as_secs_f64() * 1e3);
    }

    let backward_ms = if backward {
        let gsrc = storage(r, out_len as u64 * 4);
        let gdst = storage(r, in_len as u64 * 4);
        let go = GpuTensor::new(&gsrc, &g.output_shape());
        let gi = GpuTensor::new(&gdst, &w.input);
        let bwd = |enc: &mut wgpu::CommandEncoder| r.encode_backward(enc, &go, &gi, &o);
        Some(timed(&bwd)?)
    } else {
        None
    };

    let reference_ms = if reference {
        let t = Instant::now();
        crate::reference::interpolate(&x, &w.input, &o)?;
        Some(t.elapsed().as_secs_f64() * 1e3)
    } else {
        None
    };

    let kernel_gbps = bytes as f64 / (kernel_ms * 1e6);
    let copy_gbps = (2 * half) as f64 / (copy_ms * 1e6);
    let kernels = r
        .kernel_labels(&w.input, &o)?
        .into_iter()
        .map(|(label, n)| format!("{label} x{n}"))
        .collect();
    let backward_kernels = if backward_ms.is_some() {
        r.backward_kernel_labels(&w.input, &o)?
            .into_iter()
            .map(|(label, n)| format!("{label} x{n}"))
            .collect()
    } else {
        Vec::new()
    };
    Ok(Measurement {
        kernels,
        backward_kernels,
        id: w.id.clone(),
        mode: w.mode.clone(),
        runs,
        timer: timer.name().into(),
        kernel_ms,
        end_to_end_ms: median(&mut e2e),
        copy_ms,
        kernel_gbps,
        copy_gbps,
        copy_ratio: kernel_gbps / copy_gbps,
        reference_ms,
        backward_ms,
    })
}

/// The per-call overhead of a small resize (1x3x64x64 to 128x128 bilinear) end to end, host
/// to GPU to host, pipelines cached: (median, min) milliseconds over `runs` calls.
pub fn small_call_latency(r: &Resampler, runs: usize) -> Result<(f64, f64)> {
    let shape = [1, 3, 64, 64];
    let x = test_data(3 * 64 * 64, 2);
    let o = Options::new(Mode::Bilinear).size([128, 128]);
    r.interpolate(&x, &shape, &o)?;
    let mut v = Vec::with_capacity(runs);
    for _ in 0..runs {
        let t = Instant::now();
        r.interpolate(&x, &shape, &o)?;
        v.push(t.elapsed().as_secs_f64() * 1e3);
    }
    let min = v.iter().copied().fold(f64::INFINITY, f64::min);
    Ok((median(&mut v), min))
}

use super::pipelines::bind_group;
use super::recording::Recording;

impl Resampler {
    /// Record a vec4 copy of all of `src` into `dst` (the bandwidth yardstick of
    /// `resample bench`); both sizes multiples of 16 bytes, `dst` at least as large.
    pub fn encode_copy(
        &self,
        encoder: &mut wgpu::CommandEncoder,
        src: &wgpu::Buffer,
        dst: &wgpu::Buffer,
    ) -> Result<()> {
        let total = src.size().min(dst.size()) / 16 * 16;
        let max = (self.limits.max_storage_buffer_binding_size / 256 * 256).max(256);
        let mut groups = Vec::new();
        let mut start = 0;
        while start < total {
            let len = max.min(total - start);
            let part = |b| {
                wgpu::BindingResource::Buffer(wgpu::BufferBinding {
                    buffer: b,
                    offset: start,
                    size: wgpu::BufferSize::new(len),
                })
            };
            groups.push((
                bind_group(
                    &self.device,
                    "resample.copy",
                    &self.pipelines.copy.layout,
                    [part(src), part(dst)],
                ),
                [
                    (len / 16)
                        .div_ceil(64)
                        .clamp(1, self.limits.max_compute_workgroups_per_dimension as u64)
                        as u32,
                    1,
                    1,
                ],
            ));
            start += len;
        }
        let mut rec = Recording::new(&self.limits);
        rec.dispatch(&self.pipelines.copy, groups)?;
        rec.record(encoder);
        Ok(())
    }
}

//! Measurements for `resample bench`: GPU kernel time (timestamp queries), end-to-end time,
//! a vec4 copy kernel over the same bytes (the adapter's bandwidth yardstick), the CPU
//! reference, and the backward kernel.

use super::resampler::Resampler;
use super::tensor::{Element, GpuTensor, Layout};
use crate::error::{Error, Result};
use crate::options::onnx::{OnnxAttributes, OnnxOptions};
use crate::options::{Mode, Options};
use serde::{Deserialize, Serialize};
use std::time::Instant;

/// One entry of bench/workloads.json: an input shape (N, C, spatial, in torch's order), the
/// output `size` or `scale_factor`, and optionally the memory layout (`contiguous` or
/// `channels_last`) and element type (`float32` or `uint8`).
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct Workload {
    pub id: String,
    /// torch's mode (torch's workloads).
    #[serde(default)]
    pub mode: String,
    /// `"onnx"` for an ONNX `Resize` workload (its attributes in `onnx`), else torch's.
    #[serde(default)]
    pub convention: Option<String>,
    #[serde(default)]
    pub onnx: Option<OnnxAttributes>,
    pub input: Vec<usize>,
    #[serde(default)]
    pub size: Option<Vec<usize>>,
    #[serde(default)]
    pub scale_factor: Option<Vec<f64>>,
    #[serde(default)]
    pub align_corners: Option<bool>,
    #[serde(default)]
    pub antialias: bool,
    #[serde(default)]
    pub layout: Option<String>,
    #[serde(default)]
    pub dtype: Option<String>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct Workloads {
    #[serde(default)]
    pub workloads: Vec<Workload>,
    /// Streams of calls whose sizes change from call to call (see [`Stream`]).
    #[serde(default)]
    pub streams: Vec<Stream>,
}

impl Workload {
    /// The ONNX options of an ONNX workload, `None` for torch's.
    pub fn onnx_options(&self) -> Result<Option<OnnxOptions>> {
        match (self.convention.as_deref(), &self.onnx) {
            (Some("onnx"), Some(a)) => Ok(Some(a.options()?)),
            (Some("onnx"), None) => Err(Error::arg(
                "workloads",
                format!(
                    "workload `{}`: convention onnx needs an `onnx` object",
                    self.id
                ),
            )),
            _ => Ok(None),
        }
    }

    pub fn options(&self) -> Result<Options> {
        let mode: Mode = self.mode.parse()?;
        let mut o = Options::new(mode).antialias(self.antialias);
        match (&self.size, &self.scale_factor) {
            (Some(size), None) => o = o.size(size.iter().copied()),
            (None, Some(s)) => o = o.scale_factor(s.iter().copied()),
            _ => {
                return Err(Error::arg(
                    "workloads",
                    format!(
                        "workload `{}`: give exactly one of size and scale_factor",
                        self.id
                    ),
                ))
            }
        }
        o.align_corners = self.align_corners;
        Ok(o)
    }

    /// Whether the tensors are channels-last (NHWC / NDHWC) in memory.
    pub fn channels_last(&self) -> Result<bool> {
        match self.layout.as_deref() {
            None | Some("contiguous") => Ok(false),
            Some("channels_last") => Ok(true),
            Some(other) => Err(Error::arg(
                "workloads",
                format!(
                    "workload `{}`: layout `{other}` is not contiguous or channels_last",
                    self.id
                ),
            )),
        }
    }

    /// Whether the data is uint8 (torch's uint8 kernels), else float32.
    pub fn uint8(&self) -> Result<bool> {
        match self.dtype.as_deref() {
            None | Some("float32") => Ok(false),
            Some("uint8") => Ok(true),
            Some(other) => Err(Error::arg(
                "workloads",
                format!(
                    "workload `{}`: dtype `{other}` is not float32 or uint8",
                    self.id
                ),
            )),
        }
    }
}

/// Medians (milliseconds) of one workload.
#[derive(Clone, Debug, Serialize)]
pub struct Measurement {
    pub id: String,
    pub mode: String,
    /// `contiguous` or `channels_last`, and `float32` or `uint8`.
    pub layout: String,
    pub dtype: String,
    pub runs: usize,
    /// How kernel times were taken: "timestamp" or "submit-wait".
    pub timer: String,
    pub kernel_ms: f64,
    /// Host -> GPU -> host through the host API (`None` for channels-last: the host API
    /// takes contiguous data; `resample bench` times one channels-last image through the
    /// image API instead).
    pub end_to_end_ms: Option<f64>,
    pub copy_ms: f64,
    /// Input + output bytes over the kernel time, GB/s.
    pub kernel_gbps: f64,
    pub copy_gbps: f64,
    /// kernel_gbps / copy_gbps.
    pub copy_ratio: f64,
    pub reference_ms: Option<f64>,
    pub backward_ms: Option<f64>,
    /// The kernel of each forward pass and its dispatch count, as `label x count` (see
    /// `Resampler::kernel_labels`).
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

/// A buffer as this crate would make it for a pass to read.
fn storage(r: &Resampler, bytes: u64) -> wgpu::Buffer {
    r.device().create_buffer(&wgpu::BufferDescriptor {
        label: Some("resample.bench"),
        size: super::encode::padded_bytes(bytes),
        usage: wgpu::BufferUsages::STORAGE
            | wgpu::BufferUsages::COPY_SRC
            | wgpu::BufferUsages::COPY_DST,
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
    let onnx = w.onnx_options()?;
    let (last, u8) = (w.channels_last()?, w.uint8()?);
    // torch's options, or ONNX's (float32 only).
    let o = match &onnx {
        Some(_) => Options::new(Mode::Nearest),
        None => w.options()?,
    };
    if onnx.is_some() && u8 {
        return Err(Error::arg(
            "workloads",
            format!("workload `{}`: ONNX workloads are float32", w.id),
        ));
    }
    let out_shape = match &onnx {
        Some(n) => n.resolve(&w.input)?.output_shape(),
        None => o.resolve(&w.input)?.output_shape(),
    };
    let (in_len, out_len): (usize, usize) = (w.input.iter().product(), out_shape.iter().product());
    let x = test_data(in_len, 1);
    let xb: Vec<u8> = x.iter().map(|&v| (v * 255.0) as u8).collect();
    let timer = Timer::new(r);
    let (element, size) = if u8 {
        (Element::U8, 1)
    } else {
        (Element::F32, 4)
    };
    let layout = if last {
        Layout::ChannelsLast
    } else {
        Layout::Contiguous
    };

    let mut bytes_in = if u8 {
        xb.clone()
    } else {
        bytemuck::cast_slice(&x).to_vec()
    };
    bytes_in.resize(bytes_in.len().next_multiple_of(4), 0);
    // The kernel reads the same logical tensor whatever its layout: the data is random.
    let src = r.buffer_init(
        Some("resample.bench.input"),
        &bytes_in,
        wgpu::BufferUsages::STORAGE | wgpu::BufferUsages::COPY_SRC,
    )?;
    let dst = storage(r, out_len as u64 * size);
    let tensor = |b, shape: &[usize]| GpuTensor::new(b, shape).layout(layout).element(element);
    let (ts, td) = (tensor(&src, &w.input), tensor(&dst, &out_shape));
    let fwd = |enc: &mut wgpu::CommandEncoder| match &onnx {
        Some(n) => r.encode_resize(enc, &ts, &td, n),
        None => r.encode(enc, &ts, &td, &o),
    };
    let timed = |f: &dyn Fn(&mut wgpu::CommandEncoder) -> Result<()>| -> Result<f64> {
        timer.time(r, f)?; // warm-up
        let mut v = (0..runs)
            .map(|_| timer.time(r, f))
            .collect::<Result<Vec<_>>>()?;
        Ok(median(&mut v))
    };
    let kernel_ms = timed(&fwd)?;

    // The copy yardstick: a vec4 copy moving as many bytes (read + write) as the kernel.
    let bytes = (in_len + out_len) as u64 * size;
    let half = (bytes / 2).div_ceil(16) * 16;
    let (ca, cb) = (storage(r, half), storage(r, half));
    let copy = |enc: &mut wgpu::CommandEncoder| {
        r.encode_copy(enc, &ca, &cb)?;
        Ok(())
    };
    let copy_ms = timed(&copy)?;

    let end_to_end_ms = if last {
        None
    } else {
        let call = || -> Result<()> {
            if let Some(n) = &onnx {
                r.resize(&x, &w.input, n).map(drop)
            } else if u8 {
                r.interpolate_u8(&xb, &w.input, &o).map(drop)
            } else {
                r.interpolate(&x, &w.input, &o).map(drop)
            }
        };
        call()?;
        let mut e2e: Vec<f64> = Vec::with_capacity(runs);
        for _ in 0..runs {
            let t = Instant::now();
            call()?;
            e2e.push(t.elapsed().as_secs_f64() * 1e3);
        }
        Some(median(&mut e2e))
    };

    let backward_ms = if backward && !u8 {
        let gsrc = storage(r, out_len as u64 * 4);
        let gdst = storage(r, in_len as u64 * 4);
        let go = GpuTensor::new(&gsrc, &out_shape).layout(layout);
        let gi = GpuTensor::new(&gdst, &w.input).layout(layout);
        let bwd = |enc: &mut wgpu::CommandEncoder| match &onnx {
            Some(n) => r.encode_resize_backward(enc, &go, &gi, n),
            None => r.encode_backward(enc, &go, &gi, &o),
        };
        Some(timed(&bwd)?)
    } else {
        None
    };

    let reference_ms = if reference {
        let t = Instant::now();
        if let Some(n) = &onnx {
            crate::reference::resize(&x, &w.input, n)?;
        } else if u8 {
            crate::reference::interpolate_u8(&xb, &w.input, &o)?;
        } else {
            crate::reference::interpolate(&x, &w.input, &o)?;
        }
        Some(t.elapsed().as_secs_f64() * 1e3)
    } else {
        None
    };

    let kernel_gbps = bytes as f64 / (kernel_ms * 1e6);
    let copy_gbps = (2 * half) as f64 / (copy_ms * 1e6);
    let labels = |l: Vec<(String, usize)>| -> Vec<String> {
        l.into_iter()
            .map(|(label, n)| format!("{label} x{n}"))
            .collect()
    };
    let kernels = labels(match &onnx {
        Some(n) => r.encode_resize_kernel_labels(&ts, &td, n)?,
        None => r.encode_kernel_labels(&ts, &td, &o)?,
    });
    let backward_kernels = if backward_ms.is_some() && onnx.is_none() {
        labels(r.backward_kernel_labels(&w.input, &o)?)
    } else {
        Vec::new()
    };
    Ok(Measurement {
        kernels,
        backward_kernels,
        id: w.id.clone(),
        mode: match &onnx {
            Some(n) => format!("onnx {}", n.mode),
            None => w.mode.clone(),
        },
        layout: if last { "channels_last" } else { "contiguous" }.into(),
        dtype: if u8 { "uint8" } else { "float32" }.into(),
        runs,
        timer: timer.name().into(),
        kernel_ms,
        end_to_end_ms,
        copy_ms,
        kernel_gbps,
        copy_gbps,
        copy_ratio: kernel_gbps / copy_gbps,
        reference_ms,
        backward_ms,
    })
}

/// A stream of calls whose input sizes change from call to call, as a thumbnailer or a data
/// loader makes them: `calls` inputs of `batch` x `channels` x H x W, H and W drawn uniformly
/// from `[min, max]` by [`Stream::shapes`] (seeded), each resized to `size`.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct Stream {
    pub id: String,
    pub mode: String,
    #[serde(default)]
    pub antialias: bool,
    #[serde(default)]
    pub align_corners: Option<bool>,
    pub calls: usize,
    pub batch: usize,
    pub channels: usize,
    pub min: usize,
    pub max: usize,
    pub size: Vec<usize>,
    pub seed: u64,
}

impl Stream {
    /// The input shapes: H then W of each call from a 64-bit LCG (`s` becomes
    /// `s * 6364136223846793005 + 1442695040888963407`, a draw is
    /// `min + (s >> 33) % (max - min + 1)`), as bench/torch_cpu.py draws them.
    pub fn shapes(&self) -> Vec<Vec<usize>> {
        let mut s = self.seed;
        let span = (self.max.saturating_sub(self.min) + 1) as u64;
        let mut draw = || {
            s = s
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            self.min + ((s >> 33) % span) as usize
        };
        (0..self.calls)
            .map(|_| {
                let h = draw();
                let w = draw();
                vec![self.batch, self.channels, h, w]
            })
            .collect()
    }

    pub fn options(&self) -> Result<Options> {
        let mode: Mode = self.mode.parse()?;
        let mut o = Options::new(mode)
            .size(self.size.iter().copied())
            .antialias(self.antialias);
        o.align_corners = self.align_corners;
        Ok(o)
    }
}

/// A stream's times (milliseconds): opening the resampler, then every call of the stream
/// through the host API twice: the first pass builds the pipelines it needs, the second
/// finds them built.
#[derive(Clone, Debug, Serialize)]
pub struct StreamMeasurement {
    pub id: String,
    pub calls: usize,
    pub open_ms: f64,
    pub first_pass_ms: f64,
    pub second_pass_ms: f64,
    /// The Mesa shader cache was off (`MESA_SHADER_CACHE_DISABLE`): the first pass compiled
    /// every shader it ran.
    pub shader_cache_off: bool,
}

/// Run `stream` on a resampler `open` makes (a new device: no pipeline built yet).
pub fn measure_stream(
    stream: &Stream,
    open: &dyn Fn() -> Result<Resampler>,
) -> Result<StreamMeasurement> {
    let o = stream.options()?;
    let shapes = stream.shapes();
    let inputs: Vec<Vec<f32>> = shapes
        .iter()
        .enumerate()
        .map(|(i, s)| test_data(s.iter().product(), i as u64))
        .collect();
    let t = Instant::now();
    let r = open()?;
    let open_ms = t.elapsed().as_secs_f64() * 1e3;
    let pass = || -> Result<f64> {
        let t = Instant::now();
        for (x, shape) in inputs.iter().zip(&shapes) {
            r.interpolate(x, shape, &o)?;
        }
        Ok(t.elapsed().as_secs_f64() * 1e3)
    };
    let first_pass_ms = pass()?;
    let second_pass_ms = pass()?;
    let off = std::env::var("MESA_SHADER_CACHE_DISABLE")
        .is_ok_and(|v| matches!(v.as_str(), "1" | "true" | "yes"));
    Ok(StreamMeasurement {
        id: stream.id.clone(),
        calls: stream.calls,
        open_ms,
        first_pass_ms,
        second_pass_ms,
        shader_cache_off: off,
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

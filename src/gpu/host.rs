//! The host API: `interpolate` and friends on host data (upload, the passes, read back).

use super::buffers::take_spare;
use super::encode::{padded_bytes, Operand};
use super::readback;
use super::recording::{scope_error, Recording};
use super::tensor::Strides;
use super::Resampler;
use crate::error::{Error, Result};
use crate::options::onnx::OnnxOptions;
use crate::options::{Clamp, Options};
use crate::plan::{Call, DType, Direction, Plan};
use crate::util::check_len;

/// Host data a plan reads: f32, or uint8 bytes that the kernels for CPU adapters read where
/// they are uploaded (see [`Resampler::reads_u8_uploads`]).
#[derive(Clone, Copy)]
pub(crate) enum Input<'a> {
    F32(&'a [f32]),
    U8(&'a [u8]),
}

impl Input<'_> {
    fn len(&self) -> usize {
        match self {
            Input::F32(d) => d.len(),
            Input::U8(d) => d.len(),
        }
    }

    /// The bytes of elements `range`.
    fn bytes(&self, range: std::ops::Range<usize>) -> &[u8] {
        match self {
            Input::F32(d) => bytemuck::cast_slice(&d[range]),
            Input::U8(d) => &d[range],
        }
    }

    fn to_f32(self) -> Result<Vec<f32>> {
        let mut out = crate::util::try_vec(self.len(), "the output")?;
        match self {
            Input::F32(d) => out.extend_from_slice(d),
            Input::U8(d) => out.extend(d.iter().map(|&v| f32::from(v))),
        }
        Ok(out)
    }
}

/// The blocking twins of the host API's futures (not on wasm32, where nothing may block: the
/// `_async` functions run there).
#[cfg(not(target_arch = "wasm32"))]
impl Resampler {
    /// `interpolate` on f32 data (NCHW, contiguous). Returns the output and its shape.
    pub fn interpolate(
        &self,
        input: &[f32],
        shape: &[usize],
        options: &Options,
    ) -> Result<(Vec<f32>, Vec<usize>)> {
        pollster::block_on(self.interpolate_async(input, shape, options))
    }

    /// ONNX `Resize` (opset 19) on f32 data (contiguous). Returns the output and its shape.
    pub fn resize(
        &self,
        input: &[f32],
        shape: &[usize],
        options: &OnnxOptions,
    ) -> Result<(Vec<f32>, Vec<usize>)> {
        pollster::block_on(self.resize_async(input, shape, options))
    }

    /// The gradient of [`Resampler::resize`] with respect to its input (deterministic
    /// gather). `grad_output` has the output's shape; returns a tensor of `input_shape`.
    pub fn resize_backward(
        &self,
        grad_output: &[f32],
        input_shape: &[usize],
        options: &OnnxOptions,
    ) -> Result<Vec<f32>> {
        pollster::block_on(self.resize_backward_async(grad_output, input_shape, options))
    }

    /// `interpolate` on uint8 data with torch's uint8 semantics (rounding and saturation after
    /// each separable pass; a clamp applies to the uint8 result).
    pub fn interpolate_u8(
        &self,
        input: &[u8],
        shape: &[usize],
        options: &Options,
    ) -> Result<(Vec<u8>, Vec<usize>)> {
        pollster::block_on(self.interpolate_u8_async(input, shape, options))
    }

    /// The gradient of `interpolate` with respect to its input (deterministic gather, no
    /// atomics). `grad_output` has the output's shape; returns a tensor of `input_shape`.
    pub fn interpolate_backward(
        &self,
        grad_output: &[f32],
        input_shape: &[usize],
        options: &Options,
    ) -> Result<Vec<f32>> {
        pollster::block_on(self.interpolate_backward_async(grad_output, input_shape, options))
    }
}

/// The host API: every argument is checked before the first await.
impl Resampler {
    /// [`Resampler::interpolate`] as a future.
    pub async fn interpolate_async(
        &self,
        input: &[f32],
        shape: &[usize],
        options: &Options,
    ) -> Result<(Vec<f32>, Vec<usize>)> {
        let call = Call::forward(options, shape, DType::F32)?;
        check_len("input", input.len(), shape)?;
        let out = self.run_call(&call, Input::F32(input)).await?;
        Ok((out, call.dst_shape()))
    }

    /// [`Resampler::resize`] as a future.
    pub async fn resize_async(
        &self,
        input: &[f32],
        shape: &[usize],
        options: &OnnxOptions,
    ) -> Result<(Vec<f32>, Vec<usize>)> {
        let call = Call::onnx(options, shape, Direction::Forward)?;
        check_len("input", input.len(), shape)?;
        let out = self.run_call(&call, Input::F32(input)).await?;
        Ok((out, call.dst_shape()))
    }

    /// [`Resampler::resize_backward`] as a future.
    pub async fn resize_backward_async(
        &self,
        grad_output: &[f32],
        input_shape: &[usize],
        options: &OnnxOptions,
    ) -> Result<Vec<f32>> {
        let call = Call::onnx(options, input_shape, Direction::Backward)?;
        check_len("grad_output", grad_output.len(), &call.src_shape())?;
        self.run_call(&call, Input::F32(grad_output)).await
    }

    /// [`Resampler::interpolate_u8`] as a future.
    pub async fn interpolate_u8_async(
        &self,
        input: &[u8],
        shape: &[usize],
        options: &Options,
    ) -> Result<(Vec<u8>, Vec<usize>)> {
        let call = Call::forward(options, shape, DType::U8)?;
        check_len("input", input.len(), shape)?;
        let out = if self.reads_u8_uploads(&call) {
            self.run_call(&call, Input::U8(input)).await?
        } else {
            // The kernels read f32: the widened copy is counted by `run_call`'s check.
            self.check_call(&call, call.src_len() as u64 * 4)?;
            let mut data = crate::util::try_vec(input.len(), "the input as f32")?;
            data.extend(input.iter().map(|&v| f32::from(v)));
            self.run_call(&call, Input::F32(&data)).await?
        };
        // Every value is already rounded, except where a clamp bound is not an integer: the
        // same rounding as the embedding API's uint8 store (convert/pack.wgsl).
        let round = |v: f32| (v + 0.5).floor().clamp(0.0, 255.0) as u8;
        Ok((out.into_iter().map(round).collect(), call.dst_shape()))
    }

    /// [`Resampler::interpolate_backward`] as a future.
    pub async fn interpolate_backward_async(
        &self,
        grad_output: &[f32],
        input_shape: &[usize],
        options: &Options,
    ) -> Result<Vec<f32>> {
        let call = Call::backward(options, input_shape)?;
        check_len("grad_output", grad_output.len(), &call.src_shape())?;
        self.run_call(&call, Input::F32(grad_output)).await
    }

    /// What a host call needs, checked before anything is built: one plane of every pass's
    /// input, output and intermediates within `max_buffer_size` (larger work is done in
    /// batches of planes), and on the host the plan's tables, the output, `extra` bytes of the
    /// caller's and, on a CPU adapter (whose device memory is host memory), the buffers.
    pub(crate) fn check_call(&self, call: &Call, extra: u64) -> Result<()> {
        let plane = call
            .largest_plane()
            .max(call.stage_plane())
            .saturating_mul(4);
        if plane > self.limits.max_buffer_size {
            return Err(Error::limit(
                "max_buffer_size",
                format!(
                    "one plane of the call needs {} but the adapter's buffers hold at most {}",
                    crate::util::bytes_text(plane),
                    crate::util::bytes_text(self.limits.max_buffer_size)
                ),
            ));
        }
        let f32s = |n: usize| (n as u64).saturating_mul(4);
        let device = if self.device.adapter_info().device_type == wgpu::DeviceType::Cpu {
            // Two scratch buffers of every plane's intermediate (or of a staged call's
            // whole tensor).
            let planes = call.planes() as u64;
            let scratch = planes
                .saturating_mul(call.largest_plane())
                .max(call.stage_plane())
                .saturating_mul(4);
            f32s(call.src_len())
                .saturating_add(f32s(call.dst_len()))
                .saturating_add(scratch.saturating_mul(2))
        } else {
            0
        };
        crate::util::check_host_memory(&[
            ("the plan's tables", call.plan_bytes()),
            ("the output", f32s(call.dst_len())),
            ("the input's copy", extra),
            (
                "device buffers (a CPU adapter's memory is the host's)",
                device,
            ),
        ])
    }

    /// Whether a uint8 call's bytes are uploaded as they are, for the kernels for CPU adapters
    /// to read in place: where those kernels run, the call is one plan and its input (padded
    /// to whole 16-byte words) fits one binding and 32-bit indices. Elsewhere the host widens
    /// it to f32.
    pub(crate) fn reads_u8_uploads(&self, call: &Call) -> bool {
        let bytes = padded_bytes(call.src_len() as u64);
        !call.is_staged() && bytes <= self.limits.max_buffer_size && self.binds_u8_whole(bytes)
    }

    /// Whether the kernels for CPU adapters can read a uint8 buffer of `bytes` in place: they
    /// run, and bind it whole (one binding, 32-bit element indices).
    pub(crate) fn binds_u8_whole(&self, bytes: u64) -> bool {
        self.cpu_kernels
            && bytes <= self.limits.max_storage_buffer_binding_size
            && bytes <= u64::from(u32::MAX)
    }

    /// Run a checked call over host data: upload, every pass, read back.
    pub(crate) async fn run_call(&self, call: &Call, data: Input<'_>) -> Result<Vec<f32>> {
        self.check_alive()?;
        if call.is_empty() {
            // Nothing to compute: an empty output, or the gradient of an empty output (0).
            let mut out = crate::util::try_vec(call.dst_len(), "the output")?;
            out.resize(call.dst_len(), 0.0);
            return Ok(out);
        }
        self.check_call(call, 0)?;
        let plans = call.plans();
        let mut out = self.run_plan(&plans[0], data, call.clamp()).await?;
        for plan in &plans[1..] {
            out = self.run_plan(plan, Input::F32(&out), call.clamp()).await?;
        }
        Ok(out)
    }

    /// Run `plan` over host data: upload, every pass, read back. Work larger than
    /// `max_buffer_size` is done in batches of planes.
    pub(crate) async fn run_plan(
        &self,
        plan: &Plan,
        data: Input<'_>,
        clamp: Option<Clamp>,
    ) -> Result<Vec<f32>> {
        self.check_alive()?;
        let in_plane: usize = plan.in_dims.iter().product();
        let out_plane: usize = plan.out_dims.iter().product();
        check_len("input", data.len(), &[plan.planes, in_plane])?;
        if plan.planes * in_plane == 0 || out_plane == 0 {
            return Ok(vec![0.0; plan.planes * out_plane]);
        }
        if plan.passes.is_empty() {
            // Every size unchanged: torch copies (the optional clamp still applies).
            let mut out = data.to_f32()?;
            if let Some(c) = clamp {
                out.iter_mut()
                    .filter(|v| !v.is_nan())
                    .for_each(|v| *v = v.clamp(c.min, c.max));
            }
            return Ok(out);
        }
        let largest_plane = plan
            .passes
            .iter()
            .flat_map(|p| [p.in_dims(), p.out_dims()])
            .map(|d| d.iter().product::<usize>() as u64 * 4)
            .max()
            .unwrap_or(4);
        let per_batch = (self.limits.max_buffer_size / largest_plane.max(1)) as usize;
        if per_batch == 0 {
            return Err(Error::limit(
                "max_buffer_size",
                format!(
                    "one plane of {largest_plane} bytes exceeds the adapter's max_buffer_size of {} bytes",
                    self.limits.max_buffer_size
                ),
            ));
        }
        let oom = self.device.push_error_scope(wgpu::ErrorFilter::OutOfMemory);
        let val = self.device.push_error_scope(wgpu::ErrorFilter::Validation);
        let result = self
            .run_batches(plan, data, clamp, per_batch, in_plane, out_plane)
            .await;
        let val = val.pop().await;
        let oom = oom.pop().await;
        if let Some(e) = oom.or(val) {
            return Err(scope_error(e));
        }
        self.check_alive()?;
        result
    }

    pub(crate) async fn run_batches(
        &self,
        plan: &Plan,
        data: Input<'_>,
        clamp: Option<Clamp>,
        per_batch: usize,
        in_plane: usize,
        out_plane: usize,
    ) -> Result<Vec<f32>> {
        let mut out = crate::util::try_vec(plan.planes * out_plane, "the output")?;
        for p0 in (0..plan.planes).step_by(per_batch) {
            let np = per_batch.min(plan.planes - p0);
            let batch = Plan {
                planes: np,
                ..plan.clone()
            };
            let usage = wgpu::BufferUsages::STORAGE;
            // On a CPU adapter with mappable storage buffers the input is written and the
            // output read where the kernels see them; elsewhere through staging copies.
            let mapped = |u: wgpu::BufferUsages| {
                if self.direct_map {
                    u
                } else {
                    wgpu::BufferUsages::empty()
                }
            };
            let u8 = matches!(data, Input::U8(_));
            let data = data.bytes(p0 * in_plane..(p0 + np) * in_plane);
            let src_usage = usage | mapped(wgpu::BufferUsages::MAP_WRITE);
            // Spare buffers exist only on the direct path (their usage includes MAP_*).
            let spare_src = take_spare(
                &mut self.spare_lock().input,
                padded_bytes(data.len() as u64),
                src_usage,
            );
            let src = match spare_src {
                Some(b) => {
                    readback::write_mapped(&self.device, &b, data).await?;
                    b
                }
                None => self.buffer_init(Some("resample.input"), data, src_usage)?,
            };
            let bytes = (np * out_plane * 4) as u64;
            let dst_usage = wgpu::BufferUsages::STORAGE
                | wgpu::BufferUsages::COPY_SRC
                | mapped(wgpu::BufferUsages::MAP_READ);
            let spare_dst = take_spare(
                &mut self.spare_lock().output,
                padded_bytes(bytes),
                dst_usage,
            );
            let dst = spare_dst.unwrap_or_else(|| {
                self.device.create_buffer(&wgpu::BufferDescriptor {
                    label: Some("resample.output"),
                    size: padded_bytes(bytes),
                    usage: dst_usage,
                    mapped_at_creation: false,
                })
            });
            let staging = (!self.direct_map).then(|| {
                self.device.create_buffer(&wgpu::BufferDescriptor {
                    label: Some("resample.readback"),
                    size: padded_bytes(bytes),
                    usage: wgpu::BufferUsages::MAP_READ | wgpu::BufferUsages::COPY_DST,
                    mapped_at_creation: false,
                })
            });
            let mut rec = Recording::new(&self.limits);
            // Planes are independent: on the host API they are N*C planes of one channel.
            self.encode_plan(
                &mut rec,
                &batch,
                1,
                Operand {
                    buffer: &src,
                    offset: 0,
                    strides: Strides::contiguous(1, plan.in_dims),
                    u8,
                },
                Operand::f32(&dst, 0, Strides::contiguous(1, plan.out_dims)),
                clamp,
            )?;
            // The read-back copy goes with the kernels (one submission), and the mapped bytes
            // straight into `out`.
            if let Some(staging) = &staging {
                rec.copy((&dst, 0), (staging, 0), bytes)?;
            }
            let mut encoder = self
                .device
                .create_command_encoder(&wgpu::CommandEncoderDescriptor {
                    label: Some("resample"),
                });
            rec.record(&mut encoder);
            self.queue.submit([encoder.finish()]);
            readback::read_with(&self.device, staging.as_ref().unwrap_or(&dst), bytes, |b| {
                readback::extend_f32(&mut out, b)
            })
            .await?;
            if self.direct_map {
                let mut spare = self.spare_lock();
                spare.input = Some(src);
                spare.output = Some(dst);
            }
        }
        Ok(out)
    }
}

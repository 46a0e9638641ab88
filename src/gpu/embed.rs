//! The embedding API: tensors in the caller's buffers, recorded into the caller's encoder.

use super::encode::{Facts, Operand};
use super::recording::Recording;
use super::tensor::{Element, GpuTensor};
use super::Resampler;
use crate::error::{Error, Result};
use crate::options::onnx::OnnxOptions;
use crate::options::{Clamp, Options};
use crate::plan::{Call, DType, Direction, Plan};

impl Resampler {
    /// Record `interpolate(src) -> dst` into the caller's `encoder`, without submitting.
    ///
    /// `dst` must have the output's shape (see [`Resampler::output_buffer`]). Any layout and
    /// element type on either side; u8 (torch's uint8 semantics) needs u8 on both sides.
    /// Pipelines are never created here; small table/parameter/scratch buffers are.
    pub fn encode(
        &self,
        encoder: &mut wgpu::CommandEncoder,
        src: &GpuTensor<'_>,
        dst: &GpuTensor<'_>,
        options: &Options,
    ) -> Result<()> {
        let dtype = match (src.element, dst.element) {
            (Element::U8, Element::U8) => DType::U8,
            (Element::U8, _) | (_, Element::U8) => {
                return Err(Error::input(
                    "dst",
                    "uint8 semantics need uint8 on both sides",
                ));
            }
            _ => DType::F32,
        };
        let call = Call::forward(options, &src.shape, dtype)?;
        self.prepare(&call, (src, "src"), (dst, "dst"))?
            .record(encoder);
        Ok(())
    }

    /// Record the gradient of `interpolate` with respect to its input: `grad_output` has the
    /// output's shape, `grad_input` the input's. Deterministic: a gather, no atomics.
    pub fn encode_backward(
        &self,
        encoder: &mut wgpu::CommandEncoder,
        grad_output: &GpuTensor<'_>,
        grad_input: &GpuTensor<'_>,
        options: &Options,
    ) -> Result<()> {
        gradient_storage(grad_output, grad_input)?;
        let call = Call::backward(options, &grad_input.shape)?;
        self.prepare(
            &call,
            (grad_output, "grad_output"),
            (grad_input, "grad_input"),
        )?
        .record(encoder);
        Ok(())
    }

    /// Record ONNX `Resize` (opset 19) of `src` into `dst` (f32 or f16 storage, any layout)
    /// into the caller's `encoder`, without submitting.
    pub fn encode_resize(
        &self,
        encoder: &mut wgpu::CommandEncoder,
        src: &GpuTensor<'_>,
        dst: &GpuTensor<'_>,
        options: &OnnxOptions,
    ) -> Result<()> {
        if src.element == Element::U8 || dst.element == Element::U8 {
            return Err(Error::input(
                "src",
                "ONNX Resize runs on f32 or f16 storage, not uint8",
            ));
        }
        let call = Call::onnx(options, &src.shape, Direction::Forward)?;
        self.prepare(&call, (src, "src"), (dst, "dst"))?
            .record(encoder);
        Ok(())
    }

    /// Record the gradient of [`Resampler::encode_resize`] with respect to its input.
    pub fn encode_resize_backward(
        &self,
        encoder: &mut wgpu::CommandEncoder,
        grad_output: &GpuTensor<'_>,
        grad_input: &GpuTensor<'_>,
        options: &OnnxOptions,
    ) -> Result<()> {
        gradient_storage(grad_output, grad_input)?;
        let call = Call::onnx(options, &grad_input.shape, Direction::Backward)?;
        self.prepare(
            &call,
            (grad_output, "grad_output"),
            (grad_input, "grad_input"),
        )?
        .record(encoder);
        Ok(())
    }

    /// Everything an embedding call records, made and checked first (see [`Recording`]):
    /// the tensors against the call and each other, the memory it needs, then every buffer,
    /// bind group and command under error scopes. Nothing is recorded on an error.
    pub(crate) fn prepare(
        &self,
        call: &Call,
        (src, src_name): (&GpuTensor<'_>, &'static str),
        (dst, dst_name): (&GpuTensor<'_>, &'static str),
    ) -> Result<Recording> {
        self.check_alive()?;
        staged_here(call)?;
        src.validate(src_name)?;
        dst.validate(dst_name)?;
        for (t, name, want) in [
            (src, src_name, call.src_shape()),
            (dst, dst_name, call.dst_shape()),
        ] {
            if t.shape != want {
                return Err(Error::input(
                    name,
                    format!("shape {:?} should be {want:?}", t.shape),
                ));
            }
        }
        if src.buffer == dst.buffer {
            return Err(Error::input(
                dst_name,
                format!(
                    "is in the same buffer as {src_name}: wgpu cannot bind one buffer for \
                     reading and writing in one dispatch; use two buffers"
                ),
            ));
        }
        let mut rec = Recording::new(&self.limits);
        // Empty tensors (a batch of 0, or area's output size 0): nothing to compute. An
        // empty source with a non-empty destination (the gradient of an empty output) is 0.
        if dst.is_empty() {
            return Ok(rec);
        }
        let wide = |t: &GpuTensor<'_>| {
            if t.element == Element::F32 {
                0
            } else {
                t.len() as u64 * 4
            }
        };
        self.check_call(call, wide(src).saturating_add(wide(dst)))?;
        self.scoped(|| {
            if src.is_empty() {
                self.encode_zeros(&mut rec, dst, dst_name)?;
            } else {
                let plan = call.plan();
                self.encode_tensors(&mut rec, &plan, src, dst, call.clamp())?;
            }
            Ok(rec)
        })
    }

    /// The kernel of each pass and its number of dispatches that [`Resampler::encode`] records
    /// for these tensors (their layouts, offsets and element types) and options: a diagnostic
    /// for `resample bench` and the tests; nothing is recorded.
    pub fn encode_kernel_labels(
        &self,
        src: &GpuTensor<'_>,
        dst: &GpuTensor<'_>,
        options: &Options,
    ) -> Result<Vec<(String, usize)>> {
        let dtype = if src.element == Element::U8 && dst.element == Element::U8 {
            DType::U8
        } else {
            DType::F32
        };
        self.call_labels(&Call::forward(options, &src.shape, dtype)?, src, dst)
    }

    /// The same for [`Resampler::encode_resize`].
    pub fn encode_resize_kernel_labels(
        &self,
        src: &GpuTensor<'_>,
        dst: &GpuTensor<'_>,
        options: &OnnxOptions,
    ) -> Result<Vec<(String, usize)>> {
        let call = Call::onnx(options, &src.shape, Direction::Forward)?;
        staged_here(&call)?;
        self.call_labels(&call, src, dst)
    }

    fn call_labels(
        &self,
        call: &Call,
        src: &GpuTensor<'_>,
        dst: &GpuTensor<'_>,
    ) -> Result<Vec<(String, usize)>> {
        // As `encode_tensors` binds them: f32 tensors and uint8 inputs the kernels read in
        // place, others widened into f32 scratch buffers of the same layout.
        let facts = |t: &GpuTensor<'_>, input: bool| {
            if t.element == Element::F32 {
                Facts::f32(t.strides(), t.offset / 4, t.buffer.size() / 4)
            } else if input && self.reads_u8_in_place(t) {
                Facts::u8(t.strides(), t.offset, t.buffer.size())
            } else {
                let words = super::encode::padded_bytes(t.len() as u64 * 4) / 4;
                Facts::f32(t.strides(), 0, words)
            }
        };
        let plan = call.plan().with_identity_pass();
        self.steps_labels(&plan, src.shape[1], facts(src, true), facts(dst, false))
    }

    /// A buffer sized for the output of `interpolate(src)` (same element type and layout),
    /// with STORAGE | COPY_SRC | COPY_DST usage, and the tensor describing it.
    pub fn output_buffer(
        &self,
        src: &GpuTensor<'_>,
        options: &Options,
    ) -> Result<(wgpu::Buffer, Vec<usize>)> {
        let g = options.resolve(&src.shape)?;
        let shape = g.output_shape();
        let bytes = (g.output_len() as u64 * src.element.size()).div_ceil(4) * 4;
        if bytes > self.limits.max_buffer_size {
            return Err(Error::limit(
                "max_buffer_size",
                format!("the output needs {bytes} bytes"),
            ));
        }
        let buffer = self.scoped(|| {
            Ok(self.device.create_buffer(&wgpu::BufferDescriptor {
                label: Some("resample.output"),
                size: bytes.max(4),
                usage: wgpu::BufferUsages::STORAGE
                    | wgpu::BufferUsages::COPY_SRC
                    | wgpu::BufferUsages::COPY_DST,
                mapped_at_creation: false,
            }))
        })?;
        Ok((buffer, shape))
    }

    /// Zero `dst`: the gradient of an empty output.
    pub(crate) fn encode_zeros(
        &self,
        rec: &mut Recording,
        dst: &GpuTensor<'_>,
        name: &'static str,
    ) -> Result<()> {
        if dst.element == Element::F32 {
            // Whole words: the f32 tensor's own bytes.
            if !dst.buffer.usage().contains(wgpu::BufferUsages::COPY_DST) {
                return Err(Error::input(
                    name,
                    "zero-filling the gradient of an empty output needs COPY_DST usage",
                ));
            }
            let r = dst.byte_range();
            rec.clear(dst.buffer, r.start, r.end - r.start)
        } else {
            // f16 (or u8) may end mid-word: pack a zeroed f32 scratch (new buffers are
            // zero-initialised), which leaves the bytes after the tensor as they were.
            let zeros = self.scratch(dst.len())?;
            self.encode_convert(
                rec,
                false,
                dst.element,
                dst.len(),
                (&zeros, 0),
                (dst.buffer, dst.offset),
            )
        }
    }

    /// Whether the kernels for CPU adapters read uint8 `src` where it is: they bind its whole
    /// buffer (so it must fit one binding, and 32-bit element indices), in words (so the
    /// tensor ends within the buffer's last whole word). The passes whose kernels cannot
    /// (the gather kernels) widen it first (see `encode_plan`).
    fn reads_u8_in_place(&self, src: &GpuTensor<'_>) -> bool {
        let size = src.buffer.size();
        src.element == Element::U8 && self.binds_u8_whole(size) && src.byte_range().end <= size & !3
    }

    /// `plan` from `src` to `dst`, through f32 scratch copies where either is not f32.
    pub(crate) fn encode_tensors(
        &self,
        rec: &mut Recording,
        plan: &Plan,
        src: &GpuTensor<'_>,
        dst: &GpuTensor<'_>,
        clamp: Option<Clamp>,
    ) -> Result<()> {
        let channels = src.shape[1];
        // Widen f16/u8 input into an f32 scratch copy of the same layout, except uint8 that
        // the kernels for CPU adapters read in place.
        let wide_src;
        let src_op = if src.element == Element::F32 {
            Operand::f32(src.buffer, src.offset / 4, src.strides())
        } else if self.reads_u8_in_place(src) {
            Operand {
                buffer: src.buffer,
                offset: src.offset,
                strides: src.strides(),
                u8: true,
            }
        } else {
            wide_src = self.scratch(src.len())?;
            self.encode_convert(
                rec,
                true,
                src.element,
                src.len(),
                (src.buffer, src.offset),
                (&wide_src, 0),
            )?;
            Operand::f32(&wide_src, 0, src.strides())
        };
        let wide_dst;
        let dst_op = if dst.element == Element::F32 {
            Operand::f32(dst.buffer, dst.offset / 4, dst.strides())
        } else {
            wide_dst = self.scratch(dst.len())?;
            Operand::f32(&wide_dst, 0, dst.strides())
        };
        // Nothing to resample (every size unchanged): torch copies; an identity pass does that
        // and converts the layout on the way.
        let plan = &plan.with_identity_pass();
        self.encode_plan(rec, plan, channels, src_op, dst_op, clamp)?;
        if dst.element != Element::F32 {
            self.encode_convert(
                rec,
                false,
                dst.element,
                dst.len(),
                (dst_op.buffer, 0),
                (dst.buffer, dst.offset),
            )?;
        }
        Ok(())
    }
}

/// The embedding API records one plan: resizing ONNX's batch or channel axis (a second plan
/// over the tensor seen as one plane) runs on the host API and the CPU reference only.
fn staged_here(call: &Call) -> Result<()> {
    if call.is_staged() {
        return Err(Error::arg(
            "sizes",
            "resizing the batch or channel axis runs on Resampler::resize and \
             reference::resize, not in an encoder",
        ));
    }
    Ok(())
}

/// Gradients are stored as f32 or f16 on both sides.
fn gradient_storage(grad_output: &GpuTensor<'_>, grad_input: &GpuTensor<'_>) -> Result<()> {
    if grad_output.element == Element::U8 || grad_input.element == Element::U8 {
        return Err(Error::input(
            "grad_output",
            "gradients are f32 or f16, not uint8",
        ));
    }
    Ok(())
}

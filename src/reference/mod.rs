//! The CPU reference: torch's interpolate and ONNX's Resize, forward and backward, in f64.
//!
//! One file per kernel family computes the per-axis tables the way torch does
//! ([`nearest`], [`linear`], [`cubic`], [`area`], [`antialias`], on top of [`coords`]);
//! [`gather`] applies them, reading like `shaders/gather.wgsl`. This is the oracle the GPU
//! backend is tested against, and it is itself tested against the vendored torch corpus.

pub mod gather;

use crate::error::Result;
use crate::options::onnx::OnnxOptions;
use crate::options::Options;
use crate::plan::{Call, DType, Direction, Plan};
use crate::util::{check_host_memory, check_len, try_vec};

/// Run a plan over f64 data.
pub(crate) fn run_plan(plan: &Plan, data: Vec<f64>) -> Result<Vec<f64>> {
    let mut cur = data;
    for pass in &plan.passes {
        cur = gather::apply(pass, plan.planes, &cur)?;
    }
    if let Some(fill) = &plan.fill {
        let [d, h, w] = plan.out_dims;
        for (e, v) in cur.iter_mut().enumerate() {
            let at = [(e / (w * h)) % d, (e / w) % h, e % w];
            if fill.covers(at) {
                *v = f64::from(fill.value);
            }
        }
    }
    Ok(cur)
}

/// Run a checked call over `src` (the source's elements as f64): the memory it needs is
/// checked before anything is built, and an empty call returns before any table exists.
/// A checked call on f32 data, its result rounded to f32 (the image API's reference engine).
pub(crate) fn run_f32(call: &Call, data: &[f32]) -> Result<Vec<f32>> {
    check_len("input", data.len(), &call.src_shape())?;
    let out = run_call(call, data.iter().map(|&v| f64::from(v)))?;
    Ok(out.into_iter().map(|v| v as f32).collect())
}

fn run_call(call: &Call, src: impl ExactSizeIterator<Item = f64>) -> Result<Vec<f64>> {
    if call.is_empty() {
        // Nothing to compute: an empty output, or the (zero) gradient of an empty output.
        let mut out = try_vec(call.dst_len(), "the output")?;
        out.resize(call.dst_len(), 0.0);
        return Ok(out);
    }
    let f64s = |n: u64| n.saturating_mul(8);
    let planes = call.planes() as u64;
    check_host_memory(&[
        ("the plan's tables", call.plan_bytes()),
        ("the input as f64", f64s(call.src_len() as u64)),
        ("the output", f64s(call.dst_len() as u64)),
        (
            "intermediate results",
            f64s(
                planes
                    .saturating_mul(call.largest_plane())
                    .max(call.stage_plane()),
            ),
        ),
    ])?;
    let mut data = try_vec(src.len(), "the input")?;
    data.extend(src);
    call.plans()
        .iter()
        .try_fold(data, |data, plan| run_plan(plan, data))
}

/// `interpolate` on f32 data, accumulated in f64. Returns the output and its shape.
pub fn interpolate(
    input: &[f32],
    shape: &[usize],
    options: &Options,
) -> Result<(Vec<f64>, Vec<usize>)> {
    let call = Call::forward(options, shape, DType::F32)?;
    check_len("input", input.len(), shape)?;
    let mut out = run_call(&call, input.iter().map(|&v| f64::from(v)))?;
    if let Some(c) = call.clamp() {
        for v in &mut out {
            if !v.is_nan() {
                *v = v.clamp(c.min as f64, c.max as f64);
            }
        }
    }
    Ok((out, call.dst_shape()))
}

/// `interpolate` on uint8 data with torch's uint8 rounding and saturation. A clamp applies to
/// the uint8 result: each value is clamped into `[min, max]` and rounded half up again (the
/// same rule as the GPU's).
pub fn interpolate_u8(
    input: &[u8],
    shape: &[usize],
    options: &Options,
) -> Result<(Vec<u8>, Vec<usize>)> {
    let call = Call::forward(options, shape, DType::U8)?;
    check_len("input", input.len(), shape)?;
    let out = run_call(&call, input.iter().map(|&v| f64::from(v)))?;
    let clamp = call.clamp();
    let out = out
        .into_iter()
        .map(|v| {
            let v = match clamp {
                Some(c) => gather::round_u8(v.clamp(f64::from(c.min), f64::from(c.max))),
                None => v,
            };
            v as u8
        })
        .collect();
    Ok((out, call.dst_shape()))
}

/// The gradient of `interpolate` with respect to its input: `grad_output` has the output's
/// shape; returns a tensor of `input_shape`.
pub fn interpolate_backward(
    grad_output: &[f32],
    input_shape: &[usize],
    options: &Options,
) -> Result<Vec<f64>> {
    let call = Call::backward(options, input_shape)?;
    check_len("grad_output", grad_output.len(), &call.src_shape())?;
    run_call(&call, grad_output.iter().map(|&v| f64::from(v)))
}

/// ONNX `Resize` (opset 19) on f32 data, accumulated in f64. Returns the output and its
/// shape.
pub fn resize(
    input: &[f32],
    shape: &[usize],
    options: &OnnxOptions,
) -> Result<(Vec<f64>, Vec<usize>)> {
    let call = Call::onnx(options, shape, Direction::Forward)?;
    check_len("input", input.len(), shape)?;
    let out = run_call(&call, input.iter().map(|&v| f64::from(v)))?;
    Ok((out, call.dst_shape()))
}

/// The gradient of [`resize`] with respect to its input: `grad_output` has the output's
/// shape; returns a tensor of `input_shape`. Outputs that took `extrapolation_value` pass no
/// gradient on.
pub fn resize_backward(
    grad_output: &[f32],
    input_shape: &[usize],
    options: &OnnxOptions,
) -> Result<Vec<f64>> {
    let call = Call::onnx(options, input_shape, Direction::Backward)?;
    check_len("grad_output", grad_output.len(), &call.src_shape())?;
    run_call(&call, grad_output.iter().map(|&v| f64::from(v)))
}

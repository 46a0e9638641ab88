//! The CPU reference: torch's interpolate, forward and backward, in f64.
//!
//! One file per kernel family computes the per-axis tables the way torch does
//! ([`nearest`], [`linear`], [`cubic`], [`area`], [`antialias`], on top of [`coords`]);
//! [`gather`] applies them, reading like `shaders/gather.wgsl`. This is the oracle the GPU
//! backend is tested against, and it is itself tested against the vendored torch corpus.

pub mod antialias;
pub mod area;
pub mod coords;
pub mod cubic;
pub mod gather;
pub mod linear;
pub mod nearest;
pub mod uint8;

use crate::error::{Error, Result};
use crate::options::{Geometry, Options};
use crate::plan::{DType, Plan};
use crate::util::check_alloc;
use crate::util::check_len;

/// Run a plan over f64 data.
pub fn run_plan(plan: &Plan, data: Vec<f64>) -> Result<Vec<f64>> {
    let mut cur = data;
    for pass in &plan.passes {
        cur = gather::apply(pass, plan.planes, &cur)?;
    }
    Ok(cur)
}

/// `interpolate` on f32 data, accumulated in f64. Returns the output and its shape.
pub fn interpolate(
    input: &[f32],
    shape: &[usize],
    options: &Options,
) -> Result<(Vec<f64>, Vec<usize>)> {
    let g = options.resolve(shape)?;
    check_len("input", input.len(), shape)?;
    let out = interpolate_resolved(&g, input)?;
    Ok((out, g.output_shape()))
}

pub(crate) fn interpolate_resolved(g: &Geometry, input: &[f32]) -> Result<Vec<f64>> {
    check_alloc::<f64>(g.output_len(), "the output")?;
    let plan = Plan::forward(g, DType::F32);
    let mut out = run_plan(&plan, input.iter().map(|&v| v as f64).collect())?;
    if let Some(c) = g.clamp {
        for v in &mut out {
            if !v.is_nan() {
                *v = v.clamp(c.min as f64, c.max as f64);
            }
        }
    }
    Ok(out)
}

/// `interpolate` on uint8 data with torch's uint8 rounding and saturation.
pub fn interpolate_u8(
    input: &[u8],
    shape: &[usize],
    options: &Options,
) -> Result<(Vec<u8>, Vec<usize>)> {
    let g = options.resolve(shape)?;
    check_len("input", input.len(), shape)?;
    if !g.mode.supports_u8() {
        return Err(Error::arg(
            "mode",
            format!("{} has no uint8 kernel in torch; use f32 data", g.mode),
        ));
    }
    check_alloc::<f64>(g.output_len(), "the output")?;
    let plan = Plan::forward(&g, DType::U8);
    let out = run_plan(&plan, input.iter().map(|&v| v as f64).collect())?;
    Ok((out.into_iter().map(|v| v as u8).collect(), g.output_shape()))
}

/// The gradient of `interpolate` with respect to its input: `grad_output` has the output's
/// shape; returns a tensor of `input_shape`.
pub fn interpolate_backward(
    grad_output: &[f32],
    input_shape: &[usize],
    options: &Options,
) -> Result<Vec<f64>> {
    let g = options.resolve(input_shape)?;
    check_len("grad_output", grad_output.len(), &g.output_shape())?;
    check_alloc::<f64>(g.input_len(), "the gradient")?;
    let plan = Plan::backward_of(&g);
    run_plan(&plan, grad_output.iter().map(|&v| v as f64).collect())
}

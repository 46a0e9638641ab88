//! `resample info`: the conventions followed, the adapters wgpu sees, the one chosen, and the
//! limits that matter here.

use super::fail;
use crate::{gpu, Resampler};
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {}

/// The two conventions `resample tensor` follows, and their vocabularies.
fn conventions() {
    use crate::options::onnx::{AspectPolicy, CoordinateMode, NearestMode, OnnxMode};
    let names = |v: Vec<&str>| v.join(", ");
    println!("conventions:");
    println!(
        "  torch interpolate (2.15): modes {}",
        names(crate::Mode::ALL.iter().map(|m| m.name()).collect())
    );
    println!("  onnx Resize (opset 19, resample tensor --onnx):");
    println!(
        "    mode                            {}",
        names(OnnxMode::ALL.iter().map(|m| m.name()).collect())
    );
    println!(
        "    coordinate_transformation_mode  {}",
        names(CoordinateMode::ALL.iter().map(|m| m.name()).collect())
    );
    println!(
        "    nearest_mode                    {}",
        names(NearestMode::ALL.iter().map(|m| m.name()).collect())
    );
    println!(
        "    keep_aspect_ratio_policy        {}",
        names(AspectPolicy::ALL.iter().map(|m| m.name()).collect())
    );
    println!("    also cubic_coeff_a, exclude_outside, extrapolation_value, antialias, axes, roi, scales, sizes");
}

pub fn run(_: Args) -> ExitCode {
    conventions();
    println!(
        "adapters found (WGPU_BACKEND={}):",
        std::env::var("WGPU_BACKEND").unwrap_or_else(|_| "<all>".into())
    );
    for i in gpu::enumerate() {
        println!(
            "  {} | {:?} | {:?} | {} {}",
            i.name, i.backend, i.device_type, i.driver, i.driver_info
        );
    }
    let r = match Resampler::new_default() {
        Ok(r) => r,
        Err(e) => return fail(&e),
    };
    if let Some(i) = r.adapter_info() {
        println!(
            "chosen: {} | {:?} | {:?} | {} {}",
            i.name, i.backend, i.device_type, i.driver, i.driver_info
        );
    }
    let l = r.limits();
    println!("limits:");
    println!(
        "  max_buffer_size                      {}",
        l.max_buffer_size
    );
    println!(
        "  max_storage_buffer_binding_size      {}",
        l.max_storage_buffer_binding_size
    );
    println!(
        "  min_storage_buffer_offset_alignment  {}",
        l.min_storage_buffer_offset_alignment
    );
    println!(
        "  max_compute_workgroups_per_dimension {}",
        l.max_compute_workgroups_per_dimension
    );
    println!(
        "  max_compute_invocations_per_workgroup {}",
        l.max_compute_invocations_per_workgroup
    );
    let f = r.device().features();
    println!("features:");
    println!(
        "  SHADER_F16      {}",
        f.contains(wgpu::Features::SHADER_F16)
    );
    println!(
        "  TIMESTAMP_QUERY {}",
        f.contains(wgpu::Features::TIMESTAMP_QUERY)
    );
    println!(
        "  SHADER_INT64    {} (row kernels load their input as 64-bit words: {})",
        f.contains(wgpu::Features::SHADER_INT64),
        r.u64_loads()
    );
    ExitCode::SUCCESS
}

//! `resample tensor`: torch.nn.functional.interpolate on a tensor stored as `.npy`.

use super::fail;
use super::image::flag_names;
use crate::npy::{self, NpyArray, NpyData};
use crate::{reference, Error, Mode, Options, PerDim, Resampler, Result};
use clap::ValueEnum;
use half::f16;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum BackendArg {
    /// The wgpu compute shaders (the default adapter; see `resample info`).
    Gpu,
    /// The CPU reference (f64 accumulation; slow, exact oracle).
    Cpu,
}

/// Resize a tensor stored as .npy, exactly as torch.nn.functional.interpolate does.
///
/// The tensor is in torch layout N, C, W (1D), N, C, H, W (2D) or N, C, D, H, W (3D), C order,
/// float32, float16 or uint8. The output has the input's dtype.
#[derive(clap::Args)]
#[command(after_long_help = AFTER_HELP)]
pub struct Args {
    /// The input .npy file (float32 `<f4`, float16 `<f2` or uint8 `|u1`; C order).
    #[arg(value_name = "IN.npy")]
    input: PathBuf,
    /// Where to write the result as .npy (same dtype as the input). Written atomically: a
    /// failed run leaves no file.
    #[arg(value_name = "OUT.npy")]
    output: PathBuf,
    /// Output size, comma-separated in torch order (outermost first: D,H,W / H,W / W), e.g.
    /// 64,48 for H=64, W=48. One value is used for every spatial dim (torch's size=int).
    #[arg(long, value_name = "N[,N..]", allow_hyphen_values = true)]
    size: Option<String>,
    /// Scale factor, comma-separated in torch order, or one value for every spatial dim.
    #[arg(long, value_name = "S[,S..]", allow_hyphen_values = true)]
    scale: Option<String>,
    /// Interpolation mode, named as in torch: nearest, nearest-exact, linear (1D), bilinear
    /// (2D), bicubic (2D), trilinear (3D), area, lanczos (2D, needs --antialias). torch's
    /// default is nearest.
    #[arg(long, value_name = "MODE")]
    mode: Option<String>,
    /// torch's align_corners=True (linear, bilinear, bicubic, trilinear only).
    #[arg(long)]
    align_corners: bool,
    /// torch's antialias=True (bilinear, bicubic, lanczos on 4D input).
    #[arg(long)]
    antialias: bool,
    /// torch's recompute_scale_factor=True: with --scale, compute the output size and then
    /// sample with in/out instead of 1/scale.
    #[arg(long)]
    recompute_scale_factor: bool,
    /// Clamp every output value to [MIN, MAX] (fused into the kernel), e.g. 0,1 or 0,255.
    #[arg(long, value_name = "MIN,MAX", allow_hyphen_values = true)]
    clamp: Option<String>,
    /// ONNX's Resize (opset 19) instead of torch's interpolate: its attributes and inputs as
    /// ONNX names them, key=value,..., lists in brackets, e.g.
    /// mode=cubic,coordinate_transformation_mode=half_pixel,sizes=[1,3,64,64] (float32 and
    /// float16 input). Replaces --mode, --size, --scale, --align-corners, --antialias,
    /// --recompute-scale-factor and --clamp.
    #[arg(long, value_name = "KEY=VALUE,...", allow_hyphen_values = true)]
    onnx: Option<String>,
    /// Where to compute.
    #[arg(long, value_enum, default_value = "gpu")]
    backend: BackendArg,
}

const AFTER_HELP: &str = "\
Layout: torch's N, C, W (1D), N, C, H, W (2D) or N, C, D, H, W (3D), C order; --size and
--scale are in that order too (outermost first).

dtypes:
  float32: computed in float32 on the GPU (the CPU backend accumulates in f64, rounded to f32).
  float16: converted to float32, computed, rounded back to float16 (round to nearest even).
  uint8:   torch's uint8 kernels (rounding and saturation after each separable pass); modes
           nearest, nearest-exact, bilinear, bicubic, lanczos (torch has no uint8 area/linear/
           trilinear).
  float64 is not supported: convert to float32.

Exit status: 0 done, 2 bad arguments or unreadable/invalid input, 3 no usable GPU or a GPU error.";

fn arg_err(name: &'static str, reason: impl Into<String>) -> Error {
    Error::Argument {
        name,
        reason: reason.into(),
    }
}

fn per_dim<T: std::str::FromStr>(flag: &'static str, s: &str, what: &str) -> Result<PerDim<T>> {
    let bad = || {
        arg_err(
            flag,
            format!("expected {what}, comma-separated in torch order (e.g. 64,48), got {s:?}"),
        )
    };
    let mut v = s
        .split(',')
        .map(|p| p.trim().parse::<T>().map_err(|_| bad()))
        .collect::<Result<Vec<T>>>()?;
    if v.len() == 1 {
        if let Some(x) = v.pop() {
            return Ok(PerDim::All(x));
        }
    }
    Ok(PerDim::Each(v))
}

fn options(a: &Args) -> Result<Options> {
    let mode: Mode = a
        .mode
        .as_deref()
        .unwrap_or("nearest")
        .parse()
        .map_err(|e| match e {
            Error::Argument { reason, .. } => Error::Argument {
                name: "--mode",
                reason,
            },
            other => other,
        })?;
    let mut o = Options::new(mode);
    match (&a.size, &a.scale) {
        (Some(_), Some(_)) => {
            return Err(arg_err("--size", "give either --size or --scale, not both"))
        }
        (None, None) => {
            return Err(arg_err(
                "--size",
                "the output size is missing: give --size (e.g. 64,48) or --scale (e.g. 2)",
            ))
        }
        (Some(s), None) => {
            o.size = Some(per_dim::<i64>("--size", s, "positive integers")?);
        }
        (None, Some(s)) => {
            o.scale_factor = Some(per_dim::<f64>("--scale", s, "positive numbers")?);
        }
    }
    if a.align_corners {
        o = o.align_corners(true);
    }
    if a.recompute_scale_factor {
        o = o.recompute_scale_factor(true);
    }
    o = o.antialias(a.antialias);
    if let Some(c) = &a.clamp {
        let bad = || arg_err("--clamp", format!("expected MIN,MAX (e.g. 0,1), got {c:?}"));
        let v: Vec<f32> = c
            .split(',')
            .map(|p| p.trim().parse::<f32>().map_err(|_| bad()))
            .collect::<Result<_>>()?;
        let [min, max] = v.as_slice() else {
            return Err(bad());
        };
        o = o.clamp(*min, *max);
    }
    Ok(o)
}

/// Rename torch's argument names to this command's flags, and name the input file in input
/// errors.
fn cli_error(a: &Args, e: Error) -> Error {
    match e {
        Error::Argument { name, reason } => Error::Argument {
            name: match name {
                "size" if a.scale.is_some() => "--scale",
                "size" => "--size",
                "scale_factor" => "--scale",
                "antialias" => "--antialias",
                "align_corners" => "--align-corners",
                "recompute_scale_factor" => "--recompute-scale-factor",
                "mode" => "--mode",
                "clamp" => "--clamp",
                other => other,
            },
            reason: flag_names(&reason),
        },
        Error::Input {
            name: "input",
            reason,
        } => Error::Format {
            path: a.input.clone(),
            reason,
        },
        other => other,
    }
}

fn f64_unsupported(a: &Args) -> Error {
    Error::Format {
        path: a.input.clone(),
        reason: "float64 is not supported (the GPU computes in float32); save the tensor as \
                 float32"
            .into(),
    }
}

pub fn run(a: Args) -> ExitCode {
    match run_inner(&a) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(&cli_error(&a, e)),
    }
}

fn run_inner(a: &Args) -> Result<()> {
    if let Some(spec) = &a.onnx {
        return run_onnx(a, spec);
    }
    let o = options(a)?;
    let input = npy::read(&a.input)?;
    if let NpyData::F64(_) = input.data {
        return Err(f64_unsupported(a));
    }
    let shape = input.shape.clone();
    // All of torch's checks, before the GPU is touched.
    o.resolve(&shape)?;
    if let NpyData::U8(_) = input.data {
        if !o.mode.supports_u8() {
            return Err(arg_err(
                "--mode",
                format!(
                    "torch has no uint8 kernel for {}; convert the input to float32",
                    o.mode
                ),
            ));
        }
    }
    let gpu = match a.backend {
        BackendArg::Gpu => Some(Resampler::new_default()?),
        BackendArg::Cpu => None,
    };
    let f32_forward = |x: &[f32]| -> Result<(Vec<f64>, Vec<usize>)> {
        match &gpu {
            Some(r) => {
                let (y, s) = r.interpolate(x, &shape, &o)?;
                Ok((y.into_iter().map(f64::from).collect(), s))
            }
            None => reference::interpolate(x, &shape, &o),
        }
    };
    let (data, out_shape) = match &input.data {
        NpyData::F32(x) => {
            let (y, s) = f32_forward(x)?;
            (NpyData::F32(y.into_iter().map(|v| v as f32).collect()), s)
        }
        NpyData::F16(bits) => {
            let x: Vec<f32> = bits.iter().map(|&b| f16::from_bits(b).to_f32()).collect();
            let (y, s) = f32_forward(&x)?;
            (
                NpyData::F16(y.into_iter().map(|v| f16::from_f64(v).to_bits()).collect()),
                s,
            )
        }
        NpyData::U8(x) => {
            let (y, s) = match &gpu {
                Some(r) => r.interpolate_u8(x, &shape, &o)?,
                None => reference::interpolate_u8(x, &shape, &o)?,
            };
            (NpyData::U8(y), s)
        }
        NpyData::F64(_) => return Err(f64_unsupported(a)),
    };
    npy::write(
        &a.output,
        &NpyArray {
            shape: out_shape.clone(),
            data,
        },
    )?;
    println!(
        "{} {:?} {} -> {} {:?} (mode={}, {})",
        a.input.display(),
        shape,
        input.data.descr(),
        a.output.display(),
        out_shape,
        o.mode,
        match a.backend {
            BackendArg::Gpu => "gpu",
            BackendArg::Cpu => "cpu",
        }
    );
    Ok(())
}

/// `--onnx`: the torch flags it replaces must be absent; float32 or float16 input.
fn run_onnx(a: &Args, spec: &str) -> Result<()> {
    let torch_flags = [
        ("--mode", a.mode.is_some()),
        ("--size", a.size.is_some()),
        ("--scale", a.scale.is_some()),
        ("--align-corners", a.align_corners),
        ("--antialias", a.antialias),
        ("--recompute-scale-factor", a.recompute_scale_factor),
        ("--clamp", a.clamp.is_some()),
    ];
    if let Some((flag, _)) = torch_flags.iter().find(|f| f.1) {
        return Err(arg_err(
            "--onnx",
            format!("{flag} is torch's; with --onnx give ONNX's attributes only"),
        ));
    }
    // Every error of the attributes names the flag, and the attribute in its reason.
    let onnx_err = |e: Error| match e {
        Error::Argument { name, reason } if name != "--onnx" => {
            arg_err("--onnx", format!("{name}: {reason}"))
        }
        other => other,
    };
    let o = super::onnx::parse(spec).map_err(onnx_err)?;
    let input = npy::read(&a.input)?;
    let shape = input.shape.clone();
    let x: Vec<f32> = match &input.data {
        NpyData::F32(x) => x.clone(),
        NpyData::F16(bits) => bits.iter().map(|&b| f16::from_bits(b).to_f32()).collect(),
        NpyData::U8(_) => {
            return Err(Error::Format {
                path: a.input.clone(),
                reason: "ONNX Resize runs on float32 or float16 input here, not uint8".into(),
            })
        }
        NpyData::F64(_) => return Err(f64_unsupported(a)),
    };
    // The spec's checks, before the GPU is touched.
    o.resolve(&shape).map_err(onnx_err)?;
    let (y, out_shape) = match a.backend {
        BackendArg::Gpu => {
            let (y, s) = Resampler::new_default()?.resize(&x, &shape, &o)?;
            (y.into_iter().map(f64::from).collect::<Vec<f64>>(), s)
        }
        BackendArg::Cpu => reference::resize(&x, &shape, &o)?,
    };
    let data = match input.data {
        NpyData::F16(_) => {
            NpyData::F16(y.into_iter().map(|v| f16::from_f64(v).to_bits()).collect())
        }
        _ => NpyData::F32(y.into_iter().map(|v| v as f32).collect()),
    };
    npy::write(
        &a.output,
        &NpyArray {
            shape: out_shape.clone(),
            data,
        },
    )?;
    println!(
        "{} {:?} -> {} {:?} (onnx Resize, mode={}, {}, {})",
        a.input.display(),
        shape,
        a.output.display(),
        out_shape,
        o.mode,
        o.coordinate_mode,
        match a.backend {
            BackendArg::Gpu => "gpu",
            BackendArg::Cpu => "cpu",
        }
    );
    Ok(())
}

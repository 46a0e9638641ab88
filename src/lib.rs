//! wgpu-resample: PyTorch's `torch.nn.functional.interpolate`, exactly, on any GPU through
//! WebGPU compute shaders (wgpu + WGSL), with a CPU reference that is the oracle.
//!
//! * [`Options`] mirrors `interpolate`'s arguments and applies torch's rules
//!   ([`Options::resolve`]).
//! * [`plan`] turns a call into per-axis index/weight tables, computed on the host exactly as
//!   torch computes them; both backends only apply the tables.
//! * [`reference`](mod@reference) is the CPU oracle (f64), forward and backward, f32 and u8.
//! * [`gpu::Resampler`] runs the same plans on a wgpu device.
//! * [`conformance`] checks a backend against a corpus exported from torch.

#[cfg(all(feature = "cli", not(target_arch = "wasm32")))]
#[doc(hidden)]
pub mod cli;
pub mod conformance;
pub mod error;
pub mod gpu;
pub mod image;
pub mod npy;
pub mod options;
pub(crate) mod plan;
pub mod reference;
pub(crate) mod tables;
pub(crate) mod util;

pub use error::{Error, Result};

/// The wgpu this crate is built on: embedders use its types for the devices, buffers and
/// encoders they hand in (the same version, whatever their own dependency says).
pub use wgpu;

pub use gpu::Resampler;
pub use options::{
    upsample, upsample_bilinear, upsample_nearest, Clamp, Geometry, Mode, Options, PerDim,
};

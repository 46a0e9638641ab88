//! The GPU backend: the same plans as the CPU reference, run by WGSL compute shaders.
//!
//! All wgpu calls of the crate live in this module.

pub mod bench;
pub mod chunks;
pub mod context;
pub mod pipelines;
mod readback;
mod recording;
mod resampler;
pub mod rows;
mod tensor;
mod texture;

pub use chunks::Strides;
pub use context::{enumerate, open_device, select_adapter, AdapterReport};
pub use resampler::{GpuBackend, Resampler};
pub use tensor::{Element, GpuTensor, Layout};
pub use texture::TexelFormat;

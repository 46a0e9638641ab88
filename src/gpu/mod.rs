//! The GPU backend: the same plans as the CPU reference, run by WGSL compute shaders.
//!
//! All wgpu calls of the crate live in this module.

pub mod bench;
mod buffers;
pub mod context;
mod convert;
mod embed;
mod encode;
mod gather;
mod host;
pub mod pipelines;
mod readback;
mod recording;
mod resampler;
mod rows;
mod shaders;
mod tensor;
mod texture;

pub use context::{enumerate, open_device, select_adapter, AdapterReport};
pub use resampler::Resampler;
pub use tensor::Strides;
pub use tensor::{Element, GpuTensor, Layout};
pub use texture::TexelFormat;

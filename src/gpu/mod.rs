//! The GPU backend: the same plans as the CPU reference, run by WGSL compute shaders.
//!
//! All wgpu calls of the crate live in this module.

pub(crate) mod bench;
mod buffers;
mod convert;
mod device;
mod embed;
mod encode;
mod gather;
mod host;
mod pipelines;
mod readback;
mod recording;
mod resampler;
mod rows;
mod shaders;
mod tensor;
mod texture;

pub use device::{enumerate, open_device, select_adapter};
pub use resampler::Resampler;
pub use tensor::Strides;
pub use tensor::{Element, GpuTensor, Layout};
pub use texture::TexelFormat;

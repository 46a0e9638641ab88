//! The GPU backend: the same plans as the CPU reference, run by WGSL compute shaders.
//!
//! All wgpu calls of the crate live in this module.

#[cfg(all(feature = "cli", not(target_arch = "wasm32")))]
pub(crate) mod bench;
mod buffers;
mod convert;
mod device;
mod embed;
mod encode;
mod fill;
mod gather;
mod host;
mod pipelines;
mod pixels;
mod readback;
mod recording;
mod resampler;
mod rows;
mod shaders;
mod strips;
mod tensor;
mod texture;

#[cfg(not(target_arch = "wasm32"))]
pub use device::enumerate;
pub use device::{needed_limits, open_device, select_adapter, wanted_features};
pub(crate) use host::Input;
pub use pixels::{PixelConversion, PixelLayout, PixelSample};
pub use resampler::Resampler;
pub use tensor::Strides;
pub use tensor::{Element, GpuTensor, Layout};
pub use texture::TexelFormat;

/// A `#[repr(C)]` uniform struct whose WGSL twin is checked field by field (name and byte
/// offset) against naga's reflection of the shader by the tests: `FIELDS` lists them.
macro_rules! uniform_struct {
    ($(#[$m:meta])* $vis:vis struct $name:ident {
        $($(#[$fm:meta])* $fvis:vis $field:ident : $ty:ty),* $(,)?
    }) => {
        $(#[$m])*
        #[repr(C)]
        #[derive(Clone, Copy, Debug, Default, bytemuck::Pod, bytemuck::Zeroable)]
        $vis struct $name { $($(#[$fm])* $fvis $field: $ty),* }
        impl $name {
            /// Every field's name and byte offset, in order.
            #[allow(dead_code)]
            pub(crate) const FIELDS: &'static [(&'static str, usize)] =
                &[$((stringify!($field), std::mem::offset_of!($name, $field))),*];
        }
    };
}
pub(crate) use uniform_struct;

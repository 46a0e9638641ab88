// Entry of resample window/fixed_vec4: the loop-free kernel for at most 4 taps per axis, aligned vec4 stores.
//! import "window/bindings.wgsl"
//! import "window/store_vec4.wgsl"
//! import "gather/params.wgsl"
//! import "common/finish.wgsl"
//! import "window/taps.wgsl"
//! import "window/fixed_main.wgsl"

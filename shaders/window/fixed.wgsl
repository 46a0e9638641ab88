// Entry of resample window/fixed: the loop-free kernel for at most 4 taps per axis, scalar stores.
//! import "window/bindings.wgsl"
//! import "window/store.wgsl"
//! import "gather/params.wgsl"
//! import "common/finish.wgsl"
//! import "window/taps.wgsl"
//! import "window/fixed_main.wgsl"

// Entry of resample window/span_vec4: the same with aligned vec4 stores.
//! import "window/bindings.wgsl"
//! import "window/store_vec4.wgsl"
//! import "gather/params.wgsl"
//! import "common/finish.wgsl"
//! import "window/taps.wgsl"
//! import "window/span_main.wgsl"

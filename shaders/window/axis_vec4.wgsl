// Entry of resample window/axis_vec4: the same with aligned vec4 stores.
//! import "window/bindings.wgsl"
//! import "window/store_vec4.wgsl"
//! import "gather/params.wgsl"
//! import "common/finish.wgsl"
//! import "window/axis_main.wgsl"

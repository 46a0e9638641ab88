// Entry of resample rows/tabled: W taps from uniform records, vec4<f32> loads.
//! import "rows/common.wgsl"
//! import "rows/src_f32.wgsl"
//! import "common/finish.wgsl"
//! import "rows/tabled_main.wgsl"

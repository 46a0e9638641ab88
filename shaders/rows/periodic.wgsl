// Entry of resample rows/periodic: lane groups whose W taps repeat (pipeline constants), vec4<f32> loads.
//! import "rows/common.wgsl"
//! import "rows/src_f32.wgsl"
//! import "common/finish.wgsl"
//! import "rows/taps.wgsl"
//! import "rows/periodic_main.wgsl"

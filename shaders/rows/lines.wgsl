// Entry of resample rows/lines: H-only passes, each input row loaded once per group of output rows, vec4<f32> loads.
//! import "rows/common.wgsl"
//! import "rows/src_f32.wgsl"
//! import "common/finish.wgsl"
//! import "rows/taps.wgsl"
//! import "rows/lines_main.wgsl"

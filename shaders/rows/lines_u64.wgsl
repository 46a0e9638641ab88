// Entry of resample rows/lines_u64: the same with 64-bit loads.
//! import "rows/common.wgsl"
//! import "rows/src_u64.wgsl"
//! import "common/finish.wgsl"
//! import "rows/taps.wgsl"
//! import "rows/lines_main.wgsl"

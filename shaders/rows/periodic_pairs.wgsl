// Entry of resample rows/periodic_pairs: the same loading pairs of vec4s as vec4<u64>s.
//! import "rows/common.wgsl"
//! import "rows/src_pairs.wgsl"
//! import "common/finish.wgsl"
//! import "rows/taps.wgsl"
//! import "rows/periodic_main.wgsl"

// Entry of resample rows/tabled_u8: the same on uint8 input (rows/src_u8.wgsl).
//! import "rows/common.wgsl"
//! import "rows/src_u8.wgsl"
//! import "common/finish.wgsl"
//! import "rows/tabled_main.wgsl"

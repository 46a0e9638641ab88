// Entry of strips/line_u64: the line kernel with 64-bit loads.
//! import "strips/src_u64.wgsl"
//! import "strips/line_main.wgsl"

// Entry of strips/row_u64: the row kernel with 64-bit loads.
//! import "strips/src_u64.wgsl"
//! import "strips/row_main.wgsl"

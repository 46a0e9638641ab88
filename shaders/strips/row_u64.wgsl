// Entry of strips/row_u64: the row kernel with 64-bit loads, for spans of at most 32.
//! import "strips/src_u64.wgsl"
//! import "strips/row_main.wgsl"

// The most span elements (weight vec4s) a lane keeps: the private array's length.
const WMAX: u32 = 32u;

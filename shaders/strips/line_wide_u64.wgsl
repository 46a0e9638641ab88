// Entry of strips/line_wide_u64: the line kernel with 64-bit loads, for spans of 40 to 64 (its
// longer private array costs compile time, so shorter spans take strips/line_u64).
//! import "strips/src_u64.wgsl"
//! import "strips/line_main.wgsl"

// The most span elements (weight vec4s) a lane keeps: the private array's length.
const WMAX: u32 = 64u;

// Entry of strips/row_u8: the row kernel on uint8 input (strips/src_u8.wgsl), for spans of
// at most 32.
//! import "strips/src_u8.wgsl"
//! import "strips/row_main.wgsl"

// The most span elements (weight vec4s) a lane keeps: the private array's length.
const WMAX: u32 = 32u;

// Entry of strips/line_u8: the line kernel on uint8 input (strips/src_u8.wgsl), for spans of
// at most 32.
//! import "strips/src_u8.wgsl"
//! import "strips/line_main.wgsl"

// The most span elements (weight vec4s) a lane keeps: the private array's length.
const WMAX: u32 = 32u;

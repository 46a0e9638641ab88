// Entry of strips/line_f32: the line kernel with vec4<f32> loads, for spans of at most 32.
//! import "strips/src_f32.wgsl"
//! import "strips/line_main.wgsl"

// The most span elements (weight vec4s) a lane keeps: the private array's length.
const WMAX: u32 = 32u;

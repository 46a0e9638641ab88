// Entry of strips/line_f32: the line kernel with vec4<f32> loads.
//! import "strips/src_f32.wgsl"
//! import "strips/line_main.wgsl"

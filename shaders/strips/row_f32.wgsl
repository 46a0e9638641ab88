// Entry of strips/row_f32: the row kernel with vec4<f32> loads.
//! import "strips/src_f32.wgsl"
//! import "strips/row_main.wgsl"

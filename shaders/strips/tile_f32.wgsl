// Entry of strips/tile_f32: the tile kernel with vec4<f32> loads.
//! import "strips/src_f32.wgsl"
//! import "strips/tile_main.wgsl"

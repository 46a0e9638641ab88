// Entry of strips/tile_u64: the tile kernel with 64-bit loads.
//! import "strips/src_u64.wgsl"
//! import "strips/tile_main.wgsl"

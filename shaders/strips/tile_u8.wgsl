// Entry of strips/tile_u8: the tile kernel on uint8 input (strips/src_u8.wgsl).
//! import "strips/src_u8.wgsl"
//! import "strips/tile_main.wgsl"

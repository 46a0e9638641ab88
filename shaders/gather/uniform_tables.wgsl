//! import "gather/params.wgsl"
//! import "common/finish.wgsl"
//! import "gather/main.wgsl"
// Entry of gather/uniform_tables: one pass of per-axis index/weight tables (the maths and the
// dispatch are in gather/params.wgsl), with the tables in a 64 KiB uniform binding and the
// input and output in storage bindings. The host packs each dispatch's table rows into one
// such binding (src/gpu/gather/tables.rs).

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<uniform> tables: array<vec4<u32>, 4096>;
@group(0) @binding(2) var<storage, read> src: array<f32>;
@group(0) @binding(3) var<storage, read_write> dst: array<f32>;

fn table_word(i: u32) -> u32 {
    return tables[i >> 2u][i & 3u];
}

fn src_at(i: u32) -> f32 {
    return src[i];
}

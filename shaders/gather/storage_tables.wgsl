//! import "gather/params.wgsl"
//! import "common/finish.wgsl"
//! import "gather/main.wgsl"
// Entry of gather/storage_tables: gather/uniform_tables.wgsl with the tables in a storage
// binding, for passes whose table rows exceed the uniform binding.

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> tables: array<u32>;
@group(0) @binding(2) var<storage, read> src: array<f32>;
@group(0) @binding(3) var<storage, read_write> dst: array<f32>;

fn table_word(i: u32) -> u32 {
    return tables[i];
}

fn src_at(i: u32) -> f32 {
    return src[i];
}

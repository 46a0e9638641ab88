// resample.gather: one separable pass of per-axis index/weight tables (see gather_common.wgsl,
// spliced below), with the tables in a uniform buffer: on lavapipe uniform loads cost a
// fraction of storage loads. Used when a pass's tables fit 64 KiB.

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

// resample.gather_window: gather.wgsl reading its input through a 64 KiB uniform window
// instead of a storage binding (see gather_common.wgsl, spliced below).
//
// Why: on CPU adapters (lavapipe/llvmpipe) a storage load whose address differs between
// lanes is a scalar loop over the 8 lanes with two branches per lane (about 20 cycles per
// value), while a uniform-buffer load is an unrolled, branch-free gather (about 1 cycle).
// The host cuts each pass into chunks whose input window fits 16384 floats and binds each
// chunk's window here (src/gpu/resampler.rs, `Kernel::Window`).

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<uniform> tables: array<vec4<u32>, 4096>;
@group(0) @binding(2) var<uniform> src: array<vec4<f32>, 4096>;
@group(0) @binding(3) var<storage, read_write> dst: array<f32>;

fn table_word(i: u32) -> u32 {
    return tables[i >> 2u][i & 3u];
}

fn src_at(i: u32) -> f32 {
    return src[i >> 2u][i & 3u];
}

// The row kernels' input as vec4<f32>s, spliced after rows/common.wgsl: for devices without 64-bit
// integers in shaders (wgpu's SHADER_INT64). See rows/src_u64.wgsl.
@group(0) @binding(5) var<storage, read> src: array<vec4<f32>>;

fn load(i: u32) -> vec4<f32> {
    return src[i];
}

// Pairs of vec4s are rows/src_pairs.wgsl's; here add_row loads single vec4s.
const PAIRS: bool = false;

fn load_pair(i: u32) -> array<vec4<f32>, 2> {
    return array<vec4<f32>, 2>(load(2u * i), load(2u * i + 1u));
}

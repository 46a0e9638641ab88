// The row kernels' input as pairs of 64-bit words, spliced after rows/common.wgsl where the device
// has 64-bit integers in shaders (wgpu's SHADER_INT64). The same bytes as vec4<f32>s: the
// binding, its offset and its stride (16 bytes) do not change, and the bits come back
// unchanged (NaN payloads included). lavapipe loads a storage vector one lane and one
// component at a time (a loop over the lanes with a bounds check per component), so two
// 64-bit components cost about half as much as four 32-bit ones: 1/4 antialiased bicubic's
// W pass took 6.2 ms against 7.7 in a probe on this project's VM.
@group(0) @binding(5) var<storage, read> src: array<vec2<u64>>;

// Little-endian, as every wgpu target: the first f32 is the low word.
fn load(i: u32) -> vec4<f32> {
    let v = src[i];
    return vec4<f32>(
        bitcast<f32>(u32(v.x)),
        bitcast<f32>(u32(v.x >> 32u)),
        bitcast<f32>(u32(v.y)),
        bitcast<f32>(u32(v.y >> 32u)),
    );
}

// Pairs of vec4s are rows/src_pairs.wgsl's; here add_row loads single vec4s.
const PAIRS: bool = false;

fn load_pair(i: u32) -> array<vec4<f32>, 2> {
    return array<vec4<f32>, 2>(load(2u * i), load(2u * i + 1u));
}

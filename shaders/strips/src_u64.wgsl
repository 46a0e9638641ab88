// The strips kernels' input as pairs of 64-bit words, where the device has 64-bit integers in
// shaders (SHADER_INT64): the same bytes as vec4<f32>s, in two components instead of four.
// lavapipe loads storage one lane and one component at a time, so wide components pay.
@group(0) @binding(2) var<storage, read> src: array<vec2<u64>>;

// Elements 4i .. 4i + 3 of the input binding (little-endian: the first f32 is the low word).
fn chunk(i: u32) -> vec4<f32> {
    let v = src[i];
    return vec4<f32>(
        bitcast<f32>(u32(v.x)),
        bitcast<f32>(u32(v.x >> 32u)),
        bitcast<f32>(u32(v.y)),
        bitcast<f32>(u32(v.y >> 32u)),
    );
}

// Element i of the input binding (one 64-bit component loaded).
fn element(i: u32) -> f32 {
    let w = src[i >> 2u][(i >> 1u) & 1u];
    return bitcast<f32>(u32(w >> (32u * (i & 1u))));
}

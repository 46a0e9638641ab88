// The strips kernels' input as uint8 elements, four to a 32-bit word: the first pass of a
// uint8 tensor reads its bytes where they are (no f32 copy). Element indices are those of the
// f32 kernels; chunk i is word i. The binding is the whole buffer (byte offsets need no
// alignment then): src_base counts from its start.
@group(0) @binding(2) var<storage, read> src: array<u32>;

// Elements 4i .. 4i + 3 of the input binding (little-endian: element 4i is the low byte).
fn chunk(i: u32) -> vec4<f32> {
    let w = src[i];
    return vec4<f32>(vec4<u32>(w, w >> 8u, w >> 16u, w >> 24u) & vec4<u32>(255u));
}

// Element i of the input binding (one word loaded).
fn element(i: u32) -> f32 {
    return f32((src[i >> 2u] >> (8u * (i & 3u))) & 255u);
}

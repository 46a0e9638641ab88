// The row kernels' input as uint8 elements, four to a 32-bit word, spliced after
// rows/common.wgsl: the first pass of a uint8 tensor reads its bytes where they are (no f32
// copy). Element indices are those of the f32 kernels; vec4 i is word i. The binding is the
// whole buffer (byte offsets need no alignment then): src_base counts from its start.
@group(0) @binding(5) var<storage, read> src: array<u32>;

// Little-endian, as every wgpu target: element 4i is the low byte of word i.
fn load(i: u32) -> vec4<f32> {
    let w = src[i];
    return vec4<f32>(vec4<u32>(w, w >> 8u, w >> 16u, w >> 24u) & vec4<u32>(255u));
}

// Pairs of vec4s are rows/src_pairs.wgsl's; here add_row loads single words.
const PAIRS: bool = false;

fn load_pair(i: u32) -> array<vec4<f32>, 2> {
    return array<vec4<f32>, 2>(load(2u * i), load(2u * i + 1u));
}

// The row kernels' input as vec4s of 64-bit words, two vec4<f32>s per load, spliced after
// rows/common.wgsl: for rows/periodic_main.wgsl parts whose every input row starts at a multiple of 8
// elements (src/gpu/rows.rs checks the strides, offsets and bindings, and that the binding
// ends at a whole pair), on devices with SHADER_INT64. lavapipe's loop over the lanes of a
// load has a fixed cost on top of its per-component one, so a vec4<u64> (32 bytes) costs
// less than two vec2<u64>s: 5.6 against 6.3 ms for the 1/4 antialiased bicubic's W pass in
// a probe. Same bits as rows/src_u64.wgsl.
@group(0) @binding(5) var<storage, read> src: array<vec4<u64>>;

const PAIRS: bool = true;

fn floats(lo: u64, hi: u64) -> vec4<f32> {
    return vec4<f32>(
        bitcast<f32>(u32(lo)),
        bitcast<f32>(u32(lo >> 32u)),
        bitcast<f32>(u32(hi)),
        bitcast<f32>(u32(hi >> 32u)),
    );
}

// vec4s 2i and 2i + 1 of the input (little-endian: the first f32 is the low word).
fn load_pair(i: u32) -> array<vec4<f32>, 2> {
    let v = src[i];
    return array<vec4<f32>, 2>(floats(v.x, v.y), floats(v.z, v.w));
}

// vec4 i alone (add_row does not use it with PAIRS).
fn load(i: u32) -> vec4<f32> {
    return load_pair(i >> 1u)[i & 1u];
}

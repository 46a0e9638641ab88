// resample.unpack: widen a uint8 or float16 tensor to float32 (KIND 0: uint8, 1: float16).
//
// `src` is bound as 32-bit words from an aligned start; element i of the tensor sits at byte
// `byte_base + i * size` of that window. `dst` is an f32 scratch buffer bound from a vec4 (its
// binding rounded up to whole vec4s: scratch buffers are padded to 16 bytes). A lane widens
// four elements: one or two words of uint8, two or three of float16, and one vec4 store
// (lavapipe runs every storage access as a loop over the lanes: fewer, wider ones pay). The
// CPU twin is `Element::decode` in src/gpu/tensor.rs.

struct Params {
    count: u32,
    byte_base: u32,
    kind: u32,
    // Element offset of element 0 in `dst` (a multiple of 4).
    dst_base: u32,
}

override KIND: u32 = 0u;

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> src: array<u32>;
@group(0) @binding(2) var<storage, read_write> dst: array<vec4<f32>>;

// The 32 bits from bit `sh` (0, 8, 16 or 24) of word q on: word q's high bits, then word
// q + 1's low bits (only loaded where sh is not 0).
fn funnel(q: u32, sh: u32) -> u32 {
    var w = src[q];
    if (sh != 0u) {
        w = (w >> sh) | (src[q + 1u] << (32u - sh));
    }
    return w;
}

@compute @workgroup_size(64, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
    let quads = (p.count + 3u) / 4u;
    for (var k = gid.x; k < quads; k += nwg.x * 64u) {
        var v: vec4<f32>;
        if (KIND == 0u) {
            let b = p.byte_base + 4u * k;
            let w = funnel(b >> 2u, (b & 3u) * 8u);
            v = vec4<f32>((vec4<u32>(w) >> vec4<u32>(0u, 8u, 16u, 24u)) & vec4<u32>(0xffu));
        } else {
            let b = p.byte_base + 8u * k;
            let sh = (b & 3u) * 8u;
            v = vec4<f32>(
                unpack2x16float(funnel(b >> 2u, sh)),
                unpack2x16float(funnel((b >> 2u) + 1u, sh)),
            );
        }
        dst[(p.dst_base >> 2u) + k] = v;
    }
}

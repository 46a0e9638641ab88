// resample.pack: narrow a float32 tensor to uint8 or float16 (KIND 0: uint8, 1: float16).
//
// One invocation owns one 32-bit word of the output window, so no two invocations write the
// same word; only the window's first and last words, which may hold bytes outside the tensor,
// are read back and those bytes kept. uint8 values are rounded half up and saturated (they
// already are after a uint8 plan); float16 uses WGSL's pack2x16float. `src` is an f32 scratch
// buffer bound from a vec4. The CPU twin is `Element::encode` in src/gpu/tensor.rs.

struct Params {
    count: u32,
    byte_base: u32,
    kind: u32,
    words: u32,
    // Element offset of element 0 in `src` (a multiple of 4).
    src_base: u32,
    _pad0: u32,
    _pad1: u32,
    _pad2: u32,
}

override KIND: u32 = 0u;

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> src: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read_write> dst: array<u32>;

// Elements e .. e + 3 of the tensor (e may be below 0 or past the end: those components are
// whatever the bounds-checked loads give, and never stored).
fn quad(e: i32) -> vec4<f32> {
    let q = (i32(p.src_base) + e) >> 2u;
    let sh = u32(e) & 3u;
    let a = src[max(q, 0)];
    if (sh == 0u) {
        return a;
    }
    let b = src[q + 1];
    let lo = select(a, vec4<f32>(a.yzw, b.x), sh == 1u);
    let hi = select(vec4<f32>(a.zw, b.xy), vec4<f32>(a.w, b.xyz), sh == 3u);
    return select(lo, hi, sh >= 2u);
}

@compute @workgroup_size(64, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
    for (var k = gid.x; k < p.words; k += nwg.x * 64u) {
        // The word's bytes as elements of the tensor (uint8: four; float16: two), and the
        // mask of the word's bits that belong to it.
        var word: u32;
        var mine = 0u;
        if (KIND == 0u) {
            let e = i32(4u * k) - i32(p.byte_base);
            let v = quad(e);
            let b = vec4<u32>(clamp(floor(v + 0.5), vec4<f32>(0.0), vec4<f32>(255.0)));
            word = b.x | (b.y << 8u) | (b.z << 16u) | (b.w << 24u);
            for (var j = 0; j < 4; j++) {
                if (e + j >= 0 && u32(e + j) < p.count) {
                    mine |= 0xffu << (8u * u32(j));
                }
            }
        } else {
            // byte_base is even: the word holds elements e and e + 1.
            let e = (i32(4u * k) - i32(p.byte_base)) >> 1u;
            let v = quad(e);
            word = pack2x16float(v.xy);
            for (var j = 0; j < 2; j++) {
                if (e + j >= 0 && u32(e + j) < p.count) {
                    mine |= 0xffffu << (16u * u32(j));
                }
            }
        }
        if (mine != 0xffffffffu) {
            // Keep the bits of the bytes outside the tensor exactly (a float16 NaN included).
            word = (word & mine) | (dst[k] & ~mine);
        }
        dst[k] = word;
    }
}

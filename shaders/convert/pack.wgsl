// resample.pack: narrow a float32 tensor to uint8 or float16.
//
// One invocation owns one 32-bit word of the output window, so no two invocations write the
// same word; bytes of that word outside the tensor are read back and kept. uint8 values are
// rounded half up and saturated (they already are after a uint8 plan); float16 uses WGSL's
// pack2x16float. The CPU twin is `Element::encode` in src/gpu/tensor.rs.

struct Params {
    count: u32,
    byte_base: u32,
    kind: u32,   // 0: uint8, 1: float16
    words: u32,
    src_base: u32,
    _pad0: u32,
    _pad1: u32,
    _pad2: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> src: array<f32>;
@group(0) @binding(2) var<storage, read_write> dst: array<u32>;

fn value(i: u32) -> f32 {
    return src[p.src_base + i];
}

@compute @workgroup_size(64, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
    for (var k = gid.x; k < p.words; k += nwg.x * 64u) {
        var word = dst[k];
        if (p.kind == 0u) {
            for (var j = 0u; j < 4u; j++) {
                let b = 4u * k + j;
                if (b >= p.byte_base && b - p.byte_base < p.count) {
                    let v = u32(clamp(floor(value(b - p.byte_base) + 0.5), 0.0, 255.0));
                    word = (word & ~(0xffu << (8u * j))) | (v << (8u * j));
                }
            }
        } else {
            var halves = unpack2x16float(word);
            let b0 = 4u * k;
            if (b0 >= p.byte_base && ((b0 - p.byte_base) >> 1u) < p.count) {
                halves.x = value((b0 - p.byte_base) >> 1u);
            }
            let b1 = 4u * k + 2u;
            if (b1 >= p.byte_base && ((b1 - p.byte_base) >> 1u) < p.count) {
                halves.y = value((b1 - p.byte_base) >> 1u);
            }
            // Keep the bits of a half outside the tensor exactly (unpack/pack could change a NaN).
            let packed = pack2x16float(halves);
            let keep_lo = !(b0 >= p.byte_base && ((b0 - p.byte_base) >> 1u) < p.count);
            let keep_hi = !(b1 >= p.byte_base && ((b1 - p.byte_base) >> 1u) < p.count);
            let lo = select(packed & 0xffffu, word & 0xffffu, keep_lo);
            let hi = select(packed & 0xffff0000u, word & 0xffff0000u, keep_hi);
            word = lo | hi;
        }
        dst[k] = word;
    }
}

// resample.unpack: widen a uint8 or float16 tensor to float32, element by element.
//
// `src` is bound as 32-bit words from an aligned start; element i of the tensor sits at byte
// `byte_base + i * size` of that window. The CPU twin is `Element::decode` in src/gpu/tensor.rs.

struct Params {
    count: u32,
    byte_base: u32,
    kind: u32,   // 0: uint8, 1: float16
    dst_base: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> src: array<u32>;
@group(0) @binding(2) var<storage, read_write> dst: array<f32>;

@compute @workgroup_size(64, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
    for (var i = gid.x; i < p.count; i += nwg.x * 64u) {
        var v: f32;
        if (p.kind == 0u) {
            let b = p.byte_base + i;
            v = f32((src[b >> 2u] >> ((b & 3u) * 8u)) & 0xffu);
        } else {
            let b = p.byte_base + 2u * i;
            let halves = unpack2x16float(src[b >> 2u]);
            v = select(halves.x, halves.y, ((b >> 1u) & 1u) == 1u);
        }
        dst[p.dst_base + i] = v;
    }
}

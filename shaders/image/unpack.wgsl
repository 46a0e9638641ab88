// resample.image_unpack: interleaved image samples (SAMPLE 0: u8, 1: u16, 2: f16, 3: f32;
// rows `p.stride` samples apart from sample `p.base` of the bound words) to one plane
// (`p.channel`) of the planar `C, H, W` f32 tensor the kernels read, for a band of rows, as
// the image API prepares it: for the uint8 kernels 0..=255 values, colour premultiplied in 8
// bits; for float filtering values divided by `p.max`, sRGB decoded and colour multiplied by
// alpha where the flags say. One lane per pixel. The CPU twin is `prepare` in
// src/image/light.rs (f64 there, f32 here).
//! import "image/common.wgsl"

@group(0) @binding(1) var<storage, read> src: array<u32>;
@group(0) @binding(2) var<storage, read_write> plane: array<f32>;

// Sample i of the bound words.
fn sample_at(i: u32) -> f32 {
    if (SAMPLE == 0u) {
        return f32((src[i >> 2u] >> ((i & 3u) * 8u)) & 0xffu);
    } else if (SAMPLE == 1u) {
        return f32((src[i >> 1u] >> ((i & 1u) * 16u)) & 0xffffu);
    } else if (SAMPLE == 2u) {
        return unpack2x16float(src[i >> 1u])[i & 1u];
    }
    return bitcast<f32>(src[i]);
}

@compute @workgroup_size(64, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
    let i = gid.x + gid.y * nwg.x * 64u;
    if (i >= p.width * p.rows) {
        return;
    }
    let at = p.base + (i / p.width) * p.stride + (i % p.width) * p.channels;
    let c = p.channel;
    let v = sample_at(at + c);
    let has_alpha = p.alpha < p.channels;
    if (!has_alpha || c == p.alpha) {
        if ((p.flags & FLAG_UINT8) != 0u) {
            plane[p.colour_base + i] = v;
            return;
        }
        var u = v / p.max;
        if (c != p.alpha && (p.flags & FLAG_LINEAR) != 0u) {
            u = srgb_to_linear(u);
        }
        plane[p.colour_base + i] = u;
        return;
    }
    let premultiply = (p.flags & FLAG_PREMULTIPLY) != 0u;
    let a = sample_at(at + p.alpha);
    if ((p.flags & FLAG_UINT8) != 0u) {
        let u = u32(v);
        plane[p.colour_base + i] = select(v, f32((2u * u * u32(a) + 255u) / 510u), premultiply);
        return;
    }
    let af = a / p.max;
    var u = v / p.max;
    if ((p.flags & FLAG_LINEAR) != 0u) {
        if ((p.flags & FLAG_PREMULTIPLIED) != 0u && af > 0.0) {
            u = srgb_to_linear(u / af) * af;
        } else {
            u = srgb_to_linear(u);
        }
    }
    plane[p.colour_base + i] = select(u, u * af, premultiply);
}

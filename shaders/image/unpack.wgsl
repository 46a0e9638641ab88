// resample.image_unpack: interleaved image samples (SAMPLE 0: u8, 1: u16, 2: f16, 3: f32;
// rows `p.stride` samples apart from sample `p.base` of the bound words) to the planar
// `C, H, W` f32 tensor the kernels read, for a band of rows (each plane's band bound on its
// own: `plane0` .. `plane3`), as the image API prepares it: for the uint8 kernels 0..=255
// values, colour premultiplied in 8 bits; for float filtering values divided by `p.max`,
// sRGB decoded and colour multiplied by alpha where the flags say. One lane per pixel. The
// CPU twin is `prepare` in src/image/light.rs (f64 there, f32 here).
//! import "image/common.wgsl"

@group(0) @binding(1) var<storage, read> src: array<u32>;
@group(0) @binding(2) var<storage, read_write> plane0: array<f32>;
@group(0) @binding(3) var<storage, read_write> plane1: array<f32>;
@group(0) @binding(4) var<storage, read_write> plane2: array<f32>;
@group(0) @binding(5) var<storage, read_write> plane3: array<f32>;

// The pixel's samples from sample `at` of the bound words (those past `p.channels` are
// whatever the bounds-checked loads give, and never used).
fn samples(at: u32) -> array<f32, 4> {
    var v: array<f32, 4>;
    if (SAMPLE == 0u) {
        // Up to 4 bytes from byte `at`: two words.
        let q = at >> 2u;
        let lo = src[q];
        let hi = src[q + 1u];
        let sh = (at & 3u) * 8u;
        let w = select((lo >> sh) | (hi << ((32u - sh) & 31u)), lo, sh == 0u);
        v[0] = f32(w & 0xffu);
        v[1] = f32((w >> 8u) & 0xffu);
        v[2] = f32((w >> 16u) & 0xffu);
        v[3] = f32(w >> 24u);
    } else if (SAMPLE == 3u) {
        for (var c = 0u; c < p.channels; c++) {
            v[c] = bitcast<f32>(src[at + c]);
        }
    } else {
        // Up to 4 halves from half `at`: three words.
        let q = at >> 1u;
        let w0 = src[q];
        let w1 = src[q + 1u];
        let w2 = src[q + 2u];
        let odd = (at & 1u) == 1u;
        let a = select(w0, (w0 >> 16u) | (w1 << 16u), odd);
        let b = select(w1, (w1 >> 16u) | (w2 << 16u), odd);
        if (SAMPLE == 1u) {
            v[0] = f32(a & 0xffffu);
            v[1] = f32(a >> 16u);
            v[2] = f32(b & 0xffffu);
            v[3] = f32(b >> 16u);
        } else {
            let h0 = unpack2x16float(a);
            let h1 = unpack2x16float(b);
            v[0] = h0.x;
            v[1] = h0.y;
            v[2] = h1.x;
            v[3] = h1.y;
        }
    }
    return v;
}

// Sample value v of channel c, with alpha a (both as loaded), ready for the kernels.
fn prepared(v: f32, c: u32, a: f32) -> f32 {
    let has_alpha = p.alpha < p.channels;
    if (!has_alpha || c == p.alpha) {
        if ((p.flags & FLAG_UINT8) != 0u) {
            return v;
        }
        var u = v / p.max;
        if (c != p.alpha && (p.flags & FLAG_LINEAR) != 0u) {
            u = srgb_to_linear(u);
        }
        return u;
    }
    let premultiply = (p.flags & FLAG_PREMULTIPLY) != 0u;
    if ((p.flags & FLAG_UINT8) != 0u) {
        return select(v, f32((2u * u32(v) * u32(a) + 255u) / 510u), premultiply);
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
    return select(u, u * af, premultiply);
}

@compute @workgroup_size(64, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
    let i = gid.x + gid.y * nwg.x * 64u;
    if (i >= p.width * p.rows) {
        return;
    }
    let v = samples(p.base + (i / p.width) * p.stride + (i % p.width) * p.channels);
    let a = v[min(p.alpha, 3u)];
    plane0[p.colour_base + i] = prepared(v[0], 0u, a);
    if (p.channels > 1u) {
        plane1[p.alpha_base + i] = prepared(v[1], 1u, a);
    }
    if (p.channels > 2u) {
        plane2[p.base2 + i] = prepared(v[2], 2u, a);
    }
    if (p.channels > 3u) {
        plane3[p.base3 + i] = prepared(v[3], 3u, a);
    }
}

// resample.image_pack: one plane (`p.channel`) of the planar `C, H, W` f32 result, for a
// band of rows, back to its samples of the interleaved image (SAMPLE as image/unpack.wgsl):
// the inverse of image/unpack.wgsl. Colour is divided by alpha (0 where alpha is 0), sRGB
// encoded, integer samples rounded half up and saturated (NaN to 0). One lane per 32-bit
// word of the destination binding; the word's other samples (other channels, padding
// between rows, bytes around the image) keep their bits. The CPU twin is `finish` in
// src/image/light.rs.
//! import "image/common.wgsl"

@group(0) @binding(1) var<storage, read> colour: array<f32>;
// The alpha plane's band (the colour plane's where there is no alpha).
@group(0) @binding(2) var<storage, read> alpha: array<f32>;
@group(0) @binding(3) var<storage, read_write> dst: array<u32>;

// The stored bits of finished value v for SAMPLE.
fn bits(v: f32) -> u32 {
    if (SAMPLE == 0u || SAMPLE == 1u) {
        let full = select(65535.0, 255.0, SAMPLE == 0u);
        return u32(select(clamp(floor(v + 0.5), 0.0, full), 0.0, v != v));
    } else if (SAMPLE == 2u) {
        return pack2x16float(vec2<f32>(v, 0.0)) & 0xffffu;
    }
    return bitcast<u32>(v);
}

// The finished value of the plane's pixel i.
fn value(i: u32) -> f32 {
    var v = colour[p.colour_base + i];
    let has_alpha = p.alpha < p.channels;
    if (!has_alpha || p.channel == p.alpha) {
        if ((p.flags & FLAG_UINT8) != 0u) {
            return v;
        }
        if (p.channel != p.alpha && (p.flags & FLAG_LINEAR) != 0u) {
            v = linear_to_srgb(v);
        }
        return v * p.max;
    }
    let premultiply = (p.flags & FLAG_PREMULTIPLY) != 0u;
    if ((p.flags & FLAG_UINT8) != 0u) {
        let a = u32(alpha[p.alpha_base + i]);
        let u = u32(max(v, 0.0));
        let straight = select(f32(min((2u * u * 255u + a) / (2u * max(a, 1u)), 255u)), 0.0, a == 0u);
        return select(v, straight, premultiply);
    }
    let a = alpha[p.alpha_base + i];
    if (premultiply) {
        v = select(0.0, v / a, a > 0.0);
    }
    if ((p.flags & FLAG_LINEAR) != 0u) {
        if ((p.flags & FLAG_PREMULTIPLIED) != 0u && a > 0.0) {
            v = linear_to_srgb(v / a) * a;
        } else {
            v = linear_to_srgb(v);
        }
    }
    return v * p.max;
}

@compute @workgroup_size(64, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
    let k = gid.x + gid.y * nwg.x * 64u;
    if (k >= p.words) {
        return;
    }
    // Samples per word, and the bits of one.
    var per = 1u;
    var width = 32u;
    if (SAMPLE == 0u) {
        per = 4u;
        width = 8u;
    } else if (SAMPLE != 3u) {
        per = 2u;
        width = 16u;
    }
    let field = select((1u << (width & 31u)) - 1u, 0xffffffffu, width == 32u);
    let row = p.width * p.channels;
    var word = 0u;
    var mine = 0u;
    for (var j = 0u; j < per; j++) {
        let s = k * per + j;
        if (s < p.base) {
            continue;
        }
        let y = (s - p.base) / p.stride;
        let xc = (s - p.base) % p.stride;
        if (y >= p.rows || xc >= row || xc % p.channels != p.channel) {
            continue;
        }
        let shift = j * width;
        word |= (bits(value(y * p.width + xc / p.channels)) & field) << shift;
        mine |= field << shift;
    }
    if (mine == 0u) {
        return;
    }
    if (mine != 0xffffffffu) {
        word = (word & mine) | (dst[k] & ~mine);
    }
    dst[k] = word;
}

// resample.texels_unpack: texels copied out of a texture (rows of `row_words` 32-bit words)
// to interleaved f32 channels (H, W, C: channels-last), decoding the format; sRGB is decoded to linear light.
// The CPU twin is `TexelFormat::decode` in src/gpu/texture.rs.

struct Params {
    width: u32,
    height: u32,
    row_words: u32,
    format: u32,  // 0 rgba8unorm, 1 rgba8unorm-srgb, 2 rgba16float, 3 rgba32float, 4 r32float
    // Element offset of this band's first texel in the bound f32 window.
    base: u32,
    _pad0: u32,
    _pad1: u32,
    _pad2: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> texels: array<u32>;
@group(0) @binding(2) var<storage, read_write> planes: array<f32>;

fn srgb_to_linear(c: f32) -> f32 {
    if (c <= 0.04045) {
        return c / 12.92;
    }
    return pow((c + 0.055) / 1.055, 2.4);
}

@compute @workgroup_size(64, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
    let x = gid.x;
    let y = gid.y;
    if (x >= p.width || y >= p.height) {
        return;
    }
    let at = p.base + (y * p.width + x) * select(4u, 1u, p.format == 4u);
    var v = vec4<f32>(0.0);
    var channels = 4u;
    switch (p.format) {
        case 0u, 1u: {
            v = unpack4x8unorm(texels[y * p.row_words + x]);
            if (p.format == 1u) {
                v = vec4<f32>(srgb_to_linear(v.x), srgb_to_linear(v.y), srgb_to_linear(v.z), v.w);
            }
        }
        case 2u: {
            let w = y * p.row_words + 2u * x;
            v = vec4<f32>(unpack2x16float(texels[w]), unpack2x16float(texels[w + 1u]));
        }
        case 3u: {
            let w = y * p.row_words + 4u * x;
            v = vec4<f32>(bitcast<f32>(texels[w]), bitcast<f32>(texels[w + 1u]), bitcast<f32>(texels[w + 2u]), bitcast<f32>(texels[w + 3u]));
        }
        default: {
            v.x = bitcast<f32>(texels[y * p.row_words + x]);
            channels = 1u;
        }
    }
    planes[at] = v.x;
    if (channels == 4u) {
        planes[at + 1u] = v.y;
        planes[at + 2u] = v.z;
        planes[at + 3u] = v.w;
    }
}

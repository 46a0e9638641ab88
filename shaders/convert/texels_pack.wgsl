// resample.texels_pack: interleaved f32 channels (H, W, C: channels-last) to texel rows for a texture copy,
// encoding the format (unorm: clamp to [0, 1], round to nearest; sRGB from linear light).
// One invocation writes the whole words of one texel. The CPU twin is
// `TexelFormat::encode` in src/gpu/texture.rs.

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
@group(0) @binding(1) var<storage, read> planes: array<f32>;
@group(0) @binding(2) var<storage, read_write> texels: array<u32>;

fn linear_to_srgb(c: f32) -> f32 {
    if (c <= 0.0031308) {
        return c * 12.92;
    }
    return 1.055 * pow(c, 1.0 / 2.4) - 0.055;
}

@compute @workgroup_size(64, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
    let x = gid.x;
    let y = gid.y;
    if (x >= p.width || y >= p.height) {
        return;
    }
    let at = p.base + (y * p.width + x) * select(4u, 1u, p.format == 4u);
    if (p.format == 4u) {
        texels[y * p.row_words + x] = bitcast<u32>(planes[at]);
        return;
    }
    var v = vec4<f32>(planes[at], planes[at + 1u], planes[at + 2u], planes[at + 3u]);
    switch (p.format) {
        case 0u, 1u: {
            v = clamp(v, vec4<f32>(0.0), vec4<f32>(1.0));
            if (p.format == 1u) {
                v = vec4<f32>(linear_to_srgb(v.x), linear_to_srgb(v.y), linear_to_srgb(v.z), v.w);
            }
            let b = vec4<u32>(floor(v * 255.0 + 0.5));
            texels[y * p.row_words + x] = b.x | (b.y << 8u) | (b.z << 16u) | (b.w << 24u);
        }
        case 2u: {
            let w = y * p.row_words + 2u * x;
            texels[w] = pack2x16float(v.xy);
            texels[w + 1u] = pack2x16float(v.zw);
        }
        default: {
            let w = y * p.row_words + 4u * x;
            texels[w] = bitcast<u32>(v.x);
            texels[w + 1u] = bitcast<u32>(v.y);
            texels[w + 2u] = bitcast<u32>(v.z);
            texels[w + 3u] = bitcast<u32>(v.w);
        }
    }
}

// The image conversions' parameters and sRGB (src/gpu/pixels.rs `PixelParams`, mirrored
// field by field and checked against this text by a test).

struct PixelParams {
    // The band of the image one dispatch converts: pixels per row and rows, samples per
    // pixel (1 to 4), samples from one row to the next, and the sample of the band's first
    // pixel in the bound words.
    width: u32,
    rows: u32,
    channels: u32,
    stride: u32,
    base: u32,
    // The alpha sample (4: none handled), FLAG_* bits, and full intensity (255, 65535, or 1
    // for float samples; 1 for the uint8 kernels' values).
    alpha: u32,
    flags: u32,
    max: f32,
    // The channel (plane) a pack dispatch converts, and the words it owns.
    channel: u32,
    words: u32,
    // The band's first value in the bound colour and alpha planes (pack), or in planes 0
    // and 1 (unpack, whose planes 2 and 3 start at `base2`, `base3`).
    colour_base: u32,
    alpha_base: u32,
    base2: u32,
    base3: u32,
    _pad0: u32,
    _pad1: u32,
}

// The uint8 kernels' values (0..=255) and 8-bit premultiplication.
const FLAG_UINT8: u32 = 1u;
// Straight alpha: multiply colour by alpha before filtering, divide after.
const FLAG_PREMULTIPLY: u32 = 2u;
// sRGB decoded before filtering, encoded after.
const FLAG_LINEAR: u32 = 4u;
// The colour is premultiplied already (linear light decodes colour / alpha).
const FLAG_PREMULTIPLIED: u32 = 8u;

override SAMPLE: u32 = 0u;

@group(0) @binding(0) var<uniform> p: PixelParams;

// sRGB's transfer functions (IEC 61966-2-1), odd around 0.
fn srgb_to_linear(c: f32) -> f32 {
    let a = abs(c);
    let l = select(pow((a + 0.055) / 1.055, 2.4), a / 12.92, a <= 0.04045);
    return select(l, -l, c < 0.0);
}

fn linear_to_srgb(l: f32) -> f32 {
    let a = abs(l);
    let c = select(1.055 * pow(a, 1.0 / 2.4) - 0.055, 12.92 * a, a <= 0.0031308);
    return select(c, -c, l < 0.0);
}

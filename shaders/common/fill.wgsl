// resample.fill: ONNX's extrapolation_value. Every output element outside the inside range
// of some axis (tf_crop_and_resize coordinates that left the input) takes `value`; the
// passes before gave those elements no taps. One invocation per element of the chunk, in
// N, C, D, H, W order; elements inside are left as they are. The CPU twin is `Fill::covers`
// in src/plan/mod.rs, applied by `reference::run_plan`.

struct Params {
    value: f32,
    // Elements in this dispatch, and the logical index of the first.
    count: u32,
    first: u32,
    channels: u32,
    // Output sizes D, H, W (w in .z).
    dims: vec4<u32>,
    // Element strides of N, C, D, H (w stride in `w_stride`), relative to the binding.
    strides: vec4<u32>,
    w_stride: u32,
    base: u32,
    _pad0: u32,
    _pad1: u32,
    // Inside ranges [start, end) of D, H, W: (d0, d1, h0, h1), then (w0, w1).
    inside_dh: vec4<u32>,
    inside_w: vec4<u32>,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> dst: array<f32>;

@compute @workgroup_size(64, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
    let i = gid.x + gid.y * nwg.x * 64u;
    if (i >= p.count) {
        return;
    }
    let e = p.first + i;
    let w = e % p.dims.z;
    let h = (e / p.dims.z) % p.dims.y;
    let d = (e / (p.dims.z * p.dims.y)) % p.dims.x;
    let plane = e / (p.dims.z * p.dims.y * p.dims.x);
    let n = plane / p.channels;
    let c = plane % p.channels;
    let inside = d >= p.inside_dh.x && d < p.inside_dh.y
        && h >= p.inside_dh.z && h < p.inside_dh.w
        && w >= p.inside_w.x && w < p.inside_w.y;
    if (!inside) {
        let at = p.base + n * p.strides.x + c * p.strides.y + d * p.strides.z + h * p.strides.w
            + w * p.w_stride;
        dst[at] = p.value;
    }
}

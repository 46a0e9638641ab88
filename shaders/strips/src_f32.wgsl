// The strips kernels' input and table as vec4<f32>s: every adapter.
@group(0) @binding(2) var<storage, read> src: array<vec4<f32>>;

// Elements 4i .. 4i + 3 of the input binding.
fn chunk(i: u32) -> vec4<f32> {
    return src[i];
}

// Element i of the input binding (one component loaded).
fn element(i: u32) -> f32 {
    return src[i >> 2u][i & 3u];
}

// resample.copy: the adapter's bandwidth yardstick for `resample bench`: a vec4 copy, each
// invocation moving 16 bytes per step of a grid-stride loop.

@group(0) @binding(0) var<storage, read> src: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read_write> dst: array<vec4<f32>>;

@compute @workgroup_size(64, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
    let n = arrayLength(&dst);
    for (var i = gid.x; i < n; i += nwg.x * 64u) {
        dst[i] = src[i];
    }
}

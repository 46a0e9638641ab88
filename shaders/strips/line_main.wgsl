// The strips line kernel (entries strips/line_f32.wgsl, strips/line_u64.wgsl): a pass along an axis whose elements are `p.src_line` apart, with an
// inner block of `p.inner` contiguous elements per line (H or D of NCHW, or any axis of a
// channels-last tensor with four or more channels).
//
// A lane takes one group of four output lines and `p.per_lane` chunks of four inner
// elements: it loads the group's record and SPAN weight vec4s once, then for each chunk
// loads the chunk from each of the SPAN input lines from the group's span start and stores
// the chunk of each of the four output lines. ALIGNED pipelines have every line and chunk
// at multiples of 4 elements (vec4 loads and stores); the others load and store scalars.
//
// Dispatch: lanes (64 per workgroup) in x, then y rows of x workgroups; lane l takes the
// block of chunks l % blocks of group (l / blocks) % groups of outer block
// l / (blocks * groups): adjacent lanes take adjacent chunks of the same lines.
//! import "strips/params.wgsl"
//! import "common/finish.wgsl"

override SPAN: u32 = 8u;
override ALIGNED: bool = true;

@group(0) @binding(3) var<storage, read_write> dst: array<vec4<f32>>;

// Four inner elements from element e: one vec4, or four scalars. Elements past the line's
// inner block repeat its last (`tail`: how many of the four are inside).
fn load4(e: u32, tail: u32) -> vec4<f32> {
    if (ALIGNED) {
        return chunk(e >> 2u);
    }
    return vec4<f32>(
        element(e),
        element(e + min(1u, tail - 1u)),
        element(e + min(2u, tail - 1u)),
        element(e + min(3u, tail - 1u)),
    );
}

@compute @workgroup_size(64, 1, 1)
fn main(
    @builtin(global_invocation_id) gid: vec3<u32>,
    @builtin(num_workgroups) nwg: vec3<u32>,
) {
    let chunks = (p.inner + 3u) / 4u;
    let blocks = (chunks + p.per_lane - 1u) / p.per_lane;
    let lane = gid.x + gid.y * nwg.x * 64u;
    let block = lane % blocks;
    let group = (lane / blocks) % p.groups;
    let outer = lane / (blocks * p.groups);
    if (outer >= p.count) {
        return;
    }
    let record = table[p.records + group];
    let start = record.x;
    var w: array<vec4<f32>, WMAX>;
    for (var s = 0u; s < SPAN; s++) {
        w[s] = bitcast<vec4<f32>>(table[record.y + s]);
    }
    let src0 = p.src_base + outer * p.src_step + start * p.src_line;
    let dst0 = p.dst_base + outer * p.dst_step;
    // Output lines past the axis' last rewrite the last one (the same values, no branch).
    let last = p.out_len - 1u;
    let first = block * p.per_lane;
    let n = min(p.per_lane, chunks - min(first, chunks));
    for (var k = 0u; k < n; k++) {
        let i = 4u * (first + k);
        let tail = min(4u, p.inner - i);
        var acc: array<vec4<f32>, 4>;
        for (var s = 0u; s < SPAN; s++) {
            let x = load4(src0 + s * p.src_line + i, tail);
            acc[0] += tap1(w[s].x, x);
            acc[1] += tap1(w[s].y, x);
            acc[2] += tap1(w[s].z, x);
            acc[3] += tap1(w[s].w, x);
        }
        for (var j = 0u; j < 4u; j++) {
            let e = dst0 + min(4u * group + j, last) * p.dst_line + i;
            let v = finished(acc[j]);
            if (ALIGNED) {
                dst[e >> 2u] = v;
            } else {
                for (var t = 0u; t < 4u; t++) {
                    let at = e + min(t, tail - 1u);
                    dst[at >> 2u][at & 3u] = v[t];
                }
            }
        }
    }
}
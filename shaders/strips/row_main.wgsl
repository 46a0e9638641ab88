// The strips row kernel (entries strips/row_f32.wgsl, strips/row_u64.wgsl): a pass along the contiguous axis of rows (W of NCHW, or W of a
// channels-last tensor with CHANNELS interleaved channels per pixel, 1 to 3).
//
// A lane takes one group of four output pixels and `p.per_lane` consecutive rows: it loads
// the group's record and SPAN weight vec4s once, then for each row loads the SPAN input
// pixels from the group's span start (SPAN * CHANNELS elements, as vec4 chunks), and stores
// the group's 4 * CHANNELS outputs. ALIGNED pipelines have every row, span start and output
// group at multiples of 4 elements (vec4 loads and stores); the others load each chunk from
// the two it straddles and store scalars.
//
// Dispatch: lanes (64 per workgroup) in x, then y rows of x workgroups; lane l takes group
// l % groups of the block of rows l / groups.
//! import "strips/params.wgsl"
//! import "common/finish.wgsl"

override SPAN: u32 = 8u;
override CHANNELS: u32 = 1u;
override ALIGNED: bool = true;

@group(0) @binding(3) var<storage, read_write> dst: array<vec4<f32>>;

// Elements sh .. sh + 3 of the eight elements of chunks a, b (sh = 0 .. 3).
fn shifted(a: vec4<f32>, b: vec4<f32>, sh: u32) -> vec4<f32> {
    let lo = select(a, vec4<f32>(a.yzw, b.x), sh == 1u);
    let hi = select(vec4<f32>(a.zw, b.xy), vec4<f32>(a.w, b.xyz), sh == 3u);
    return select(lo, hi, sh >= 2u);
}

// The span's chunk k (elements 4k .. 4k + 3 of the span) of the row whose span starts at
// element e: aligned, or shifted from the two chunks it straddles.
fn span_chunk(q: u32, sh: u32, k: u32) -> vec4<f32> {
    if (ALIGNED) {
        return chunk(q + k);
    }
    return shifted(chunk(q + k), chunk(q + k + 1u), sh);
}

@compute @workgroup_size(64, 1, 1)
fn main(
    @builtin(global_invocation_id) gid: vec3<u32>,
    @builtin(num_workgroups) nwg: vec3<u32>,
) {
    let lane = gid.x + gid.y * nwg.x * 64u;
    let group = lane % p.groups;
    let block = lane / p.groups;
    if (block * p.per_lane >= p.count) {
        return;
    }
    let record = table[p.records + group];
    let start = record.x;
    var w: array<vec4<f32>, WMAX>;
    for (var s = 0u; s < SPAN; s++) {
        w[s] = bitcast<vec4<f32>>(table[record.y + s]);
    }
    // Outputs past the row's last pixel rewrite the last one (the same value, no branch).
    let last = p.out_len - 1u;
    let row0 = block * p.per_lane;
    let rows = min(p.per_lane, p.count - min(row0, p.count));
    for (var r = 0u; r < rows; r++) {
        let row = row0 + r;
        let e = p.src_base + row * p.src_step + start * CHANNELS;
        let q = e >> 2u;
        let sh = e & 3u;
        // acc[c][j]: channel c of the group's output pixel j. The span is SPAN pixels of
        // CHANNELS elements: SPAN * CHANNELS / 4 chunks, whose element 4k + i is pixel
        // (4k + i) / CHANNELS, channel (4k + i) % CHANNELS.
        var acc: array<vec4<f32>, 3>;
        if (CHANNELS == 1u) {
            for (var k = 0u; k < SPAN / 4u; k++) {
                let v = span_chunk(q, sh, k);
                acc[0] += tap(w[4u * k], v.x) + tap(w[4u * k + 1u], v.y)
                    + tap(w[4u * k + 2u], v.z) + tap(w[4u * k + 3u], v.w);
            }
        } else if (CHANNELS == 2u) {
            for (var k = 0u; k < SPAN / 2u; k++) {
                let v = span_chunk(q, sh, k);
                acc[0] += tap(w[2u * k], v.x) + tap(w[2u * k + 1u], v.z);
                acc[1] += tap(w[2u * k], v.y) + tap(w[2u * k + 1u], v.w);
            }
        } else {
            for (var k = 0u; k < SPAN / 4u; k++) {
                let u = span_chunk(q, sh, 3u * k);
                let v = span_chunk(q, sh, 3u * k + 1u);
                let t = span_chunk(q, sh, 3u * k + 2u);
                let s = 4u * k;
                acc[0] += tap(w[s], u.x) + tap(w[s + 1u], u.w) + tap(w[s + 2u], v.z) + tap(w[s + 3u], t.y);
                acc[1] += tap(w[s], u.y) + tap(w[s + 1u], v.x) + tap(w[s + 2u], v.w) + tap(w[s + 3u], t.z);
                acc[2] += tap(w[s], u.z) + tap(w[s + 1u], v.y) + tap(w[s + 2u], t.x) + tap(w[s + 3u], t.w);
            }
        }
        let out = p.dst_base + row * p.dst_step;
        let a0 = finished(acc[0]);
        let a1 = finished(acc[1]);
        let a2 = finished(acc[2]);
        if (ALIGNED) {
            // The group's 4 * CHANNELS outputs are contiguous and start at a multiple of 4:
            // pixel-major, as the vec4s of acc are channel-major.
            let at = (out >> 2u) + group * CHANNELS;
            if (CHANNELS == 1u) {
                dst[at] = a0;
            } else if (CHANNELS == 2u) {
                dst[at] = vec4<f32>(a0.x, a1.x, a0.y, a1.y);
                dst[at + 1u] = vec4<f32>(a0.z, a1.z, a0.w, a1.w);
            } else {
                dst[at] = vec4<f32>(a0.x, a1.x, a2.x, a0.y);
                dst[at + 1u] = vec4<f32>(a1.y, a2.y, a0.z, a1.z);
                dst[at + 2u] = vec4<f32>(a2.z, a0.w, a1.w, a2.w);
            }
        } else {
            var v = array<vec4<f32>, 3>(a0, a1, a2);
            for (var c = 0u; c < CHANNELS; c++) {
                for (var j = 0u; j < 4u; j++) {
                    let e = out + min(4u * group + j, last) * CHANNELS + c;
                    dst[e >> 2u][e & 3u] = v[c][j];
                }
            }
        }
    }
}

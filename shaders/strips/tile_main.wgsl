// The strips tile kernel (entries strips/tile_f32.wgsl, strips/tile_u64.wgsl): a pass along
// H and W at once, over planes of contiguous rows (NCHW): torch's 2-D kernels, or a W pass and
// the H pass after it, without the intermediate between them.
//
// A lane takes COLS output columns (one or two groups of four) and `p.per_lane` consecutive
// groups of four output rows of one plane. It loads its columns' record and W weight vec4s
// once (as the row kernel does); for each row group it walks the group's ROWS input rows:
// loads the row's SPAN input columns from the span start, filters them along W (rounded to
// uint8 first with ROUND_MID, as torch's separable uint8 passes do), and adds them with the
// row's four H weights into the 4 x COLS outputs.
//
// Dispatch: lanes (64 per workgroup) in x, then y rows of x workgroups; lane l takes column
// lane l % lanes_w of the block of row groups (l / lanes_w) % blocks of plane
// l / (lanes_w * blocks).
//! import "strips/tile_params.wgsl"
//! import "common/finish.wgsl"

// The W span (pixels, a multiple of 4) of a column group, and the input rows of a row group.
override SPAN: u32 = 8u;
override ROWS: u32 = 4u;
// Output columns per lane: 4 (one column group) or 8 (two: column groups 2c and 2c + 1,
// whose spans the host makes one: SPAN covers both, and weight vec4s 2s and 2s + 1 hold span
// element s's weights of the first and the second four columns).
override COLS: u32 = 4u;
override ALIGNED: bool = true;
// Round the W-filtered values to uint8 before the H pass (torch's separable uint8 passes).
override ROUND_MID: bool = false;

@group(0) @binding(3) var<storage, read_write> dst: array<vec4<f32>>;

// Elements sh .. sh + 3 of the eight elements of chunks a, b (sh = 0 .. 3).
fn shifted(a: vec4<f32>, b: vec4<f32>, sh: u32) -> vec4<f32> {
    let lo = select(a, vec4<f32>(a.yzw, b.x), sh == 1u);
    let hi = select(vec4<f32>(a.zw, b.xy), vec4<f32>(a.w, b.xyz), sh == 3u);
    return select(lo, hi, sh >= 2u);
}

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
    // Lanes take COLS / 4 column groups each.
    let lanes_w = (p.groups_w + COLS / 4u - 1u) / (COLS / 4u);
    let blocks = (p.groups_h + p.per_lane - 1u) / p.per_lane;
    let lane = gid.x + gid.y * nwg.x * 64u;
    let cl = lane % lanes_w + p.lane0;
    let block = (lane / lanes_w) % blocks;
    let plane = lane / (lanes_w * blocks);
    if (plane >= p.planes) {
        return;
    }
    // The lane's first column group; with COLS = 8 its record holds both groups' span.
    let cg = cl * (COLS / 4u);
    let wrec = table[p.records_w + cl];
    var w: array<vec4<f32>, 64>;
    for (var s = 0u; s < SPAN * COLS / 4u; s++) {
        w[s] = bitcast<vec4<f32>>(table[wrec.y + s]);
    }
    let src_plane = p.src_base + plane * p.src_plane + wrec.x;
    let dst_plane = p.dst_base + plane * p.dst_plane;
    let last_w = p.out_w - 1u;
    let last_h = p.out_h - 1u;
    let first = block * p.per_lane;
    let n = min(p.per_lane, p.groups_h - first);
    for (var b = 0u; b < n; b++) {
        let rg = first + b;
        let hrec = table[p.records_h + rg];
        // acc[2 * i + half]: output row i of the row group, column group cg + half.
        var acc: array<vec4<f32>, 8>;
        for (var r = 0u; r < ROWS; r++) {
            let wh = bitcast<vec4<f32>>(table[hrec.y + r]);
            let e = src_plane + (hrec.x + r) * p.src_row;
            let q = e >> 2u;
            let sh = e & 3u;
            // The row filtered along W: u0 the first four columns, u1 the next four.
            var u0 = vec4<f32>(0.0);
            var u1 = vec4<f32>(0.0);
            for (var k = 0u; k < SPAN / 4u; k++) {
                let v = span_chunk(q, sh, k);
                if (COLS == 4u) {
                    u0 += tap(w[4u * k], v.x) + tap(w[4u * k + 1u], v.y)
                        + tap(w[4u * k + 2u], v.z) + tap(w[4u * k + 3u], v.w);
                } else {
                    u0 += tap(w[8u * k], v.x) + tap(w[8u * k + 2u], v.y)
                        + tap(w[8u * k + 4u], v.z) + tap(w[8u * k + 6u], v.w);
                    u1 += tap(w[8u * k + 1u], v.x) + tap(w[8u * k + 3u], v.y)
                        + tap(w[8u * k + 5u], v.z) + tap(w[8u * k + 7u], v.w);
                }
            }
            if (ROUND_MID) {
                u0 = clamp(floor(u0 + 0.5), vec4<f32>(0.0), vec4<f32>(255.0));
                u1 = clamp(floor(u1 + 0.5), vec4<f32>(0.0), vec4<f32>(255.0));
            }
            acc[0] += tap1(wh.x, u0);
            acc[2] += tap1(wh.y, u0);
            acc[4] += tap1(wh.z, u0);
            acc[6] += tap1(wh.w, u0);
            if (COLS == 8u) {
                acc[1] += tap1(wh.x, u1);
                acc[3] += tap1(wh.y, u1);
                acc[5] += tap1(wh.z, u1);
                acc[7] += tap1(wh.w, u1);
            }
        }
        for (var i = 0u; i < 4u; i++) {
            let out = dst_plane + min(4u * rg + i, last_h) * p.dst_row;
            for (var half = 0u; half < COLS / 4u; half++) {
                let v = finished(acc[2u * i + half]);
                let c0 = 4u * (cg + half);
                if (ALIGNED) {
                    // A second column group past the last is not stored (its outputs would
                    // be past the row).
                    if (half == 0u || c0 < p.out_w) {
                        dst[(out + c0) >> 2u] = v;
                    }
                } else {
                    for (var t = 0u; t < 4u; t++) {
                        let at = out + min(c0 + t, last_w);
                        dst[at >> 2u][at & 3u] = v[t];
                    }
                }
            }
        }
    }
}

// resample.gather, shared part: spliced after the bindings of gather.wgsl or
// gather_storage.wgsl (src/gpu/pipelines.rs does the splicing; naga validates the result).
// Needs `p: Params`, `src`, `dst` and `fn table_word(i: u32) -> u32`.

// Apply one separable pass of per-axis index/weight tables.
//
// The CPU twin is src/reference/gather.rs:
//   out[n, c, d, h, w] = sum_a Wd[d,a] * sum_b Wh[h,b] * sum_c Ww[w,c] * in[n, c, a, b, c]
// The host computes every index and weight exactly as torch does (src/plan.rs); this kernel
// never divides a coordinate. Shapes and strides travel in `Params`, tables in `tables`, so
// one compiled pipeline serves every mode, shape, layout (NCHW or channels-last) and
// direction (the backward is the same gather over transposed tables).
//
// Dispatch: x covers output columns w0.. (grid-stride), y output rows h0.., z = plane group x
// depth (d0..): one invocation computes one (d, h, w) for `plane_group` planes (a plane is one
// (n, c) pair), so the table lookups of an output position are shared by its planes.

struct Params {
    out_w: u32,
    out_h: u32,
    out_d: u32,
    channels: u32,
    // Input strides in elements: n, c, d, h, w.
    s_n: u32,
    s_c: u32,
    s_d: u32,
    s_h: u32,
    s_w: u32,
    // Output strides in elements.
    t_n: u32,
    t_c: u32,
    t_d: u32,
    t_h: u32,
    t_w: u32,
    // Element offsets of (n=0, c=0) within the bound input / output windows, modulo 2^32.
    src_base: u32,
    dst_base: u32,
    // Planes of this chunk: [p0, p0 + planes), `plane_group` per invocation.
    p0: u32,
    planes: u32,
    plane_group: u32,
    h0: u32,
    d0: u32,
    d_count: u32,
    flags: u32,
    taps_d: u32,
    taps_h: u32,
    taps_w: u32,
    // Word offsets of the D, H, W table slices in `tables`. A slice of n outputs and k taps
    // is count[n], index[n*k], weight[n*k] (f32 bits); its row 0 is output d0 / h0 / w0.
    tab_d: u32,
    tab_h: u32,
    tab_w: u32,
    clamp_min: f32,
    clamp_max: f32,
    // First output column of this chunk and its count.
    w0: u32,
    w_count: u32,
    // Rows of the D, H, W table slices bound for this chunk (they start at d0, h0, w0).
    rows_d: u32,
    rows_h: u32,
    _pad0: u32,
    _pad1: u32,
    _pad2: u32,
    _pad3: u32,
    _pad4: u32,
}

// Tap counts fixed when the pipeline is built (1..4), or 0: read each output's count from
// the tables. Fixed counts let the compiler unroll the tap loops (one pipeline per triple,
// built on first use; shapes still travel in `Params`).
override TAPS_D: u32 = 0u;
override TAPS_H: u32 = 0u;
override TAPS_W: u32 = 0u;

const FLAG_ROUND_U8: u32 = 1u;
const FLAG_CLAMP: u32 = 2u;
const WG_X: u32 = 64u;

fn tap_count(fixed: u32, tab: u32, o: u32) -> u32 {
    if (fixed != 0u) {
        return fixed;
    }
    return table_word(tab + o);
}

fn tap_index(tab: u32, n: u32, k: u32, o: u32, j: u32) -> u32 {
    return table_word(tab + n + o * k + j);
}

fn tap_weight(tab: u32, n: u32, k: u32, o: u32, j: u32) -> f32 {
    return bitcast<f32>(table_word(tab + n + n * k + o * k + j));
}

fn finish(v: f32) -> f32 {
    var r = v;
    if ((p.flags & FLAG_ROUND_U8) != 0u) {
        r = clamp(floor(r + 0.5), 0.0, 255.0);
    }
    // NaN stays NaN, as torch.clamp keeps it.
    if ((p.flags & FLAG_CLAMP) != 0u && r == r) {
        r = clamp(r, p.clamp_min, p.clamp_max);
    }
    return r;
}

@compute @workgroup_size(64, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
    let oh = p.h0 + gid.y;
    let group = gid.z / p.d_count;
    let od = p.d0 + (gid.z - group * p.d_count);
    let first = group * p.plane_group;
    if (oh >= p.out_h || od >= p.out_d || first >= p.planes) {
        return;
    }
    let count = min(p.plane_group, p.planes - first);
    // The (n, c) of the first plane: one division per invocation, none per element.
    let n0 = (p.p0 + first) / p.channels;
    let c0 = (p.p0 + first) - n0 * p.channels;
    let td = od - p.d0;
    let th = oh - p.h0;
    let n_d = tap_count(TAPS_D, p.tab_d, td);
    let n_h = tap_count(TAPS_H, p.tab_h, th);
    let out_pos = od * p.t_d + oh * p.t_h;
    // With every tap count fixed, the D and H taps (offsets and weights) are loaded once per
    // invocation and the W taps once per column, into registers shared by all the planes.
    let fixed = TAPS_D != 0u && TAPS_H != 0u && TAPS_W != 0u;
    var off_d: array<u32, 4>;
    var w_d: array<f32, 4>;
    var off_h: array<u32, 4>;
    var w_h: array<f32, 4>;
    if (fixed) {
        for (var a = 0u; a < TAPS_D; a++) {
            off_d[a] = tap_index(p.tab_d, p.rows_d, p.taps_d, td, a) * p.s_d;
            w_d[a] = tap_weight(p.tab_d, p.rows_d, p.taps_d, td, a);
        }
        for (var b = 0u; b < TAPS_H; b++) {
            off_h[b] = tap_index(p.tab_h, p.rows_h, p.taps_h, th, b) * p.s_h;
            w_h[b] = tap_weight(p.tab_h, p.rows_h, p.taps_h, th, b);
        }
    }

    let w_end = p.w0 + p.w_count;
    for (var ow = p.w0 + gid.x; ow < w_end; ow += nwg.x * WG_X) {
        let tw = ow - p.w0;
        let n_w = tap_count(TAPS_W, p.tab_w, tw);
        var n = n0;
        var c = c0;
        if (fixed) {
            var off_w: array<u32, 4>;
            var w_w: array<f32, 4>;
            for (var k = 0u; k < TAPS_W; k++) {
                off_w[k] = tap_index(p.tab_w, p.w_count, p.taps_w, tw, k) * p.s_w;
                w_w[k] = tap_weight(p.tab_w, p.w_count, p.taps_w, tw, k);
            }
            for (var i = 0u; i < count; i++) {
                let plane = p.src_base + n * p.s_n + c * p.s_c;
                var acc_d = 0.0;
                for (var a = 0u; a < TAPS_D; a++) {
                    var acc_h = 0.0;
                    for (var b = 0u; b < TAPS_H; b++) {
                        let row = plane + off_d[a] + off_h[b];
                        var acc_w = 0.0;
                        for (var k = 0u; k < TAPS_W; k++) {
                            acc_w += w_w[k] * src[row + off_w[k]];
                        }
                        acc_h += w_h[b] * acc_w;
                    }
                    acc_d += w_d[a] * acc_h;
                }
                dst[p.dst_base + n * p.t_n + c * p.t_c + out_pos + ow * p.t_w] = finish(acc_d);
                c += 1u;
                if (c == p.channels) {
                    c = 0u;
                    n += 1u;
                }
            }
            continue;
        }
        for (var i = 0u; i < count; i++) {
            let plane = p.src_base + n * p.s_n + c * p.s_c;
            var acc_d = 0.0;
            for (var a = 0u; a < n_d; a++) {
                let ia = tap_index(p.tab_d, p.rows_d, p.taps_d, td, a);
                let wa = tap_weight(p.tab_d, p.rows_d, p.taps_d, td, a);
                var acc_h = 0.0;
                for (var b = 0u; b < n_h; b++) {
                    let ib = tap_index(p.tab_h, p.rows_h, p.taps_h, th, b);
                    let wb = tap_weight(p.tab_h, p.rows_h, p.taps_h, th, b);
                    let row = plane + ia * p.s_d + ib * p.s_h;
                    var acc_w = 0.0;
                    for (var k = 0u; k < n_w; k++) {
                        let ic = tap_index(p.tab_w, p.w_count, p.taps_w, tw, k);
                        let wc = tap_weight(p.tab_w, p.w_count, p.taps_w, tw, k);
                        acc_w += wc * src[row + ic * p.s_w];
                    }
                    acc_h += wb * acc_w;
                }
                acc_d += wa * acc_h;
            }
            dst[p.dst_base + n * p.t_n + c * p.t_c + out_pos + ow * p.t_w] = finish(acc_d);
            c += 1u;
            if (c == p.channels) {
                c = 0u;
                n += 1u;
            }
        }
    }
}

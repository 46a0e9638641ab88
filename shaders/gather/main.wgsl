// The gather kernels' general entry point (any tap counts, several planes per invocation).
// The maths and the dispatch are described at the top of gather/params.wgsl.
//! import "gather/params.wgsl"
//! import "common/finish.wgsl"

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
                            acc_w += w_w[k] * src_at(row + off_w[k]);
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
                        acc_w += wc * src_at(row + ic * p.s_w);
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

// resample.gather: apply one separable pass of per-axis index/weight tables.
//
// The CPU twin is src/reference/gather.rs:
//   out[p, d, h, w] = sum_a Wd[d,a] * sum_b Wh[h,b] * sum_c Ww[w,c] * in[p, a, b, c]
// The host computes every index and weight exactly as torch does (src/plan.rs); this kernel
// never divides a coordinate. Shapes travel in `Params`, tables in `tables`, so one compiled
// pipeline serves every mode, shape and direction (the backward is the same gather over
// transposed tables).
//
// Dispatch: x covers output columns (grid-stride), y output rows h0.., z = plane group x
// depth (d0..): one invocation computes one (d, h, w) for `plane_group` planes, so the table
// lookups of an output position are shared by its planes.

struct Params {
    out_w: u32,
    out_h: u32,
    out_d: u32,
    h0: u32,
    in_w: u32,
    in_h: u32,
    in_plane: u32,
    out_plane: u32,
    // Offsets (in elements, modulo 2^32) of plane 0 of this chunk within the bound windows.
    src_base: u32,
    dst_base: u32,
    planes: u32,
    plane_group: u32,
    d0: u32,
    d_count: u32,
    flags: u32,
    _pad0: u32,
    taps_d: u32,
    taps_h: u32,
    taps_w: u32,
    _pad1: u32,
    // Word offsets of the D, H, W tables in `tables`. A table of n outputs and k taps is
    // count[n], index[n*k], weight[n*k] (f32 bits).
    tab_d: u32,
    tab_h: u32,
    tab_w: u32,
    _pad2: u32,
    clamp_min: f32,
    clamp_max: f32,
    _pad3: u32,
    _pad4: u32,
}

const FLAG_ROUND_U8: u32 = 1u;
const FLAG_CLAMP: u32 = 2u;
const WG_X: u32 = 64u;

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> tables: array<u32>;
@group(0) @binding(2) var<storage, read> src: array<f32>;
@group(0) @binding(3) var<storage, read_write> dst: array<f32>;

fn tap_count(tab: u32, o: u32) -> u32 {
    return tables[tab + o];
}

fn tap_index(tab: u32, n: u32, k: u32, o: u32, j: u32) -> u32 {
    return tables[tab + n + o * k + j];
}

fn tap_weight(tab: u32, n: u32, k: u32, o: u32, j: u32) -> f32 {
    return bitcast<f32>(tables[tab + n + n * k + o * k + j]);
}

@compute @workgroup_size(64, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
    let oh = p.h0 + gid.y;
    let group = gid.z / p.d_count;
    let od = p.d0 + (gid.z - group * p.d_count);
    if (oh >= p.out_h || od >= p.out_d) {
        return;
    }
    let p_begin = group * p.plane_group;
    let p_end = min(p_begin + p.plane_group, p.planes);
    let n_d = tap_count(p.tab_d, od);
    let n_h = tap_count(p.tab_h, oh);
    let out_row = (od * p.out_h + oh) * p.out_w;

    for (var ow = gid.x; ow < p.out_w; ow += nwg.x * WG_X) {
        let n_w = tap_count(p.tab_w, ow);
        for (var pl = p_begin; pl < p_end; pl++) {
            let plane = p.src_base + pl * p.in_plane;
            var acc_d = 0.0;
            for (var a = 0u; a < n_d; a++) {
                let ia = tap_index(p.tab_d, p.out_d, p.taps_d, od, a);
                let wa = tap_weight(p.tab_d, p.out_d, p.taps_d, od, a);
                var acc_h = 0.0;
                for (var b = 0u; b < n_h; b++) {
                    let ib = tap_index(p.tab_h, p.out_h, p.taps_h, oh, b);
                    let wb = tap_weight(p.tab_h, p.out_h, p.taps_h, oh, b);
                    let row = plane + (ia * p.in_h + ib) * p.in_w;
                    var acc_w = 0.0;
                    for (var c = 0u; c < n_w; c++) {
                        let ic = tap_index(p.tab_w, p.out_w, p.taps_w, ow, c);
                        let wc = tap_weight(p.tab_w, p.out_w, p.taps_w, ow, c);
                        acc_w += wc * src[row + ic];
                    }
                    acc_h += wb * acc_w;
                }
                acc_d += wa * acc_h;
            }
            var v = acc_d;
            if ((p.flags & FLAG_ROUND_U8) != 0u) {
                v = clamp(floor(v + 0.5), 0.0, 255.0);
            }
            if ((p.flags & FLAG_CLAMP) != 0u && v == v) {
                v = clamp(v, p.clamp_min, p.clamp_max);
            }
            dst[p.dst_base + pl * p.out_plane + out_row + ow] = v;
        }
    }
}

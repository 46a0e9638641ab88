// resample.gather_window_fixed main: gather_main.wgsl's fixed-taps path restructured for CPU
// adapters, spliced after gather_window.wgsl and gather_params.wgsl. Used when every tap
// count is fixed (TAPS_D, TAPS_H, TAPS_W in 1..4) and the input comes through a uniform
// window. Same sums, in the same order, as gather_main.wgsl and src/reference/gather.rs:
//   out[n, c, d, h, w] = sum_a Wd[d,a] * sum_b Wh[h,b] * sum_k Ww[w,k] * in[n, c, a, b, k]
//
// Dispatch: x = blocks of (1 << lane_shift) * COLS columns, y = blocks of 64 >> lane_shift
// output rows from h0, z = plane x depth (d0..) (src/gpu/chunks.rs, `one_plane`).

const COLS: u32 = 4u; // columns per invocation: the four calls of `column` below
// log2 of the lanes per output row (3..6), fixed per pipeline so that with 6 (one row per
// workgroup) the row and everything derived from it stay uniform across the workgroup.
override LANE_SHIFT: u32 = 6u;

@compute @workgroup_size(64, 1, 1)
fn main(
    @builtin(workgroup_id) wg: vec3<u32>,
    @builtin(local_invocation_id) lid: vec3<u32>,
) {
    // There is no branch or loop in the whole kernel: on lavapipe a loop iteration costs mask
    // bookkeeping worth several outputs. Out-of-range rows and columns are clamped instead.
    // z is the plane, or the depth when the chunk has several (it then has one plane); the
    // chunk's planes are evenly strided (s_plane, t_plane): no division.
    // A workgroup covers 64 >> lane_shift rows of 1 << lane_shift lanes each (rows past the
    // chunk recompute its last row: the same values, and no branch).
    let lanes = 1u << LANE_SHIFT;
    let row = min(wg.y * (WG_X >> LANE_SHIFT) + (lid.x >> LANE_SHIFT), p.rows_h - 1u);
    let lane = lid.x & (lanes - 1u);
    let oh = p.h0 + row;
    let one_d = p.d_count == 1u;
    let plane = select(0u, wg.z, one_d);
    let od = p.d0 + select(wg.z, 0u, one_d);
    let td = od - p.d0;
    let th = oh - p.h0;
    let src_plane = p.src_base + p.n_first * p.s_n + p.c_first * p.s_c + plane * p.s_plane;
    let out_row = p.dst_base + p.n_first * p.t_n + p.c_first * p.t_c + plane * p.t_plane
        + od * p.t_d + oh * p.t_h;
    var off_d: array<u32, 4>;
    var w_d: array<f32, 4>;
    var off_h: array<u32, 4>;
    var w_h: array<f32, 4>;
    for (var a = 0u; a < TAPS_D; a++) {
        off_d[a] = tap_index(p.tab_d, p.rows_d, p.taps_d, td, a) * p.s_d;
        w_d[a] = tap_weight(p.tab_d, p.rows_d, p.taps_d, td, a);
    }
    for (var b = 0u; b < TAPS_H; b++) {
        off_h[b] = tap_index(p.tab_h, p.rows_h, p.taps_h, th, b) * p.s_h;
        w_h[b] = tap_weight(p.tab_h, p.rows_h, p.taps_h, th, b);
    }
    // Columns past the chunk's end recompute (and rewrite) its last column: the same value,
    // and no branch.
    let first = p.w0 + wg.x * lanes * COLS + lane;
    let last = p.w0 + p.w_count - 1u;
    column(min(first, last), src_plane, out_row, off_d, w_d, off_h, w_h);
    column(min(first + lanes, last), src_plane, out_row, off_d, w_d, off_h, w_h);
    column(min(first + 2u * lanes, last), src_plane, out_row, off_d, w_d, off_h, w_h);
    column(min(first + 3u * lanes, last), src_plane, out_row, off_d, w_d, off_h, w_h);
}

// The tap sums are written out for up to 4 taps under constant conditions on TAPS_*
// (overrides, so the compiler folds them away): loops, even fixed-count ones, cost more on
// lavapipe than the sums themselves.

// sum_k Ww[k] * in[row + off_w[k]]
fn sum_w(row: u32, off_w: array<u32, 4>, w_w: array<f32, 4>) -> f32 {
    var s = w_w[0] * src_at(row + off_w[0]);
    if (TAPS_W > 1u) {
        s += w_w[1] * src_at(row + off_w[1]);
    }
    if (TAPS_W > 2u) {
        s += w_w[2] * src_at(row + off_w[2]);
    }
    if (TAPS_W > 3u) {
        s += w_w[3] * src_at(row + off_w[3]);
    }
    return s;
}

// sum_b Wh[b] * sum_w(...)
fn sum_hw(base: u32, off_h: array<u32, 4>, w_h: array<f32, 4>, off_w: array<u32, 4>, w_w: array<f32, 4>) -> f32 {
    var s = w_h[0] * sum_w(base + off_h[0], off_w, w_w);
    if (TAPS_H > 1u) {
        s += w_h[1] * sum_w(base + off_h[1], off_w, w_w);
    }
    if (TAPS_H > 2u) {
        s += w_h[2] * sum_w(base + off_h[2], off_w, w_w);
    }
    if (TAPS_H > 3u) {
        s += w_h[3] * sum_w(base + off_h[3], off_w, w_w);
    }
    return s;
}

// One output column `ow` of the invocation's row.
fn column(
    ow: u32,
    src_plane: u32,
    out_row: u32,
    off_d: array<u32, 4>,
    w_d: array<f32, 4>,
    off_h: array<u32, 4>,
    w_h: array<f32, 4>,
) {
    let tw = ow - p.w0;
    var off_w: array<u32, 4>;
    var w_w: array<f32, 4>;
    for (var k = 0u; k < TAPS_W; k++) {
        off_w[k] = tap_index(p.tab_w, p.w_count, p.taps_w, tw, k) * p.s_w;
        w_w[k] = tap_weight(p.tab_w, p.w_count, p.taps_w, tw, k);
    }
    var acc = w_d[0] * sum_hw(src_plane + off_d[0], off_h, w_h, off_w, w_w);
    if (TAPS_D > 1u) {
        acc += w_d[1] * sum_hw(src_plane + off_d[1], off_h, w_h, off_w, w_w);
    }
    if (TAPS_D > 2u) {
        acc += w_d[2] * sum_hw(src_plane + off_d[2], off_h, w_h, off_w, w_w);
    }
    if (TAPS_D > 3u) {
        acc += w_d[3] * sum_hw(src_plane + off_d[3], off_h, w_h, off_w, w_w);
    }
    dst[out_row + ow * p.t_w] = finish(acc);
}

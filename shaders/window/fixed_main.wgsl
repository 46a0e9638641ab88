// resample.gather_window_fixed main: gather/main.wgsl restructured for CPU adapters, spliced
// after window/bindings.wgsl, gather/params.wgsl and window/taps.wgsl. Used when the tables have at most 4 taps
// per output on every axis (TAPS_D, TAPS_H, TAPS_W: their row strides, fixed per pipeline)
// and the input comes through a uniform window. With VARIABLE an output's own counts come
// from the tables and the taps past them add exactly 0 (a select, not a branch: whatever
// such a tap reads, a NaN included, is discarded). Same sums, in the same order, as
// gather/main.wgsl and src/reference/gather.rs:
//   out[n, c, d, h, w] = sum_a Wd[d,a] * sum_b Wh[h,b] * sum_k Ww[w,k] * in[n, c, a, b, k]
//
// Dispatch: x = blocks of (1 << lane_shift) * COLS columns, y = blocks of 64 >> lane_shift
// output rows from h0, z = plane x depth (d0..) (src/gpu/chunks.rs, `one_plane`).

@compute @workgroup_size(64, 1, 1)
fn main(
    @builtin(workgroup_id) wg: vec3<u32>,
    @builtin(local_invocation_id) lid: vec3<u32>,
) {
    // There is no branch or loop in the whole kernel: on lavapipe a loop iteration costs mask
    // bookkeeping worth several outputs. Out-of-range rows and columns are clamped instead
    // (see window_cell).
    let c = window_cell(wg, lid, COLS);
    let td = c.od - p.d0;
    let th = c.oh - p.h0;
    let d = taps4(TAPS_D, p.tab_d, p.rows_d, p.taps_d, td, p.s_d, p.last_d);
    let h = taps4(TAPS_H, p.tab_h, p.rows_h, p.taps_h, th, p.s_h, p.last_h);
    let v = vec4<f32>(
        column(column_of(c.first, c.last, 0u), c.src_plane, d, h),
        column(column_of(c.first, c.last, 1u), c.src_plane, d, h),
        column(column_of(c.first, c.last, 2u), c.src_plane, d, h),
        column(column_of(c.first, c.last, 3u), c.src_plane, d, h),
    );
    store_columns(c.out_row, c.first, c.last, v);
}

// The tap sums are written out for up to 4 taps under constant conditions on TAPS_*
// (overrides, so the compiler folds them away): loops, even fixed-count ones, cost more on
// lavapipe than the sums themselves.

// sum_k Ww[k] * in[row + off_w[k]]
fn sum_w(row: u32, w: Taps4) -> f32 {
    var s = term(0u, w.n, w.w[0] * src_at(row + w.off[0]));
    if (TAPS_W > 1u) {
        s += term(1u, w.n, w.w[1] * src_at(row + w.off[1]));
    }
    if (TAPS_W > 2u) {
        s += term(2u, w.n, w.w[2] * src_at(row + w.off[2]));
    }
    if (TAPS_W > 3u) {
        s += term(3u, w.n, w.w[3] * src_at(row + w.off[3]));
    }
    return s;
}

// sum_b Wh[b] * sum_w(...)
fn sum_hw(base: u32, h: Taps4, w: Taps4) -> f32 {
    var s = term(0u, h.n, h.w[0] * sum_w(base + h.off[0], w));
    if (TAPS_H > 1u) {
        s += term(1u, h.n, h.w[1] * sum_w(base + h.off[1], w));
    }
    if (TAPS_H > 2u) {
        s += term(2u, h.n, h.w[2] * sum_w(base + h.off[2], w));
    }
    if (TAPS_H > 3u) {
        s += term(3u, h.n, h.w[3] * sum_w(base + h.off[3], w));
    }
    return s;
}

// The output of column `ow` of the invocation's row.
fn column(ow: u32, src_plane: u32, d: Taps4, h: Taps4) -> f32 {
    let w = taps4(TAPS_W, p.tab_w, p.w_count, p.taps_w, ow - p.w0, p.s_w, p.last_w);
    var acc = term(0u, d.n, d.w[0] * sum_hw(src_plane + d.off[0], h, w));
    if (TAPS_D > 1u) {
        acc += term(1u, d.n, d.w[1] * sum_hw(src_plane + d.off[1], h, w));
    }
    if (TAPS_D > 2u) {
        acc += term(2u, d.n, d.w[2] * sum_hw(src_plane + d.off[2], h, w));
    }
    if (TAPS_D > 3u) {
        acc += term(3u, d.n, d.w[3] * sum_hw(src_plane + d.off[3], h, w));
    }
    return finish(acc);
}

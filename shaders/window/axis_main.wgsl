// resample.gather_window_axis main: the gather of one pass whose only non-identity axis is
// AXIS (0 = D, 1 = H, 2 = W), with up to TAPS taps per output along it, input through a
// uniform window. Spliced after window/bindings.wgsl and gather/params.wgsl. These are the
// separable passes of antialiasing and large area windows, whose tap counts vary near the
// edges: with VARIABLE an output's own count comes from the tables and the taps past it add
// exactly 0 (a select, not a branch: whatever such a tap reads, a NaN included, is discarded).
// Same sum, in the same order, as src/reference/gather.rs (the identity axes' weights are 1):
//   out[.., o, ..] = sum_k W[o,k] * in[.., index[o,k], ..]
//
// Dispatch as window/fixed_main.wgsl: x = blocks of (1 << LANE_SHIFT) * COLS columns,
// y = blocks of 64 >> LANE_SHIFT output rows from h0, z = plane x depth (d0..).

const COLS: u32 = 4u; // columns per invocation: the four calls of `out_axis` below
override AXIS: u32 = 2u;
override TAPS: u32 = 1u;
override VARIABLE: bool = false;

@compute @workgroup_size(64, 1, 1)
fn main(
    @builtin(workgroup_id) wg: vec3<u32>,
    @builtin(local_invocation_id) lid: vec3<u32>,
) {
    // No branch; out-of-range rows and columns are clamped (see window_cell).
    let c = window_cell(wg, lid, COLS);
    let v = vec4<f32>(
        out_axis(column_of(c.first, c.last, 0u), c.od, c.oh, c.src_plane),
        out_axis(column_of(c.first, c.last, 1u), c.od, c.oh, c.src_plane),
        out_axis(column_of(c.first, c.last, 2u), c.od, c.oh, c.src_plane),
        out_axis(column_of(c.first, c.last, 3u), c.od, c.oh, c.src_plane),
    );
    store_columns(c.out_row, c.first, c.last, v);
}

fn out_axis(ow: u32, od: u32, oh: u32, src_plane: u32) -> f32 {
    // The active axis: its table slice, output row in the slice, input stride; along the
    // identity axes the input index is the output index.
    var tab = p.tab_w;
    var rows = p.w_count;
    var stride = p.taps_w;
    var o = ow - p.w0;
    var s = p.s_w;
    var last = p.last_w;
    var base = src_plane + od * p.s_d + oh * p.s_h;
    if (AXIS == 1u) {
        tab = p.tab_h;
        rows = p.rows_h;
        stride = p.taps_h;
        o = oh - p.h0;
        s = p.s_h;
        last = p.last_h;
        base = src_plane + od * p.s_d + ow * p.s_w;
    }
    if (AXIS == 0u) {
        tab = p.tab_d;
        rows = p.rows_d;
        stride = p.taps_d;
        o = od - p.d0;
        s = p.s_d;
        last = p.last_d;
        base = src_plane + oh * p.s_h + ow * p.s_w;
    }
    let n = select(TAPS, table_word(tab + o), VARIABLE);
    // Tap 0 is masked too: a count of 0 (an output of a transposed table that no input
    // reaches) sums to 0 whatever tap 0 reads.
    let v0 = tap_weight(tab, rows, stride, o, 0u) * src_at(base + tap_index(tab, rows, stride, o, 0u, last) * s);
    var acc = select(0.0, v0, n > 0u || !VARIABLE);
    for (var k = 1u; k < TAPS; k++) {
        let v = tap_weight(tab, rows, stride, o, k) * src_at(base + tap_index(tab, rows, stride, o, k, last) * s);
        acc += select(0.0, v, k < n || !VARIABLE);
    }
    return finish(acc);
}

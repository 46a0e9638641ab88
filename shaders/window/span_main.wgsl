// resample.gather_window_span main: window/fixed_main.wgsl for passes whose adjacent columns
// share W taps (upsampling along W), spliced after window/bindings.wgsl, gather/params.wgsl and
// window/taps.wgsl. Run tables, fixed tap counts (no VARIABLE). The four columns of an
// invocation read inputs start[c0] .. start[c0] + SPAN - 1 of a row, since the host checked
// that start[c0 + 3] - start[c0] + TAPS_W <= SPAN for every group of four columns
// (src/gpu/resampler.rs, `shared_span`): those SPAN values are loaded once per row and each
// column picks its taps among them, where window/fixed_main.wgsl loads TAPS_W values per
// column; and the four starts come packed in one word. On CPU adapters every load is a
// per-lane gather and dominates the kernel; a pick is one select per candidate. Same sums, in the same order, as window/fixed_main.wgsl and
// src/reference/gather.rs:
//   out[n, c, d, h, w] = sum_a Wd[d,a] * sum_b Wh[h,b] * sum_k Ww[w,k] * in[n, c, a, b, k]
//
// Dispatch as window/fixed_main.wgsl.

// Inputs of a row shared by the four columns (TAPS_W + 1 ..= 8, below 4 * TAPS_W).
override SPAN: u32 = 4u;

// The W taps of the invocation's four columns: the first column's run start s0 (input
// index of its tap 0, before clamping), each column's start relative to it
// (0 ..= SPAN - TAPS_W), and the weights, w[4 * i + k] for column i, tap k.
struct Cols {
    first: u32,
    s0: i32,
    rel: array<u32, 4>,
    w: array<f32, 16>,
}

// The invocation's group of four columns: from `first` (a multiple of four from the chunk's
// first column), or the chunk's last group past its end (recomputed and rewritten: the same
// values). The host packs each group's starts into the word of its first column in the
// table's count section (counts are fixed here): s0 + 8 above three 3-bit relative starts
// (src/gpu/resampler.rs, `span_group_word`).
fn cols(first: u32, last: u32) -> Cols {
    var c: Cols;
    c.first = min(first, p.w0 + ((p.w_count - 1u) & ~3u));
    let word = table_word(p.tab_w + c.first - p.w0);
    c.s0 = i32(word >> 9u) - 8;
    c.rel = array<u32, 4>(0u, word & 7u, (word >> 3u) & 7u, (word >> 6u) & 7u);
    for (var i = 0u; i < 4u; i++) {
        let o = column_of(c.first, last, i) - p.w0;
        for (var k = 0u; k < TAPS_W; k++) {
            c.w[4u * i + k] = tap_weight(p.tab_w, p.w_count, p.taps_w, o, k);
        }
    }
    return c;
}

// The SPAN inputs of one row from s0, clamped to the row as the run tables are.
fn row_values(row: u32, s0: i32) -> array<f32, 8> {
    var v: array<f32, 8>;
    for (var j = 0u; j < SPAN; j++) {
        v[j] = src_at(row + u32(clamp(s0 + i32(j), 0, i32(p.last_w))) * p.s_w);
    }
    return v;
}

// v[rel + k] for rel in 0 ..= SPAN - TAPS_W: one select per candidate (a dynamic index into a
// local array would be a per-lane gather again).
fn pick(v: array<f32, 8>, rel: u32, k: u32) -> f32 {
    var r = v[k];
    for (var j = 1u; j <= SPAN - TAPS_W; j++) {
        r = select(r, v[k + j], rel == j);
    }
    return r;
}

// sum_k Ww[k] * in[row, start + k] for column i.
fn sum_w(v: array<f32, 8>, c: Cols, i: u32) -> f32 {
    var s = c.w[4u * i] * pick(v, c.rel[i], 0u);
    for (var k = 1u; k < TAPS_W; k++) {
        s += c.w[4u * i + k] * pick(v, c.rel[i], k);
    }
    return s;
}

fn sums_w(row: u32, c: Cols) -> vec4<f32> {
    let v = row_values(row, c.s0);
    return vec4<f32>(sum_w(v, c, 0u), sum_w(v, c, 1u), sum_w(v, c, 2u), sum_w(v, c, 3u));
}

// sum_b Wh[b] * sum_w(...), the four columns at once.
fn sum_hw(base: u32, h: Taps4, c: Cols) -> vec4<f32> {
    var s = h.w[0] * sums_w(base + h.off[0], c);
    for (var b = 1u; b < TAPS_H; b++) {
        s += h.w[b] * sums_w(base + h.off[b], c);
    }
    return s;
}

@compute @workgroup_size(64, 1, 1)
fn main(
    @builtin(workgroup_id) wg: vec3<u32>,
    @builtin(local_invocation_id) lid: vec3<u32>,
) {
    // Every loop here has a constant trip count (pipeline constants) and unrolls (measured:
    // the same time as the sums written out); there is no branch. Out-of-range rows and columns are clamped (see window_cell).
    let c = window_cell(wg, lid, COLS);
    let d = taps4(TAPS_D, p.tab_d, p.rows_d, p.taps_d, c.od - p.d0, p.s_d, p.last_d);
    let h = taps4(TAPS_H, p.tab_h, p.rows_h, p.taps_h, c.oh - p.h0, p.s_h, p.last_h);
    let w = cols(c.first, c.last);
    var acc = d.w[0] * sum_hw(c.src_plane + d.off[0], h, w);
    for (var a = 1u; a < TAPS_D; a++) {
        acc += d.w[a] * sum_hw(c.src_plane + d.off[a], h, w);
    }
    store_columns(
        c.out_row,
        w.first,
        c.last,
        vec4<f32>(finish(acc.x), finish(acc.y), finish(acc.z), finish(acc.w)),
    );
}

// resample.rows_tabled main: lane groups whose W taps come from the tables, spliced after
// rows/common.wgsl and common/finish.wgsl: the borders of a pass that rows/periodic_main.wgsl runs (where
// clamped or truncated taps break the pattern), or a whole pass whose W taps do not repeat.
// Output column c's record in `wtab` (src/gpu/rows.rs) holds its taps' span columns (input
// index minus the first input column of its lane group, in `bases`; below 4 SPAN, which the
// host checks) and weights. Taps past an output's count (MASKED) add exactly 0 (a select:
// whatever they read, a NaN included, is discarded). Same sum over k, ascending, as
// src/reference/gather.rs.
//
// Dispatch as rows/periodic_main.wgsl.

// Loops of at most 4 taps have constant trip counts, which the compilers unroll (bilinear
// 1000 -> 1500, all tabled, 58 -> 37 ms on lavapipe); longer ones run-time counts on
// purpose: the span is indexed at run time here, and unrolled copies of such code take the
// compilers seconds (the row-kernel tests took a third longer).
fn unrolled() -> bool {
    return TAPS_W <= 4u;
}

// Output column c (relative to w0).
fn column(c: u32) -> f32 {
    let r = p.rec_w + c * ((TAPS_W + 3u) / 4u) * 2u;
    let rw = r + (TAPS_W + 3u) / 4u;
    var s = 0.0;
    for (var k = 0u; k < select(p.taps_w, TAPS_W, unrolled()); k++) {
        let off = wtab[r + (k >> 2u)][k & 3u];
        let v = bitcast<f32>(wtab[rw + (k >> 2u)][k & 3u]) * span_at(min(off, 4u * SPAN - 1u));
        s += select(0.0, v, off != MASKED);
    }
    return finish(s);
}

@compute @workgroup_size(64, 1, 1)
fn main(
    @builtin(workgroup_id) wg: vec3<u32>,
    @builtin(local_invocation_id) lid: vec3<u32>,
) {
    let l = lane(wg, lid);
    blend(l, bases[p.tab_bases + l.group]);
    // The group's vec4s; those past the dispatch's columns (a last, partial group) are
    // clamped to its last vec4 (rewritten with the same values).
    let first = l.group * (G / 4u);
    let last = p.cols / 4u - 1u;
    let out = (l.dst_row + p.w0) >> 2u;
    for (var q = 0u; q < select(p.quads, G / 4u, unrolled()); q++) {
        let v = min(first + q, last);
        var o: vec4<f32>;
        for (var i = 0u; i < 4u; i++) {
            o[i] = column(4u * v + i);
        }
        dst[out + v] = o;
    }
}

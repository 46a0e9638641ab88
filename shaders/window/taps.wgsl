// resample.gather_window_fixed and _span, shared part: the taps of one output along an axis,
// spliced after gather/params.wgsl and before either main (window/fixed_main.wgsl,
// window/span_main.wgsl).

const COLS: u32 = 4u; // columns per invocation
// LANE_SHIFT (window/bindings.wgsl): log2 of the lanes per output row (3..6), fixed per
// pipeline so that with 6 (one row per workgroup) the row and everything derived from it
// are uniform across the workgroup.
override VARIABLE: bool = false;

// The taps of one output along one axis: input offsets (index * stride), weights, count.
struct Taps4 {
    off: array<u32, 4>,
    w: array<f32, 4>,
    n: u32,
}

fn taps4(fixed: u32, tab: u32, rows: u32, stride: u32, o: u32, s: u32, last: u32) -> Taps4 {
    var t: Taps4;
    t.n = fixed;
    if (VARIABLE) {
        t.n = table_word(tab + o);
    }
    for (var j = 0u; j < fixed; j++) {
        t.off[j] = tap_index(tab, rows, stride, o, j, last) * s;
        t.w[j] = tap_weight(tab, rows, stride, o, j);
    }
    return t;
}

// Tap k's term, or exactly 0 past the output's count (tap 0 included: an output of the
// transposed tables that no input reaches has count 0, and its sum is 0 whatever tap 0 reads).
fn term(k: u32, n: u32, v: f32) -> f32 {
    return select(0.0, v, !VARIABLE || k < n);
}

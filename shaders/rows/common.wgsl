// resample.rows_periodic and resample.rows_tabled, shared part: bindings, `RowParams`, the
// lane's place and the row blend; spliced before common/finish.wgsl and one of the two mains.
//
// The kernels of CPU adapters (lavapipe, llvmpipe) for passes over whole, contiguous rows
// whose input and output rows start at multiples of 4 elements. On lavapipe a dispatch is a
// fork and join of the worker threads (tens of microseconds), and every load whose address
// differs between lanes is a loop over the lanes, with a bounds check per component: wide
// components pay (rows/src_u64.wgsl, rows/src_pairs.wgsl). So one dispatch covers a pass (no
// windows), every input load is a vec4 (or a pair of them), and an invocation
// (a lane group) makes G adjacent outputs of one output row from the SPAN vec4s it loads from
// each input row it reads:
//   1. blend: span[i] = sum_a sum_b Wd[d,a] Wh[h,b] in[plane, index_d[a], index_h[b], base + i]
//   2. taps:  out[plane, d, h, w0 + G g + j] = sum_k Ww[j,k] span[off_j + k]
// where base (a multiple of 4) and off_j place output j's W taps in the span: constants of the
// pipeline where the W taps repeat from one lane group to the next (rows/periodic_main.wgsl), read
// from the tables elsewhere (rows/tabled_main.wgsl). The host builds both from the pass's tables
// (src/gpu/rows.rs). Same taps and weights as src/reference/gather.rs; the blend sums a row's
// D and H taps first, so f32 sums can differ from a W-first order in the last bits.

struct RowParams {
    // Element offsets in `src` / `dst` of (d, h, w) = (0, 0, 0) of the dispatch's first plane,
    // and the strides of planes, depths and rows: all multiples of 4.
    src_base: u32,
    dst_base: u32,
    s_plane: u32,
    s_d: u32,
    s_h: u32,
    t_plane: u32,
    t_d: u32,
    t_h: u32,
    // wg.z = plane << d_shift | depth (depths padded to a power of two: no division).
    d_shift: u32,
    // The first output row of the dispatch, and the last output depth and row: lanes past
    // them are clamped to them (they rewrite the same values).
    h0: u32,
    last_d: u32,
    last_h: u32,
    // Lane groups per row, and the first output column of group 0 (a multiple of 4).
    groups: u32,
    w0: u32,
    // rows_periodic: the first input column group 0 loads (a multiple of 4) and the input
    // columns from one group to the next (a multiple of 4).
    base0: u32,
    advance: u32,
    // The vec4 in `dtab` of output depth 0's record, in `htab` of output row h0's.
    rec_d: u32,
    rec_h: u32,
    // rows_tabled: the vec4 in `wtab` of output column w0's record and the word in `bases`
    // of lane group 0's first input column; the dispatch's output columns [w0, w0 + cols);
    // TAPS_W and G / 4 as loop bounds.
    rec_w: u32,
    tab_bases: u32,
    cols: u32,
    taps_w: u32,
    quads: u32,
    clamp_min: f32,
    clamp_max: f32,
    // log2 of the lanes per output row (0..6): a workgroup covers 64 >> lane_shift rows.
    lane_shift: u32,
    // 0.0: see `weight` in rows/taps.wgsl.
    zero: f32,
    // Output rounding (common/finish.wgsl).
    flags: u32,
}

// The taps of an output depth (dtab) or row (htab): a record of ceil(k / 4) vec4s of input
// offsets (the input index times the axis' stride; MASKED past the output's count) and then
// ceil(k / 4) vec4s of f32 weights, k = TAPS_D or TAPS_H. 64 KiB uniform windows of one
// buffer: on lavapipe their loads are unrolled gathers, a fraction of a storage load (see
// src/gpu/rows.rs).
@group(0) @binding(0) var<uniform> p: RowParams;
@group(0) @binding(1) var<uniform> dtab: array<vec4<u32>, 4096>;
@group(0) @binding(2) var<uniform> htab: array<vec4<u32>, 4096>;
// rows_tabled: a record per output column of the dispatch, its W taps as offsets into the
// lane group's span (MASKED past the count) and weights, and the lane groups' first input
// columns in `bases`.
@group(0) @binding(3) var<uniform> wtab: array<vec4<u32>, 4096>;
@group(0) @binding(4) var<storage, read> bases: array<u32>;
// Binding 5, the input, `load(i)`, its vec4 i, `load_pair(i)`, its vec4s 2i and 2i + 1, and
// PAIRS, whether add_row loads pairs: rows/src_f32.wgsl, rows/src_u64.wgsl or
// rows/src_pairs.wgsl.
@group(0) @binding(6) var<storage, read_write> dst: array<vec4<f32>>;

// Taps per output depth and row (1..32), or 0: the axis is the identity (the output's own
// depth or row, weight 1; no record).
override TAPS_D: u32 = 0u;
override TAPS_H: u32 = 0u;
// Some records end before their k taps (counts vary, as in most backward passes): their
// remaining offsets are MASKED and add exactly 0 (a select: whatever they would read, a
// NaN included, is discarded).
override VARIABLE: bool = false;
const MASKED: u32 = 0xffffffffu;

// Outputs per lane group along W: 4, 8 or 16 (one, two or four vec4 stores).
override G: u32 = 16u;
// vec4s of input loaded per input row (1..12; with PAIRS an even count up to 14).
override SPAN: u32 = 8u;
// Taps per output along W (1..32): fixed per pipeline so that the tap sums unroll.
override TAPS_W: u32 = 1u;

// The blended input of the lane group: indexed with constants only in rows/periodic_main.wgsl
// (registers), at run time in rows/tabled_main.wgsl.
var<private> span: array<vec4<f32>, 14>;

fn span_at(i: u32) -> f32 {
    return span[i >> 2u][i & 3u];
}

struct Lane {
    // The lane group, and its output depth and row (clamped).
    group: u32,
    od: u32,
    oh: u32,
    // The plane's input element (d, h, w) = (0, 0, 0), and the output element of the lane
    // group's row at w = 0.
    src_plane: u32,
    dst_row: u32,
}

fn lane(wg: vec3<u32>, lid: vec3<u32>) -> Lane {
    let lanes = 1u << p.lane_shift;
    var l: Lane;
    l.group = min(wg.x * lanes + (lid.x & (lanes - 1u)), p.groups - 1u);
    l.oh = min(p.h0 + wg.y * (64u >> p.lane_shift) + (lid.x >> p.lane_shift), p.last_h);
    l.od = min(wg.z & ((1u << p.d_shift) - 1u), p.last_d);
    let plane = wg.z >> p.d_shift;
    l.src_plane = p.src_base + plane * p.s_plane;
    l.dst_row = p.dst_base + plane * p.t_plane + l.od * p.t_d + l.oh * p.t_h;
    return l;
}

// Tap j of a record starting at vec4 `r`: (input offset, weight).
struct Tap {
    offset: u32,
    weight: f32,
}

fn d_tap(r: u32, j: u32) -> Tap {
    let w = r + (TAPS_D + 3u) / 4u;
    return Tap(dtab[r + (j >> 2u)][j & 3u], bitcast<f32>(dtab[w + (j >> 2u)][j & 3u]));
}

fn h_tap(r: u32, j: u32) -> Tap {
    let w = r + (TAPS_H + 3u) / 4u;
    return Tap(htab[r + (j >> 2u)][j & 3u], bitcast<f32>(htab[w + (j >> 2u)][j & 3u]));
}

// The same from SPAN / 2 pairs of vec4s (rows/src_pairs.wgsl): `row` is even there.
fn add_pairs(row: u32, w: f32, live: bool) {
    let zero = vec4<f32>(0.0);
    let at = row >> 1u;
    let x0 = load_pair(at + 0u);
    span[0] += select(zero, w * x0[0], live);
    span[1] += select(zero, w * x0[1], live);
    if (SPAN > 2u) {
        let x1 = load_pair(at + 1u);
        span[2] += select(zero, w * x1[0], live);
        span[3] += select(zero, w * x1[1], live);
    }
    if (SPAN > 4u) {
        let x2 = load_pair(at + 2u);
        span[4] += select(zero, w * x2[0], live);
        span[5] += select(zero, w * x2[1], live);
    }
    if (SPAN > 6u) {
        let x3 = load_pair(at + 3u);
        span[6] += select(zero, w * x3[0], live);
        span[7] += select(zero, w * x3[1], live);
    }
    if (SPAN > 8u) {
        let x4 = load_pair(at + 4u);
        span[8] += select(zero, w * x4[0], live);
        span[9] += select(zero, w * x4[1], live);
    }
    if (SPAN > 10u) {
        let x5 = load_pair(at + 5u);
        span[10] += select(zero, w * x5[0], live);
        span[11] += select(zero, w * x5[1], live);
    }
    if (SPAN > 12u) {
        let x6 = load_pair(at + 6u);
        span[12] += select(zero, w * x6[0], live);
        span[13] += select(zero, w * x6[1], live);
    }
}

// span[v] += w * in[row + v] (vec4 index `row`) for the SPAN vec4s; nothing if not `live`.
fn add_row(row: u32, w: f32, live: bool) {
    if (PAIRS) {
        add_pairs(row, w, live);
        return;
    }
    let zero = vec4<f32>(0.0);
    span[0] += select(zero, w * load(row), live);
    if (SPAN > 1u) {
        span[1] += select(zero, w * load(row + 1u), live);
    }
    if (SPAN > 2u) {
        span[2] += select(zero, w * load(row + 2u), live);
    }
    if (SPAN > 3u) {
        span[3] += select(zero, w * load(row + 3u), live);
    }
    if (SPAN > 4u) {
        span[4] += select(zero, w * load(row + 4u), live);
    }
    if (SPAN > 5u) {
        span[5] += select(zero, w * load(row + 5u), live);
    }
    if (SPAN > 6u) {
        span[6] += select(zero, w * load(row + 6u), live);
    }
    if (SPAN > 7u) {
        span[7] += select(zero, w * load(row + 7u), live);
    }
    if (SPAN > 8u) {
        span[8] += select(zero, w * load(row + 8u), live);
    }
    if (SPAN > 9u) {
        span[9] += select(zero, w * load(row + 9u), live);
    }
    if (SPAN > 10u) {
        span[10] += select(zero, w * load(row + 10u), live);
    }
    if (SPAN > 11u) {
        span[11] += select(zero, w * load(row + 11u), live);
    }
}

// span = sum_a sum_b Wd[od,a] Wh[oh,b] in[plane, d_a, h_b, base ..] over the output's taps,
// a then b ascending (an output of a transposed table that no input reaches sums to 0).
fn blend(l: Lane, base: u32) {
    for (var v = 0u; v < 14u; v++) {
        span[v] = vec4<f32>(0.0);
    }
    let rd = p.rec_d + l.od * ((TAPS_D + 3u) / 4u) * 2u;
    let rh = p.rec_h + (l.oh - p.h0) * ((TAPS_H + 3u) / 4u) * 2u;
    for (var a = 0u; a < max(TAPS_D, 1u); a++) {
        var d = Tap(l.od * p.s_d, 1.0);
        if (TAPS_D > 0u) {
            d = d_tap(rd, a);
        }
        for (var b = 0u; b < max(TAPS_H, 1u); b++) {
            var h = Tap(l.oh * p.s_h, 1.0);
            if (TAPS_H > 0u) {
                h = h_tap(rh, b);
            }
            let live = !VARIABLE || (d.offset != MASKED && h.offset != MASKED);
            let row = select(0u, d.offset + h.offset, live) + l.src_plane + base;
            add_row(row >> 2u, d.weight * h.weight, live);
        }
    }
}

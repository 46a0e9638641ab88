// The gather kernels' `Params` and tap-table accessors. The entry file that imports this
// declares the bindings: `p: Params`, `dst`, `fn table_word(i: u32) -> u32` and
// `fn src_at(i: u32) -> f32` (gather/uniform_tables.wgsl, gather/storage_tables.wgsl,
// window/bindings.wgsl).

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
}

// Tap counts fixed when the pipeline is built (1..4), or 0: read each output's count from
// the tables. Fixed counts let the compiler unroll the tap loops (one pipeline per triple,
// built on first use; shapes still travel in `Params`).
override TAPS_D: u32 = 0u;
override TAPS_H: u32 = 0u;
override TAPS_W: u32 = 0u;
// Every weight of the pass's tables is 1 (nearest modes, identity axes): the weight loads
// and products fold away (x * 1 is x, exactly).
override UNIT_WEIGHTS: bool = false;
const WG_X: u32 = 64u;

fn tap_count(fixed: u32, tab: u32, o: u32) -> u32 {
    if (fixed != 0u) {
        return fixed;
    }
    return table_word(tab + o);
}

// A table slice of n outputs and k taps per output is count[n] | index[n * k] | weight[n * k]
// (src/gpu/gather/tables.rs).
fn tap_index(tab: u32, n: u32, k: u32, o: u32, j: u32) -> u32 {
    return table_word(tab + n + o * k + j);
}

fn tap_weight(tab: u32, n: u32, k: u32, o: u32, j: u32) -> f32 {
    if (UNIT_WEIGHTS) {
        return 1.0;
    }
    return bitcast<f32>(table_word(tab + n + n * k + o * k + j));
}

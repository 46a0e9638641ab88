// resample.gather_window: gather/uniform_tables.wgsl reading its input through a 64 KiB uniform window
// instead of a storage binding (see gather/params.wgsl, spliced below).
//
// Why: on CPU adapters (lavapipe/llvmpipe) a storage load whose address differs between
// lanes is a scalar loop over the 8 lanes with two branches per lane (about 20 cycles per
// value), while a uniform-buffer load is an unrolled, branch-free gather (about 1 cycle).
// The host cuts each pass into chunks whose input window fits 16384 floats and binds each
// chunk's window here (src/gpu/resampler.rs, `Kernel::Window`).

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<uniform> tables: array<vec4<u32>, 4096>;
@group(0) @binding(2) var<uniform> src: array<vec4<f32>, 4096>;
// Binding 3, the output `dst`, and how the loop-free kernels store their four columns come
// from window/store.wgsl (scalars) or window/store_vec4.wgsl (aligned vec4s), spliced next.

fn table_word(i: u32) -> u32 {
    return tables[i >> 2u][i & 3u];
}

fn src_at(i: u32) -> f32 {
    return src[i >> 2u][i & 3u];
}

// Where an invocation of the loop-free window kernels (window/fixed_main.wgsl,
// window/axis_main.wgsl) works: a workgroup covers 64 >> LANE_SHIFT output rows of
// 1 << LANE_SHIFT lanes each, a lane COLS adjacent columns from `first` (see `column_of`,
// window/store*.wgsl). z is the plane, or the
// depth when the chunk has several (it then has one plane); the chunk's planes are evenly
// strided (s_plane, t_plane): no division. Rows past the chunk are clamped to its last row
// (they recompute and rewrite the same values: no branch). Declared here, not in the mains,
// so that both read the same `LANE_SHIFT`.
override LANE_SHIFT: u32 = 6u;

struct Cell {
    od: u32,
    oh: u32,
    // Input element of (n, c, d=0, h=0, w=0) of the plane; output element of (d, h, w=0).
    src_plane: u32,
    out_row: u32,
    lanes: u32,
    // This lane's first column, and the chunk's last.
    first: u32,
    last: u32,
}

fn window_cell(wg: vec3<u32>, lid: vec3<u32>, cols: u32) -> Cell {
    var c: Cell;
    c.lanes = 1u << LANE_SHIFT;
    // With 64 lanes per row (one row per workgroup) the row is spelled without the local id:
    // uniform across the workgroup. (Mesa 22.3's llvmpipe still loads the row's H taps per
    // lane: it takes a uniform-buffer load as scalar only at a constant offset.)
    let lane_row = select(lid.x >> LANE_SHIFT, 0u, LANE_SHIFT == 6u);
    let row = min(wg.y * (WG_X >> LANE_SHIFT) + lane_row, p.rows_h - 1u);
    c.oh = p.h0 + row;
    let one_d = p.d_count == 1u;
    let plane = select(0u, wg.z, one_d);
    c.od = p.d0 + select(wg.z, 0u, one_d);
    c.src_plane = p.src_base + p.n_first * p.s_n + p.c_first * p.s_c + plane * p.s_plane;
    c.out_row = p.dst_base + p.n_first * p.t_n + p.c_first * p.t_c + plane * p.t_plane
        + c.od * p.t_d + c.oh * p.t_h;
    c.first = p.w0 + (wg.x * c.lanes + (lid.x & (c.lanes - 1u))) * cols;
    c.last = p.w0 + p.w_count - 1u;
    return c;
}

// The strips tile kernel's parameters and table binding (src/gpu/strips/: `TileParams`,
// mirrored field by field and checked against this text by a test). The table holds the W
// column groups' records and weights (as the row kernel's) and the H row groups' records and
// weights: record .x the first input row of the group's span, .y the vec4 where its weights
// start, one vec4 per span row holding the weights of the group's four output rows.
//! import "strips/weights.wgsl"

struct TileParams {
    // Planes in this dispatch, and the output groups of four columns and of four rows.
    planes: u32,
    groups_w: u32,
    groups_h: u32,
    // Row groups per lane.
    per_lane: u32,
    // Output columns and rows (the last groups may hold fewer than four).
    out_w: u32,
    out_h: u32,
    // Unused (the rows each row group reads are the pipeline's ROWS).
    span_h: u32,
    // Element offsets of the dispatch's first plane in `src` and `dst`, and the strides of
    // planes and rows.
    src_base: u32,
    dst_base: u32,
    src_plane: u32,
    dst_plane: u32,
    src_row: u32,
    dst_row: u32,
    // The vec4s of column group 0's and row group 0's records in `table`.
    records_w: u32,
    records_h: u32,
    // Output rounding (common/finish.wgsl).
    flags: u32,
    clamp_min: f32,
    clamp_max: f32,
    // 0.0, a run-time value the compiler cannot fold (strips/weights.wgsl `tap`).
    zero: f32,
    // The first lane column of this dispatch (fix-up dispatches take a few lane columns).
    lane0: u32,
}

@group(0) @binding(0) var<uniform> p: TileParams;

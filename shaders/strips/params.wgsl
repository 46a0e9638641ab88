// The strips row and line kernels' parameters (src/gpu/strips/: `StripParams`, mirrored
// field by field and checked against this text by a test).
//! import "strips/weights.wgsl"
//
// A pass resamples one axis. The host cuts the outputs along that axis into groups of four
// (output pixels of a row, or output lines) and gives each group a record in `table`
// (vec4 p.records + group):
//   .x  the first input pixel (line) of the group's span
//   .y  the vec4 where the group's SPAN weights start: vec4 s holds the weights of span
//       element s for the four outputs of the group (-0.0 where element s is not one of
//       that output's taps: see `tap`)
// so that output j of the group is sum_s w[s][j] * in[span start + s], the taps of the
// output's table row in their order. Every lane loads its group's record and weights once
// and applies them to several rows (row kernel) or inner chunks (line kernel).

struct StripParams {
    // Row kernel: rows (lines of the resampled axis) in this dispatch; line kernel: outer
    // blocks (planes).
    count: u32,
    // Row kernel: rows per lane; line kernel: inner chunks of 4 elements per lane.
    per_lane: u32,
    // Groups of four outputs along the axis.
    groups: u32,
    // Output elements along the axis (the last group may hold fewer than four).
    out_len: u32,
    // Element offsets of the dispatch's first row / outer block in `src` and `dst`.
    src_base: u32,
    dst_base: u32,
    // Row kernel: elements from one row to the next; line kernel: from one outer block to
    // the next.
    src_step: u32,
    dst_step: u32,
    // Line kernel: elements from one line to the next (the inner block's size in the
    // layout), and the inner elements per line.
    src_line: u32,
    dst_line: u32,
    inner: u32,
    // The vec4 of group 0's record in `table`.
    records: u32,
    // Output rounding of the pass (common/finish.wgsl).
    flags: u32,
    clamp_min: f32,
    clamp_max: f32,
    // 0.0, a run-time value the compiler cannot fold (strips/weights.wgsl `tap`).
    zero: f32,
}

@group(0) @binding(0) var<uniform> p: StripParams;

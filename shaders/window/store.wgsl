// resample.gather_window*: the output as scalars, spliced after window/bindings.wgsl. Every
// layout and alignment (channels-last, odd widths, outputs at any offset).

@group(0) @binding(3) var<storage, read_write> dst: array<f32>;

// Column j (0..3) of an invocation whose first column is `first`: past the chunk's `last`,
// `last` itself (recomputed and rewritten: the same value, and no branch).
fn column_of(first: u32, last: u32, j: u32) -> u32 {
    return min(first + j, last);
}

// out[row, column_of(j)] = v[j]
fn store_columns(out_row: u32, first: u32, last: u32, v: vec4<f32>) {
    dst[out_row + column_of(first, last, 0u) * p.t_w] = v.x;
    dst[out_row + column_of(first, last, 1u) * p.t_w] = v.y;
    dst[out_row + column_of(first, last, 2u) * p.t_w] = v.z;
    dst[out_row + column_of(first, last, 3u) * p.t_w] = v.w;
}

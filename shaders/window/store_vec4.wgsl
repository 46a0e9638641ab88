// resample.gather_window*_vec4: the output as aligned vec4s, spliced after
// window/bindings.wgsl. The host picks it when every output row of the pass starts at a
// multiple of 4 elements, columns are contiguous (t_w = 1) and every chunk's columns come in
// whole fours (w0 and w_count multiples of 4; src/gpu/resampler.rs, `vec4_stores`): an
// invocation's four columns are then one aligned vec4 of the output. On lavapipe a store is a
// loop over the lanes whatever its width, so one vec4 store costs about what one scalar did.

@group(0) @binding(3) var<storage, read_write> dst: array<vec4<f32>>;

// Column j (0..3) of an invocation whose first column is `first`: the last four columns of
// the chunk for invocations past its end (recomputed and rewritten: the same values).
fn column_of(first: u32, last: u32, j: u32) -> u32 {
    return min(first, last - 3u) + j;
}

// out[row, column_of(0..3)] = v
fn store_columns(out_row: u32, first: u32, last: u32, v: vec4<f32>) {
    dst[(out_row + column_of(first, last, 0u)) >> 2u] = v;
}

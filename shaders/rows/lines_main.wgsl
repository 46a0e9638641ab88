// resample.rows_lines main: a pass whose only active axis is H (W and D identities), over a
// run of output rows whose H taps repeat from one group of G rows to the next, spliced after
// rows/common.wgsl, common/finish.wgsl and rows/taps.wgsl. A lane makes one vec4 (four columns) of G
// adjacent output rows: it loads the LINES input rows the group reads, once each, and output
// row j sums TAPS_W of them from line OFF_j with the weights of its phase j % P, constants of
// the pipeline (register arithmetic):
//   out[plane, h0 + G i + j, c..c+4] = sum_k WT[j % P][k] * in[plane, base0 + advance i + OFF_j + k, c..c+4]
// On lavapipe a load costs about as much per element whatever its width, so what counts is
// how often each input element is loaded: here LINES / G times per output row group (45 / 8
// for a 1/4 antialiased bicubic), against once per tap (17) with a lane group per output row
// (rows/periodic_main.wgsl with H records), which runs the rows before and after the run. Same
// taps, weights and order (k ascending) as src/reference/gather.rs.
//
// Dispatch: x = vec4 columns (p.groups per row) / (1 << lane_shift), y = row groups (p.cols
// of them) / (64 >> lane_shift), z = planes.

// Input rows a row group reads (1..48).
override LINES: u32 = 1u;
var<private> lines: array<vec4<f32>, 48>;

// sum_k WT_q_k * lines[off + k] over the taps of phase q, k ascending; q and off are
// constants at every call.
fn line_taps(q: u32, off: u32) -> vec4<f32> {
    let n = min(count(q), TAPS_W);
    var s = vec4<f32>(0.0);
    if (n > 0u) {
        s += weight(q, WT_0_0, WT_1_0, WT_2_0, WT_3_0) * lines[off + 0u];
    }
    if (n > 1u) {
        s += weight(q, WT_0_1, WT_1_1, WT_2_1, WT_3_1) * lines[off + 1u];
    }
    if (n > 2u) {
        s += weight(q, WT_0_2, WT_1_2, WT_2_2, WT_3_2) * lines[off + 2u];
    }
    if (n > 3u) {
        s += weight(q, WT_0_3, WT_1_3, WT_2_3, WT_3_3) * lines[off + 3u];
    }
    if (n > 4u) {
        s += weight(q, WT_0_4, WT_1_4, WT_2_4, WT_3_4) * lines[off + 4u];
    }
    if (n > 5u) {
        s += weight(q, WT_0_5, WT_1_5, WT_2_5, WT_3_5) * lines[off + 5u];
    }
    if (n > 6u) {
        s += weight(q, WT_0_6, WT_1_6, WT_2_6, WT_3_6) * lines[off + 6u];
    }
    if (n > 7u) {
        s += weight(q, WT_0_7, WT_1_7, WT_2_7, WT_3_7) * lines[off + 7u];
    }
    if (n > 8u) {
        s += weight(q, WT_0_8, WT_1_8, WT_2_8, WT_3_8) * lines[off + 8u];
    }
    if (n > 9u) {
        s += weight(q, WT_0_9, WT_1_9, WT_2_9, WT_3_9) * lines[off + 9u];
    }
    if (n > 10u) {
        s += weight(q, WT_0_10, WT_1_10, WT_2_10, WT_3_10) * lines[off + 10u];
    }
    if (n > 11u) {
        s += weight(q, WT_0_11, WT_1_11, WT_2_11, WT_3_11) * lines[off + 11u];
    }
    if (n > 12u) {
        s += weight(q, WT_0_12, WT_1_12, WT_2_12, WT_3_12) * lines[off + 12u];
    }
    if (n > 13u) {
        s += weight(q, WT_0_13, WT_1_13, WT_2_13, WT_3_13) * lines[off + 13u];
    }
    if (n > 14u) {
        s += weight(q, WT_0_14, WT_1_14, WT_2_14, WT_3_14) * lines[off + 14u];
    }
    if (n > 15u) {
        s += weight(q, WT_0_15, WT_1_15, WT_2_15, WT_3_15) * lines[off + 15u];
    }
    if (n > 16u) {
        s += weight(q, WT_0_16, WT_1_16, WT_2_16, WT_3_16) * lines[off + 16u];
    }
    if (n > 17u) {
        s += weight(q, WT_0_17, WT_1_17, WT_2_17, WT_3_17) * lines[off + 17u];
    }
    if (n > 18u) {
        s += weight(q, WT_0_18, WT_1_18, WT_2_18, WT_3_18) * lines[off + 18u];
    }
    if (n > 19u) {
        s += weight(q, WT_0_19, WT_1_19, WT_2_19, WT_3_19) * lines[off + 19u];
    }
    if (n > 20u) {
        s += weight(q, WT_0_20, WT_1_20, WT_2_20, WT_3_20) * lines[off + 20u];
    }
    if (n > 21u) {
        s += weight(q, WT_0_21, WT_1_21, WT_2_21, WT_3_21) * lines[off + 21u];
    }
    if (n > 22u) {
        s += weight(q, WT_0_22, WT_1_22, WT_2_22, WT_3_22) * lines[off + 22u];
    }
    if (n > 23u) {
        s += weight(q, WT_0_23, WT_1_23, WT_2_23, WT_3_23) * lines[off + 23u];
    }
    if (n > 24u) {
        s += weight(q, WT_0_24, WT_1_24, WT_2_24, WT_3_24) * lines[off + 24u];
    }
    if (n > 25u) {
        s += weight(q, WT_0_25, WT_1_25, WT_2_25, WT_3_25) * lines[off + 25u];
    }
    if (n > 26u) {
        s += weight(q, WT_0_26, WT_1_26, WT_2_26, WT_3_26) * lines[off + 26u];
    }
    if (n > 27u) {
        s += weight(q, WT_0_27, WT_1_27, WT_2_27, WT_3_27) * lines[off + 27u];
    }
    if (n > 28u) {
        s += weight(q, WT_0_28, WT_1_28, WT_2_28, WT_3_28) * lines[off + 28u];
    }
    if (n > 29u) {
        s += weight(q, WT_0_29, WT_1_29, WT_2_29, WT_3_29) * lines[off + 29u];
    }
    if (n > 30u) {
        s += weight(q, WT_0_30, WT_1_30, WT_2_30, WT_3_30) * lines[off + 30u];
    }
    if (n > 31u) {
        s += weight(q, WT_0_31, WT_1_31, WT_2_31, WT_3_31) * lines[off + 31u];
    }
    return vec4<f32>(finish(s.x), finish(s.y), finish(s.z), finish(s.w));
}

@compute @workgroup_size(64, 1, 1)
fn main(
    @builtin(workgroup_id) wg: vec3<u32>,
    @builtin(local_invocation_id) lid: vec3<u32>,
) {
    // Lanes past the last column or row group are clamped to it (they rewrite the same
    // values).
    let lanes = 1u << p.lane_shift;
    let col = min(wg.x * lanes + (lid.x & (lanes - 1u)), p.groups - 1u);
    let group = min(wg.y * (64u >> p.lane_shift) + (lid.x >> p.lane_shift), p.cols - 1u);
    let plane = wg.z;
    let first = (p.base0 + group * p.advance) * p.s_h;
    let at = ((p.src_base + plane * p.s_plane + first) >> 2u) + col;
    let stride = p.s_h >> 2u;
    lines[0] = load(at);
    if (LINES > 1u) {
        lines[1] = load(at + 1u * stride);
    }
    if (LINES > 2u) {
        lines[2] = load(at + 2u * stride);
    }
    if (LINES > 3u) {
        lines[3] = load(at + 3u * stride);
    }
    if (LINES > 4u) {
        lines[4] = load(at + 4u * stride);
    }
    if (LINES > 5u) {
        lines[5] = load(at + 5u * stride);
    }
    if (LINES > 6u) {
        lines[6] = load(at + 6u * stride);
    }
    if (LINES > 7u) {
        lines[7] = load(at + 7u * stride);
    }
    if (LINES > 8u) {
        lines[8] = load(at + 8u * stride);
    }
    if (LINES > 9u) {
        lines[9] = load(at + 9u * stride);
    }
    if (LINES > 10u) {
        lines[10] = load(at + 10u * stride);
    }
    if (LINES > 11u) {
        lines[11] = load(at + 11u * stride);
    }
    if (LINES > 12u) {
        lines[12] = load(at + 12u * stride);
    }
    if (LINES > 13u) {
        lines[13] = load(at + 13u * stride);
    }
    if (LINES > 14u) {
        lines[14] = load(at + 14u * stride);
    }
    if (LINES > 15u) {
        lines[15] = load(at + 15u * stride);
    }
    if (LINES > 16u) {
        lines[16] = load(at + 16u * stride);
    }
    if (LINES > 17u) {
        lines[17] = load(at + 17u * stride);
    }
    if (LINES > 18u) {
        lines[18] = load(at + 18u * stride);
    }
    if (LINES > 19u) {
        lines[19] = load(at + 19u * stride);
    }
    if (LINES > 20u) {
        lines[20] = load(at + 20u * stride);
    }
    if (LINES > 21u) {
        lines[21] = load(at + 21u * stride);
    }
    if (LINES > 22u) {
        lines[22] = load(at + 22u * stride);
    }
    if (LINES > 23u) {
        lines[23] = load(at + 23u * stride);
    }
    if (LINES > 24u) {
        lines[24] = load(at + 24u * stride);
    }
    if (LINES > 25u) {
        lines[25] = load(at + 25u * stride);
    }
    if (LINES > 26u) {
        lines[26] = load(at + 26u * stride);
    }
    if (LINES > 27u) {
        lines[27] = load(at + 27u * stride);
    }
    if (LINES > 28u) {
        lines[28] = load(at + 28u * stride);
    }
    if (LINES > 29u) {
        lines[29] = load(at + 29u * stride);
    }
    if (LINES > 30u) {
        lines[30] = load(at + 30u * stride);
    }
    if (LINES > 31u) {
        lines[31] = load(at + 31u * stride);
    }
    if (LINES > 32u) {
        lines[32] = load(at + 32u * stride);
    }
    if (LINES > 33u) {
        lines[33] = load(at + 33u * stride);
    }
    if (LINES > 34u) {
        lines[34] = load(at + 34u * stride);
    }
    if (LINES > 35u) {
        lines[35] = load(at + 35u * stride);
    }
    if (LINES > 36u) {
        lines[36] = load(at + 36u * stride);
    }
    if (LINES > 37u) {
        lines[37] = load(at + 37u * stride);
    }
    if (LINES > 38u) {
        lines[38] = load(at + 38u * stride);
    }
    if (LINES > 39u) {
        lines[39] = load(at + 39u * stride);
    }
    if (LINES > 40u) {
        lines[40] = load(at + 40u * stride);
    }
    if (LINES > 41u) {
        lines[41] = load(at + 41u * stride);
    }
    if (LINES > 42u) {
        lines[42] = load(at + 42u * stride);
    }
    if (LINES > 43u) {
        lines[43] = load(at + 43u * stride);
    }
    if (LINES > 44u) {
        lines[44] = load(at + 44u * stride);
    }
    if (LINES > 45u) {
        lines[45] = load(at + 45u * stride);
    }
    if (LINES > 46u) {
        lines[46] = load(at + 46u * stride);
    }
    if (LINES > 47u) {
        lines[47] = load(at + 47u * stride);
    }
    let row = p.h0 + group * G;
    let out = ((p.dst_base + plane * p.t_plane + row * p.t_h) >> 2u) + col;
    let next = p.t_h >> 2u;
    dst[out] = line_taps(0u, OFF_0);
    if (G > 1u) {
        dst[out + 1u * next] = line_taps(1u % P, OFF_1);
    }
    if (G > 2u) {
        dst[out + 2u * next] = line_taps(2u % P, OFF_2);
    }
    if (G > 3u) {
        dst[out + 3u * next] = line_taps(3u % P, OFF_3);
    }
    if (G > 4u) {
        dst[out + 4u * next] = line_taps(4u % P, OFF_4);
    }
    if (G > 5u) {
        dst[out + 5u * next] = line_taps(5u % P, OFF_5);
    }
    if (G > 6u) {
        dst[out + 6u * next] = line_taps(6u % P, OFF_6);
    }
    if (G > 7u) {
        dst[out + 7u * next] = line_taps(7u % P, OFF_7);
    }
}

// resample.rows_periodic main: the lane groups of a pass whose W taps repeat from one group
// to the next, spliced after rows/common.wgsl, common/finish.wgsl and rows/taps.wgsl. Output j of every
// such group reads TAPS_W consecutive inputs from span column OFF_j with the weights of its
// phase j % P, all constants of the pipeline, so the tap sums below compile to register
// arithmetic. Lane group g's span starts at input column base0 + advance * g.
//
// Dispatch: x = lane groups / (1 << lane_shift), y = output rows / (64 >> lane_shift),
// z = planes << d_shift (see `lane`, rows/common.wgsl).

// sum_k WT_q_k * span[off + k] over the taps of phase q, k ascending, as
// src/reference/gather.rs. q and off are constants at every call: the conditions fold away.
fn taps(q: u32, off: u32) -> f32 {
    let n = min(count(q), TAPS_W);
    var s = 0.0;
    if (n > 0u) {
        s += weight(q, WT_0_0, WT_1_0, WT_2_0, WT_3_0) * span_at(off + 0u);
    }
    if (n > 1u) {
        s += weight(q, WT_0_1, WT_1_1, WT_2_1, WT_3_1) * span_at(off + 1u);
    }
    if (n > 2u) {
        s += weight(q, WT_0_2, WT_1_2, WT_2_2, WT_3_2) * span_at(off + 2u);
    }
    if (n > 3u) {
        s += weight(q, WT_0_3, WT_1_3, WT_2_3, WT_3_3) * span_at(off + 3u);
    }
    if (n > 4u) {
        s += weight(q, WT_0_4, WT_1_4, WT_2_4, WT_3_4) * span_at(off + 4u);
    }
    if (n > 5u) {
        s += weight(q, WT_0_5, WT_1_5, WT_2_5, WT_3_5) * span_at(off + 5u);
    }
    if (n > 6u) {
        s += weight(q, WT_0_6, WT_1_6, WT_2_6, WT_3_6) * span_at(off + 6u);
    }
    if (n > 7u) {
        s += weight(q, WT_0_7, WT_1_7, WT_2_7, WT_3_7) * span_at(off + 7u);
    }
    if (n > 8u) {
        s += weight(q, WT_0_8, WT_1_8, WT_2_8, WT_3_8) * span_at(off + 8u);
    }
    if (n > 9u) {
        s += weight(q, WT_0_9, WT_1_9, WT_2_9, WT_3_9) * span_at(off + 9u);
    }
    if (n > 10u) {
        s += weight(q, WT_0_10, WT_1_10, WT_2_10, WT_3_10) * span_at(off + 10u);
    }
    if (n > 11u) {
        s += weight(q, WT_0_11, WT_1_11, WT_2_11, WT_3_11) * span_at(off + 11u);
    }
    if (n > 12u) {
        s += weight(q, WT_0_12, WT_1_12, WT_2_12, WT_3_12) * span_at(off + 12u);
    }
    if (n > 13u) {
        s += weight(q, WT_0_13, WT_1_13, WT_2_13, WT_3_13) * span_at(off + 13u);
    }
    if (n > 14u) {
        s += weight(q, WT_0_14, WT_1_14, WT_2_14, WT_3_14) * span_at(off + 14u);
    }
    if (n > 15u) {
        s += weight(q, WT_0_15, WT_1_15, WT_2_15, WT_3_15) * span_at(off + 15u);
    }
    if (n > 16u) {
        s += weight(q, WT_0_16, WT_1_16, WT_2_16, WT_3_16) * span_at(off + 16u);
    }
    if (n > 17u) {
        s += weight(q, WT_0_17, WT_1_17, WT_2_17, WT_3_17) * span_at(off + 17u);
    }
    if (n > 18u) {
        s += weight(q, WT_0_18, WT_1_18, WT_2_18, WT_3_18) * span_at(off + 18u);
    }
    if (n > 19u) {
        s += weight(q, WT_0_19, WT_1_19, WT_2_19, WT_3_19) * span_at(off + 19u);
    }
    if (n > 20u) {
        s += weight(q, WT_0_20, WT_1_20, WT_2_20, WT_3_20) * span_at(off + 20u);
    }
    if (n > 21u) {
        s += weight(q, WT_0_21, WT_1_21, WT_2_21, WT_3_21) * span_at(off + 21u);
    }
    if (n > 22u) {
        s += weight(q, WT_0_22, WT_1_22, WT_2_22, WT_3_22) * span_at(off + 22u);
    }
    if (n > 23u) {
        s += weight(q, WT_0_23, WT_1_23, WT_2_23, WT_3_23) * span_at(off + 23u);
    }
    if (n > 24u) {
        s += weight(q, WT_0_24, WT_1_24, WT_2_24, WT_3_24) * span_at(off + 24u);
    }
    if (n > 25u) {
        s += weight(q, WT_0_25, WT_1_25, WT_2_25, WT_3_25) * span_at(off + 25u);
    }
    if (n > 26u) {
        s += weight(q, WT_0_26, WT_1_26, WT_2_26, WT_3_26) * span_at(off + 26u);
    }
    if (n > 27u) {
        s += weight(q, WT_0_27, WT_1_27, WT_2_27, WT_3_27) * span_at(off + 27u);
    }
    if (n > 28u) {
        s += weight(q, WT_0_28, WT_1_28, WT_2_28, WT_3_28) * span_at(off + 28u);
    }
    if (n > 29u) {
        s += weight(q, WT_0_29, WT_1_29, WT_2_29, WT_3_29) * span_at(off + 29u);
    }
    if (n > 30u) {
        s += weight(q, WT_0_30, WT_1_30, WT_2_30, WT_3_30) * span_at(off + 30u);
    }
    if (n > 31u) {
        s += weight(q, WT_0_31, WT_1_31, WT_2_31, WT_3_31) * span_at(off + 31u);
    }
    return finish(s);
}

fn outputs(j: u32, o0: u32, o1: u32, o2: u32, o3: u32) -> vec4<f32> {
    return vec4<f32>(taps(j % P, o0), taps((j + 1u) % P, o1), taps((j + 2u) % P, o2), taps((j + 3u) % P, o3));
}

@compute @workgroup_size(64, 1, 1)
fn main(
    @builtin(workgroup_id) wg: vec3<u32>,
    @builtin(local_invocation_id) lid: vec3<u32>,
) {
    let l = lane(wg, lid);
    blend(l, p.base0 + l.group * p.advance);
    let out = (l.dst_row + p.w0 + l.group * G) >> 2u;
    dst[out] = outputs(0u, OFF_0, OFF_1, OFF_2, OFF_3);
    if (G > 4u) {
        dst[out + 1u] = outputs(4u, OFF_4, OFF_5, OFF_6, OFF_7);
    }
    if (G > 8u) {
        dst[out + 2u] = outputs(8u, OFF_8, OFF_9, OFF_10, OFF_11);
    }
    if (G > 12u) {
        dst[out + 3u] = outputs(12u, OFF_12, OFF_13, OFF_14, OFF_15);
    }
}

// resample.rows_periodic and resample.rows_lines, shared part: the tap constants of a run
// of lane groups whose taps repeat from one group to the next, spliced after rows/common.wgsl and
// common/finish.wgsl and before either main. src/gpu/rows.rs finds them in the pass's table and
// checks every group it sends to these kernels against them: on lavapipe a load, even of a
// constant address, is a loop over the lanes, while these are constants of the pipeline.

// The first span column (row, for rows/lines_main.wgsl) of output j's taps, j < G.
override OFF_0: u32 = 0u;
override OFF_1: u32 = 0u;
override OFF_2: u32 = 0u;
override OFF_3: u32 = 0u;
override OFF_4: u32 = 0u;
override OFF_5: u32 = 0u;
override OFF_6: u32 = 0u;
override OFF_7: u32 = 0u;
override OFF_8: u32 = 0u;
override OFF_9: u32 = 0u;
override OFF_10: u32 = 0u;
override OFF_11: u32 = 0u;
override OFF_12: u32 = 0u;
override OFF_13: u32 = 0u;
override OFF_14: u32 = 0u;
override OFF_15: u32 = 0u;

// Weight phases along the lane group (1, 2 or 4: output j has the taps of phase j % P), the
// taps of phase q (COUNT_q <= TAPS_W) and the weight of its tap k, WT_q_k.
override P: u32 = 1u;
override COUNT_0: u32 = 1u;
override COUNT_1: u32 = 1u;
override COUNT_2: u32 = 1u;
override COUNT_3: u32 = 1u;
override WT_0_0: f32 = 0.0; override WT_0_1: f32 = 0.0; override WT_0_2: f32 = 0.0; override WT_0_3: f32 = 0.0;
override WT_0_4: f32 = 0.0; override WT_0_5: f32 = 0.0; override WT_0_6: f32 = 0.0; override WT_0_7: f32 = 0.0;
override WT_0_8: f32 = 0.0; override WT_0_9: f32 = 0.0; override WT_0_10: f32 = 0.0; override WT_0_11: f32 = 0.0;
override WT_0_12: f32 = 0.0; override WT_0_13: f32 = 0.0; override WT_0_14: f32 = 0.0; override WT_0_15: f32 = 0.0;
override WT_0_16: f32 = 0.0; override WT_0_17: f32 = 0.0; override WT_0_18: f32 = 0.0; override WT_0_19: f32 = 0.0;
override WT_0_20: f32 = 0.0; override WT_0_21: f32 = 0.0; override WT_0_22: f32 = 0.0; override WT_0_23: f32 = 0.0;
override WT_0_24: f32 = 0.0; override WT_0_25: f32 = 0.0; override WT_0_26: f32 = 0.0; override WT_0_27: f32 = 0.0;
override WT_0_28: f32 = 0.0; override WT_0_29: f32 = 0.0; override WT_0_30: f32 = 0.0; override WT_0_31: f32 = 0.0;
override WT_1_0: f32 = 0.0; override WT_1_1: f32 = 0.0; override WT_1_2: f32 = 0.0; override WT_1_3: f32 = 0.0;
override WT_1_4: f32 = 0.0; override WT_1_5: f32 = 0.0; override WT_1_6: f32 = 0.0; override WT_1_7: f32 = 0.0;
override WT_1_8: f32 = 0.0; override WT_1_9: f32 = 0.0; override WT_1_10: f32 = 0.0; override WT_1_11: f32 = 0.0;
override WT_1_12: f32 = 0.0; override WT_1_13: f32 = 0.0; override WT_1_14: f32 = 0.0; override WT_1_15: f32 = 0.0;
override WT_1_16: f32 = 0.0; override WT_1_17: f32 = 0.0; override WT_1_18: f32 = 0.0; override WT_1_19: f32 = 0.0;
override WT_1_20: f32 = 0.0; override WT_1_21: f32 = 0.0; override WT_1_22: f32 = 0.0; override WT_1_23: f32 = 0.0;
override WT_1_24: f32 = 0.0; override WT_1_25: f32 = 0.0; override WT_1_26: f32 = 0.0; override WT_1_27: f32 = 0.0;
override WT_1_28: f32 = 0.0; override WT_1_29: f32 = 0.0; override WT_1_30: f32 = 0.0; override WT_1_31: f32 = 0.0;
override WT_2_0: f32 = 0.0; override WT_2_1: f32 = 0.0; override WT_2_2: f32 = 0.0; override WT_2_3: f32 = 0.0;
override WT_2_4: f32 = 0.0; override WT_2_5: f32 = 0.0; override WT_2_6: f32 = 0.0; override WT_2_7: f32 = 0.0;
override WT_2_8: f32 = 0.0; override WT_2_9: f32 = 0.0; override WT_2_10: f32 = 0.0; override WT_2_11: f32 = 0.0;
override WT_2_12: f32 = 0.0; override WT_2_13: f32 = 0.0; override WT_2_14: f32 = 0.0; override WT_2_15: f32 = 0.0;
override WT_2_16: f32 = 0.0; override WT_2_17: f32 = 0.0; override WT_2_18: f32 = 0.0; override WT_2_19: f32 = 0.0;
override WT_2_20: f32 = 0.0; override WT_2_21: f32 = 0.0; override WT_2_22: f32 = 0.0; override WT_2_23: f32 = 0.0;
override WT_2_24: f32 = 0.0; override WT_2_25: f32 = 0.0; override WT_2_26: f32 = 0.0; override WT_2_27: f32 = 0.0;
override WT_2_28: f32 = 0.0; override WT_2_29: f32 = 0.0; override WT_2_30: f32 = 0.0; override WT_2_31: f32 = 0.0;
override WT_3_0: f32 = 0.0; override WT_3_1: f32 = 0.0; override WT_3_2: f32 = 0.0; override WT_3_3: f32 = 0.0;
override WT_3_4: f32 = 0.0; override WT_3_5: f32 = 0.0; override WT_3_6: f32 = 0.0; override WT_3_7: f32 = 0.0;
override WT_3_8: f32 = 0.0; override WT_3_9: f32 = 0.0; override WT_3_10: f32 = 0.0; override WT_3_11: f32 = 0.0;
override WT_3_12: f32 = 0.0; override WT_3_13: f32 = 0.0; override WT_3_14: f32 = 0.0; override WT_3_15: f32 = 0.0;
override WT_3_16: f32 = 0.0; override WT_3_17: f32 = 0.0; override WT_3_18: f32 = 0.0; override WT_3_19: f32 = 0.0;
override WT_3_20: f32 = 0.0; override WT_3_21: f32 = 0.0; override WT_3_22: f32 = 0.0; override WT_3_23: f32 = 0.0;
override WT_3_24: f32 = 0.0; override WT_3_25: f32 = 0.0; override WT_3_26: f32 = 0.0; override WT_3_27: f32 = 0.0;
override WT_3_28: f32 = 0.0; override WT_3_29: f32 = 0.0; override WT_3_30: f32 = 0.0; override WT_3_31: f32 = 0.0;

// The weight of phase q among the four phases' weights of a tap. A weight of exactly 0 (a
// bilinear tap at lambda 0) is the run-time value p.zero: the shader compilers fold a
// product with a constant 0 to 0, which would lose the NaN that 0 * NaN gives in torch and
// in the reference. Other weights stay constants.
fn weight(q: u32, w0: f32, w1: f32, w2: f32, w3: f32) -> f32 {
    let w = select(select(w0, w1, q == 1u), select(w2, w3, q == 3u), q >= 2u);
    return select(p.zero, w, w != 0.0);
}

fn count(q: u32) -> u32 {
    return select(select(COUNT_0, COUNT_1, q == 1u), select(COUNT_2, COUNT_3, q == 3u), q >= 2u);
}

// The output rounding of every resampling kernel: uint8 rounding and the fused clamp. Needs
// the importing pipeline's parameters `p` with `p.clamp_min` and `p.clamp_max`.

const FLAG_ROUND_U8: u32 = 1u;
const FLAG_CLAMP: u32 = 2u;
// The output flags of the pass (p.flags), fixed per pipeline so that finish() compiles to
// nothing when there is neither u8 rounding nor a clamp.
override OUTPUT_FLAGS: u32 = 3u;

// Branch-free (selects, not ifs): on CPU adapters an `if` costs mask bookkeeping per output.
fn finish(v: f32) -> f32 {
    let r = select(v, clamp(floor(v + 0.5), 0.0, 255.0), (OUTPUT_FLAGS & FLAG_ROUND_U8) != 0u);
    // NaN stays NaN, as torch.clamp keeps it.
    return select(r, clamp(r, p.clamp_min, p.clamp_max), (OUTPUT_FLAGS & FLAG_CLAMP) != 0u && r == r);
}

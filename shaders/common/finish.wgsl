// The output rounding of every resampling kernel: uint8 rounding and the fused clamp. Needs
// the importing pipeline's parameters `p` with `p.clamp_min` and `p.clamp_max`.

const FLAG_ROUND_U8: u32 = 1u;
const FLAG_CLAMP: u32 = 2u;

// Branch-free (selects, not ifs): on CPU adapters an `if` costs mask bookkeeping per output.
// The flags are the pass's (`p.flags`), a run-time value: one pipeline serves every pass.
fn finish(v: f32) -> f32 {
    let r = select(v, clamp(floor(v + 0.5), 0.0, 255.0), (p.flags & FLAG_ROUND_U8) != 0u);
    // NaN stays NaN, as torch.clamp keeps it.
    return select(r, clamp(r, p.clamp_min, p.clamp_max), (p.flags & FLAG_CLAMP) != 0u && r == r);
}

fn finish4(v: vec4<f32>) -> vec4<f32> {
    return vec4<f32>(finish(v.x), finish(v.y), finish(v.z), finish(v.w));
}

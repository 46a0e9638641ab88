// The strips kernels' table binding and their weights: a weight of -0.0 marks a span
// element that is no tap of an output (see `tap`). Needs the importing kernel's `p` (its
// `flags`, `clamp_min`, `clamp_max`: common/finish.wgsl).

@group(0) @binding(1) var<storage, read> table: array<vec4<u32>>;

// A weight of the dense span matrix times x, or 0.0 (exactly, whatever x) where the element
// is not a tap of that output: -0.0 marks those, so that a NaN or an infinity outside an
// output's taps never reaches it, as in src/reference/gather.rs. A weight whose lowest bit is
// set was summed from taps of both signs on one element (a clamped or transposed table):
// x * p.zero (0, or NaN for an infinity or a NaN; a run-time zero, which the compiler cannot
// fold as it may fold x - x) is added, as those taps' products would make NaN of an infinity
// (src/gpu/strips/plan.rs `cell_bits`). Needs the importing kernel's `p.zero`. The host sets
// POISON only where some weight of the pass is poisoned: the test costs more than the rest of
// a tap.
override POISON: bool = true;

fn tap(w: vec4<f32>, x: f32) -> vec4<f32> {
    let bits = bitcast<vec4<u32>>(w);
    if (!POISON) {
        return select(w * x, vec4<f32>(0.0), bits == vec4<u32>(0x80000000u));
    }
    let poison = select(vec4<f32>(0.0), vec4<f32>(x * p.zero), (bits & vec4<u32>(1u)) != vec4<u32>(0u));
    return select(w * x + poison, vec4<f32>(0.0), bits == vec4<u32>(0x80000000u));
}

// The same for one weight applied to four inner elements.
fn tap1(w: f32, x: vec4<f32>) -> vec4<f32> {
    let bits = bitcast<u32>(w);
    if (!POISON) {
        return select(w * x, vec4<f32>(0.0), bits == 0x80000000u);
    }
    let poison = select(vec4<f32>(0.0), x * p.zero, (bits & 1u) != 0u);
    return select(w * x + poison, vec4<f32>(0.0), bits == 0x80000000u);
}

// The output rounding applies (FINISH: a uint8 pass or a clamp, with the pass's `p.flags`);
// without it the kernels store their sums as they are.
override FINISH: bool = false;

fn finished(v: vec4<f32>) -> vec4<f32> {
    if (FINISH) {
        return finish4(v);
    }
    return v;
}

//! window/span_main.wgsl's shared spans: the inputs a row of four columns reads.

use super::chunks;

/// Inputs per row that window/span_main.wgsl loads for an invocation's four columns (a
/// group of four from its chunk's first column): the most that any group of the chunks reads
/// with the W run table's `starts`, when that beats loading `taps` per column (upsampling
/// along W: 2x nearest 2 instead of 4, bilinear 4 instead of 8, bicubic 6 instead of 16) and
/// fits the kernel's 8 registers and `span_group_word`'s bits.
pub(crate) fn shared_span(starts: &[i32], taps: usize, chunks: &[chunks::Chunk]) -> Option<u32> {
    if !(1..=4).contains(&taps) || starts.windows(2).any(|p| p[1] < p[0]) {
        return None;
    }
    let ok = |s: i32| (-SPAN_BIAS..(1 << 23) - SPAN_BIAS).contains(&s);
    if !starts.first().copied().is_some_and(ok) || !starts.last().copied().is_some_and(ok) {
        return None;
    }
    let mut rel = 0;
    let mut seen = std::collections::HashSet::new();
    for c in chunks {
        if seen.insert((c.w0, c.nw)) {
            for g in (0..c.nw).step_by(4) {
                let end = (g + 3).min(c.nw - 1);
                rel = rel.max(starts[c.w0 + end] - starts[c.w0 + g]);
            }
        }
    }
    let span = usize::try_from(rel).ok()? + taps;
    (span <= 8 && span < 4 * taps).then_some(span as u32)
}

/// window/span_main.wgsl's bias of a group's first start (run starts go down to -3).
pub(crate) const SPAN_BIAS: i32 = 8;

/// window/span_main.wgsl's word for the group of four columns from `o` of a chunk whose
/// columns end before `end`: the first column's run start plus SPAN_BIAS above the other
/// three's starts relative to it, 3 bits each (columns past the end repeat the last).
pub(crate) fn span_group_word(starts: &[i32], o: usize, end: usize) -> u32 {
    let s0 = starts[o];
    let rel = |j: usize| (starts[(o + j).min(end - 1)] - s0) as u32;
    (((s0 + SPAN_BIAS) as u32) << 9) | rel(1) | (rel(2) << 3) | (rel(3) << 6)
}

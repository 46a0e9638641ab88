//! The row kernels of CPU adapters (shaders/rows/): which lane groups a pass's output
//! columns (or rows) fall into, the constants or records of their taps, and the dispatches
//! (pure, no wgpu).
//!
//! A lane group makes `g` adjacent outputs of one output row from `span` vec4s of each input
//! row it reads (its D and H taps come from uniform records). Its W taps are, per output
//! `j`, `taps` consecutive span columns from `off_j`:
//! - **periodic**: where the W table repeats from one lane group to the next (the same
//!   offsets, counts and f32 weights, the input shifted by `advance`, a multiple of 4), as it
//!   does away from the borders for integer and many rational scales (2x up, 1/4 down), the
//!   offsets and weights are constants of the pipeline (`resample.rows_periodic`);
//! - **tabled**: elsewhere (the borders, where taps are clamped, or a table that does not
//!   repeat) the kernel reads them from uniform records (`resample.rows_tabled`).
//!
//! An H-only pass also runs its periodic run of output rows on `resample.rows_lines`: a lane
//! makes one vec4 of `g` adjacent output rows from the input rows they read, each loaded
//! once.
//!
//! On lavapipe every load whose address is not a constant, and even one at a constant
//! address, is a loop over the lanes with a bounds check per component: a fixed cost per
//! lane and one per component. So what counts is how many components are loaded (the
//! kernels load 64-bit words where the device has them, and pairs of vec4s as one `vec4<u64>`
//! in periodic parts whose rows start at multiples of 8 elements: `with_pairs`), and taps
//! must be constants. Measured by probes on Mesa 22.3 llvmpipe (see the README).

use crate::tables::AxisTable;

/// vec4s of input a lane group loads per input row (`span` of rows/common.wgsl).
pub const MAX_SPAN: usize = 12;
/// The same for a part with pair loads (rows/src_pairs.wgsl): an even count, its span moved
/// back to a multiple of 8 elements.
pub const MAX_PAIR_SPAN: usize = 14;
/// Taps per output along W, D and H (`TAPS_*`, unrolled in rows/periodic_main.wgsl).
pub const MAX_TAPS_W: usize = 32;
/// Weight phases of rows/periodic_main.wgsl (`P`).
pub const MAX_PHASES: usize = 4;
/// vec4s of a uniform record binding (rows/common.wgsl `dtab`, `htab`, `wtab`).
pub const RECORD_WINDOW: u64 = 4096;
/// rows/common.wgsl's `MASKED`: a record tap past its output's count.
pub(super) const MASKED: u32 = u32::MAX;
/// Lane group widths (fewer loads per output when wide; downscales need narrower groups for
/// their span to fit).
pub(super) const GROUP_WIDTHS: [usize; 3] = [16, 8, 4];
/// Widths tried where none of those repeats: three phases of four (scales of 3/2, 3/4, 3).
pub(super) const THIRDS: [usize; 1] = [12];
/// Input rows a row group of rows/lines_main.wgsl loads (`LINES`), and its output rows.
pub const MAX_LINES: usize = 48;
pub(super) const LINE_GROUPS: [usize; 2] = [8, 4];
/// The same for line groups.
pub(super) const LINE_THIRDS: [usize; 1] = [6];

/// The pipeline constants of a periodic part (rows/periodic_main.wgsl).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PeriodicTaps {
    /// First span column of output `j`'s taps (`OFF_j`), for `j < g`.
    pub offsets: [u32; 16],
    /// Weight phases `P`: output `j` has the counts and weights of phase `j % P`.
    pub phases: u32,
    /// Taps of each phase (`COUNT_q`), at most the part's `taps`.
    pub counts: [u32; MAX_PHASES],
    /// f32 bits of tap `k` of phase `q` at `q * MAX_TAPS_W + k` (`WT_q_k`), 0 past the count.
    pub weights: [u32; MAX_PHASES * MAX_TAPS_W],
}

/// How a part's lane groups find their W taps.
#[derive(Clone, Debug, PartialEq)]
pub enum WTaps {
    /// Lane group `i` of the part loads its span from input column `base0 + advance * i`.
    Periodic {
        taps: Box<PeriodicTaps>,
        base0: u32,
        advance: u32,
    },
    /// Lane group `i` loads its span from input column `bases[i]`; output column `c0 + c`
    /// has record `c` of `records` (rows/tabled_main.wgsl).
    Tabled {
        bases: Vec<u32>,
        records: Vec<[u32; 4]>,
    },
}

/// Output columns `[c0, c1)` (multiples of 4) in lane groups of `g`.
#[derive(Clone, Debug, PartialEq)]
pub struct Part {
    pub c0: usize,
    pub c1: usize,
    pub g: usize,
    /// vec4s per input row (`SPAN`).
    pub span: usize,
    /// Taps per output (`TAPS_W`): the largest count.
    pub taps: usize,
    pub w: WTaps,
    /// A run of output rows `[c0, c1)` of an H-only pass in groups of `g` rows, `span`
    /// input rows each (rows/lines_main.wgsl), not of output columns.
    pub lines: bool,
    /// A periodic part whose lane groups load their span as pairs of vec4s
    /// (rows/src_pairs.wgsl; see `with_pairs`).
    pub pairs: bool,
}

impl Part {
    pub fn groups(&self) -> usize {
        (self.c1 - self.c0).div_ceil(self.g)
    }
    pub fn is_periodic(&self) -> bool {
        matches!(self.w, WTaps::Periodic { .. })
    }
}

/// The parts that cover every output column of the W table `t`, or `None` if the row kernels
/// cannot run it (more than MAX_TAPS_W taps, a lane group's taps wider than MAX_SPAN vec4s,
/// or a width that is not a multiple of 4): the periodic run of lane groups with the least
/// estimated work, if it covers at least half the columns, and either side of it the
/// borders, in short periodic runs of 4 columns where their taps allow (truncated
/// antialiasing windows do; taps clamped at the border do not) and tabled parts elsewhere.
/// `record_align` (vec4s) is the uniform binding alignment: a tabled part's records fit one
/// window.
pub fn w_parts(t: &AxisTable, record_align: u64) -> Option<Vec<Part>> {
    let n = t.out_len;
    if n == 0 || !n.is_multiple_of(4) || t.taps > MAX_TAPS_W {
        return None;
    }
    let starts = run_starts(t);
    // Estimated work per column: 1 + 4 / g for the periodic kernel (its loads are shared by
    // g outputs), about 3 for the tabled one.
    let best_of = |widths: &[usize]| {
        widths
            .iter()
            .flat_map(|&g| (0..g).step_by(4).map(move |phase| (g, phase)))
            .filter_map(|(g, phase)| periodic(t, &starts, g, (phase, n), 4, MAX_SPAN))
            .filter(|p| 2 * (p.c1 - p.c0) >= n)
            .min_by_key(|p| {
                let covered = p.c1 - p.c0;
                covered * (p.g + 4) * 4 / p.g + (n - covered) * 12
            })
    };
    let best = best_of(&GROUP_WIDTHS).or_else(|| best_of(&THIRDS));
    let mut parts = Vec::new();
    let (c0, c1) = best.as_ref().map_or((n, n), |p| (p.c0, p.c1));
    let mut budget = BORDER_RUNS;
    border(&mut parts, t, &starts, 0, c0, &mut budget, record_align)?;
    parts.extend(best);
    let mut budget = BORDER_RUNS;
    border(&mut parts, t, &starts, c1, n, &mut budget, record_align)?;
    Some(parts)
}

/// Periodic runs a border may take (each its own pipeline), and the widest border they
/// are looked for in.
pub(super) const BORDER_RUNS: usize = 4;
pub(super) const BORDER_COLUMNS: usize = 64;

/// Columns `[c0, c1)` of a border: its longest periodic run of 4-column lane groups and the
/// columns either side of it likewise, while `budget` lasts; tabled parts elsewhere.
pub(super) fn border(
    parts: &mut Vec<Part>,
    t: &AxisTable,
    starts: &[i32],
    c0: usize,
    c1: usize,
    budget: &mut usize,
    record_align: u64,
) -> Option<()> {
    if c0 >= c1 {
        return Some(());
    }
    let run = (*budget > 0 && c1 - c0 <= BORDER_COLUMNS)
        .then(|| periodic(t, starts, 4, (c0, c1), 4, MAX_SPAN))
        .flatten();
    let Some(run) = run else {
        return tabled(parts, t, c0, c1, record_align);
    };
    *budget -= 1;
    let (a, b) = (run.c0, run.c1);
    border(parts, t, starts, c0, a, budget, record_align)?;
    parts.push(run);
    border(parts, t, starts, b, c1, budget, record_align)
}

/// The taps of output `o`: (index, f32 weight bits).
pub(super) fn taps_of(t: &AxisTable, o: usize) -> impl Iterator<Item = (u32, u32)> + '_ {
    let base = o * t.taps;
    (0..t.count[o] as usize)
        .map(move |k| (t.index[base + k], (t.weight[base + k] as f32).to_bits()))
}

/// Each output's run start (`AxisTable::run_start`), or `NOT_A_RUN` for outputs whose taps
/// are no run (the border rows of a transposed bicubic table): those are never `unclamped`,
/// so they take the tabled parts while the other outputs can still run periodic.
pub(super) fn run_starts(t: &AxisTable) -> Vec<i32> {
    (0..t.out_len)
        .map(|o| t.run_start(o).unwrap_or(NOT_A_RUN))
        .collect()
}

pub(super) const NOT_A_RUN: i32 = i32::MIN;

/// Whether output `o`'s run of taps lies inside the input (no tap clamped at a border).
pub(super) fn unclamped(t: &AxisTable, starts: &[i32], o: usize) -> bool {
    let n = t.count[o] as i64;
    let s = i64::from(starts[o]);
    n > 0 && s >= 0 && s + n <= t.in_len as i64
}

/// The longest run of lane groups of `g` outputs from `c0` to at most `c1` whose outputs are
/// all unclamped and over which the taps repeat with the most common input advance from one
/// group to the next (a multiple of `align`: 4 for W, whose spans start at vec4s), as a
/// periodic part of at most `max_span` vec4s (W) or input rows (`align` 1: rows/lines_main.wgsl);
/// `None` if there is none or its constants do not fit the kernel.
pub(super) fn periodic(
    t: &AxisTable,
    starts: &[i32],
    g: usize,
    (c0, c1): (usize, usize),
    align: i64,
    max_span: usize,
) -> Option<Part> {
    if t.taps > MAX_TAPS_W {
        return None;
    }
    let groups = c1.checked_sub(c0)? / g;
    let at = |i: usize, j: usize| c0 + i * g + j;
    let regular = |i: usize| (0..g).all(|j| unclamped(t, starts, at(i, j)));
    let step = |i: usize| i64::from(starts[at(i, 0)]) - i64::from(starts[at(i - 1, 0)]);
    let mut steps: Vec<i64> = (1..groups).map(step).collect();
    steps.sort_unstable();
    let advance = steps
        .chunk_by(|a, b| a == b)
        .max_by_key(|run| run.len())
        .map_or(0, |run| run[0]);
    // A run of several groups needs an advance of whole vec4s (W); one group needs none.
    let steps_ok = advance >= 0 && advance % align == 0;
    let same = |a: usize, b: usize| {
        t.count[a] == t.count[b] && taps_of(t, a).map(|x| x.1).eq(taps_of(t, b).map(|x| x.1))
    };
    // Group i repeats group i - 1: every output shifted by the advance, the same counts and
    // weights.
    let repeats = |i: usize| {
        steps_ok
            && (0..g).all(|j| {
                let (a, b) = (at(i - 1, j), at(i, j));
                i64::from(starts[b]) == i64::from(starts[a]) + advance && same(a, b)
            })
    };
    let (mut best, mut run) = ((0, 0), None);
    for i in 0..groups {
        run = match run {
            Some(a) if regular(i) && repeats(i) => Some(a),
            _ if regular(i) => Some(i),
            _ => None,
        };
        if let Some(a) = run {
            if i + 1 - a > best.1 - best.0 {
                best = (a, i + 1);
            }
        }
    }
    let (first, last) = best;
    if first == last {
        return None;
    }
    let o0 = at(first, 0);
    // The span starts at the aligned first input of the group's taps.
    let lo = (0..g).map(|j| i64::from(starts[o0 + j])).min()?;
    let base0 = lo - lo.rem_euclid(align);
    let mut offsets = [0u32; 16];
    let mut end = 0;
    for j in 0..g {
        let off = i64::from(starts[o0 + j]) - base0;
        offsets[j] = u32::try_from(off).ok()?;
        end = end.max(off + i64::from(t.count[o0 + j]));
    }
    let span = usize::try_from(end).ok()?.div_ceil(align as usize);
    // The fewest weight phases that repeat within the group.
    let phases = [1, 2, 3, 4]
        .into_iter()
        .find(|&q| g.is_multiple_of(q) && (0..g).all(|j| same(o0 + j, o0 + j % q)))?;
    if span > max_span {
        return None;
    }
    let mut counts = [0u32; MAX_PHASES];
    let mut weights = [0u32; MAX_PHASES * MAX_TAPS_W];
    for q in 0..phases {
        counts[q] = t.count[o0 + q];
        for (k, (_, w)) in taps_of(t, o0 + q).enumerate() {
            weights[q * MAX_TAPS_W + k] = w;
        }
    }
    Some(Part {
        c0: o0,
        c1: at(last, 0),
        g,
        span,
        taps: counts.iter().copied().max().unwrap_or(0).max(1) as usize,
        w: WTaps::Periodic {
            taps: Box::new(PeriodicTaps {
                offsets,
                phases: phases as u32,
                counts,
                weights,
            }),
            // The part's lane group 0 is group `first`.
            base0: u32::try_from(base0).ok()?,
            advance: if last - first > 1 {
                u32::try_from(advance).ok()?
            } else {
                0
            },
        },
        lines: align == 1,
        pairs: false,
    })
}

/// The runs of output rows of the H table `t` that rows/lines_main.wgsl takes, in order: the run
/// with the fewest input rows loaded per output row, if one covers at least half the rows,
/// and in the rows before and after it runs of single row groups where their taps allow
/// (truncated antialiasing windows), while a border's budget lasts. Rows in none of them
/// take the other row kernels.
pub fn lines_parts(t: &AxisTable) -> Vec<Part> {
    let n = t.out_len;
    let starts = &run_starts(t);
    let runs_of = move |widths: &'static [usize], c0: usize, c1: usize| {
        widths
            .iter()
            .filter_map(move |&g| periodic(t, starts, g, (c0, c1), 1, MAX_LINES))
            .min_by_key(|p| (p.span * 64 / p.g, usize::MAX - (p.c1 - p.c0)))
    };
    let runs = |c0: usize, c1: usize| {
        runs_of(&LINE_GROUPS, c0, c1)
            .filter(|p| 2 * (p.c1 - p.c0) >= c1 - c0)
            .or_else(|| runs_of(&LINE_THIRDS, c0, c1))
            .or_else(|| runs_of(&LINE_GROUPS, c0, c1))
    };
    let Some(main) = runs(0, n).filter(|p| 2 * (p.c1 - p.c0) >= n) else {
        return Vec::new();
    };
    fn border(
        out: &mut Vec<Part>,
        runs: &dyn Fn(usize, usize) -> Option<Part>,
        c0: usize,
        c1: usize,
        budget: &mut usize,
    ) {
        if c0 >= c1 || *budget == 0 || c1 - c0 > BORDER_COLUMNS {
            return;
        }
        let Some(run) = runs(c0, c1) else {
            return;
        };
        *budget -= 1;
        let (a, b) = (run.c0, run.c1);
        border(out, runs, c0, a, budget);
        out.push(run);
        border(out, runs, b, c1, budget);
    }
    let mut out = Vec::new();
    let (c0, c1) = (main.c0, main.c1);
    border(&mut out, &runs, 0, c0, &mut BORDER_RUNS.clone());
    out.push(main);
    border(&mut out, &runs, c1, n, &mut BORDER_RUNS.clone());
    out
}

/// vec4s of one record of `k` taps.
pub(super) fn record_len(k: usize) -> usize {
    2 * k.div_ceil(4)
}

/// A record (rows/common.wgsl): `offsets` (MASKED past the taps given) then `weights` (f32 bits),
/// each padded to whole vec4s of `k` taps.
pub(super) fn push_record(
    out: &mut Vec<[u32; 4]>,
    k: usize,
    taps: impl Iterator<Item = (u32, u32)>,
) {
    let mut offsets = vec![MASKED; k.div_ceil(4) * 4];
    let mut weights = vec![0u32; offsets.len()];
    for (j, (o, w)) in taps.enumerate() {
        offsets[j] = o;
        weights[j] = w;
    }
    for v in offsets.chunks_exact(4).chain(weights.chunks_exact(4)) {
        out.push([v[0], v[1], v[2], v[3]]);
    }
}

/// Columns `[c0, c1)` (multiples of 4) as tabled parts, each of at most one record window of
/// columns, in the widest lane groups no wider than the columns whose taps fit MAX_SPAN
/// vec4s; `None` if none fits.
pub(super) fn tabled(
    parts: &mut Vec<Part>,
    t: &AxisTable,
    c0: usize,
    c1: usize,
    record_align: u64,
) -> Option<()> {
    let k = t.taps;
    let window = (RECORD_WINDOW - record_align) as usize / record_len(k);
    let mut start = c0;
    while start < c1 {
        let part = GROUP_WIDTHS
            .iter()
            .filter(|&&g| g <= (c1 - start).max(4) && g <= window)
            .find_map(|&g| tabled_part(t, start, c1.min(start + window / g * g), g))?;
        start = part.c1;
        parts.push(part);
    }
    Some(())
}

pub(super) fn tabled_part(t: &AxisTable, c0: usize, c1: usize, g: usize) -> Option<Part> {
    let k = t.taps;
    let mut bases = Vec::with_capacity((c1 - c0).div_ceil(g));
    let mut records = Vec::with_capacity((c1 - c0) * record_len(k));
    let mut span = 1;
    for first in (c0..c1).step_by(g) {
        let cols = first..(first + g).min(c1);
        let idx = cols.clone().flat_map(|o| taps_of(t, o).map(|x| x.0));
        let (lo, hi) = idx.fold((u32::MAX, 0), |(lo, hi), i| (lo.min(i), hi.max(i)));
        let base = if lo == u32::MAX { 0 } else { lo - lo % 4 };
        span = span.max((hi.saturating_sub(base) / 4 + 1) as usize);
        bases.push(base);
        for o in cols {
            push_record(&mut records, k, taps_of(t, o).map(|(i, w)| (i - base, w)));
        }
    }
    (span <= MAX_SPAN).then_some(Part {
        c0,
        c1,
        g,
        span,
        taps: k,
        w: WTaps::Tabled { bases, records },
        lines: false,
        pairs: false,
    })
}

/// The periodic W part `p` with pair loads (rows/src_pairs.wgsl), where its lane groups' spans
/// can start at multiples of 8 elements: the advance is, and the span of group 0, whose
/// input rows start at `parity` (0 or 4) modulo 8, moves back 4 columns if it must (its
/// offsets move up by 4); the span is rounded up to whole pairs. The caller checks the rows'
/// strides and bindings.
pub(super) fn with_pairs(p: &Part, parity: u64) -> Option<Part> {
    let WTaps::Periodic {
        taps,
        base0,
        advance,
    } = &p.w
    else {
        return None;
    };
    if p.lines || advance % 8 != 0 {
        return None;
    }
    let shift = ((parity + u64::from(*base0)) % 8) as u32;
    if !shift.is_multiple_of(4) {
        return None;
    }
    let base0 = base0.checked_sub(shift)?;
    let span = (p.span + shift as usize / 4).div_ceil(2) * 2;
    // Pairs must pay for the vec4s they load beyond the span (rounding up, moving back):
    // per lane, a load costs about a fixed 2/3 of a 64-bit component plus its components
    // (probes on lavapipe), so one more vec4 pays from spans of 7 vec4s, two never.
    let pays = span == p.span || (span == p.span + 1 && p.span >= 7);
    if span > MAX_PAIR_SPAN || !pays {
        return None;
    }
    let mut taps = taps.clone();
    for o in taps.offsets.iter_mut().take(p.g) {
        *o += shift;
    }
    Some(Part {
        span,
        w: WTaps::Periodic {
            taps,
            base0,
            advance: *advance,
        },
        pairs: true,
        ..p.clone()
    })
}

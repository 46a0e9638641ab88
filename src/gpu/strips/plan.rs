//! Planning a pass for the strips kernels (pure, no wgpu): which kernel, the group records
//! and dense span weights of its table, and the dispatches that fit the device's limits.
//!
//! A pass resamples one axis. Its outputs along the axis are cut into groups of four; a
//! group's span is the input elements from its first tap to its last, at most
//! [`MAX_SPAN`]. For each span element the table holds a vec4 of the weights of the four
//! outputs (`-0.0` where the element is no tap of that output), so the kernel's sum is
//! `sum_s w[s][j] * in[start + s]` over the output's taps, in the table's order, with every
//! weight a run-time value: one pipeline per span length serves every scale.

use crate::plan::Pass;
use crate::tables::AxisTable;

/// Span lengths the kernels are built for (`SPAN`); a pass takes the shortest that holds
/// every group's span. Row spans are multiples of 4 pixels (the row kernel loads vec4
/// chunks); a line span is a number of lines, each one load per chunk. Passes whose groups
/// read more inputs than the longest run on the gather kernels.
pub const ROW_SPANS: [u32; 12] = [4, 8, 12, 16, 20, 24, 28, 32, 40, 48, 56, 64];
pub const LINE_SPANS: [u32; 16] = [1, 2, 3, 4, 6, 8, 12, 16, 20, 24, 28, 32, 40, 48, 56, 64];
/// Interleaved channels per pixel the row kernel takes (channels-last rows of 1 to 3).
pub const MAX_PIXEL_CHANNELS: usize = 3;
/// The weight that marks a span element that is not a tap of an output.
pub const NO_TAP: u32 = 0x8000_0000;
/// Lanes a dispatch aims for before a lane takes several rows (or inner chunks).
const TARGET_LANES: usize = 8192;
/// At most this many rows (or chunks) per lane.
const MAX_PER_LANE: usize = 32;

/// The table word of a span cell: [`NO_TAP`] where the element is no tap of the output, else
/// the weight (the sum of its weights where a transposed or clamped table reads the element
/// twice) with its lowest mantissa bit cleared, and set where the taps summed into a non-zero
/// weight had both signs, or a zero among them ([`POISON`]).
///
/// A tap's weight is never -0.0, the mark of no tap: a zero weight is +0.0, whose product
/// keeps a NaN or makes one of an infinity as torch's taps do. Two taps of opposite signs on
/// one element, or a zero and a non-zero one (`align_corners` on the grid at a clamped
/// border), make NaN of an infinity where their summed weight would not: the kernels add
/// `x * 0` (0, or NaN for an infinity) for a poisoned cell.
fn cell_bits(c: Cell) -> u32 {
    let mixed = (c.pos && c.neg) || (c.zero && (c.pos || c.neg));
    match c.sum {
        None => NO_TAP,
        Some(0.0) => 0,
        Some(w) => (w.to_bits() & !POISON) | if mixed { POISON } else { 0 },
    }
}

/// The taps of one output on one span element: their summed weight, and whether one was
/// positive, negative or zero.
#[derive(Clone, Copy, Default)]
struct Cell {
    sum: Option<f32>,
    pos: bool,
    neg: bool,
    zero: bool,
}

/// The bit of a table weight that marks a cell summed from weights of both signs (see
/// [`cell_bits`]).
pub const POISON: u32 = 1;

fn poisoned(w: u32) -> bool {
    w != NO_TAP && w & POISON != 0
}

/// Which strips kernel runs a pass.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Shape {
    /// Along the contiguous axis of rows, `channels` interleaved per pixel.
    Row { channels: u32 },
    /// Along an axis of lines `line` elements apart, `inner` contiguous elements each.
    Line,
    /// Along H and W at once, over planes of contiguous rows (`tile`).
    Tile,
}

/// How a pass's tensors lie around its axis, in elements: `count` rows (row kernel) or
/// outer blocks (line kernel) `step` apart, lines `line` apart, `inner` elements per line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Geometry {
    pub count: u64,
    pub inner: u64,
    pub src_step: u64,
    pub dst_step: u64,
    pub src_line: u64,
    pub dst_line: u64,
}

/// One tensor of a pass: its element offset in its buffer, the buffer's size in elements,
/// and whether it is laid out channels-last (else contiguous NCDHW).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Side {
    pub offset: u64,
    pub words: u64,
    pub channels_last: bool,
}

/// The device limits a plan respects, in elements where noted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Largest storage binding, in elements.
    pub max_binding: u64,
    /// Storage binding offset alignment, in elements.
    pub align: u64,
    pub max_workgroups: u32,
}

/// One dispatch: rows (row kernel) or outer blocks `[first, first + count)`, groups
/// `[group0, group0 + groups)`, inner chunks `[chunk0, chunk0 + chunks)` (line kernel), the
/// element ranges it binds, and its workgroup counts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dispatch {
    pub first: u64,
    pub count: u64,
    pub group0: u64,
    pub groups: u64,
    pub chunk0: u64,
    pub chunks: u64,
    pub per_lane: u32,
    /// (first element, elements) of the input and output bindings.
    pub src: (u64, u64),
    pub dst: (u64, u64),
    pub workgroups: [u32; 3],
}

/// A pass planned for the strips kernels.
#[derive(Clone, Debug, PartialEq)]
pub struct StripsPass {
    pub shape: Shape,
    pub span: u32,
    pub aligned: bool,
    pub geometry: Geometry,
    /// Outputs along the axis.
    pub out_len: u64,
    /// The table, in vec4s of u32: a record per group (span start, the vec4 where its weights
    /// start, 0, 0), then the weights (f32 bits; groups with the same weights share them).
    pub table: Vec<u32>,
    /// Some weight is poisoned ([`GroupTable::poisoned`]).
    pub poisoned: bool,
    pub dispatches: Vec<Dispatch>,
    /// The input is a uint8 tensor's bytes (strips/src_u8.wgsl, the whole buffer bound);
    /// set by the launcher.
    pub u8_src: bool,
}

crate::gpu::uniform_struct! {
    /// `StripParams` of shaders/strips/params.wgsl (see there).
    pub(crate) struct StripParams {
        pub count: u32,
        pub per_lane: u32,
        pub groups: u32,
        pub out_len: u32,
        pub src_base: u32,
        pub dst_base: u32,
        pub src_step: u32,
        pub dst_step: u32,
        pub src_line: u32,
        pub dst_line: u32,
        pub inner: u32,
        pub records: u32,
        pub flags: u32,
        pub clamp_min: f32,
        pub clamp_max: f32,
        pub zero: f32,
    }
}

impl StripsPass {
    /// The parameters of dispatch `d` (its output rounding left at none), for tensors at
    /// element offsets `src_offset` and `dst_offset` of their buffers: every offset is
    /// relative to the dispatch's bindings.
    pub fn params(&self, d: &Dispatch, src_offset: u64, dst_offset: u64) -> StripParams {
        let g = &self.geometry;
        // The bases may lie before the binding (its start includes the first group's span
        // start, which the kernel adds back): they are taken modulo 2^32, as the kernels'
        // u32 arithmetic wraps, and every element they address lies inside the binding.
        let (src_base, dst_base, inner) = match self.shape {
            Shape::Row { channels } => (
                (src_offset + d.first * g.src_step).wrapping_sub(d.src.0),
                (dst_offset + d.first * g.dst_step + 4 * d.group0 * u64::from(channels))
                    .wrapping_sub(d.dst.0),
                g.inner,
            ),
            Shape::Line | Shape::Tile => (
                (src_offset + d.first * g.src_step + 4 * d.chunk0).wrapping_sub(d.src.0),
                (dst_offset + d.first * g.dst_step + 4 * d.group0 * g.dst_line + 4 * d.chunk0)
                    .wrapping_sub(d.dst.0),
                (g.inner - 4 * d.chunk0).min(4 * d.chunks),
            ),
        };
        // Every other value fits 32 bits: the planner keeps buffers and bindings below 2^32
        // elements.
        StripParams {
            count: d.count as u32,
            per_lane: d.per_lane,
            groups: d.groups as u32,
            out_len: (self.out_len - 4 * d.group0) as u32,
            src_base: src_base as u32,
            dst_base: dst_base as u32,
            src_step: g.src_step as u32,
            dst_step: g.dst_step as u32,
            src_line: g.src_line as u32,
            dst_line: g.dst_line as u32,
            inner: inner as u32,
            records: d.group0 as u32,
            ..StripParams::default()
        }
    }
}

/// The one axis (0 = D, 1 = H, 2 = W) a pass resamples, if it has only one.
pub fn single_axis(pass: &Pass) -> Option<usize> {
    let active: Vec<usize> = (0..3).filter(|&a| !pass.axes[a].is_identity()).collect();
    match active[..] {
        [a] => Some(a),
        // Nothing to resample (an identity pass converting a layout, say): any axis.
        [] => Some(2),
        _ => None,
    }
}

/// Where the rows or lines of axis `a` lie in a tensor of `channels` channels and spatial
/// sizes `dims` (D, H, W), contiguous or channels-last: (count, step, line, inner).
fn lay(a: usize, planes: u64, channels: u64, dims: [u64; 3], last: bool) -> (u64, u64, u64, u64) {
    let [d, h, w] = dims;
    let n = planes / channels.max(1);
    match (last, a) {
        // NCDHW: rows of W; H lines of W; D lines of H x W.
        (false, 2) => (planes * d * h, w, 1, 1),
        (false, 1) => (planes * d, h * w, w, w),
        (false, _) => (planes, d * h * w, h * w, h * w),
        // NDHWC: rows of W pixels of C; or lines of C (W), W x C (H), H x W x C (D).
        (true, 2) => (n * d * h, w * channels, channels, channels),
        (true, 1) => (n * d, h * w * channels, w * channels, w * channels),
        (true, _) => (n, d * h * w * channels, h * w * channels, h * w * channels),
    }
}

/// The strips plan of `pass` (`planes` planes of `channels` channels), or `None` if the
/// strips kernels cannot run it: more than one active axis, tensors in different layouts, a
/// group whose span exceeds [`MAX_SPAN`], or a size past the kernels' 32-bit arithmetic.
pub fn plan(
    pass: &Pass,
    planes: usize,
    channels: usize,
    src: Side,
    dst: Side,
    limits: Limits,
) -> Option<StripsPass> {
    let a = single_axis(pass)?;
    if src.channels_last != dst.channels_last || !limits.align.is_multiple_of(4) {
        return None;
    }
    let last = src.channels_last;
    let (planes, channels) = (planes as u64, channels as u64);
    let din = pass.in_dims().map(|x| x as u64);
    let dout = pass.out_dims().map(|x| x as u64);
    let (count, src_step, src_line, inner) = lay(a, planes, channels, din, last);
    let (_, dst_step, dst_line, _) = lay(a, planes, channels, dout, last);
    let table = &pass.axes[a];
    let pixel = if last { channels } else { 1 };
    let shape = if a == 2 && pixel as usize <= MAX_PIXEL_CHANNELS {
        Shape::Row {
            channels: pixel as u32,
        }
    } else {
        Shape::Line
    };
    let aligned = match shape {
        Shape::Row { channels } => {
            [src.offset, src_step, dst.offset, dst_step]
                .iter()
                .all(|v| v % 4 == 0)
                && table.out_len.is_multiple_of(4)
                && (channels == 1 || channels == 2 || (channels == 3))
        }
        Shape::Line | Shape::Tile => [
            src.offset, src_line, src_step, dst.offset, dst_line, dst_step, inner,
        ]
        .iter()
        .all(|v| v % 4 == 0),
    };
    // Row spans start at multiples of 4 pixels where loads are aligned (a span start of 4k
    // pixels of C channels is 4kC elements).
    let start_align = if aligned && matches!(shape, Shape::Row { .. }) {
        4
    } else {
        1
    };
    let spans: &[u32] = match shape {
        Shape::Row { .. } => &ROW_SPANS,
        Shape::Line | Shape::Tile => &LINE_SPANS,
    };
    let groups = GroupTable::build(table, start_align, spans)?;
    let (span, table_words) = (groups.span, groups.words(0));
    let poisoned = groups.poisoned();
    let geometry = Geometry {
        count,
        inner,
        src_step,
        dst_step,
        src_line,
        dst_line,
    };
    // Every index the kernels compute stays below 2^32 (the last element of each buffer).
    if src.words.max(dst.words) > u64::from(u32::MAX) {
        return None;
    }
    let dispatches = dispatches(
        shape,
        (span, &groups.extents),
        &geometry,
        table,
        src,
        dst,
        limits,
    )?;
    Some(StripsPass {
        shape,
        span,
        aligned,
        geometry,
        out_len: table.out_len as u64,
        table: table_words,
        poisoned,
        dispatches,
        u8_src: false,
    })
}

/// One axis' groups of outputs (four, or eight for the tile kernel's column pairs): each
/// group's span (start, last tap) and dense weights.
pub struct GroupTable {
    /// The span length the kernel is built for (or, for the tile kernel's rows, the longest).
    pub span: u32,
    /// Each group's span start and last tap, both non-decreasing from group to group.
    pub extents: Vec<(u64, u64)>,
    /// Each group's block in `weights` (in vec4s: `span` of them).
    blocks: Vec<u32>,
    /// The weights (f32 bits), groups with the same weights sharing them.
    weights: Vec<u32>,
    /// Weights of one group (outputs per group x span).
    weights_per_group: usize,
}

impl GroupTable {
    /// The groups of `t`. A group's span starts at its first tap rounded down to
    /// `start_align`, and is the shortest of `spans` that holds it (`None` if none does). A
    /// group without taps (a transposed table's inputs that no output read) takes the
    /// previous group's extent. The last group's missing outputs repeat its last output's
    /// weights (they rewrite that output with the same value).
    pub fn build(t: &AxisTable, start_align: usize, spans: &[u32]) -> Option<GroupTable> {
        GroupTable::build_in(t, 4, start_align, spans)
    }

    /// [`GroupTable::build`] with groups of `size` outputs (4 or 8): span element s has
    /// `size / 4` weight vec4s, outputs 0-3 then 4-7.
    pub fn build_in(
        t: &AxisTable,
        size: usize,
        start_align: usize,
        spans: &[u32],
    ) -> Option<GroupTable> {
        let groups = t.out_len.div_ceil(size);
        let mut extents: Vec<(u64, u64)> = Vec::with_capacity(groups);
        let mut need = 1;
        for g in 0..groups {
            let rows = size * g..(size * g + size).min(t.out_len);
            let empty = rows.clone().all(|o| t.count[o] == 0);
            let (lo, hi) = t.input_span(rows);
            // A group without taps keeps the previous group's extent, so that starts and
            // last taps stay non-decreasing (the bindings end at the last group's last tap).
            let prev = extents.last().copied().unwrap_or((0, 0));
            let (start, hi) = if empty {
                prev
            } else {
                ((lo / start_align * start_align) as u64, hi as u64)
            };
            extents.push((start, hi));
            need = need.max((hi - start + 1) as usize);
        }
        let span = *spans.iter().find(|&&s| s as usize >= need)?;
        let mut blocks = Vec::with_capacity(groups);
        let mut weights: Vec<u32> = Vec::new();
        let mut seen: std::collections::HashMap<Vec<u32>, u32> = std::collections::HashMap::new();
        for (g, &(start, _)) in extents.iter().enumerate() {
            // Each cell's weight, and the signs of the weights summed into it.
            let mut cells = vec![Cell::default(); size * span as usize];
            for j in 0..size {
                let o = (size * g + j).min(t.out_len - 1);
                for (i, wt) in t.row(o) {
                    let c = &mut cells[size * (i - start as usize) + j];
                    c.sum = Some(c.sum.unwrap_or(0.0) + wt as f32);
                    c.pos |= wt > 0.0;
                    c.neg |= wt < 0.0;
                    c.zero |= wt == 0.0;
                }
            }
            let w: Vec<u32> = cells.iter().map(|&c| cell_bits(c)).collect();
            let at = *seen.entry(w).or_insert_with_key(|w| {
                let at = weights.len() as u32;
                weights.extend_from_slice(w);
                at
            });
            blocks.push(at / 4);
        }
        Some(GroupTable {
            span,
            extents,
            blocks,
            weights,
            weights_per_group: size * span as usize,
        })
    }

    /// The records then the weights, in vec4s of u32, for a table whose records start at
    /// vec4 `at`: record (span start, the vec4 of its weights, 0, 0).
    /// Whether a cell was summed from weights of both signs ([`POISON`]): the kernels then
    /// need their `POISON` handling.
    pub fn poisoned(&self) -> bool {
        self.weights.iter().any(|&w| poisoned(w))
    }

    /// Which groups have a poisoned cell.
    pub fn poisoned_groups(&self) -> Vec<bool> {
        let len = self.weights_per_group;
        self.blocks
            .iter()
            .map(|&b| {
                let at = 4 * b as usize;
                self.weights[at..at + len].iter().any(|&w| poisoned(w))
            })
            .collect()
    }

    pub fn words(&self, at: u32) -> Vec<u32> {
        let groups = self.extents.len() as u32;
        let mut out = Vec::with_capacity(4 * self.extents.len() + self.weights.len());
        for (&(start, _), &block) in self.extents.iter().zip(&self.blocks) {
            out.extend_from_slice(&[start as u32, at + groups + block, 0, 0]);
        }
        out.extend_from_slice(&self.weights);
        out
    }
}

/// The rows (or chunks) each lane takes when `lanes` lanes share `work` rows: as many as
/// leave at least TARGET_LANES lanes busy (a lane loads its weights once), at most
/// MAX_PER_LANE.
fn per_lane(lanes: u64, work: u64) -> u64 {
    (work * lanes / TARGET_LANES as u64)
        .clamp(1, MAX_PER_LANE as u64)
        .min(work.max(1))
}

/// Workgroups of 64 lanes for `lanes` lanes: x up to the limit, then rows of x in y.
fn grid(lanes: u64, max_wg: u64) -> Option<[u32; 3]> {
    let groups = lanes.div_ceil(64).max(1);
    let x = groups.min(max_wg);
    let y = groups.div_ceil(x);
    (y <= max_wg).then_some([x as u32, y as u32, 1])
}

/// The dispatches of a pass: rows (row kernel) or outer blocks, groups and inner chunks
/// (line kernel), cut so that every dispatch's bindings fit `max_binding` and its
/// workgroup counts the limit. `None` if a single group of one row (or one chunk of one
/// line group) does not fit.
#[allow(clippy::too_many_arguments)]
fn dispatches(
    shape: Shape,
    (span, extents): (u32, &[(u64, u64)]),
    g: &Geometry,
    t: &AxisTable,
    src: Side,
    dst: Side,
    lim: Limits,
) -> Option<Vec<Dispatch>> {
    let span = u64::from(span);
    let groups = t.out_len.div_ceil(4) as u64;

    let out_len = t.out_len as u64;
    let max_wg = u64::from(lim.max_workgroups);
    // A group's span start (the table's record) and its last tap, both non-decreasing
    // from group to group.
    let start = |gr: u64| extents[gr as usize].0;
    let hi = |gr: u64| extents[gr as usize].1;
    let mut out = Vec::new();
    match shape {
        Shape::Row { channels } => {
            let c = u64::from(channels);
            let per = per_lane(groups, g.count);
            // Groups per dispatch: the workgroup limit, then halved until one row's bindings
            // fit; rows per dispatch: the workgroup limit, then as many as the bindings take.
            let mut gstep = groups.min(64 * max_wg);
            let row_span = |g0: u64, ng: u64| {
                let s = (start(g0 + ng - 1) + span) * c + 4 - start(g0) * c + lim.align;
                let d = (4 * ng).min(out_len - 4 * g0) * c + lim.align;
                s.max(d)
            };
            while gstep > 1 && row_span(0, gstep) > lim.max_binding {
                gstep = gstep.div_ceil(2);
            }
            for g0 in (0..groups).step_by(gstep as usize) {
                let ng = gstep.min(groups - g0);
                let one = row_span(g0, ng);
                if one > lim.max_binding {
                    return None;
                }
                let fit = (lim.max_binding - one) / g.src_step.max(g.dst_step).max(1) + 1;
                let rstep = fit.min(per * max_wg).min(g.count).max(1);
                for r0 in (0..g.count).step_by(rstep as usize) {
                    let nr = rstep.min(g.count - r0);
                    let last_row = src.offset + (r0 + nr - 1) * g.src_step;
                    let s_first = src.offset + r0 * g.src_step + start(g0) * c;
                    let s_need = last_row + (hi(g0 + ng - 1) + 1) * c;
                    let s_end = last_row + (start(g0 + ng - 1) + span) * c + 4;
                    let d_first = dst.offset + r0 * g.dst_step + 4 * g0 * c;
                    let d_end =
                        dst.offset + (r0 + nr - 1) * g.dst_step + (4 * (g0 + ng)).min(out_len) * c;
                    out.push(Dispatch {
                        first: r0,
                        count: nr,
                        group0: g0,
                        groups: ng,
                        chunk0: 0,
                        chunks: 0,
                        per_lane: per as u32,
                        src: vec4_binding(s_first, s_need, s_end, lim.align, src.words)?,
                        dst: vec4_binding(d_first, d_end, d_end, lim.align, dst.words)?,
                        workgroups: grid(ng * nr.div_ceil(per), max_wg)?,
                    });
                }
            }
        }
        Shape::Line | Shape::Tile => {
            let chunks = g.inner.div_ceil(4);
            let per = per_lane(groups * g.count, chunks);
            let lane_blocks = |nc: u64| nc.div_ceil(per);
            // Chunks per dispatch: the workgroup limit, then halved until one line group of
            // one outer block fits; then groups and outer blocks as the bindings take.
            let mut cstep = chunks.min(64 * per * max_wg);
            while cstep > 1
                && (0..groups).any(|gr| {
                    lines_span(g, span, &start, (gr, 1), cstep, lim.align) > lim.max_binding
                })
            {
                cstep = cstep.div_ceil(2);
            }
            for c0 in (0..chunks).step_by(cstep as usize) {
                let nc = cstep.min(chunks - c0);
                let mut g0 = 0;
                while g0 < groups {
                    // As many groups as fit one outer block's bindings and the limit.
                    let mut ng = 1;
                    while g0 + ng < groups
                        && ng < max_wg
                        && lines_span(g, span, &start, (g0, ng + 1), nc, lim.align)
                            <= lim.max_binding
                    {
                        ng += 1;
                    }
                    let one = lines_span(g, span, &start, (g0, ng), nc, lim.align);
                    if one > lim.max_binding {
                        return None;
                    }
                    let fit = (lim.max_binding - one) / g.src_step.max(g.dst_step).max(1) + 1;
                    let ostep = fit.min(max_wg).min(g.count).max(1);
                    for o0 in (0..g.count).step_by(ostep as usize) {
                        let no = ostep.min(g.count - o0);
                        let inner_end = (4 * (c0 + nc)).min(g.inner);
                        let s_first =
                            src.offset + o0 * g.src_step + start(g0) * g.src_line + 4 * c0;
                        let s_last = src.offset + (o0 + no - 1) * g.src_step + inner_end;
                        let s_need = s_last + hi(g0 + ng - 1) * g.src_line;
                        let s_end = s_last + (start(g0 + ng - 1) + span - 1) * g.src_line;
                        let d_first = dst.offset + o0 * g.dst_step + 4 * g0 * g.dst_line + 4 * c0;
                        let d_end = dst.offset
                            + (o0 + no - 1) * g.dst_step
                            + ((4 * (g0 + ng)).min(out_len) - 1) * g.dst_line
                            + inner_end;
                        out.push(Dispatch {
                            first: o0,
                            count: no,
                            group0: g0,
                            groups: ng,
                            chunk0: c0,
                            chunks: nc,
                            per_lane: per as u32,
                            src: vec4_binding(s_first, s_need, s_end, lim.align, src.words)?,
                            dst: vec4_binding(d_first, d_end, d_end, lim.align, dst.words)?,
                            workgroups: grid(lane_blocks(nc) * ng * no, max_wg)?,
                        });
                    }
                    g0 += ng;
                }
            }
        }
    }
    Some(out)
}

/// Elements one outer block's bindings span for line groups `[g0, g0 + ng)` and `nc`
/// inner chunks (the larger of input and output, with room for alignment).
fn lines_span(
    g: &Geometry,
    span: u64,
    start: &impl Fn(u64) -> u64,
    (g0, ng): (u64, u64),
    nc: u64,
    align: u64,
) -> u64 {
    let s = (start(g0 + ng - 1) + span - 1 - start(g0)) * g.src_line + 4 * nc;
    let d = (4 * ng - 1) * g.dst_line + 4 * nc;
    s.max(d) + align
}

/// The binding of elements `[first, end)` that a dispatch needs (`need_end`: the end of the
/// elements it really uses; reads up to `end` are of elements that are no taps), in whole
/// vec4s, its start aligned down to `align` (a multiple of 4): the kernels bind vec4 arrays.
/// `None` if the buffer (`words` elements) ends inside the vec4 of a needed element.
fn vec4_binding(first: u64, need_end: u64, end: u64, align: u64, words: u64) -> Option<(u64, u64)> {
    let start = first / align * align;
    let whole = words / 4 * 4;
    if need_end.div_ceil(4) * 4 > whole {
        return None;
    }
    let end = end.max(need_end).div_ceil(4) * 4;
    Some((start, end.min(whole).max(start + 4) - start))
}

//! Planning a pass along H and W at once for the strips tile kernel (pure, no wgpu): torch's
//! 2-D kernels, or a W pass and the H pass after it, over planes of contiguous rows.
//!
//! A lane makes 4 x 4 outputs (a group of four columns of a group of four rows) from the
//! group's W span weights ([`GroupTable`], as the row kernel's) and, for each of the row
//! group's input rows, the row's four H weights: the W-filtered values never leave the lane.

use super::plan::{GroupTable, Limits, Side, ROW_SPANS};
use crate::plan::Pass;

crate::gpu::uniform_struct! {
    /// `TileParams` of shaders/strips/tile_params.wgsl (see there).
    pub(crate) struct TileParams {
        pub planes: u32,
        pub groups_w: u32,
        pub groups_h: u32,
        pub per_lane: u32,
        pub out_w: u32,
        pub out_h: u32,
        pub span_h: u32,
        pub src_base: u32,
        pub dst_base: u32,
        pub src_plane: u32,
        pub dst_plane: u32,
        pub src_row: u32,
        pub dst_row: u32,
        pub records_w: u32,
        pub records_h: u32,
        pub flags: u32,
        pub clamp_min: f32,
        pub clamp_max: f32,
        pub zero: f32,
        pub lane0: u32,
    }
}

/// The fewest outputs (planes x rows x columns) a pass has for the tile kernel to take it;
/// smaller passes run on the row and line kernels (see `Resampler::tile_plan`).
pub const MIN_OUTPUTS: u64 = 1 << 18;

/// The most input rows a row group may read (the tile kernel's `span_h`): past it a
/// separate H pass reads less (strong downscales).
pub const MAX_SPAN_H: usize = 12;

/// One dispatch: planes `[plane0, plane0 + planes)`, row groups `[group0, group0 + groups)`,
/// the element ranges it binds, and its workgroup counts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TileDispatch {
    pub plane0: u64,
    pub planes: u64,
    pub group0: u64,
    pub groups: u64,
    /// Lane columns `[lane0, lane0 + lanes)`: all of them, or a fix-up's few.
    pub lane0: u64,
    pub lanes: u64,
    /// Whether the dispatch runs the pipeline with the poison test (a fix-up of the lanes
    /// or row groups whose cells are poisoned; see [`TilePass::poisoned`]).
    pub poison: bool,
    pub per_lane: u32,
    pub src: (u64, u64),
    pub dst: (u64, u64),
    pub workgroups: [u32; 3],
}

/// A pass planned for the tile kernel.
#[derive(Clone, Debug, PartialEq)]
pub struct TilePass {
    pub span: u32,
    pub span_h: u32,
    /// Output columns per lane: 8 (two column groups sharing one span) where their span fits,
    /// else 4.
    pub cols: u32,
    pub aligned: bool,
    /// Input and output sizes (H, W) and the plane count.
    pub in_hw: (u64, u64),
    pub out_hw: (u64, u64),
    pub planes: u64,
    /// The table: the column groups' records and weights, then the row groups' (vec4 at
    /// `records_h`).
    pub table: Vec<u32>,
    pub records_h: u32,
    /// Some weight is poisoned (`GroupTable::poisoned`): the dispatches over every lane run
    /// without the poison test, and fix-up dispatches (`TileDispatch::poison`) with it over
    /// the lanes and row groups those weights belong to.
    pub poisoned: bool,
    pub dispatches: Vec<TileDispatch>,
    /// The input is a uint8 tensor's bytes (strips/src_u8.wgsl, the whole buffer bound);
    /// set by the launcher.
    pub u8_src: bool,
}

impl TilePass {
    /// The parameters of dispatch `d` (output rounding left at none), for tensors at element
    /// offsets `src_offset` and `dst_offset`: offsets relative to the dispatch's bindings,
    /// modulo 2^32 as the kernel's u32 arithmetic wraps.
    pub fn params(&self, d: &TileDispatch, src_offset: u64, dst_offset: u64) -> TileParams {
        let (ih, iw) = self.in_hw;
        let (oh, ow) = self.out_hw;
        TileParams {
            planes: d.planes as u32,
            groups_w: (d.lanes * u64::from(self.cols / 4)).min(ow.div_ceil(4)) as u32,
            groups_h: d.groups as u32,
            per_lane: d.per_lane,
            out_w: ow as u32,
            out_h: (oh - 4 * d.group0) as u32,
            span_h: self.span_h,
            src_base: (src_offset + d.plane0 * ih * iw).wrapping_sub(d.src.0) as u32,
            dst_base: (dst_offset + d.plane0 * oh * ow + 4 * d.group0 * ow).wrapping_sub(d.dst.0)
                as u32,
            src_plane: (ih * iw) as u32,
            dst_plane: (oh * ow) as u32,
            src_row: iw as u32,
            dst_row: ow as u32,
            records_w: 0,
            records_h: self.records_h + d.group0 as u32,
            lane0: d.lane0 as u32,
            ..TileParams::default()
        }
    }
}

/// The tile plan of `pass` (its D axis unchanged, H and W any; contiguous NCDHW on both
/// sides, `planes` x D planes), or `None` if the tile kernel cannot run it or a separate H
/// pass would read less (a row group reading more than [`MAX_SPAN_H`] input rows).
pub fn plan(pass: &Pass, planes: usize, src: Side, dst: Side, lim: Limits) -> Option<TilePass> {
    if src.channels_last || dst.channels_last || !pass.axes[0].is_identity() {
        return None;
    }
    let [d, ih, iw] = pass.in_dims().map(|x| x as u64);
    let [_, oh, ow] = pass.out_dims().map(|x| x as u64);
    let planes = planes as u64 * d;
    let aligned = [src.offset, dst.offset, iw, ow].iter().all(|v| v % 4 == 0);
    let start_align = if aligned { 4 } else { 1 };
    // Eight columns per lane where their span is no longer than four columns' plus half (a
    // lane then loads fewer inputs per output), else four.
    let four = GroupTable::build_in(&pass.axes[2], 4, start_align, &ROW_SPANS)?;
    let (cols, width) = match GroupTable::build_in(&pass.axes[2], 8, start_align, &ROW_SPANS) {
        Some(eight) if 2 * eight.span <= 3 * four.span && eight.span <= 16 => (eight, 8),
        _ => (four, 4),
    };
    let spans_h: Vec<u32> = (1..=MAX_SPAN_H as u32).collect();
    let rows = GroupTable::build(&pass.axes[1], 1, &spans_h)?;
    let mut table = cols.words(0);
    let records_h = (table.len() / 4) as u32;
    table.extend(rows.words(records_h));
    if src.words.max(dst.words) > u64::from(u32::MAX) || !lim.align.is_multiple_of(4) {
        return None;
    }
    let lanes_w = ow.div_ceil(width);
    let groups_h = oh.div_ceil(4);
    let span = u64::from(cols.span);
    // Rows of the input a range of row groups reads (first row, rows), and the bindings of
    // planes [p0, p0 + np) and row groups [g0, g0 + ng).
    let row_range = |g0: u64, ng: u64| {
        let first = rows.extents[g0 as usize].0;
        let last = rows.extents[(g0 + ng - 1) as usize].0 + u64::from(rows.span) - 1;
        (first, last.min(ih - 1) + 1 - first)
    };
    let col_end = (cols.extents[lanes_w as usize - 1].0 + span).min(iw.div_ceil(4) * 4 + 4);
    let bindings = |p0: u64, np: u64, g0: u64, ng: u64| {
        let (r0, nr) = row_range(g0, ng);
        let s_first = src.offset + p0 * ih * iw + r0 * iw + cols.extents[0].0;
        let s_need = src.offset + (p0 + np - 1) * ih * iw + (r0 + nr - 1) * iw + iw;
        let s_end = src.offset + (p0 + np - 1) * ih * iw + (r0 + nr - 1) * iw + col_end + 4;
        let d_first = dst.offset + p0 * oh * ow + 4 * g0 * ow;
        let d_end = dst.offset + (p0 + np - 1) * oh * ow + (4 * (g0 + ng)).min(oh) * ow;
        Some((
            vec4_binding(s_first, s_need, s_end, lim.align, src.words)?,
            vec4_binding(d_first, d_end, d_end, lim.align, dst.words)?,
        ))
    };
    let fits = |b: Option<((u64, u64), (u64, u64))>| {
        b.is_some_and(|(s, d)| s.1 <= lim.max_binding && d.1 <= lim.max_binding)
    };
    // Row groups per lane: enough lanes for the threads first.
    let per = (groups_h * lanes_w * planes / 8192)
        .clamp(1, 16)
        .min(groups_h);
    let max_wg = u64::from(lim.max_workgroups);
    let mut dispatches = Vec::new();
    let mut p0 = 0;
    while p0 < planes {
        if fits(bindings(p0, 1, 0, groups_h)) {
            // Whole planes: as many as fit.
            let mut np = 1;
            while p0 + np < planes && fits(bindings(p0, np + 1, 0, groups_h)) {
                np += 1;
            }
            dispatches.push(dispatch(
                (p0, np),
                (0, groups_h),
                per,
                lanes_w,
                &bindings,
                max_wg,
            )?);
            p0 += np;
            continue;
        }
        // One plane in bands of row groups.
        let mut g0 = 0;
        while g0 < groups_h {
            let mut ng = 1;
            if !fits(bindings(p0, 1, g0, 1)) {
                return None;
            }
            while g0 + ng < groups_h && fits(bindings(p0, 1, g0, ng + 1)) {
                ng += 1;
            }
            dispatches.push(dispatch(
                (p0, 1),
                (g0, ng),
                per,
                lanes_w,
                &bindings,
                max_wg,
            )?);
            g0 += ng;
        }
        p0 += 1;
    }
    let fixes = fix_ups(
        &dispatches,
        &runs(&cols.poisoned_groups()),
        &runs(&rows.poisoned_groups()),
        max_wg,
    )?;
    dispatches.extend(fixes);
    Some(TilePass {
        span: cols.span,
        span_h: rows.span,
        cols: width as u32,
        aligned,
        in_hw: (ih, iw),
        out_hw: (oh, ow),
        planes,
        poisoned: dispatches.iter().any(|d| d.poison),
        table,
        records_h,
        dispatches,
        u8_src: false,
    })
}

type Bindings<'a> = dyn Fn(u64, u64, u64, u64) -> Option<((u64, u64), (u64, u64))> + 'a;

fn dispatch(
    (p0, np): (u64, u64),
    (g0, ng): (u64, u64),
    per: u64,
    lanes_w: u64,
    bindings: &Bindings<'_>,
    max_wg: u64,
) -> Option<TileDispatch> {
    let (src, dst) = bindings(p0, np, g0, ng)?;
    let per = per.min(ng);
    TileDispatch {
        plane0: p0,
        planes: np,
        group0: g0,
        groups: ng,
        lane0: 0,
        lanes: lanes_w,
        poison: false,
        per_lane: per as u32,
        src,
        dst,
        workgroups: [0; 3],
    }
    .with_workgroups(max_wg)
}

impl TileDispatch {
    /// This dispatch with the workgroups its lanes need, if they fit `max_wg`.
    fn with_workgroups(mut self, max_wg: u64) -> Option<TileDispatch> {
        let per = u64::from(self.per_lane).max(1);
        let lanes = self.lanes * self.groups.div_ceil(per) * self.planes;
        let wgs = lanes.div_ceil(64).max(1);
        let x = wgs.min(max_wg);
        let y = wgs.div_ceil(x);
        self.workgroups = [x as u32, y as u32, 1];
        (y <= max_wg).then_some(self)
    }
}

/// The runs `[a, b)` of consecutive `true`s of `flags`.
fn runs(flags: &[bool]) -> Vec<(u64, u64)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, &f) in flags.iter().chain([&false]).enumerate() {
        match (f, start) {
            (true, None) => start = Some(i as u64),
            (false, Some(a)) => {
                out.push((a, i as u64));
                start = None;
            }
            _ => {}
        }
    }
    out
}

/// The fix-up dispatches of `main` (dispatches over every lane): the same bands again with
/// the poison test, over the runs of lane columns `lanes` and of row groups `groups` whose
/// cells are poisoned. Their outputs are computed again, exactly; the others' are exact
/// without the test.
fn fix_ups(
    main: &[TileDispatch],
    lanes: &[(u64, u64)],
    groups: &[(u64, u64)],
    max_wg: u64,
) -> Option<Vec<TileDispatch>> {
    let mut out = Vec::new();
    for d in main {
        for &(a, b) in lanes {
            out.push(
                TileDispatch {
                    lane0: a,
                    lanes: b - a,
                    poison: true,
                    ..d.clone()
                }
                .with_workgroups(max_wg)?,
            );
        }
        for &(a, b) in groups {
            let (g0, g1) = (a.max(d.group0), b.min(d.group0 + d.groups));
            if g0 < g1 {
                out.push(
                    TileDispatch {
                        group0: g0,
                        groups: g1 - g0,
                        per_lane: d.per_lane.min((g1 - g0) as u32),
                        poison: true,
                        ..d.clone()
                    }
                    .with_workgroups(max_wg)?,
                );
            }
        }
    }
    Some(out)
}

/// As the row and line kernels bind: whole vec4s from `first` (aligned down) to the larger of
/// `need_end` (what is used) and `end` (what may be read), within the buffer's whole vec4s.
fn vec4_binding(first: u64, need_end: u64, end: u64, align: u64, words: u64) -> Option<(u64, u64)> {
    let start = first / align * align;
    let whole = words / 4 * 4;
    if need_end.div_ceil(4) * 4 > whole {
        return None;
    }
    let end = end.max(need_end).div_ceil(4) * 4;
    Some((start, end.min(whole).max(start + 4) - start))
}

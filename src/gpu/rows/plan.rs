//! Dispatching a pass on the row kernels (pure, no wgpu): its parts (`parts.rs`), the
//! D and H records, the uniform parameters and the dispatches that fit the device's limits.

use super::parts::*;

crate::gpu::uniform_struct! {
    /// `RowParams` of shaders/rows/common.wgsl (see there).
    #[derive(PartialEq)]
    pub struct RowParams {
        pub src_base: u32,
        pub dst_base: u32,
        pub s_plane: u32,
        pub s_d: u32,
        pub s_h: u32,
        pub t_plane: u32,
        pub t_d: u32,
        pub t_h: u32,
        pub d_shift: u32,
        pub h0: u32,
        pub last_d: u32,
        pub last_h: u32,
        pub groups: u32,
        pub w0: u32,
        pub base0: u32,
        pub advance: u32,
        pub rec_d: u32,
        pub rec_h: u32,
        pub rec_w: u32,
        pub tab_bases: u32,
        pub cols: u32,
        pub taps_w: u32,
        pub quads: u32,
        pub clamp_min: f32,
        pub clamp_max: f32,
        pub lane_shift: u32,
        /// 0.0 (rows/taps.wgsl `weight`).
        pub zero: f32,
        pub flags: u32,
    }
}

/// The limits and buffers that shape a row-kernel pass, in elements (4 bytes) unless noted.
#[derive(Clone, Copy, Debug)]
pub struct RowsLimits {
    /// Largest storage binding.
    pub max_binding: u64,
    /// Storage binding offset alignment (a multiple of 4: vec4 bindings).
    pub align: u64,
    /// Uniform binding offset alignment, in vec4s.
    pub record_align: u64,
    pub max_workgroups: u32,
    /// Periodic W parts may load pairs of vec4s (rows/src_pairs.wgsl) where the layout allows.
    pub pair_loads: bool,
    /// Where the tensors are: element offset in their buffer, and the buffer's length.
    pub src_offset: u64,
    pub src_words: u64,
    pub dst_offset: u64,
    pub dst_words: u64,
}

/// One dispatch: its part, parameters, storage bindings (aligned element start, length), the
/// vec4s of `records` where its `dtab`, `htab` and `wtab` windows start, and workgroup
/// counts.
#[derive(Clone, Debug, PartialEq)]
pub struct RowsDispatch {
    pub part: usize,
    pub params: RowParams,
    pub src: (u64, u64),
    pub dst: (u64, u64),
    pub windows: [u64; 3],
    pub workgroups: [u32; 3],
}

/// A pass on the row kernels: its parts; the D and H taps (`TAPS_D`, `TAPS_H`; 0 for an
/// identity axis, which has no records) and whether some records are shorter than their
/// taps (`VARIABLE`); the records (D, then H, then each tabled part's W, each section from an
/// aligned vec4, then a window of room: every record binding is 64 KiB); the tabled parts'
/// lane group bases (at least one word) and the dispatches.
#[derive(Clone, Debug, PartialEq)]
pub struct RowsPass {
    pub parts: Vec<Part>,
    pub taps_d: u32,
    pub taps_h: u32,
    pub variable: bool,
    pub records: Vec<[u32; 4]>,
    pub bases: Vec<u32>,
    pub dispatches: Vec<RowsDispatch>,
    /// The input is a uint8 tensor's bytes (rows/src_u8.wgsl, the whole buffer bound);
    /// set by the launcher.
    pub u8_src: bool,
}

/// The element stride from one plane to the next if the planes (n, c) are evenly strided
/// (a contiguous batch, one channel, or one batch element).
fn plane_stride(planes: usize, channels: usize, s: super::Strides) -> Option<u64> {
    let c = channels.max(1) as u64;
    if c == 1 {
        Some(s.n)
    } else if planes as u64 <= c || s.n == c * s.c {
        Some(s.c)
    } else {
        None
    }
}

fn log2_ceil(n: usize) -> u32 {
    n.max(1).next_power_of_two().trailing_zeros()
}

/// Append `section` to `records` from a multiple of `align` vec4s; its first vec4.
fn section(records: &mut Vec<[u32; 4]>, align: u64, section: &[[u32; 4]]) -> u64 {
    let at = (records.len() as u64).div_ceil(align) * align;
    records.resize(at as usize, [0; 4]);
    records.extend_from_slice(section);
    at
}

/// How the row kernels run `pass` over `planes` planes (of `channels` channels) with input
/// strides `s` and output strides `t`, or `None` where they cannot: W not contiguous, rows
/// or planes not at multiples of 4 elements, W taps the parts cannot hold (see [`w_parts`]),
/// more than MAX_TAPS_W taps per depth or row, D records past one uniform window, a plane
/// larger than a binding, or a tensor whose last vec4 is not in its buffer.
///
/// A pass whose D and H axes are identities (a W-only pass) runs as one plane of
/// `planes x D x H` rows when the strides allow it, so that narrow or few rows still fill
/// the workgroups.
pub fn plan(
    pass: &crate::plan::Pass,
    planes: usize,
    channels: usize,
    s: super::Strides,
    t: super::Strides,
    lim: RowsLimits,
) -> Option<RowsPass> {
    // With pair loads where the parts allow them; else (a binding that cannot end at a whole
    // pair) without.
    plan_loads(pass, planes, channels, s, t, lim).or_else(|| {
        let singles = RowsLimits {
            pair_loads: false,
            ..lim
        };
        lim.pair_loads
            .then(|| plan_loads(pass, planes, channels, s, t, singles))
            .flatten()
    })
}

fn plan_loads(
    pass: &crate::plan::Pass,
    planes: usize,
    channels: usize,
    s: super::Strides,
    t: super::Strides,
    lim: RowsLimits,
) -> Option<RowsPass> {
    let [in_d, in_h, in_w] = pass.in_dims();
    let [out_d, out_h, out_w] = pass.out_dims();
    if planes == 0 || [in_d, in_h, in_w, out_d, out_h, out_w].contains(&0) {
        return None;
    }
    let (sp, tp) = (
        plane_stride(planes, channels, s)?,
        plane_stride(planes, channels, t)?,
    );
    let aligned = [sp, s.d, s.h, tp, t.d, t.h, lim.src_offset, lim.dst_offset];
    if s.w != 1 || t.w != 1 || aligned.iter().any(|v| v % 4 != 0) {
        return None;
    }
    let mut parts = w_parts(&pass.axes[2], lim.record_align)?;
    // Pair loads need every input row at a multiple of 8 elements from its binding's start.
    if lim.pair_loads
        && lim.align.is_multiple_of(8)
        && [sp, s.d, s.h].iter().all(|v| v.is_multiple_of(8))
    {
        for p in &mut parts {
            if let Some(q) = with_pairs(p, lim.src_offset % 8) {
                *p = q;
            }
        }
    }
    let identity = |a: usize| pass.axes[a].is_identity();
    // An H-only pass of one depth: the run of rows that rows/lines_main.wgsl takes, if any; the
    // W parts then cover the rows before and after it.
    let lines = if identity(0) && identity(2) && !identity(1) && out_d == 1 {
        lines_parts(&pass.axes[1])
    } else {
        Vec::new()
    };
    // The view the kernels see: planes x depths x rows.
    let rows_only = identity(0)
        && identity(1)
        && s.d == in_h as u64 * s.h
        && sp == in_d as u64 * s.d
        && t.d == out_h as u64 * t.h
        && tp == out_d as u64 * t.d;
    let (planes, out_d, in_d, out_h, in_h) = if rows_only {
        let rows = planes * in_d * in_h;
        (1, 1, 1, rows, rows)
    } else {
        (planes, out_d, in_d, out_h, in_h)
    };
    // The rows no run of lines covers.
    let mut row_ranges = Vec::new();
    let mut at = 0;
    for l in &lines {
        if at < l.c0 {
            row_ranges.push((at, l.c0));
        }
        at = l.c1;
    }
    if at < out_h {
        row_ranges.push((at, out_h));
    }
    let taps = |a: usize| {
        let k = pass.axes[a].taps;
        if rows_only || identity(a) {
            Some(0)
        } else {
            (k <= MAX_TAPS_W).then_some(k)
        }
    };
    let (taps_d, taps_h) = (taps(0)?, taps(1)?);
    let variable = [(taps_d, 0), (taps_h, 1)]
        .iter()
        .any(|&(k, a)| k > 0 && pass.axes[a].count.iter().any(|&c| c as usize != k));
    let axis_records = |a: usize, k: usize, stride: u64| -> Option<Vec<[u32; 4]>> {
        let mut out = Vec::new();
        if k > 0 {
            let t = &pass.axes[a];
            for o in 0..t.out_len {
                let offsets = taps_of(t, o)
                    .map(|(i, w)| Some((u32::try_from(u64::from(i) * stride).ok()?, w)))
                    .collect::<Option<Vec<_>>>()?;
                push_record(&mut out, k, offsets.into_iter());
            }
        }
        Some(out)
    };
    let d_records = axis_records(0, taps_d, s.d)?;
    if d_records.len() as u64 > RECORD_WINDOW {
        return None;
    }
    let h_records = axis_records(1, taps_h, s.h)?;
    let mut records = Vec::new();
    let d_at = section(&mut records, lim.record_align, &d_records);
    let h_at = section(&mut records, lim.record_align, &h_records);
    let mut bases = Vec::new();
    // Each part's W records window and first base.
    let tabled_at: Vec<(u64, usize)> = parts
        .iter()
        .map(|p| match &p.w {
            WTaps::Tabled {
                bases: b,
                records: r,
            } => {
                let at = (section(&mut records, lim.record_align, r), bases.len());
                bases.extend_from_slice(b);
                at
            }
            // No W records: any window binds.
            WTaps::Periodic { .. } => (d_at, 0),
        })
        .collect();
    records.resize(records.len() + RECORD_WINDOW as usize, [0; 4]);
    if bases.is_empty() {
        bases.push(0);
    }
    let u = |v: u64| u32::try_from(v).ok();
    let uz = |v: usize| u32::try_from(v).ok();

    // Elements a plane spans; the planes (or rows) a binding, with its alignment slack, holds.
    let plane_span = |d: usize, h: usize, st: super::Strides, w: usize| {
        (d as u64 - 1) * st.d + (h as u64 - 1) * st.h + w as u64
    };
    let in_span = plane_span(in_d, in_h, s, in_w);
    let out_span = plane_span(out_d, out_h, t, out_w);
    let fit = |span: u64, stride: u64| -> Option<u64> {
        let room = lim
            .max_binding
            .checked_sub(span.div_ceil(4) * 4 + lim.align)?;
        Some(room.checked_div(stride).map_or(u64::MAX, |n| n + 1))
    };
    let max_wg = u64::from(lim.max_workgroups);
    let d_shift = log2_ceil(out_d);
    let per_chunk = if rows_only {
        planes as u64
    } else {
        fit(in_span, sp)?
            .min(fit(out_span, tp)?)
            .min(max_wg >> d_shift)
    }
    .min(planes as u64) as usize;
    // Rows-only: row chunks bind their own rows.
    let rows_by_binding = if rows_only {
        fit(in_w as u64, s.h)?.min(fit(out_w as u64, t.h)?) as usize
    } else {
        usize::MAX
    };
    let rows_by_records = if taps_h > 0 {
        (RECORD_WINDOW - lim.record_align) as usize / record_len(taps_h)
    } else {
        usize::MAX
    };
    if per_chunk == 0 || rows_by_binding == 0 || rows_by_records == 0 {
        return None;
    }
    let mut dispatches = Vec::new();
    for (i, part) in parts.iter().enumerate() {
        let groups = part.groups();
        let lane_shift = log2_ceil(groups).min(6);
        let wg_x = groups.div_ceil(1 << lane_shift);
        let rows_per_wg = 64usize >> lane_shift;
        if wg_x as u64 > max_wg {
            return None;
        }
        let rows_per_dispatch = (max_wg as usize * rows_per_wg)
            .min(rows_by_binding)
            .min(rows_by_records);
        let (base0, advance) = match &part.w {
            WTaps::Periodic { base0, advance, .. } => (*base0, *advance),
            WTaps::Tabled { .. } => (0, 0),
        };
        let (w_at, tab_bases) = tabled_at[i];
        for p0 in (0..planes).step_by(per_chunk) {
            let np = per_chunk.min(planes - p0);
            let chunks = row_ranges.iter().flat_map(|&(r0, r1)| {
                (r0..r1)
                    .step_by(rows_per_dispatch)
                    .map(move |h0| (h0, rows_per_dispatch.min(r1 - h0)))
            });
            for (h0, nh) in chunks {
                // Rows-only chunks bind their rows, and count them from the tensor's first.
                let (row0, src_first, src_len, dst_first, dst_len) = if rows_only {
                    (
                        h0 as u64,
                        lim.src_offset + h0 as u64 * s.h,
                        (nh as u64 - 1) * s.h + in_w as u64,
                        lim.dst_offset + h0 as u64 * t.h,
                        (nh as u64 - 1) * t.h + out_w as u64,
                    )
                } else {
                    (
                        0,
                        lim.src_offset + p0 as u64 * sp,
                        (np as u64 - 1) * sp + in_span,
                        lim.dst_offset + p0 as u64 * tp,
                        (np as u64 - 1) * tp + out_span,
                    )
                };
                let src_start = src_first / lim.align * lim.align;
                let mut src_end = (src_first + src_len).div_ceil(4) * 4;
                // A pair part's binding ends at a whole pair.
                if part.pairs {
                    src_end = src_start + (src_end - src_start).div_ceil(8) * 8;
                    if src_end - src_start > lim.max_binding {
                        return None;
                    }
                }
                let dst_start = dst_first / lim.align * lim.align;
                let dst_end = dst_first + dst_len;
                if src_end > lim.src_words || dst_end > lim.dst_words {
                    return None;
                }
                let first_h = h_at + (h0 * record_len(taps_h)) as u64;
                let h_window = first_h / lim.record_align * lim.record_align;
                let params = RowParams {
                    // Modulo 2^32, as the kernel's offsets.
                    src_base: (src_first - row0 * s.h).wrapping_sub(src_start) as u32,
                    dst_base: (dst_first - row0 * t.h).wrapping_sub(dst_start) as u32,
                    s_plane: u(sp)?,
                    s_d: u(s.d)?,
                    s_h: u(s.h)?,
                    t_plane: u(tp)?,
                    t_d: u(t.d)?,
                    t_h: u(t.h)?,
                    d_shift,
                    h0: uz(h0)?,
                    last_d: uz(out_d - 1)?,
                    last_h: uz(h0 + nh - 1)?,
                    groups: uz(groups)?,
                    w0: uz(part.c0)?,
                    base0,
                    advance,
                    rec_d: 0,
                    rec_h: u(first_h - h_window)?,
                    rec_w: 0,
                    tab_bases: uz(tab_bases)?,
                    cols: uz(part.c1 - part.c0)?,
                    taps_w: uz(part.taps)?,
                    quads: uz(part.g / 4)?,
                    lane_shift,
                    ..Default::default()
                };
                dispatches.push(RowsDispatch {
                    part: i,
                    params,
                    src: (src_start, src_end - src_start),
                    dst: (dst_start, dst_end - dst_start),
                    windows: [d_at, h_window, w_at],
                    workgroups: [uz(wg_x)?, uz(nh.div_ceil(rows_per_wg))?, uz(np << d_shift)?],
                });
            }
        }
    }
    for l in lines {
        let (base0, advance) = match &l.w {
            WTaps::Periodic { base0, advance, .. } => (*base0, *advance),
            WTaps::Tabled { .. } => return None,
        };
        let groups = out_w / 4;
        let lane_shift = log2_ceil(groups).min(6);
        let wg_x = groups.div_ceil(1 << lane_shift);
        let per_wg = 64usize >> lane_shift;
        if wg_x as u64 > max_wg {
            return None;
        }
        let run_groups = (l.c1 - l.c0) / l.g;
        for p0 in (0..planes).step_by(per_chunk) {
            let np = per_chunk.min(planes - p0);
            let (src_first, dst_first) = (
                lim.src_offset + p0 as u64 * sp,
                lim.dst_offset + p0 as u64 * tp,
            );
            let src_start = src_first / lim.align * lim.align;
            let src_end = (src_first + (np as u64 - 1) * sp + in_span).div_ceil(4) * 4;
            let dst_start = dst_first / lim.align * lim.align;
            let dst_end = dst_first + (np as u64 - 1) * tp + out_span;
            if src_end > lim.src_words || dst_end > lim.dst_words {
                return None;
            }
            for g0 in (0..run_groups).step_by(max_wg as usize * per_wg) {
                let n = (max_wg as usize * per_wg).min(run_groups - g0);
                let params = RowParams {
                    src_base: (src_first - src_start) as u32,
                    dst_base: (dst_first - dst_start) as u32,
                    s_plane: u(sp)?,
                    s_h: u(s.h)?,
                    t_plane: u(tp)?,
                    t_h: u(t.h)?,
                    h0: uz(l.c0 + g0 * l.g)?,
                    groups: uz(groups)?,
                    base0: base0.checked_add(advance.checked_mul(uz(g0)?)?)?,
                    advance,
                    cols: uz(n)?,
                    lane_shift,
                    ..Default::default()
                };
                dispatches.push(RowsDispatch {
                    part: parts.len(),
                    params,
                    src: (src_start, src_end - src_start),
                    dst: (dst_start, dst_end - dst_start),
                    windows: [d_at; 3],
                    workgroups: [uz(wg_x)?, uz(n.div_ceil(per_wg))?, uz(np)?],
                });
            }
        }
        parts.push(l);
    }
    Some(RowsPass {
        parts,
        taps_d: uz(taps_d)?,
        taps_h: uz(taps_h)?,
        variable,
        records,
        bases,
        dispatches,
        u8_src: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gpu::Strides;
    use crate::options::{Mode, Options};
    use crate::plan::{DType, Pass, Plan};
    use crate::tables::AxisTable;

    /// The taps a part gives output column `c`, as (input index, f32 weight bits), and
    /// whether every one of them lies in its lane group's span.
    fn part_taps(p: &Part, c: usize) -> (Vec<(u32, u32)>, bool) {
        let (i, j) = ((c - p.c0) / p.g, (c - p.c0) % p.g);
        let (base, taps): (u32, Vec<(u32, u32)>) = match &p.w {
            WTaps::Periodic {
                taps,
                base0,
                advance,
            } => {
                let q = j % taps.phases as usize;
                let n = taps.counts[q] as usize;
                let off = taps.offsets[j];
                let w = &taps.weights[q * MAX_TAPS_W..q * MAX_TAPS_W + n];
                (
                    base0 + advance * i as u32,
                    (0..n).map(|k| (off + k as u32, w[k])).collect(),
                )
            }
            WTaps::Tabled { bases, records } => {
                let len = record_len(p.taps);
                let rec = &records[(c - p.c0) * len..(c - p.c0 + 1) * len];
                let words: Vec<u32> = rec.iter().flatten().copied().collect();
                let (offsets, weights) = words.split_at(words.len() / 2);
                let taps = offsets
                    .iter()
                    .zip(weights)
                    .take_while(|(&o, _)| o != MASKED)
                    .map(|(&o, &w)| (o, w))
                    .collect();
                (bases[i], taps)
            }
        };
        let limit = if p.lines { p.span } else { 4 * p.span };
        let inside = taps.iter().all(|&(o, _)| (o as usize) < limit);
        (
            taps.into_iter().map(|(o, w)| (base + o, w)).collect(),
            inside,
        )
    }

    /// The parts tile the columns and give every column exactly its table taps, inside its
    /// span; periodic parts are whole lane groups.
    fn check(t: &AxisTable, parts: &[Part], what: &str) {
        let mut at = 0;
        for p in parts {
            assert_eq!(p.c0, at, "{what}: {parts:?}");
            assert!(p.c0 % 4 == 0 && p.c1 % 4 == 0 && p.c1 > p.c0, "{what}");
            let max_span = if p.pairs { MAX_PAIR_SPAN } else { MAX_SPAN };
            assert!(p.span <= max_span && p.taps <= MAX_TAPS_W, "{what}");
            if p.is_periodic() {
                assert_eq!((p.c1 - p.c0) % p.g, 0, "{what}");
            }
            for c in p.c0..p.c1 {
                let (got, inside) = part_taps(p, c);
                let want: Vec<(u32, u32)> = taps_of(t, c).collect();
                assert_eq!(got, want, "{what}: column {c} of {p:?}");
                assert!(inside, "{what}: column {c} outside its span");
            }
            at = p.c1;
        }
        assert_eq!(at, t.out_len, "{what}");
    }

    fn w_tables(mode: Mode, shape: &[usize], size: &[usize], aa: bool, ac: bool) -> Vec<AxisTable> {
        let mut o = Options::new(mode).size(size.iter().copied()).antialias(aa);
        if mode.takes_align_corners() && mode != Mode::Lanczos {
            o = o.align_corners(ac);
        }
        let g = o.resolve(shape).unwrap();
        [Plan::forward(&g, DType::F32), Plan::backward_of(&g)]
            .iter()
            .flat_map(|p| p.passes.iter().map(|pass| pass.axes[2].clone()))
            .collect()
    }

    /// Integer and rational scales run periodic inside and tabled at the borders; other scales
    /// tabled; every layout reproduces its table, forward and backward.
    #[test]
    fn parts_reproduce_their_tables() {
        let cases: &[(Mode, usize, usize, bool)] = &[
            (Mode::Bilinear, 1024, 2048, false),
            (Mode::Bilinear, 64, 128, false),
            (Mode::Bilinear, 100, 172, false),
            (Mode::Bicubic, 1024, 2048, false),
            (Mode::Bicubic, 48, 36, false),
            (Mode::Bicubic, 2048, 512, true),
            (Mode::Bilinear, 300, 100, true),
            (Mode::Lanczos, 96, 32, true),
            (Mode::Nearest, 128, 256, false),
            (Mode::Nearest, 40, 120, false),
            (Mode::NearestExact, 64, 48, false),
            (Mode::Area, 2048, 512, false),
            (Mode::Area, 60, 24, false),
            (Mode::Bilinear, 8, 8, true),
        ];
        let mut periodic = 0;
        for &(mode, n_in, n_out, aa) in cases {
            for ac in [false, true] {
                for t in w_tables(mode, &[1, 1, 4, n_in], &[4, n_out], aa, ac) {
                    let what = format!(
                        "{mode:?} {n_in}->{n_out} aa={aa} ac={ac} {}->{}",
                        t.in_len, t.out_len
                    );
                    if let Some(parts) = w_parts(&t, 1) {
                        check(&t, &parts, &what);
                        periodic += parts.iter().filter(|p| p.is_periodic()).count();
                    }
                }
            }
        }
        assert!(periodic > 20, "{periodic} periodic parts");
    }

    /// H-only passes of antialiased downscales and uint8 upsampling: a run of row groups for
    /// rows/lines_main.wgsl over most rows, reproducing the table.
    #[test]
    fn lines_reproduce_their_tables() {
        let cases: &[(Mode, usize, usize, bool)] = &[
            (Mode::Bicubic, 2048, 512, true),
            (Mode::Bilinear, 300, 100, true),
            (Mode::Lanczos, 96, 32, true),
            (Mode::Bicubic, 64, 128, true),
            (Mode::Bilinear, 100, 50, true),
        ];
        for &(mode, n_in, n_out, aa) in cases {
            let g = Options::new(mode)
                .size([n_out, 8])
                .antialias(aa)
                .resolve(&[1, 1, n_in, 8])
                .unwrap();
            let plan = Plan::forward(&g, DType::F32);
            let t = &plan.passes[0].axes[1];
            let what = format!("{mode:?} {n_in}->{n_out}");
            let runs = lines_parts(t);
            let main = runs.iter().max_by_key(|p| p.c1 - p.c0);
            let main = main.unwrap_or_else(|| panic!("{what}: no run of rows"));
            assert!(2 * (main.c1 - main.c0) >= n_out, "{what}: {main:?}");
            let mut at = 0;
            for run in &runs {
                assert!(
                    run.lines && run.c0 >= at && run.c1 > run.c0,
                    "{what}: {runs:?}"
                );
                assert!(run.span <= MAX_LINES && run.g <= 8, "{what}");
                for c in run.c0..run.c1 {
                    let (got, inside) = part_taps(run, c);
                    assert_eq!(got, taps_of(t, c).collect::<Vec<_>>(), "{what}: row {c}");
                    assert!(inside, "{what}: row {c}");
                }
                at = run.c1;
            }
        }
    }

    /// The workloads' scales: their interiors are periodic, with the lane groups and phases
    /// the kernels are tuned for.
    #[test]
    fn standard_scales_are_periodic() {
        let expect: &[(Mode, usize, usize, bool, usize, u32)] = &[
            (Mode::Bilinear, 1024, 2048, false, 16, 2),
            (Mode::Bicubic, 1024, 2048, false, 16, 2),
            (Mode::Nearest, 128, 256, false, 16, 1),
            (Mode::Area, 2048, 512, false, 8, 1),
            (Mode::Bicubic, 2048, 512, true, 8, 1),
            // Three phases: 3/2 and 3x.
            (Mode::Bilinear, 1024, 1536, false, 12, 3),
            (Mode::NearestExact, 256, 768, false, 12, 1),
        ];
        for &(mode, n_in, n_out, aa, g, phases) in expect {
            let t = &w_tables(mode, &[1, 1, 4, n_in], &[4, n_out], aa, false)[0];
            let parts = w_parts(t, 1).unwrap();
            let mid = parts.iter().max_by_key(|p| p.c1 - p.c0).unwrap();
            assert!(mid.is_periodic(), "{mode:?}: {parts:?}");
            assert_eq!(mid.g, g, "{mode:?}: {parts:?}");
            let WTaps::Periodic { taps, advance, .. } = &mid.w else {
                unreachable!()
            };
            assert_eq!(taps.phases, phases, "{mode:?}");
            assert_eq!(*advance as usize, g * n_in / n_out, "{mode:?}");
            // All but a lane group or two at each border.
            assert!(mid.c1 - mid.c0 + 2 * 16 >= n_out, "{mode:?}: {parts:?}");
        }
    }

    /// The backward (transposed) tables of the upsampling workloads: periodic inside too,
    /// although bicubic's border rows read one output several times (clamped taps), which
    /// makes its table no run there; those rows alone go tabled.
    #[test]
    fn backward_scales_are_periodic() {
        for mode in [Mode::Bilinear, Mode::Bicubic, Mode::Nearest] {
            let tables = w_tables(mode, &[1, 1, 4, 1024], &[4, 2048], false, false);
            let t = tables.last().unwrap();
            assert_eq!((t.in_len, t.out_len), (2048, 1024), "{mode:?}");
            if mode == Mode::Bicubic {
                assert!(
                    t.run_starts().is_none(),
                    "{mode:?}: the border rows are no run"
                );
            }
            let parts = w_parts(t, 1).unwrap();
            check(t, &parts, &format!("{mode:?} backward"));
            let mid = parts.iter().max_by_key(|p| p.c1 - p.c0).unwrap();
            assert!(mid.is_periodic(), "{mode:?}: {parts:?}");
            assert!(mid.c1 - mid.c0 + 2 * 16 >= 1024, "{mode:?}: {parts:?}");
        }
    }

    /// More taps than the kernels unroll, or a width that is not a multiple of 4: no parts.
    #[test]
    fn unsupported_tables_have_no_parts() {
        let t = &w_tables(Mode::Bicubic, &[1, 1, 4, 1000], &[4, 20], true, false)[0];
        assert!(t.taps > MAX_TAPS_W);
        assert_eq!(w_parts(t, 1), None);
        let t = &w_tables(Mode::Bilinear, &[1, 1, 4, 64], &[4, 30], false, false)[0];
        assert_eq!(w_parts(t, 1), None);
    }

    fn limits(max_binding: u64, src_words: u64, dst_words: u64) -> RowsLimits {
        RowsLimits {
            max_binding,
            align: 8,
            record_align: 16,
            max_workgroups: 65535,
            pair_loads: false,
            src_offset: 0,
            src_words,
            dst_offset: 0,
            dst_words,
        }
    }

    fn pass_of(mode: Mode, shape: &[usize], size: &[usize]) -> (Pass, usize) {
        let g = Options::new(mode)
            .size(size.iter().copied())
            .resolve(shape)
            .unwrap();
        let plan = Plan::forward(&g, DType::F32);
        (plan.passes[0].clone(), plan.planes)
    }

    /// A W-only pass runs as rows; a small binding limit cuts its rows (or a 2-D pass's
    /// planes) into chunks whose bindings stay within it and cover what they read and write.
    #[test]
    fn chunks_fit_their_bindings() {
        for (mode, shape, size, rows_only) in [
            (Mode::Linear, vec![4, 8, 64], vec![128], true),
            (Mode::Bilinear, vec![2, 8, 16, 32], vec![32, 64], false),
        ] {
            let (pass, planes) = pass_of(mode, &shape, &size);
            let (s, t) = (
                Strides::contiguous(1, pass.in_dims()),
                Strides::contiguous(1, pass.out_dims()),
            );
            let n_in = (planes * pass.in_dims().iter().product::<usize>()) as u64;
            let n_out = (planes * pass.out_dims().iter().product::<usize>()) as u64;
            let whole = plan(&pass, planes, 1, s, t, limits(1 << 30, n_in, n_out)).unwrap();
            assert_eq!(whole.taps_h == 0 && whole.taps_d == 0, rows_only);
            let parts = whole.parts.len();
            assert_eq!(whole.dispatches.len(), parts, "{mode:?}");
            let small = 4096;
            let cut = plan(&pass, planes, 1, s, t, limits(small, n_in, n_out)).unwrap();
            assert!(cut.dispatches.len() > parts, "{mode:?}");
            let mut rows = vec![0usize; parts];
            for d in &cut.dispatches {
                assert!(d.src.1 <= small && d.dst.1 <= small, "{mode:?}: {d:?}");
                assert!(d.src.0 + d.src.1 <= n_in && d.dst.0 + d.dst.1 <= n_out);
                let p = &d.params;
                let nh = (p.last_h - p.h0 + 1) as usize;
                let np = (d.workgroups[2] >> p.d_shift) as usize;
                rows[d.part] += nh * np;
            }
            let want = if rows_only {
                planes * pass.in_dims()[1]
            } else {
                planes * pass.out_dims()[1]
            };
            assert!(rows.iter().all(|&r| r == want), "{mode:?}: {rows:?}");
        }
    }

    /// Layouts the kernels do not take: channels-last (W not contiguous), rows not at
    /// multiples of 4 elements, a tensor whose last vec4 is past its buffer.
    #[test]
    fn unaligned_layouts_are_refused() {
        let (pass, planes) = pass_of(Mode::Bilinear, &[1, 3, 16, 32], &[32, 64]);
        let (s, t) = (
            Strides::contiguous(1, pass.in_dims()),
            Strides::contiguous(1, pass.out_dims()),
        );
        let (n_in, n_out) = (3 * 16 * 32, 3 * 32 * 64);
        assert!(plan(&pass, planes, 1, s, t, limits(1 << 30, n_in, n_out)).is_some());
        let cl = Strides::channels_last(3, pass.in_dims());
        assert!(plan(&pass, planes, 3, cl, t, limits(1 << 30, n_in, n_out)).is_none());
        let mut off = limits(1 << 30, n_in + 2, n_out);
        off.src_offset = 2;
        assert!(plan(&pass, planes, 1, s, t, off).is_none());
        assert!(plan(&pass, planes, 1, s, t, limits(1 << 30, n_in - 1, n_out)).is_none());
    }

    /// Pair loads (rows/src_pairs.wgsl): the 1/4 antialiased bicubic's W pass takes them where
    /// its spans start at multiples of 8 elements as they are (a main part of 12 vec4s moved
    /// back 4 elements would load 2 more: no gain), every part still reproducing its table
    /// and every pair binding ending at a whole pair; a span one vec4 short of whole pairs
    /// moves back when it is long enough to pay; rows at odd multiples of 4 elements, or a
    /// binding that cannot end at a whole pair, keep single vec4 loads.
    #[test]
    fn pair_parts_start_at_multiples_of_8() {
        let g = Options::new(Mode::Bicubic)
            .size([64, 512])
            .antialias(true)
            .resolve(&[1, 3, 64, 2048])
            .unwrap();
        let plan_ = Plan::forward(&g, DType::F32);
        let pass = &plan_.passes[0];
        assert!(pass.axes[1].is_identity(), "a W-only pass");
        let (s, t) = (
            Strides::contiguous(1, pass.in_dims()),
            Strides::contiguous(1, pass.out_dims()),
        );
        let singles = w_parts(&pass.axes[2], 16).unwrap();
        let main = singles.iter().max_by_key(|p| p.c1 - p.c0).unwrap();
        let WTaps::Periodic {
            base0: main_base, ..
        } = &main.w
        else {
            panic!("{main:?}")
        };
        assert_eq!(main.span, 12);
        let (n_in, n_out) = (3 * 64 * 2048u64, 3 * 64 * 512u64);
        let mut main_pairs = 0;
        for offset in [0u64, 4, 8, 12] {
            let mut lim = limits(1 << 30, n_in + offset + 8, n_out);
            lim.src_offset = offset;
            lim.pair_loads = true;
            let p = plan(pass, plan_.planes, 1, s, t, lim).unwrap();
            check(
                &pass.axes[2],
                &p.parts,
                &format!("pairs at offset {offset}"),
            );
            let m = p.parts.iter().find(|q| q.c0 == main.c0).unwrap();
            let aligned = (offset + u64::from(*main_base)) % 8 == 0;
            assert_eq!(m.pairs, aligned, "offset {offset}: {m:?}");
            main_pairs += usize::from(m.pairs);
            for q in p.parts.iter().filter(|q| q.pairs) {
                let WTaps::Periodic { base0, advance, .. } = &q.w else {
                    panic!("{q:?}")
                };
                assert_eq!((offset + u64::from(*base0)) % 8, 0, "{q:?}");
                assert_eq!(advance % 8, 0);
                assert!(q.span % 2 == 0 && q.span <= MAX_PAIR_SPAN, "{q:?}");
            }
            for d in p.dispatches.iter().filter(|d| p.parts[d.part].pairs) {
                assert_eq!((d.src.0 % 8, d.src.1 % 8), (0, 0), "{d:?}");
                assert_eq!(u64::from(d.params.src_base) % 8, offset % 8, "{d:?}");
                assert!(d.src.0 + d.src.1 <= n_in + offset + 8);
            }
        }
        assert_eq!(main_pairs, 2);
        // A span of 7 vec4s one short of whole pairs moves back 4 elements (8 vec4s, its
        // offsets up by 4); a span of 8 would need 10 and stays single.
        // Rows starting at this parity put the main part's span 4 past a multiple of 8.
        let parity = (12 - u64::from(*main_base) % 8) % 8;
        let mut odd = main.clone();
        odd.span = 7;
        let moved = with_pairs(&odd, parity).unwrap();
        let (
            WTaps::Periodic {
                taps: a, base0: b0, ..
            },
            WTaps::Periodic {
                taps: b, base0: b1, ..
            },
        ) = (&odd.w, &moved.w)
        else {
            unreachable!()
        };
        assert_eq!((moved.span, *b1 + 4), (8, *b0));
        assert!((0..odd.g).all(|j| b.offsets[j] == a.offsets[j] + 4));
        let mut even = main.clone();
        even.span = 8;
        assert!(with_pairs(&even, parity).is_none());
        // The tensor at offset 4, its buffer ending with it: no whole last pair.
        let mut lim = limits(1 << 30, n_in + 4, n_out);
        lim.src_offset = 4;
        lim.pair_loads = true;
        let p = plan(pass, plan_.planes, 1, s, t, lim).unwrap();
        assert!(p.parts.iter().all(|q| !q.pairs), "{:?}", p.parts);
        // Rows of 1028 elements (4 modulo 8): single vec4s.
        let (pass, planes) = pass_of(Mode::Bilinear, &[1, 1, 8, 1028], &[16, 2056]);
        let (s, t) = (
            Strides::contiguous(1, pass.in_dims()),
            Strides::contiguous(1, pass.out_dims()),
        );
        let mut lim = limits(1 << 30, 8 * 1028, 16 * 2056);
        lim.pair_loads = true;
        let p = plan(&pass, planes, 1, s, t, lim).unwrap();
        assert!(p.parts.iter().any(|q| q.is_periodic()));
        assert!(p.parts.iter().all(|q| !q.pairs), "{:?}", p.parts);
    }
}

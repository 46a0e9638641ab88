//! Splitting one pass into dispatches that respect the adapter's limits (pure, no wgpu).
//!
//! A binding may cover at most `max_storage_buffer_binding_size` bytes (128 MiB on lavapipe)
//! and must start at a multiple of `min_storage_buffer_offset_alignment`; a dispatch may have
//! at most `max_compute_workgroups_per_dimension` workgroups per dimension. A chunk is a box
//! of output planes x depths x rows; its input window is derived from the tables, so a chunk
//! binds only the input it reads.

use crate::error::{Error, Result};
use crate::gpu::tensor::Strides;
use crate::plan::Pass;
use crate::tables::AxisTable;

/// The limits that shape the chunks (a subset of `wgpu::Limits`, in elements where noted).
#[derive(Clone, Copy, Debug)]
pub struct ChunkLimits {
    /// Largest binding of the output, in elements.
    pub max_binding: u64,
    /// Binding offset alignment of the output, in elements.
    pub align: u64,
    /// Largest binding of the input, in elements (a 64 KiB uniform window, or as the output).
    pub max_src_binding: u64,
    /// Binding offset alignment of the input, in elements.
    pub src_align: u64,
    /// Element offset of the input tensor in its buffer (binding starts align to the buffer).
    pub src_offset: u64,
    /// One plane per invocation (`plane_group == 1`), as window/bindings.wgsl's `ONE_PLANE`;
    /// then every chunk's planes also share their batch index n (unless there is one
    /// channel), and a chunk of several depths has one plane (so the kernel needs no
    /// division to find a plane's offset and its depth).
    pub one_plane: bool,
    pub max_workgroups: u32,
}

/// One dispatch of a pass.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Chunk {
    pub p0: usize,
    pub np: usize,
    pub d0: usize,
    pub nd: usize,
    pub h0: usize,
    pub nh: usize,
    pub w0: usize,
    pub nw: usize,
    /// Input window read by the chunk: first element and length (the binding rounds the start
    /// down to the alignment, which the limit leaves room for).
    pub src_start: u64,
    pub src_len: u64,
    pub dst_start: u64,
    pub dst_len: u64,
    pub plane_group: usize,
    pub groups: usize,
    pub workgroups_x: u32,
    pub workgroups_y: u32,
    /// With one plane per invocation: log2 of the lanes a workgroup gives each output row
    /// (6: the whole workgroup on one row; 3: 8 rows of 8 lanes), so that narrow rows do not
    /// leave most lanes recomputing the last column.
    pub lane_shift: u32,
}

/// Invocations one dispatch aims for (enough to fill a large GPU); each invocation loops over
/// `plane_group` planes sharing its table lookups.
const TARGET_INVOCATIONS: usize = 1 << 18;
pub const WORKGROUP_X: usize = 64;
/// Columns per workgroup with one plane per invocation: `WG_X * COLS` of
/// shaders/gather_window_main.wgsl (gather/main.wgsl's grid-stride loop covers any count).
pub const ONE_PLANE_COLUMNS: usize = WORKGROUP_X * COLS;
/// Columns per invocation of shaders/gather_window_main.wgsl (`COLS`).
pub const COLS: usize = 4;

/// The (lowest, highest) input index read by each output of an axis, and by any range of
/// outputs. Every table this crate builds has monotone spans (both ends non-decreasing), and
/// then a range's span is its first lo and last hi, so planning a pass costs O(chunks), not
/// O(chunks x outputs); other tables are scanned.
struct AxisSpans {
    spans: Vec<(usize, usize)>,
    monotone: bool,
}

impl AxisSpans {
    fn new(t: &AxisTable) -> AxisSpans {
        let spans: Vec<(usize, usize)> = (0..t.out_len).map(|o| t.input_span(o..o + 1)).collect();
        let monotone = spans
            .windows(2)
            .all(|p| p[0].0 <= p[1].0 && p[0].1 <= p[1].1);
        AxisSpans { spans, monotone }
    }

    /// The lowest and highest input index of outputs `r` (0, 0 for an empty range).
    fn range(&self, r: std::ops::Range<usize>) -> (u64, u64) {
        if r.is_empty() {
            return (0, 0);
        }
        if self.monotone {
            return (self.spans[r.start].0 as u64, self.spans[r.end - 1].1 as u64);
        }
        let lo = self.spans[r.clone()].iter().map(|s| s.0).min().unwrap_or(0);
        let hi = self.spans[r].iter().map(|s| s.1).max().unwrap_or(0);
        (lo as u64, hi as u64)
    }
}

struct Layout3 {
    channels: usize,
    out: [usize; 3],
    src: Strides,
    dst: Strides,
    span_d: AxisSpans,
    span_h: AxisSpans,
    span_w: AxisSpans,
}

impl Layout3 {
    /// `[start, end)` of the elements a box of planes x depths x rows touches, for the input
    /// and the output.
    fn windows(
        &self,
        p0: usize,
        np: usize,
        d: (usize, usize),
        h: (usize, usize),
    ) -> ((u64, u64), (u64, u64)) {
        self.windows_w(p0, np, d, h, (0, self.out[2]))
    }

    /// The same for a box of columns `w = (w0, count)` too.
    fn windows_w(
        &self,
        p0: usize,
        np: usize,
        d: (usize, usize),
        h: (usize, usize),
        w: (usize, usize),
    ) -> ((u64, u64), (u64, u64)) {
        let c = self.channels;
        let (n0, n1) = ((p0 / c) as u64, ((p0 + np - 1) / c) as u64);
        let (c_lo, c_hi) = if n0 == n1 {
            ((p0 % c) as u64, ((p0 + np - 1) % c) as u64)
        } else {
            (0, c as u64 - 1)
        };
        let (d0, nd) = d;
        let (h0, nh) = h;
        let (id_lo, id_hi) = self.span_d.range(d0..d0 + nd);
        let (ih_lo, ih_hi) = self.span_h.range(h0..h0 + nh);
        let (iw_lo, iw_hi) = self.span_w.range(w.0..w.0 + w.1);
        let s = self.src;
        let src = (
            n0 * s.n + c_lo * s.c + id_lo * s.d + ih_lo * s.h + iw_lo * s.w,
            n1 * s.n + c_hi * s.c + id_hi * s.d + ih_hi * s.h + iw_hi * s.w + 1,
        );
        let t = self.dst;
        let (d0, d1, h0, h1) = (
            d0 as u64,
            (d0 + nd - 1) as u64,
            h0 as u64,
            (h0 + nh - 1) as u64,
        );
        let (w0, w1) = (w.0 as u64, (w.0 + w.1 - 1) as u64);
        let dst = (
            n0 * t.n + c_lo * t.c + d0 * t.d + h0 * t.h + w0 * t.w,
            n1 * t.n + c_hi * t.c + d1 * t.d + h1 * t.h + w1 * t.w + 1,
        );
        (src, dst)
    }
}

fn ceil_div(a: usize, b: usize) -> usize {
    a.div_ceil(b.max(1))
}

/// Split `pass` over `planes` planes (`channels` per batch item) into chunks; with
/// `max_rows`, no chunk covers more than that many outputs along D, H, W (so that its slice
/// of the tables fits a uniform buffer).
pub fn chunks(
    pass: &Pass,
    planes: usize,
    channels: usize,
    src: Strides,
    dst: Strides,
    lim: ChunkLimits,
    max_rows: Option<[usize; 3]>,
) -> Result<Vec<Chunk>> {
    let [out_d, out_h, out_w] = pass.out_dims();
    let in_w = pass.in_dims()[2];
    let g = Layout3 {
        channels: channels.max(1),
        out: pass.out_dims(),
        src,
        dst,
        span_d: AxisSpans::new(&pass.axes[0]),
        span_h: AxisSpans::new(&pass.axes[1]),
        span_w: AxisSpans::new(&pass.axes[2]),
    };
    let maxwg = lim.max_workgroups.max(1) as usize;
    // Usable binding length once the start is rounded down to the alignment.
    let room = lim.max_binding.saturating_sub(lim.align);
    // The input binding starts at the window's first element rounded down to the alignment.
    let (off, sa) = (lim.src_offset, lim.src_align.max(1));
    let fits = |w: ((u64, u64), (u64, u64))| {
        off + w.0 .1 - (off + w.0 .0) / sa * sa <= lim.max_src_binding && w.1 .1 - w.1 .0 <= room
    };
    let full_d = (0, out_d);
    let full_h = (0, out_h);

    // Boxes: (p0, np, (d0, nd), (h0, nh)).
    let mut boxes = Vec::new();
    let mut p0 = 0;
    while p0 < planes {
        if fits(g.windows(p0, 1, full_d, full_h)) {
            // The most planes from p0 whose windows fit (window sizes grow with np).
            let (mut lo, mut hi) = (1, planes - p0);
            while lo < hi {
                let mid = lo + (hi - lo).div_ceil(2);
                if fits(g.windows(p0, mid, full_d, full_h)) {
                    lo = mid;
                } else {
                    hi = mid - 1;
                }
            }
            for d0 in (0..out_d).step_by(maxwg) {
                for h0 in (0..out_h).step_by(maxwg) {
                    boxes.push((
                        p0,
                        lo,
                        (d0, maxwg.min(out_d - d0)),
                        (h0, maxwg.min(out_h - h0)),
                    ));
                }
            }
            p0 += lo;
            continue;
        }
        // A plane alone is too large: as many depths, then rows, as fit.
        let mut d0 = 0;
        while d0 < out_d {
            let mut nd = 0;
            while d0 + nd < out_d
                && nd < maxwg
                && out_h <= maxwg
                && fits(g.windows(p0, 1, (d0, nd + 1), full_h))
            {
                nd += 1;
            }
            if nd > 0 {
                boxes.push((p0, 1, (d0, nd), full_h));
                d0 += nd;
                continue;
            }
            let mut h0 = 0;
            while h0 < out_h {
                let mut nh = 0;
                while h0 + nh < out_h && nh < maxwg && fits(g.windows(p0, 1, (d0, 1), (h0, nh + 1)))
                {
                    nh += 1;
                }
                if nh == 0 {
                    return Err(Error::limit(
                        "max_storage_buffer_binding_size",
                        format!(
                            "one output row of {out_w} elements and the {in_w}-element input rows it \
                             reads do not fit a binding of {} elements",
                            lim.max_src_binding.min(lim.max_binding)
                        ),
                    ));
                }
                boxes.push((p0, 1, (d0, 1), (h0, nh)));
                h0 += nh;
            }
            d0 += 1;
        }
        p0 += 1;
    }

    let [md, mh, mw] = max_rows.unwrap_or([usize::MAX; 3]).map(|m| m.max(1));
    // One plane per invocation: the x grid is exact (ONE_PLANE_COLUMNS per workgroup).
    // With one plane per invocation, chunks of whole fours of columns where a row is split
    // (the window kernels then store aligned vec4s: resampler.rs, `vec4_stores`).
    let mw = if lim.one_plane {
        let mw = mw.min(maxwg * ONE_PLANE_COLUMNS);
        if mw >= 8 {
            mw / 4 * 4
        } else {
            mw
        }
    } else {
        mw
    };
    // Lanes per row, the same for every chunk of the pass (it is a pipeline constant): the
    // fewest (a power of two, 8..64) whose columns cover a row.
    let lanes = ceil_div(out_w.min(mw), COLS)
        .next_power_of_two()
        .clamp(8, WORKGROUP_X);
    let split = |(a0, n): (usize, usize), m: usize| {
        (a0..a0 + n).step_by(m).map(move |s| (s, m.min(a0 + n - s)))
    };
    let mut out = Vec::with_capacity(boxes.len());
    for (p0, np, dr, hr) in boxes {
        for (d0, nd) in split(dr, md) {
            // With one plane per invocation: z = planes x depths within the limit, one batch
            // index per chunk, and one plane when there are several depths.
            let plane_ranges: Vec<(usize, usize)> = if lim.one_plane {
                let mp = if nd > 1 { 1 } else { maxwg };
                // With one channel, consecutive planes are consecutive batch items.
                let c = if channels <= 1 { usize::MAX } else { channels };
                let mut v = Vec::new();
                let mut q = p0;
                while q < p0 + np {
                    let end = (p0 + np).min((q / c + 1).saturating_mul(c)).min(q + mp);
                    v.push((q, end - q));
                    q = end;
                }
                v
            } else {
                vec![(p0, np)]
            };
            for (p0, np) in plane_ranges {
                for (h0, nh) in split(hr, mh) {
                    for (w0, nw) in split((0, out_w), mw) {
                        out.push(finish_chunk(
                            &g,
                            maxwg,
                            lim.one_plane.then_some(lanes),
                            (p0, np),
                            (d0, nd),
                            (h0, nh),
                            (w0, nw),
                        ));
                    }
                }
            }
        }
    }
    Ok(out)
}

#[allow(clippy::too_many_arguments)]
fn finish_chunk(
    g: &Layout3,
    maxwg: usize,
    one_plane: Option<usize>,
    (p0, np): (usize, usize),
    (d0, nd): (usize, usize),
    (h0, nh): (usize, usize),
    (w0, nw): (usize, usize),
) -> Chunk {
    {
        let ((s0, s1), (t0, t1)) = g.windows_w(p0, np, (d0, nd), (h0, nh), (w0, nw));
        let spatial = nd * nh * nw;
        let groups = if one_plane.is_some() {
            np
        } else {
            ceil_div(TARGET_INVOCATIONS, spatial)
                .clamp(1, np)
                .min((maxwg / nd).max(1))
        };
        let plane_group = ceil_div(np, groups);
        let groups = ceil_div(np, plane_group);
        let lanes = one_plane.unwrap_or(WORKGROUP_X);
        let lane_shift = lanes.trailing_zeros();
        Chunk {
            p0,
            np,
            d0,
            nd,
            h0,
            nh,
            w0,
            nw,
            src_start: s0,
            src_len: s1 - s0,
            dst_start: t0,
            dst_len: t1 - t0,
            plane_group,
            groups,
            lane_shift,
            workgroups_y: if one_plane.is_some() {
                ceil_div(nh, WORKGROUP_X / lanes) as u32
            } else {
                nh as u32
            },
            workgroups_x: if one_plane.is_some() {
                ceil_div(nw, lanes * COLS) as u32
            } else {
                ceil_div(nw, WORKGROUP_X * columns_per_invocation(plane_group)).min(maxwg) as u32
            },
        }
    }
}

/// Columns each invocation loops over (the kernel's x loop is grid-stride): enough that an
/// invocation computes about 64 outputs, since on lavapipe an invocation's set-up (parameters,
/// hoisted taps) costs as much as several outputs (measured: -20% to -25% kernel time on the
/// 2-D upsampling workloads against one column per invocation).
fn columns_per_invocation(plane_group: usize) -> usize {
    64usize.div_ceil(plane_group.max(1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::options::{Mode, Options};
    use crate::plan::{DType, Plan};

    /// The O(1) span of a range of outputs equals the scan over its outputs, for forward and
    /// backward (transposed) tables of every mode family, some with outputs nothing reaches.
    #[test]
    fn range_spans_match_the_scan() {
        let cases = [
            (Mode::Bicubic, vec![1, 1, 9, 13], vec![20, 5], true),
            (Mode::Nearest, vec![1, 1, 17, 3], vec![5, 11], false),
            (Mode::Area, vec![1, 1, 10, 7], vec![3, 7], false),
            (Mode::Bilinear, vec![1, 1, 31, 8], vec![6, 19], true),
            (
                Mode::NearestExact,
                vec![1, 1, 2, 9, 4],
                vec![5, 3, 12],
                false,
            ),
        ];
        for (mode, shape, size, aa) in cases {
            let g = Options::new(mode)
                .size(size)
                .antialias(aa)
                .resolve(&shape)
                .unwrap();
            for (forward, plan) in [
                (true, Plan::forward(&g, DType::F32)),
                (false, Plan::backward_of(&g)),
            ] {
                for pass in &plan.passes {
                    for t in &pass.axes {
                        let s = AxisSpans::new(t);
                        // Forward tables take the O(1) path (so it is what this checks).
                        assert!(s.monotone || !forward, "{mode:?}");
                        for a in 0..=t.out_len {
                            for b in a..=t.out_len {
                                let want = if a == b {
                                    (0, 0)
                                } else {
                                    let (lo, hi) = t.input_span(a..b);
                                    // input_span skips outputs with no taps; the spans
                                    // count them as index 0 (the window then covers it).
                                    let empty = (a..b).any(|o| t.count[o] == 0);
                                    (if empty { 0 } else { lo } as u64, hi as u64)
                                };
                                assert_eq!(s.range(a..b), want, "{mode:?} {a}..{b}");
                            }
                        }
                    }
                }
            }
        }
    }

    fn covered(pass: &Pass, planes: usize, lim: ChunkLimits) -> Vec<Chunk> {
        let c = 2.min(planes);
        let cs = chunks(
            pass,
            planes,
            c,
            Strides::contiguous(c, pass.in_dims()),
            Strides::contiguous(c, pass.out_dims()),
            lim,
            Some([2, 3, 5]),
        )
        .unwrap();
        let cl = chunks(
            pass,
            planes,
            c,
            Strides::channels_last(c, pass.in_dims()),
            Strides::channels_last(c, pass.out_dims()),
            lim,
            None,
        )
        .unwrap();
        for ch in &cl {
            assert!(
                ch.src_len + lim.align <= lim.max_binding
                    && ch.dst_len + lim.align <= lim.max_binding,
                "{ch:?}"
            );
        }
        let [od, oh, ow] = pass.out_dims();
        let mut seen = vec![0u8; planes * od * oh * ow];
        for c in &cs {
            assert!(c.src_len + lim.align <= lim.max_binding, "{c:?}");
            assert!(c.dst_len + lim.align <= lim.max_binding, "{c:?}");
            assert!(c.nh <= lim.max_workgroups as usize && c.nh <= 3 && c.nd <= 2 && c.nw <= 5);
            assert!(c.groups * c.nd <= lim.max_workgroups as usize);
            for p in c.p0..c.p0 + c.np {
                for d in c.d0..c.d0 + c.nd {
                    for h in c.h0..c.h0 + c.nh {
                        for w in c.w0..c.w0 + c.nw {
                            seen[((p * od + d) * oh + h) * ow + w] += 1;
                        }
                    }
                }
            }
        }
        assert!(seen.iter().all(|&s| s == 1), "every output exactly once");
        cs
    }

    #[test]
    fn small_tensor_is_one_chunk() {
        let g = Options::new(Mode::Bilinear)
            .size([8, 8])
            .resolve(&[2, 3, 4, 4])
            .unwrap();
        let plan = Plan::forward(&g, DType::F32);
        let lim = ChunkLimits {
            max_binding: 1 << 25,
            max_src_binding: 1 << 25,
            src_align: 64,
            src_offset: 0,
            one_plane: false,
            align: 64,
            max_workgroups: 65535,
        };
        let cs = chunks(
            &plan.passes[0],
            6,
            3,
            Strides::contiguous(3, [1, 4, 4]),
            Strides::contiguous(3, [1, 8, 8]),
            lim,
            None,
        )
        .unwrap();
        assert_eq!(cs.len(), 1);
        covered(&plan.passes[0], 6, lim);
    }

    #[test]
    fn large_planes_and_rows_are_split() {
        let g = Options::new(Mode::Bicubic)
            .size([40, 30])
            .resolve(&[2, 3, 20, 10])
            .unwrap();
        let plan = Plan::forward(&g, DType::F32);
        // A binding of 256 elements holds less than one output plane (1200).
        let lim = ChunkLimits {
            max_binding: 256,
            max_src_binding: 256,
            src_align: 16,
            src_offset: 0,
            one_plane: false,
            align: 16,
            max_workgroups: 7,
        };
        let cs = covered(&plan.passes[0], 6, lim);
        assert!(cs.len() > 6);
        let g = Options::new(Mode::Trilinear)
            .size([9, 5, 4])
            .resolve(&[1, 2, 4, 3, 2])
            .unwrap();
        let plan = Plan::forward(&g, DType::F32);
        covered(
            &plan.passes[0],
            2,
            ChunkLimits {
                max_binding: 64,
                max_src_binding: 64,
                src_align: 4,
                src_offset: 0,
                one_plane: false,
                align: 4,
                max_workgroups: 3,
            },
        );
        covered(
            &plan.passes[0],
            2,
            ChunkLimits {
                max_binding: 1000,
                max_src_binding: 1000,
                src_align: 4,
                src_offset: 0,
                one_plane: false,
                align: 4,
                max_workgroups: 2,
            },
        );
    }

    /// Window chunks (a small input binding, one plane per invocation): every output once,
    /// each input window within the binding once its start is aligned down, one batch item
    /// per chunk (with several channels), one plane when several depths, an exact x grid.
    #[test]
    fn one_plane_window_chunks() {
        let cases: [(Mode, &[usize], &[usize]); 3] = [
            (Mode::Bilinear, &[3, 2, 9, 13], &[17, 29]),
            (Mode::Trilinear, &[2, 3, 5, 4, 6], &[9, 7, 11]),
            (Mode::Nearest, &[4, 1, 3, 7], &[5, 15]),
        ];
        for (mode, shape, size) in cases {
            let g = Options::new(mode)
                .size(size.iter().copied())
                .resolve(shape)
                .unwrap();
            let plan = Plan::forward(&g, DType::F32);
            let pass = &plan.passes[0];
            let (n, c) = (shape[0], shape[1]);
            for src_offset in [0, 3, 8] {
                let lim = ChunkLimits {
                    max_binding: 1 << 20,
                    align: 4,
                    max_src_binding: 64,
                    src_align: 8,
                    src_offset,
                    one_plane: true,
                    max_workgroups: 5,
                };
                let cs = chunks(
                    pass,
                    n * c,
                    c,
                    Strides::contiguous(c, pass.in_dims()),
                    Strides::contiguous(c, pass.out_dims()),
                    lim,
                    Some([4, 6, 4000]),
                )
                .unwrap();
                let [od, oh, ow] = pass.out_dims();
                let mut seen = vec![0u8; n * c * od * oh * ow];
                for ch in &cs {
                    let start = (src_offset + ch.src_start) / 8 * 8;
                    assert!(
                        src_offset + ch.src_start + ch.src_len - start <= 64,
                        "{ch:?}"
                    );
                    assert_eq!(ch.plane_group, 1);
                    assert_eq!(ch.groups, ch.np);
                    if c > 1 {
                        assert_eq!(ch.p0 / c, (ch.p0 + ch.np - 1) / c, "one n: {ch:?}");
                    }
                    assert!(ch.nd == 1 || ch.np == 1, "{ch:?}");
                    assert!(ch.np * ch.nd <= 5 && ch.nh <= 5);
                    let (wx, wy) = (ch.workgroups_x as usize, ch.workgroups_y as usize);
                    let lanes = 1usize << ch.lane_shift;
                    assert!((8..=64).contains(&lanes));
                    assert!(wx <= 5 && wx * lanes * COLS >= ch.nw, "{ch:?}");
                    assert!(wy <= 5 && wy * (64 / lanes) >= ch.nh, "{ch:?}");
                    for p in ch.p0..ch.p0 + ch.np {
                        for d in ch.d0..ch.d0 + ch.nd {
                            for h in ch.h0..ch.h0 + ch.nh {
                                for w in ch.w0..ch.w0 + ch.nw {
                                    seen[((p * od + d) * oh + h) * ow + w] += 1;
                                }
                            }
                        }
                    }
                }
                assert!(seen.iter().all(|&v| v == 1), "{mode:?}: every output once");
            }
        }
        // Input rows wider than the window: no window chunks (the pass takes the storage path).
        let g = Options::new(Mode::Nearest)
            .size([5, 1500])
            .resolve(&[4, 1, 3, 700])
            .unwrap();
        let pass = &Plan::forward(&g, DType::F32).passes[0];
        let lim = ChunkLimits {
            max_binding: 1 << 20,
            align: 4,
            max_src_binding: 64,
            src_align: 8,
            src_offset: 0,
            one_plane: true,
            max_workgroups: 5,
        };
        let s = (
            Strides::contiguous(1, pass.in_dims()),
            Strides::contiguous(1, pass.out_dims()),
        );
        assert!(chunks(pass, 4, 1, s.0, s.1, lim, None).is_err());
    }
}

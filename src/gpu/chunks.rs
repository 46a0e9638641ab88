//! Splitting one pass into dispatches that respect the adapter's limits (pure, no wgpu).
//!
//! A binding may cover at most `max_storage_buffer_binding_size` bytes (128 MiB on lavapipe)
//! and must start at a multiple of `min_storage_buffer_offset_alignment`; a dispatch may have
//! at most `max_compute_workgroups_per_dimension` workgroups per dimension. A chunk is a box
//! of output planes x depths x rows; its input window is derived from the tables, so a chunk
//! binds only the input it reads.

use crate::error::{Error, Result};
use crate::plan::{AxisTable, Pass};

/// The limits that shape the chunks (a subset of `wgpu::Limits`, in elements where noted).
#[derive(Clone, Copy, Debug)]
pub struct ChunkLimits {
    /// Largest binding, in elements.
    pub max_binding: u64,
    /// Binding offset alignment, in elements.
    pub align: u64,
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
    /// Input window read by the chunk: first element and length (the binding rounds the start
    /// down to the alignment, which the limit leaves room for).
    pub src_start: u64,
    pub src_len: u64,
    pub dst_start: u64,
    pub dst_len: u64,
    pub plane_group: usize,
    pub groups: usize,
    pub workgroups_x: u32,
}

/// Invocations one dispatch aims for (enough to fill a large GPU); each invocation loops over
/// `plane_group` planes sharing its table lookups.
const TARGET_INVOCATIONS: usize = 1 << 18;
pub const WORKGROUP_X: usize = 64;

/// Per-output (lowest, highest) input index of an axis.
fn spans(t: &AxisTable) -> Vec<(usize, usize)> {
    (0..t.out_len).map(|o| t.input_span(o..o + 1)).collect()
}

struct Geometry3 {
    in_d: usize,
    in_h: usize,
    in_w: usize,
    out_d: usize,
    out_h: usize,
    out_w: usize,
    span_d: Vec<(usize, usize)>,
    span_h: Vec<(usize, usize)>,
}

impl Geometry3 {
    fn in_plane(&self) -> u64 {
        (self.in_d * self.in_h * self.in_w) as u64
    }
    fn out_plane(&self) -> u64 {
        (self.out_d * self.out_h * self.out_w) as u64
    }
    /// Input and output windows `[start, end)` of a box.
    fn windows(
        &self,
        p0: usize,
        np: usize,
        d: (usize, usize),
        h: (usize, usize),
    ) -> ((u64, u64), (u64, u64)) {
        let (d0, nd) = d;
        let (h0, nh) = h;
        let lo_d = self.span_d[d0..d0 + nd]
            .iter()
            .map(|s| s.0)
            .min()
            .unwrap_or(0) as u64;
        let hi_d = self.span_d[d0..d0 + nd]
            .iter()
            .map(|s| s.1)
            .max()
            .unwrap_or(0) as u64;
        let lo_h = self.span_h[h0..h0 + nh]
            .iter()
            .map(|s| s.0)
            .min()
            .unwrap_or(0) as u64;
        let hi_h = self.span_h[h0..h0 + nh]
            .iter()
            .map(|s| s.1)
            .max()
            .unwrap_or(0) as u64;
        let (ih, iw) = (self.in_h as u64, self.in_w as u64);
        let src_start = p0 as u64 * self.in_plane() + (lo_d * ih + lo_h) * iw;
        let src_end = (p0 + np - 1) as u64 * self.in_plane() + (hi_d * ih + hi_h) * iw + iw;
        let (oh, ow) = (self.out_h as u64, self.out_w as u64);
        let dst_start = p0 as u64 * self.out_plane() + (d0 as u64 * oh + h0 as u64) * ow;
        let dst_end = (p0 + np - 1) as u64 * self.out_plane()
            + ((d0 + nd - 1) as u64 * oh + (h0 + nh) as u64) * ow;
        ((src_start, src_end), (dst_start, dst_end))
    }
}

fn ceil_div(a: usize, b: usize) -> usize {
    a.div_ceil(b.max(1))
}

/// Split `pass` over `planes` planes into chunks.
pub fn chunks(pass: &Pass, planes: usize, lim: ChunkLimits) -> Result<Vec<Chunk>> {
    let [in_d, in_h, in_w] = pass.in_dims();
    let [out_d, out_h, out_w] = pass.out_dims();
    let g = Geometry3 {
        in_d,
        in_h,
        in_w,
        out_d,
        out_h,
        out_w,
        span_d: spans(&pass.axes[0]),
        span_h: spans(&pass.axes[1]),
    };
    let maxwg = lim.max_workgroups.max(1) as usize;
    // Usable binding length once the start is rounded down to the alignment.
    let room = lim.max_binding.saturating_sub(lim.align);
    let fits = |w: ((u64, u64), (u64, u64))| w.0 .1 - w.0 .0 <= room && w.1 .1 - w.1 .0 <= room;

    // Boxes: (p0, np, (d0, nd), (h0, nh)).
    let mut boxes = Vec::new();
    if g.in_plane() <= room && g.out_plane() <= room {
        let per = ((room / g.in_plane().max(1)).min(room / g.out_plane().max(1)) as usize)
            .clamp(1, planes);
        for p0 in (0..planes).step_by(per) {
            let np = per.min(planes - p0);
            for d0 in (0..out_d).step_by(maxwg) {
                for h0 in (0..out_h).step_by(maxwg) {
                    boxes.push((
                        p0,
                        np,
                        (d0, maxwg.min(out_d - d0)),
                        (h0, maxwg.min(out_h - h0)),
                    ));
                }
            }
        }
    } else {
        // A plane alone is too large: one plane at a time, as many depths, then rows, as fit.
        for p0 in 0..planes {
            let mut d0 = 0;
            while d0 < out_d {
                let mut nd = 0;
                while d0 + nd < out_d
                    && nd < maxwg
                    && out_h <= maxwg
                    && fits(g.windows(p0, 1, (d0, nd + 1), (0, out_h)))
                {
                    nd += 1;
                }
                if nd > 0 {
                    boxes.push((p0, 1, (d0, nd), (0, out_h)));
                    d0 += nd;
                    continue;
                }
                let mut h0 = 0;
                while h0 < out_h {
                    let mut nh = 0;
                    while h0 + nh < out_h
                        && nh < maxwg
                        && fits(g.windows(p0, 1, (d0, 1), (h0, nh + 1)))
                    {
                        nh += 1;
                    }
                    if nh == 0 {
                        return Err(Error::limit(
                            "max_storage_buffer_binding_size",
                            format!(
                                "one output row of {out_w} elements and the {in_w}-element input rows \
                                 it reads do not fit a binding of {} elements",
                                lim.max_binding
                            ),
                        ));
                    }
                    boxes.push((p0, 1, (d0, 1), (h0, nh)));
                    h0 += nh;
                }
                d0 += 1;
            }
        }
    }

    let mut out = Vec::with_capacity(boxes.len());
    for (p0, np, (d0, nd), (h0, nh)) in boxes {
        let ((s0, s1), (t0, t1)) = g.windows(p0, np, (d0, nd), (h0, nh));
        let spatial = nd * nh * out_w;
        let groups = ceil_div(TARGET_INVOCATIONS, spatial)
            .clamp(1, np)
            .min((maxwg / nd).max(1));
        let plane_group = ceil_div(np, groups);
        let groups = ceil_div(np, plane_group);
        out.push(Chunk {
            p0,
            np,
            d0,
            nd,
            h0,
            nh,
            src_start: s0,
            src_len: s1 - s0,
            dst_start: t0,
            dst_len: t1 - t0,
            plane_group,
            groups,
            workgroups_x: ceil_div(out_w, WORKGROUP_X).min(maxwg) as u32,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::options::{Mode, Options};
    use crate::plan::{DType, Plan};

    fn covered(pass: &Pass, planes: usize, lim: ChunkLimits) -> Vec<Chunk> {
        let cs = chunks(pass, planes, lim).unwrap();
        let [od, oh, ow] = pass.out_dims();
        let mut seen = vec![0u8; planes * od * oh * ow];
        for c in &cs {
            assert!(c.src_len + lim.align <= lim.max_binding, "{c:?}");
            assert!(c.dst_len + lim.align <= lim.max_binding, "{c:?}");
            assert!(c.nh <= lim.max_workgroups as usize);
            assert!(c.groups * c.nd <= lim.max_workgroups as usize);
            for p in c.p0..c.p0 + c.np {
                for d in c.d0..c.d0 + c.nd {
                    for h in c.h0..c.h0 + c.nh {
                        for w in 0..ow {
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
            align: 64,
            max_workgroups: 65535,
        };
        assert_eq!(covered(&plan.passes[0], 6, lim).len(), 1);
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
                align: 4,
                max_workgroups: 3,
            },
        );
        covered(
            &plan.passes[0],
            2,
            ChunkLimits {
                max_binding: 1000,
                align: 4,
                max_workgroups: 2,
            },
        );
    }
}

//! The CPU twin of shaders/strips/: runs a [`StripsPass`] over f32 buffers exactly as the
//! kernels do, dispatch by dispatch from the same parameters and bindings (reads past a
//! binding give 0, as the kernels read no taps there), so that the planner is tested
//! against the reference without a GPU.

use super::plan::{Shape, StripsPass, NO_TAP, POISON};

/// Element `i` of a binding `(start, len)` of `buf`, 0 past it.
fn at(buf: &[f32], (start, len): (u64, u64), i: u32) -> f32 {
    let i = u64::from(i);
    if i < len {
        buf.get((start + i) as usize).copied().unwrap_or(0.0)
    } else {
        0.0
    }
}

/// `w * x`, exactly 0 where `w` marks no tap, `+ x * 0` where it is poisoned
/// (shaders/strips/weights.wgsl `tap`).
pub(super) fn tap(w: u32, x: f32) -> f32 {
    if w == NO_TAP {
        0.0
    } else if w & POISON != 0 {
        f32::from_bits(w) * x + x * 0.0
    } else {
        f32::from_bits(w) * x
    }
}

/// Run `plan` from `src` (tensor at element `src_offset`) into `dst` (at `dst_offset`).
pub fn run(plan: &StripsPass, src: &[f32], src_offset: u64, dst: &mut [f32], dst_offset: u64) {
    for d in &plan.dispatches {
        let p = plan.params(d, src_offset, dst_offset);
        let mut store = |i: u32, v: f32| {
            let i = u64::from(i);
            assert!(i < d.dst.1, "store {i} past the binding of {}", d.dst.1);
            dst[(d.dst.0 + i) as usize] = v;
        };
        // The kernels' u32 arithmetic, which wraps.
        let (add, mul) = (u32::wrapping_add, u32::wrapping_mul);
        for group in 0..p.groups {
            let record = 4 * (p.records + group) as usize;
            let start = plan.table[record];
            let weights = 4 * plan.table[record + 1] as usize;
            let w = |s: u32, j: u32| plan.table[weights + 4 * s as usize + j as usize];
            let last = p.out_len - 1;
            match plan.shape {
                Shape::Row { channels: c_n } => {
                    for row in 0..p.count {
                        let e = add(add(p.src_base, mul(row, p.src_step)), mul(start, c_n));
                        let out = add(p.dst_base, mul(row, p.dst_step));
                        for c in 0..c_n {
                            for j in 0..4 {
                                let v: f32 = (0..plan.span)
                                    .map(|s| tap(w(s, j), at(src, d.src, add(e, s * c_n + c))))
                                    .sum();
                                store(add(out, (4 * group + j).min(last) * c_n + c), v);
                            }
                        }
                    }
                }
                Shape::Line | Shape::Tile => {
                    for outer in 0..p.count {
                        let src0 = add(
                            add(p.src_base, mul(outer, p.src_step)),
                            mul(start, p.src_line),
                        );
                        let dst0 = add(p.dst_base, mul(outer, p.dst_step));
                        for i in 0..p.inner {
                            for j in 0..4 {
                                let v: f32 = (0..plan.span)
                                    .map(|s| {
                                        let x = at(src, d.src, add(src0, s * p.src_line + i));
                                        tap(w(s, j), x)
                                    })
                                    .sum();
                                let line = (4 * group + j).min(last);
                                store(add(dst0, mul(line, p.dst_line) + i), v);
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Run a tile plan as shaders/strips/tile_main.wgsl does (`round_mid`: FLAG_ROUND_MID).
pub fn run_tile(
    plan: &super::tile::TilePass,
    round_mid: bool,
    src: &[f32],
    src_offset: u64,
    dst: &mut [f32],
    dst_offset: u64,
) {
    let (add, mul) = (u32::wrapping_add, u32::wrapping_mul);
    let word = |v: u32, i: u32| plan.table[(4 * v + i) as usize];
    for d in &plan.dispatches {
        let p = plan.params(d, src_offset, dst_offset);
        let cols = plan.cols;
        let lanes_w = p.groups_w.div_ceil(cols / 4);
        for plane in 0..p.planes {
            for cl in p.lane0..p.lane0 + lanes_w {
                let (start_w, wblock) = (word(p.records_w + cl, 0), word(p.records_w + cl, 1));
                for rg in 0..p.groups_h {
                    let (start_h, hblock) = (word(p.records_h + rg, 0), word(p.records_h + rg, 1));
                    let mut acc = [[0.0f32; 8]; 4];
                    for r in 0..p.span_h {
                        let e = add(
                            add(p.src_base, mul(plane, p.src_plane)),
                            add(start_w, mul(start_h + r, p.src_row)),
                        );
                        let mut u = [0.0f32; 8];
                        let n = cols / 4;
                        for (j, u) in u.iter_mut().enumerate().take(cols as usize) {
                            let (half, jj) = (j as u32 / 4, j as u32 % 4);
                            *u = (0..plan.span)
                                .map(|s| {
                                    let w = word(wblock + n * s + half, jj);
                                    tap(w, at(src, d.src, add(e, s)))
                                })
                                .sum();
                            if round_mid {
                                *u = (*u + 0.5).floor().clamp(0.0, 255.0);
                            }
                        }
                        for (i, row) in acc.iter_mut().enumerate() {
                            for (j, a) in row.iter_mut().enumerate().take(cols as usize) {
                                *a += tap(word(hblock + r, i as u32), u[j]);
                            }
                        }
                    }
                    for (i, row) in acc.iter().enumerate() {
                        let out = add(
                            add(p.dst_base, mul(plane, p.dst_plane)),
                            mul((4 * rg + i as u32).min(p.out_h - 1), p.dst_row),
                        );
                        for (j, v) in row.iter().enumerate().take(cols as usize) {
                            let c = cl * cols + j as u32;
                            if c >= p.out_w && j >= 4 {
                                continue;
                            }
                            let at = u64::from(add(out, c.min(p.out_w - 1)));
                            assert!(at < d.dst.1, "store past the binding");
                            dst[(d.dst.0 + at) as usize] = *v;
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::plan::{plan, GroupTable, Limits, Side, ROW_SPANS};
    use super::*;
    use crate::options::{Mode, Options};
    use crate::plan::{DType, Plan};

    /// SplitMix64.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        }
        fn range(&mut self, lo: usize, hi: usize) -> usize {
            lo + (self.next() % (hi - lo + 1) as u64) as usize
        }
    }

    /// Groups of outputs without taps (an ONNX crop's extrapolated outputs, a gradient's
    /// unread inputs) keep the extents non-decreasing: the bindings end at the last group's
    /// last tap, which must not fall below an earlier group's (it once did, and the kernels
    /// read zeros past the binding's end).
    #[test]
    fn groups_without_taps_keep_extents_non_decreasing() {
        let t = crate::tables::AxisTable::build(11, 12, |o, row| {
            if o < 6 {
                row.push((o + 3, 0.5));
                row.push(((o + 4).min(10), 0.5));
            }
        });
        let g = GroupTable::build(&t, 1, &ROW_SPANS).unwrap();
        assert_eq!(g.extents.len(), 3);
        for w in g.extents.windows(2) {
            assert!(w[0].0 <= w[1].0 && w[0].1 <= w[1].1, "{:?}", g.extents);
        }
        assert_eq!(g.extents[2], g.extents[1]);
    }

    /// Random single-axis passes (forward and backward, every mode, both layouts, small
    /// binding limits that force several dispatches): the twin of the kernels gives the
    /// reference's gather within f32 rounding.
    #[test]
    fn twin_matches_the_reference_gather() {
        let mut rng = Rng(7);
        let modes = [
            Mode::Nearest,
            Mode::NearestExact,
            Mode::Bilinear,
            Mode::Bicubic,
            Mode::Area,
        ];
        let mut ran = 0;
        for case in 0..400 {
            let mode = modes[case % modes.len()];
            let (n, c) = (rng.range(1, 2), rng.range(1, 5));
            let (h, w) = (rng.range(1, 13), rng.range(1, 19));
            let size = [rng.range(1, 17), rng.range(1, 23)];
            let aa = matches!(mode, Mode::Bilinear | Mode::Bicubic) && rng.range(0, 2) == 0;
            let o = Options::new(mode).size(size).antialias(aa);
            let Ok(g) = o.resolve(&[n, c, h, w]) else {
                continue;
            };
            let full = if rng.range(0, 1) == 0 {
                Plan::forward(&g, DType::F32)
            } else {
                Plan::backward_of(&g)
            };
            let split = full.split_heavy_passes(|_| 0);
            let last = rng.range(0, 1) == 1;
            let offsets = (
                4 * rng.range(0, 3) as u64 + rng.range(0, 3) as u64,
                rng.range(0, 9) as u64,
            );
            let limits = Limits {
                max_binding: [64, 300, 1 << 20][rng.range(0, 2)],
                align: 8,
                max_workgroups: 65535,
            };
            for pass in &split.passes {
                let planes = split.planes;
                let in_len = planes * pass.in_dims().iter().product::<usize>();
                let out_len = planes * pass.out_dims().iter().product::<usize>();
                let words = |len: usize, off: u64| (len as u64 + off).div_ceil(4) * 4;
                let s = Side {
                    offset: offsets.0,
                    words: words(in_len, offsets.0),
                    channels_last: last,
                };
                let d = Side {
                    offset: offsets.1,
                    words: words(out_len, offsets.1),
                    channels_last: last,
                };
                let Some(p) = plan(pass, planes, c, s, d, limits) else {
                    continue;
                };
                ran += 1;
                // The reference in NCDHW; the twin in the pass's layout.
                let x: Vec<f64> = (0..in_len)
                    .map(|i| ((i * 7919) % 97) as f64 / 97.0 - 0.5)
                    .collect();
                let want = crate::reference::gather::apply(pass, planes, &x).unwrap_or_default();
                let lay = |v: &[f64], dims: [usize; 3]| -> Vec<f64> {
                    if !last {
                        return v.to_vec();
                    }
                    let sp: usize = dims.iter().product();
                    let mut o = vec![0.0; v.len()];
                    for b in 0..planes / c {
                        for ch in 0..c {
                            for i in 0..sp {
                                o[(b * sp + i) * c + ch] = v[(b * c + ch) * sp + i];
                            }
                        }
                    }
                    o
                };
                let xs = lay(&x, pass.in_dims());
                let mut src = vec![0.0f32; s.words as usize];
                for (i, v) in xs.iter().enumerate() {
                    src[offsets.0 as usize + i] = *v as f32;
                }
                let mut dst = vec![f32::NAN; d.words as usize];
                run(&p, &src, offsets.0, &mut dst, offsets.1);
                let want = lay(&want, pass.out_dims());
                let shape = [n, c, h, w];
                for (i, want) in want.iter().enumerate() {
                    let got = dst[offsets.1 as usize + i] as f64;
                    assert!(
                        (got - want).abs() <= 1e-5 * want.abs().max(1.0),
                        "case {case} {o:?} on {shape:?} (last {last}, offsets {offsets:?}): \
                         pass {:?} -> {:?}: element {i}: {got} vs {want}\n{:?}\n{:?}",
                        pass.in_dims(),
                        pass.out_dims(),
                        p.dispatches,
                        (
                            p.shape,
                            p.span,
                            p.aligned,
                            p.geometry,
                            &p.table[..16.min(p.table.len())]
                        )
                    );
                }
            }
        }
        assert!(ran > 200, "only {ran} passes planned");
    }

    /// Random 2-D passes (torch's 2-D kernels, forward and backward, small binding limits)
    /// on the tile kernel's twin against the reference gather.
    #[test]
    fn tile_twin_matches_the_reference_gather() {
        let mut rng = Rng(11);
        let modes = [
            Mode::Nearest,
            Mode::Bilinear,
            Mode::Bicubic,
            Mode::NearestExact,
        ];
        let mut ran = 0;
        for case in 0..300 {
            let mode = modes[case % modes.len()];
            let (n, c) = (rng.range(1, 2), rng.range(1, 3));
            let (h, w) = (rng.range(1, 13), rng.range(1, 19));
            let size = [rng.range(1, 17), rng.range(1, 23)];
            let o = Options::new(mode).size(size);
            let Ok(g) = o.resolve(&[n, c, h, w]) else {
                continue;
            };
            let full = if rng.range(0, 1) == 0 {
                Plan::forward(&g, DType::F32)
            } else {
                Plan::backward_of(&g)
            };
            let Some(pass) = full.passes.first() else {
                continue;
            };
            let planes = full.planes;
            let offsets = (
                4 * rng.range(0, 3) as u64,
                4 * rng.range(0, 2) as u64 + rng.range(0, 1) as u64,
            );
            let limits = Limits {
                max_binding: [128, 600, 1 << 20][rng.range(0, 2)],
                align: 8,
                max_workgroups: 65535,
            };
            let in_len = planes * pass.in_dims().iter().product::<usize>();
            let out_len = planes * pass.out_dims().iter().product::<usize>();
            let words = |len: usize, off: u64| (len as u64 + off).div_ceil(4) * 4;
            let side = |offset, len| Side {
                offset,
                words: words(len, offset),
                channels_last: false,
            };
            let Some(t) = super::super::tile::plan(
                pass,
                planes,
                side(offsets.0, in_len),
                side(offsets.1, out_len),
                limits,
            ) else {
                continue;
            };
            ran += 1;
            let x: Vec<f64> = (0..in_len)
                .map(|i| ((i * 7919) % 97) as f64 / 97.0 - 0.5)
                .collect();
            let want = crate::reference::gather::apply(pass, planes, &x).unwrap_or_default();
            let mut src = vec![0.0f32; words(in_len, offsets.0) as usize];
            for (i, v) in x.iter().enumerate() {
                src[offsets.0 as usize + i] = *v as f32;
            }
            let mut dst = vec![f32::NAN; words(out_len, offsets.1) as usize];
            run_tile(&t, false, &src, offsets.0, &mut dst, offsets.1);
            for (i, want) in want.iter().enumerate() {
                let got = dst[offsets.1 as usize + i] as f64;
                assert!(
                    (got - want).abs() <= 1e-5 * want.abs().max(1.0),
                    "case {case} {o:?} on {:?} offsets {offsets:?}: element {i}: {got} vs {want}",
                    [n, c, h, w]
                );
            }
        }
        assert!(ran > 100, "only {ran} passes planned");
    }
}

//! The gather kernels (shaders/gather/): the family of real GPUs, and of passes the strips
//! kernels do not take. One invocation makes one output position of several planes, reading
//! each tap through the per-axis tables (a uniform binding where a dispatch's table rows fit
//! 64 KiB, a storage binding otherwise); a pass is cut into chunks that fit the device's
//! limits (`chunks`).

pub(crate) mod chunks;
mod tables;

use self::tables::{Placement, TablePlacer};
use super::encode::{bind, output_flags, Operand};
use super::pipelines::{bind_group, GatherKey, GatherKind, UNIFORM_TABLE_BYTES};
use super::recording::Recording;
use super::tensor::Strides;
use super::Resampler;
use crate::error::{Error, Result};
use crate::options::Clamp;
use crate::plan::Pass;

crate::gpu::uniform_struct! {
    /// `Params` of shaders/gather/params.wgsl (see there).
    pub(crate) struct Params {
        pub out_w: u32,
        pub out_h: u32,
        pub out_d: u32,
        pub channels: u32,
        pub s_n: u32,
        pub s_c: u32,
        pub s_d: u32,
        pub s_h: u32,
        pub s_w: u32,
        pub t_n: u32,
        pub t_c: u32,
        pub t_d: u32,
        pub t_h: u32,
        pub t_w: u32,
        pub src_base: u32,
        pub dst_base: u32,
        pub p0: u32,
        pub planes: u32,
        pub plane_group: u32,
        pub h0: u32,
        pub d0: u32,
        pub d_count: u32,
        pub flags: u32,
        pub taps_d: u32,
        pub taps_h: u32,
        pub taps_w: u32,
        pub tab_d: u32,
        pub tab_h: u32,
        pub tab_w: u32,
        pub clamp_min: f32,
        pub clamp_max: f32,
        pub w0: u32,
        pub w_count: u32,
        pub rows_d: u32,
        pub rows_h: u32,
        pub _pad0: u32,
    }
}

/// How the gather kernels run a pass: the pipeline (kind and fixed tap counts) and the
/// chunks.
pub(crate) struct PassLayout {
    pub kind: GatherKind,
    pub taps: [u32; 3],
    pub chunks: Vec<chunks::Chunk>,
}

/// Words per axis of a chunk's table slice in the uniform buffer (64 KiB = 16384 words).
const TABLE_BUDGET: [usize; 3] = [2048, 6144, 8192];

fn u32_of(v: usize, what: &'static str) -> Result<u32> {
    u32::try_from(v).map_err(|_| {
        Error::limit(
            what,
            format!("{v} does not fit the kernel's 32-bit index arithmetic"),
        )
    })
}

impl Resampler {
    /// The gather pipeline and chunks of `pass`. Tables go to a uniform binding where every
    /// axis' rows fit its share of 64 KiB (each chunk binding the rows it reads), else to a
    /// storage binding.
    pub(crate) fn pass_layout(
        &self,
        pass: &Pass,
        planes: usize,
        channels: usize,
        s: Strides,
        t: Strides,
    ) -> Result<PassLayout> {
        let lim = self.chunk_limits();
        let row_words = pass.axes.each_ref().map(|t| 1 + 2 * t.taps);
        let uniform = UNIFORM_TABLE_BYTES <= self.limits.max_uniform_buffer_binding_size
            && row_words.iter().zip(TABLE_BUDGET).all(|(&r, b)| r <= b);
        let max_rows = uniform.then(|| std::array::from_fn(|a| TABLE_BUDGET[a] / row_words[a]));
        // Fixed tap counts where an axis has the same count (at most 4) for every output.
        let taps = pass.axes.each_ref().map(|t| {
            let c = t.count.first().copied().unwrap_or(0);
            if c <= 4 && t.count.iter().all(|&x| x == c) {
                c
            } else {
                0
            }
        });
        let kind = if uniform {
            GatherKind::UniformTables
        } else {
            GatherKind::StorageTables
        };
        let chunks = chunks::chunks(pass, planes, channels, s, t, lim, max_rows)?;
        Ok(PassLayout { kind, taps, chunks })
    }

    /// Add one pass to `rec` on the gather kernels.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn encode_gather(
        &self,
        rec: &mut Recording,
        pass: &Pass,
        layout: &PassLayout,
        channels: usize,
        src: Operand<'_>,
        dst: Operand<'_>,
        clamp: Option<Clamp>,
    ) -> Result<()> {
        let lim = self.chunk_limits();
        let [out_d, out_h, out_w] = pass.out_dims();
        let (s, t) = (src.strides, dst.strides);
        let PassLayout {
            kind,
            taps,
            chunks: cs,
        } = layout;
        let (kind, taps) = (*kind, *taps);
        let flags = output_flags(pass, clamp);
        let key = GatherKey {
            kind,
            taps,
            unit_weights: pass.axes.iter().all(|t| t.weight.iter().all(|&w| w == 1.0)),
        };
        // Strides enter the kernel modulo 2^32; the offsets they produce inside a bound
        // window are exact because every window is smaller than 2^32 elements.
        let base = Params {
            out_w: u32_of(out_w, "output width")?,
            out_h: u32_of(out_h, "output height")?,
            out_d: u32_of(out_d, "output depth")?,
            channels: u32_of(channels, "channels")?,
            s_n: s.n as u32,
            s_c: s.c as u32,
            s_d: s.d as u32,
            s_h: s.h as u32,
            s_w: s.w as u32,
            t_n: t.n as u32,
            t_c: t.c as u32,
            t_d: t.d as u32,
            t_h: t.h as u32,
            t_w: t.w as u32,
            flags,
            taps_d: u32_of(pass.axes[0].taps, "taps")?,
            taps_h: u32_of(pass.axes[1].taps, "taps")?,
            taps_w: u32_of(pass.axes[2].taps, "taps")?,
            clamp_min: clamp.map_or(0.0, |c| c.min),
            clamp_max: clamp.map_or(0.0, |c| c.max),
            ..Default::default()
        };
        let kernel = self.pipelines.gather(&self.device, key)?;
        let uniform = kind != GatherKind::StorageTables;
        // Every chunk's Params and table slice go into one buffer each, at aligned offsets;
        // chunks that read the same table rows share a slice.
        let table_align = (self
            .uniform_align()
            .max(self.limits.min_storage_buffer_offset_alignment as u64)
            / 4) as usize;
        // Uniform tables: chunks share slices inside 64 KiB windows. Storage tables (a row
        // too long for the uniform budget): one group per chunk, bound to its own length.
        let mut tables_at = TablePlacer::new(
            table_align,
            if uniform {
                (UNIFORM_TABLE_BYTES / 4) as usize
            } else {
                0
            },
        );
        let mut params = Vec::with_capacity(cs.len());
        let mut placed = Vec::with_capacity(cs.len());
        for c in cs {
            let rows = [(c.d0, c.nd), (c.h0, c.nh), (c.w0, c.nw)];
            let Placement {
                group: at,
                offsets,
                len,
            } = tables_at.place(pass, rows)?;
            let s_abs = src.offset + c.src_start;
            let s_bind = s_abs / lim.align * lim.align;
            let t_abs = dst.offset + c.dst_start;
            let t_bind = t_abs / lim.align * lim.align;
            params.push(Params {
                tab_d: offsets[0],
                tab_h: offsets[1],
                tab_w: offsets[2],
                w0: c.w0 as u32,
                w_count: c.nw as u32,
                rows_d: c.nd as u32,
                rows_h: c.nh as u32,
                h0: c.h0 as u32,
                d0: c.d0 as u32,
                d_count: c.nd as u32,
                p0: c.p0 as u32,
                planes: c.np as u32,
                plane_group: c.plane_group as u32,
                // Offset of (n=0, c=0) relative to the window starts, modulo 2^32.
                src_base: src.offset.wrapping_sub(s_bind) as u32,
                dst_base: dst.offset.wrapping_sub(t_bind) as u32,
                ..base
            });
            if !uniform && len as u64 * 4 > self.limits.max_storage_buffer_binding_size {
                return Err(Error::limit(
                    "max_storage_buffer_binding_size",
                    format!(
                        "the taps of the outputs one dispatch makes need {} bytes of tables, \
                         more than a storage binding holds ({} bytes): an output reads too many \
                         inputs",
                        len as u64 * 4,
                        self.limits.max_storage_buffer_binding_size
                    ),
                ));
            }
            placed.push((at, len, s_abs, s_bind, t_abs, t_bind));
        }
        // Uniform table bindings are the shader's fixed 64 KiB: room after the last slice.
        let mut words = tables_at.words;
        if uniform {
            words.resize(words.len() + (UNIFORM_TABLE_BYTES / 4) as usize, 0);
        }
        let tables = self.buffer_init(
            Some("resample.tables"),
            bytemuck::cast_slice(&words),
            if uniform {
                wgpu::BufferUsages::UNIFORM
            } else {
                wgpu::BufferUsages::STORAGE
            },
        )?;
        let slots = self.param_slots("resample.params", &params)?;
        let mut dispatches = Vec::with_capacity(cs.len());
        for (i, (c, &(at, len, s_abs, s_bind, t_abs, t_bind))) in cs.iter().zip(&placed).enumerate()
        {
            let table_len = if uniform {
                UNIFORM_TABLE_BYTES / 4
            } else {
                len as u64
            };
            let src_res = bind(src.buffer, s_bind, s_abs + c.src_len - s_bind);
            let group = bind_group(
                &self.device,
                kernel.label,
                &kernel.layout,
                [
                    slots.binding(i),
                    bind(&tables, at as u64, table_len),
                    src_res,
                    bind(dst.buffer, t_bind, t_abs + c.dst_len - t_bind),
                ],
            );
            dispatches.push((
                group,
                [c.workgroups_x, c.nh as u32, (c.groups * c.nd) as u32],
            ));
        }
        rec.dispatch(&kernel, dispatches)
    }
}

#[cfg(test)]
mod tests {
    use super::tables::axis_slice;
    use super::*;
    use crate::options::{Mode, Options};
    use crate::plan::{DType, Plan};

    /// The first forward pass of `mode` from a 1 x 1 x H x W `input` to `size` (H, W).
    fn first_pass(mode: Mode, input: [usize; 2], size: [usize; 2]) -> Pass {
        let g = Options::new(mode)
            .size(size)
            .resolve(&[1, 1, input[0], input[1]])
            .unwrap_or_else(|e| panic!("{e}"));
        Plan::forward(&g, DType::F32).passes.swap_remove(0)
    }

    /// Every chunk's three slices lie inside its group's window, hold exactly that chunk's
    /// rows, and chunks reading the same column rows share the slice within a group.
    #[test]
    fn table_slices_are_shared_inside_their_window() {
        let pass = &first_pass(Mode::Bilinear, [40, 1500], [700, 3000]);
        let budget = 16384;
        let mut t = TablePlacer::new(8, budget);
        // Chunks of 7 rows over the full width, then a second column split.
        let mut chunks = Vec::new();
        for w in [(0, 3000), (0, 1500), (1500, 1500)] {
            for h0 in (0..700).step_by(7) {
                chunks.push([(0, 1), (h0, 7.min(700 - h0)), w]);
            }
        }
        let mut groups = std::collections::BTreeSet::new();
        for rows in chunks {
            let Placement {
                group: at,
                offsets: off,
                len,
            } = t.place(pass, rows).unwrap_or_else(|e| panic!("{e}"));
            assert!(len <= budget);
            assert!(at.is_multiple_of(8));
            groups.insert(at);
            for a in 0..3 {
                let mut want = Vec::new();
                axis_slice(&mut want, pass, a, rows[a]);
                let s = at + off[a] as usize;
                assert!(s + want.len() <= at + budget, "{rows:?} axis {a}");
                assert_eq!(&t.words[s..s + want.len()], &want[..], "{rows:?} axis {a}");
            }
        }
        // 300 chunks, but their column tables were written once per window.
        assert!(groups.len() < 40, "{} groups", groups.len());
        assert!(t.words.len() < 40 * budget);
    }

    /// A storage-table pass (budget 0): one group per chunk.
    #[test]
    fn storage_tables_get_a_group_per_chunk() {
        let pass = &first_pass(Mode::Bilinear, [4, 4], [8, 8]);
        let mut t = TablePlacer::new(8, 0);
        let place =
            |t: &mut TablePlacer, rows| t.place(pass, rows).unwrap_or_else(|e| panic!("{e}"));
        let a = place(&mut t, [(0, 1), (0, 4), (0, 8)]);
        let b = place(&mut t, [(0, 1), (4, 4), (0, 8)]);
        let whole = 3 + 4 * 5 + 8 * 5;
        assert_eq!(
            a,
            Placement {
                group: 0,
                offsets: [0, 3, 3 + 4 * 5],
                len: whole
            }
        );
        assert!(b.group >= whole && b.group.is_multiple_of(8), "{b:?}");
        assert_eq!((b.offsets, b.len), ([0, 3, 3 + 4 * 5], whole));
        // The same rows again: the same placement, nothing written.
        let n = t.words.len();
        assert_eq!(place(&mut t, [(0, 1), (0, 4), (0, 8)]), a);
        assert_eq!(t.words.len(), n);
    }
}

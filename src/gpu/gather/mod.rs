//! The gather kernels (shaders/gather*.wgsl): tables from a uniform or storage buffer, input
//! from storage (the GPU family) or through 64 KiB uniform windows (CPU adapters); a pass is
//! cut into chunks that fit the device's limits (`chunks`).

pub(crate) mod chunks;
mod span;
mod tables;

use self::chunks::ChunkLimits;
use self::span::shared_span;
use self::tables::{Placement, TablePlacer};
use super::encode::{bind, output_flags, Operand};
use super::pipelines::{
    self, bind_group, GatherKey, GatherKind, PARAMS_SIZE, UNIFORM_TABLE_BYTES, WINDOW_BYTES,
};
use super::recording::Recording;
use super::tensor::Strides;
use super::Resampler;
use crate::error::{Error, Result};
use crate::options::Clamp;
use crate::plan::Pass;
use crate::tables::AxisTable;

/// `Params` of shaders/gather.wgsl.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, bytemuck::Pod, bytemuck::Zeroable)]
pub(crate) struct Params {
    out_w: u32,
    out_h: u32,
    out_d: u32,
    channels: u32,
    s_n: u32,
    s_c: u32,
    s_d: u32,
    s_h: u32,
    s_w: u32,
    t_n: u32,
    t_c: u32,
    t_d: u32,
    t_h: u32,
    t_w: u32,
    src_base: u32,
    dst_base: u32,
    p0: u32,
    planes: u32,
    plane_group: u32,
    h0: u32,
    d0: u32,
    d_count: u32,
    flags: u32,
    taps_d: u32,
    taps_h: u32,
    taps_w: u32,
    tab_d: u32,
    tab_h: u32,
    tab_w: u32,
    clamp_min: f32,
    clamp_max: f32,
    w0: u32,
    w_count: u32,
    rows_d: u32,
    rows_h: u32,
    n_first: u32,
    c_first: u32,
    s_plane: u32,
    t_plane: u32,
    lane_shift: u32,
    last_d: u32,
    last_h: u32,
    last_w: u32,
    _pad: u32,
}

/// How a pass runs: the gather pipeline (kind, taps, lanes per row, variable counts; see
/// `GatherKey`) and its chunks.
pub(crate) struct PassLayout {
    pub(crate) kind: GatherKind,
    pub(crate) taps: [u32; 3],
    pub(crate) lane_shift: u32,
    pub(crate) variable: bool,
    /// Run tables (`AxisTable::run_starts`) of the D, H, W axes, for the window kernels.
    pub(crate) runs: Option<[Vec<i32>; 3]>,
    pub(crate) chunks: Vec<chunks::Chunk>,
    /// window/span_main.wgsl's `SPAN`, or 0 (see `shared_span`).
    pub(crate) span: u32,
}

impl PassLayout {
    pub(crate) fn new(
        kind: GatherKind,
        taps: [u32; 3],
        lane_shift: u32,
        variable: bool,
        runs: Option<[Vec<i32>; 3]>,
        chunks: Vec<chunks::Chunk>,
    ) -> PassLayout {
        let span = match &runs {
            Some(r) if kind == GatherKind::Window && pipelines::fixed_taps(taps) && !variable => {
                shared_span(&r[2], taps[2] as usize, &chunks).unwrap_or(0)
            }
            _ => 0,
        };
        PassLayout {
            kind,
            taps,
            lane_shift,
            variable,
            runs,
            chunks,
            span,
        }
    }
}

/// What `pass_layout` needs to know of a pass's input buffer.
#[derive(Clone, Copy)]
pub(crate) struct Source {
    /// The buffer has UNIFORM usage.
    pub(crate) uniform: bool,
    /// Its size in 4-byte words.
    pub(crate) words: u64,
    /// The tensor's element offset in it.
    pub(crate) offset: u64,
}

/// Words per axis of a chunk's table slice in the uniform buffer (64 KiB = 16384 words).
pub(crate) const TABLE_BUDGET: [usize; 3] = [2048, 6144, 8192];

/// Taps per output that window/axis_main.wgsl unrolls; beyond, gather/main.wgsl's loops.
pub(crate) const WINDOW_AXIS_MAX_TAPS: usize = 64;

/// The same with uniform input windows: a window holds few input rows, so a chunk has few
/// output depths and rows, and W gets the rest (a 2048-column bilinear row fits, halving the
/// dispatches against TABLE_BUDGET).
pub(crate) const WINDOW_TABLE_BUDGET: [usize; 3] = [256, 1024, 15104];

/// Whether the loop-free window kernels may store aligned vec4s (window/store_vec4.wgsl):
/// contiguous columns, every output row starting at a multiple of 4 elements (the bindings
/// start at multiples of the storage offset alignment), every chunk's columns whole fours.
pub(crate) fn vec4_stores(
    kind: GatherKind,
    taps: [u32; 3],
    chunks: &[chunks::Chunk],
    t: Strides,
    dst_offset: u64,
) -> bool {
    pipelines::packs_rows(kind, taps)
        && t.w == 1
        && [t.n, t.c, t.d, t.h].iter().all(|s| s % 4 == 0)
        && dst_offset.is_multiple_of(4)
        && chunks.iter().all(|c| c.w0 % 4 == 0 && c.nw % 4 == 0)
}

/// The start (in elements, aligned) of the 64 KiB uniform window that covers the input
/// elements `[first, first + len)` of a buffer of `buffer_words` elements, if one does.
pub(crate) fn window_start(buffer_words: u64, first: u64, len: u64, align: u64) -> Option<u64> {
    let win = WINDOW_BYTES / 4;
    if buffer_words < win {
        return None;
    }
    let mut start = first / align * align;
    if start + win > buffer_words {
        start = (buffer_words - win) / align * align;
    }
    (start <= first && first + len <= start + win).then_some(start)
}

pub(crate) fn u32_of(v: usize, what: &'static str) -> Result<u32> {
    u32::try_from(v).map_err(|_| {
        Error::limit(
            what,
            format!("{v} does not fit the kernel's 32-bit index arithmetic"),
        )
    })
}

const _: () = assert!(std::mem::size_of::<Params>() as u64 == PARAMS_SIZE);

impl Resampler {
    /// Which gather pipeline runs `pass` and its chunks (see `Source`). Tables go to a
    /// uniform buffer (far cheaper loads than storage on lavapipe), each chunk binding the
    /// slice of rows it reads: at most TABLE_BUDGET words per axis; an axis whose single row
    /// exceeds its budget sends the pass to storage tables. The input comes through 64 KiB
    /// uniform windows when they are on and every chunk's window fits one (the buffer has
    /// UNIFORM usage and room for the binding), else through a storage binding.
    pub(crate) fn pass_layout(
        &self,
        pass: &Pass,
        planes: usize,
        channels: usize,
        s: Strides,
        t: Strides,
        src: Source,
    ) -> Result<PassLayout> {
        let lim = self.chunk_limits();
        let row_words = pass.axes.each_ref().map(|t| 1 + 2 * t.taps);
        let uniform = UNIFORM_TABLE_BYTES <= self.limits.max_uniform_buffer_binding_size
            && row_words.iter().zip(TABLE_BUDGET).all(|(&r, b)| r <= b);
        let max_rows = uniform.then(|| std::array::from_fn(|a| TABLE_BUDGET[a] / row_words[a]));
        // Fixed tap counts where an axis has the same count for every output.
        let taps = pass.axes.each_ref().map(|t| {
            let c = t.count.first().copied().unwrap_or(0);
            if c <= 4 && t.count.iter().all(|&x| x == c) {
                c
            } else {
                0
            }
        });
        let win_lim = ChunkLimits {
            max_src_binding: WINDOW_BYTES / 4,
            src_align: self.uniform_align() / 4,
            src_offset: src.offset,
            one_plane: true,
            ..lim
        };
        // The loop-free window kernels: at most 4 taps per output on every axis
        // (window/fixed_main.wgsl), or one axis with taps and identities elsewhere, as in
        // separable antialiasing and large area windows (window/axis_main.wgsl, taps
        // unrolled). Their tables are runs when every axis is one (a start per output).
        let stride = pass.axes.each_ref().map(|t| t.taps as u32);
        let fixed = stride.iter().all(|&k| (1..=4).contains(&k));
        let active: Vec<usize> = (0..3).filter(|&a| !pass.axes[a].is_identity()).collect();
        let axis = match active[..] {
            [a] if !fixed && pass.axes[a].taps <= WINDOW_AXIS_MAX_TAPS => Some(a),
            _ => None,
        };
        let try_windows = uniform && self.windows && src.uniform;
        let runs = (try_windows && (fixed || axis.is_some()))
            .then(|| {
                let [d, h, w] = pass.axes.each_ref().map(AxisTable::run_starts);
                Some([d?, h?, w?])
            })
            .flatten();
        let win_row_words = if runs.is_some() {
            pass.axes.each_ref().map(|t| 2 + t.taps)
        } else {
            row_words
        };
        let win_rows = std::array::from_fn(|a| (WINDOW_TABLE_BUDGET[a] / win_row_words[a]).max(1));
        let window_fits = win_row_words
            .iter()
            .zip(WINDOW_TABLE_BUDGET)
            .all(|(&r, b)| r <= b);
        let windowed = (try_windows && window_fits)
            .then(|| chunks::chunks(pass, planes, channels, s, t, win_lim, Some(win_rows)).ok())
            .flatten()
            .filter(|cs| {
                cs.iter().all(|c| {
                    window_start(
                        src.words,
                        src.offset + c.src_start,
                        c.src_len,
                        win_lim.src_align,
                    )
                    .is_some()
                })
            });
        Ok(match windowed {
            Some(cs) => {
                let variable = pass
                    .axes
                    .iter()
                    .any(|t| t.count.iter().any(|&c| c as usize != t.taps));
                let shift = cs.first().map_or(6, |c| c.lane_shift);
                if fixed {
                    PassLayout::new(GatherKind::Window, stride, shift, variable, runs, cs)
                } else if let Some(a) = axis {
                    let mut stride = [0u32; 3];
                    stride[a] = pass.axes[a].taps as u32;
                    PassLayout::new(GatherKind::WindowAxis, stride, shift, variable, runs, cs)
                } else {
                    PassLayout::new(GatherKind::Window, taps, 0, false, None, cs)
                }
            }
            None => {
                let kind = if uniform {
                    GatherKind::UniformTables
                } else {
                    GatherKind::StorageTables
                };
                let cs = chunks::chunks(pass, planes, channels, s, t, lim, max_rows)?;
                PassLayout::new(kind, taps, 0, false, None, cs)
            }
        })
    }

    /// Add one pass to `rec` on the gather kernels.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn encode_gather(
        &self,
        rec: &mut Recording,
        pass: &Pass,
        planes: usize,
        channels: usize,
        src: Operand<'_>,
        dst: Operand<'_>,
        clamp: Option<Clamp>,
    ) -> Result<()> {
        let lim = self.chunk_limits();
        let [out_d, out_h, out_w] = pass.out_dims();
        let (s, t) = (src.strides, dst.strides);
        let source = Source {
            uniform: src.buffer.usage().contains(wgpu::BufferUsages::UNIFORM),
            words: src.buffer.size() / 4,
            offset: src.offset,
        };
        let PassLayout {
            kind,
            taps,
            lane_shift,
            variable,
            runs,
            chunks: cs,
            span,
        } = self.pass_layout(pass, planes, channels, s, t, source)?;
        let win_align = self.uniform_align() / 4;
        let src_words = source.words;
        let flags = output_flags(pass, clamp);
        let key = GatherKey {
            kind,
            taps,
            lane_shift,
            output_flags: flags,
            unit_weights: pass.axes.iter().all(|t| t.weight.iter().all(|&w| w == 1.0)),
            variable,
            run_tables: runs.is_some(),
            vec4_stores: vec4_stores(kind, taps, &cs, t, dst.offset),
            span,
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
            last_d: u32_of(pass.axes[0].in_len.saturating_sub(1), "input depth")?,
            last_h: u32_of(pass.axes[1].in_len.saturating_sub(1), "input height")?,
            last_w: u32_of(pass.axes[2].in_len.saturating_sub(1), "input width")?,
            ..Default::default()
        };
        let kernel = self.pipelines.gather(&self.device, key)?;
        let uniform = kind != GatherKind::StorageTables;
        let packs_rows = pipelines::packs_rows(kind, taps);

        // Every chunk's Params and table slice go into one buffer each, at aligned offsets;
        // chunks that read the same table rows share a slice.
        let table_align = (self
            .uniform_align()
            .max(self.limits.min_storage_buffer_offset_alignment as u64)
            / 4) as usize;
        let params_stride = PARAMS_SIZE.div_ceil(self.uniform_align()) * self.uniform_align();
        // Uniform tables: chunks share slices inside 64 KiB windows. Storage tables (a row
        // too long for the uniform budget): one group per chunk, bound to its own length.
        let mut tables_at = TablePlacer::new(
            table_align,
            if uniform {
                (UNIFORM_TABLE_BYTES / 4) as usize
            } else {
                0
            },
            span > 0,
        );
        let mut params_bytes: Vec<u8> = Vec::with_capacity(cs.len() * params_stride as usize);
        let mut placed = Vec::with_capacity(cs.len());
        for c in &cs {
            let rows = [(c.d0, c.nd), (c.h0, c.nh), (c.w0, c.nw)];
            let Placement {
                group: at,
                offsets,
                len,
            } = tables_at.place(pass, runs.as_ref(), rows)?;
            let s_abs = src.offset + c.src_start;
            let s_bind = match kind {
                GatherKind::Window | GatherKind::WindowAxis => {
                    window_start(src_words, s_abs, c.src_len, win_align).unwrap_or(0)
                }
                _ => s_abs / lim.align * lim.align,
            };
            let t_abs = dst.offset + c.dst_start;
            let t_bind = t_abs / lim.align * lim.align;
            let params = Params {
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
                n_first: (c.p0 / channels.max(1)) as u32,
                c_first: (c.p0 % channels.max(1)) as u32,
                // Window chunks keep one n (or have one channel): planes are evenly strided.
                s_plane: if channels <= 1 { s.n } else { s.c } as u32,
                t_plane: if channels <= 1 { t.n } else { t.c } as u32,
                lane_shift: c.lane_shift,
                planes: c.np as u32,
                plane_group: c.plane_group as u32,
                // Offset of (n=0, c=0) relative to the window starts, modulo 2^32.
                src_base: src.offset.wrapping_sub(s_bind) as u32,
                dst_base: dst.offset.wrapping_sub(t_bind) as u32,
                ..base
            };
            params_bytes.extend_from_slice(bytemuck::bytes_of(&params));
            params_bytes.resize(
                params_bytes.len().div_ceil(params_stride as usize) * params_stride as usize,
                0,
            );
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
        let ubuf = self.buffer_init(
            Some("resample.params"),
            &params_bytes,
            wgpu::BufferUsages::UNIFORM,
        )?;
        let mut dispatches = Vec::with_capacity(cs.len());
        for (i, (c, &(at, len, s_abs, s_bind, t_abs, t_bind))) in cs.iter().zip(&placed).enumerate()
        {
            let table_len = if uniform {
                UNIFORM_TABLE_BYTES / 4
            } else {
                len as u64
            };
            let src_res = match kind {
                GatherKind::Window | GatherKind::WindowAxis => {
                    bind(src.buffer, s_bind, WINDOW_BYTES / 4)
                }
                _ => bind(src.buffer, s_bind, s_abs + c.src_len - s_bind),
            };
            let group = bind_group(
                &self.device,
                "resample.gather",
                &kernel.layout,
                [
                    wgpu::BindingResource::Buffer(wgpu::BufferBinding {
                        buffer: &ubuf,
                        offset: i as u64 * params_stride,
                        size: wgpu::BufferSize::new(PARAMS_SIZE),
                    }),
                    bind(&tables, at as u64, table_len),
                    src_res,
                    bind(dst.buffer, t_bind, t_abs + c.dst_len - t_bind),
                ],
            );
            dispatches.push((
                group,
                [
                    c.workgroups_x,
                    // Only the loop-free window kernels pack several rows into a workgroup.
                    if packs_rows {
                        c.workgroups_y
                    } else {
                        c.nh as u32
                    },
                    (c.groups * c.nd) as u32,
                ],
            ));
        }
        rec.dispatch(&kernel, dispatches)
    }
}

#[cfg(test)]
mod tests {
    use super::span::span_group_word;
    use super::tables::axis_slice;
    use super::*;
    use crate::options::{Mode, Options};
    use crate::plan::{DType, Plan};

    /// The first forward pass of `mode` from a 1 x 1 x H x W `input` to `size` (H, W).
    pub(crate) fn first_pass(mode: Mode, input: [usize; 2], size: [usize; 2]) -> Pass {
        let g = Options::new(mode)
            .size(size)
            .resolve(&[1, 1, input[0], input[1]])
            .unwrap();
        Plan::forward(&g, DType::F32).passes.swap_remove(0)
    }

    /// Every chunk's three slices lie inside its group's window, hold exactly that chunk's
    /// rows, and chunks reading the same column rows share the slice within a group.
    #[test]
    pub(crate) fn table_slices_are_shared_inside_their_window() {
        let pass = &first_pass(Mode::Bilinear, [40, 1500], [700, 3000]);
        let runs = {
            let [d, h, w] = pass.axes.each_ref().map(AxisTable::run_starts);
            [d.unwrap(), h.unwrap(), w.unwrap()]
        };
        for runs in [None, Some(&runs)] {
            let budget = 16384;
            let mut t = TablePlacer::new(8, budget, false);
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
                } = t.place(pass, runs, rows).unwrap();
                assert!(len <= budget);
                assert!(at.is_multiple_of(8));
                groups.insert(at);
                for a in 0..3 {
                    let mut want = Vec::new();
                    axis_slice(&mut want, pass, runs, false, a, rows[a]);
                    let s = at + off[a] as usize;
                    assert!(s + want.len() <= at + budget, "{rows:?} axis {a}");
                    assert_eq!(&t.words[s..s + want.len()], &want[..], "{rows:?} axis {a}");
                }
            }
            // 300 chunks, but their column tables were written once per window.
            assert!(groups.len() < 40, "{} groups", groups.len());
            assert!(t.words.len() < 40 * budget);
        }
    }

    pub(crate) fn columns(w0: usize, nw: usize) -> chunks::Chunk {
        chunks::Chunk {
            p0: 0,
            np: 1,
            d0: 0,
            nd: 1,
            h0: 0,
            nh: 1,
            w0,
            nw,
            src_start: 0,
            src_len: 0,
            dst_start: 0,
            dst_len: 0,
            plane_group: 1,
            groups: 1,
            workgroups_x: 1,
            workgroups_y: 1,
            lane_shift: 3,
        }
    }

    /// The inputs an invocation's four columns share: 2 for a 2x nearest row, 4 for bilinear,
    /// 6 for bicubic, 8 at most; none for spans that gain nothing or non-monotone starts.
    /// Groups start at each chunk's first column.
    #[test]
    pub(crate) fn shared_spans() {
        let w_starts = |mode, w_in: usize, w_out: usize| {
            let w = &first_pass(mode, [4, w_in], [4, w_out]).axes[2];
            (w.run_starts().unwrap(), w.taps)
        };
        let whole = |n| [columns(0, n)];
        let (s, k) = w_starts(Mode::Nearest, 64, 128);
        assert_eq!(shared_span(&s, k, &whole(128)), Some(2));
        // Groups from an odd column of a 2x nearest row read 3 inputs.
        assert_eq!(shared_span(&s, k, &[columns(2, 124)]), Some(2));
        assert_eq!(
            shared_span(&s, k, &[columns(0, 64), columns(65, 63)]),
            Some(3)
        );
        let (s, k) = w_starts(Mode::Bilinear, 64, 128);
        assert_eq!(shared_span(&s, k, &whole(128)), Some(4));
        let (s, k) = w_starts(Mode::Bicubic, 64, 128);
        assert_eq!(shared_span(&s, k, &whole(128)), Some(6));
        let (s, k) = w_starts(Mode::Bicubic, 100, 75);
        assert_eq!(shared_span(&s, k, &whole(75)), Some(8));
        // 2x downscale, bilinear: 4 columns read 8 inputs, as many as their own taps.
        let (s, k) = w_starts(Mode::Bilinear, 128, 64);
        assert_eq!(shared_span(&s, k, &whole(64)), None);
        assert_eq!(shared_span(&[0, 1, 0, 1], 2, &whole(4)), None);
        // Fewer than four columns: the span of those there are.
        assert_eq!(shared_span(&[-1, 0], 4, &whole(2)), Some(5));
        // The packed word: start + 8 above the relative starts; past the end, the last.
        assert_eq!(
            span_group_word(&[-1, 0, 0, 1, 5], 0, 5),
            (7 << 9) | 1 | (1 << 3) | (2 << 6)
        );
        assert_eq!(
            span_group_word(&[-1, 0, 0, 1, 5], 3, 5),
            (9 << 9) | 4 | (4 << 3) | (4 << 6)
        );
    }

    /// A storage-table pass (budget 0): one group per chunk.
    #[test]
    pub(crate) fn storage_tables_get_a_group_per_chunk() {
        let pass = &first_pass(Mode::Bilinear, [4, 4], [8, 8]);
        let mut t = TablePlacer::new(8, 0, false);
        let a = t.place(pass, None, [(0, 1), (0, 4), (0, 8)]).unwrap();
        let b = t.place(pass, None, [(0, 1), (4, 4), (0, 8)]).unwrap();
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
        assert_eq!(t.place(pass, None, [(0, 1), (0, 4), (0, 8)]).unwrap(), a);
        assert_eq!(t.words.len(), n);
    }
}

//! torch's per-axis maths: for each interpolate mode, the input indices and weights that
//! output index `o` of one axis reads, computed on the host exactly as torch computes them.
//!
//! Every mode is separable: along each spatial axis, output `o` reads a few inputs with
//! weights, and the N-d result is the nested sum over the axes. One file per family builds
//! the [`AxisTable`] of an axis ([`nearest`], [`linear`], [`cubic`], [`area`],
//! [`antialias`], [`uint8`], on top of torch's coordinate conventions in [`coords`]); the
//! plan (`crate::plan`) arranges them into passes, and both executors only apply them.
//! [`onnx`] builds the tables of ONNX's `Resize` the same way.

pub mod antialias;
pub mod area;
pub mod coords;
pub mod cubic;
pub mod linear;
pub mod nearest;
pub mod onnx;
pub mod uint8;

/// One axis: `out[o] = sum_{k < count[o]} weight[o*taps + k] * in[index[o*taps + k]]`.
#[derive(Clone, Debug, PartialEq)]
pub struct AxisTable {
    pub in_len: usize,
    pub out_len: usize,
    /// Row stride of `index` and `weight` (the largest `count`, at least 1).
    pub taps: usize,
    pub count: Vec<u32>,
    pub index: Vec<u32>,
    pub weight: Vec<f64>,
}

impl AxisTable {
    /// Build from the taps of each output: `row(o, taps)` pushes `(input index, weight)` for
    /// output `o`. The taps are gathered flat first, then padded to the widest row: no vector
    /// per row.
    pub fn build(
        in_len: usize,
        out_len: usize,
        mut row: impl FnMut(usize, &mut Vec<(usize, f64)>),
    ) -> AxisTable {
        let mut count = Vec::with_capacity(out_len);
        let mut flat = Vec::new();
        let mut taps = Vec::new();
        for o in 0..out_len {
            taps.clear();
            row(o, &mut taps);
            count.push(taps.len() as u32);
            flat.extend_from_slice(&taps);
        }
        let width = count.iter().copied().max().unwrap_or(0).max(1) as usize;
        let mut index = vec![0u32; out_len * width];
        let mut weight = vec![0.0; out_len * width];
        let mut at = 0;
        for (o, &n) in count.iter().enumerate() {
            for k in 0..n as usize {
                let (i, w) = flat[at + k];
                debug_assert!(i < in_len);
                index[o * width + k] = i as u32;
                weight[o * width + k] = w;
            }
            at += n as usize;
        }
        AxisTable {
            in_len,
            out_len,
            taps: width,
            count,
            index,
            weight,
        }
    }

    /// `out[o] = in[o]`: the axis a pass leaves alone.
    pub fn identity(len: usize) -> AxisTable {
        AxisTable::build(len, len, |o, row| row.push((o, 1.0)))
    }

    /// Outputs `range` of this table (an output window): the same taps, renumbered from 0.
    pub fn rows(&self, range: std::ops::Range<usize>) -> AxisTable {
        let width = self.taps;
        AxisTable {
            in_len: self.in_len,
            out_len: range.len(),
            taps: width,
            count: self.count[range.clone()].to_vec(),
            index: self.index[range.start * width..range.end * width].to_vec(),
            weight: self.weight[range.start * width..range.end * width].to_vec(),
        }
    }

    /// The taps of output `o`.
    pub fn row(&self, o: usize) -> impl Iterator<Item = (usize, f64)> + '_ {
        let n = self.count[o] as usize;
        let base = o * self.taps;
        (0..n).map(move |k| (self.index[base + k] as usize, self.weight[base + k]))
    }

    /// Whether this axis maps every output to the same input with weight 1.
    pub fn is_identity(&self) -> bool {
        self.in_len == self.out_len
            && (0..self.out_len).all(|o| {
                let mut r = self.row(o);
                r.next() == Some((o, 1.0)) && r.next().is_none()
            })
    }

    /// The transposed map: for each input index, the outputs that read it (ascending output
    /// index, then tap order) with the same weights. This is the gradient's table.
    pub fn transpose(&self) -> AxisTable {
        // Counting sort by input index keeps the output order within each input.
        let mut first = vec![0usize; self.in_len + 1];
        for o in 0..self.out_len {
            for (i, _) in self.row(o) {
                first[i + 1] += 1;
            }
        }
        for i in 0..self.in_len {
            first[i + 1] += first[i];
        }
        let mut next = first.clone();
        let mut taps = vec![(0usize, 0.0f64); first[self.in_len]];
        for o in 0..self.out_len {
            for (i, w) in self.row(o) {
                taps[next[i]] = (o, w);
                next[i] += 1;
            }
        }
        AxisTable::build(self.out_len, self.in_len, |i, row| {
            row.extend_from_slice(&taps[first[i]..first[i + 1]])
        })
    }

    /// The table as runs, if it is one: a start per output such that tap `k` of output `o`
    /// reads `clamp(start[o] + k, 0, in_len - 1)` for every `k < count[o]`. Every forward
    /// table is (consecutive taps, clamped at the borders by bicubic).
    pub fn run_starts(&self) -> Option<Vec<i32>> {
        (0..self.out_len).map(|o| self.run_start(o)).collect()
    }

    /// Output `o`'s start as in [`AxisTable::run_starts`] (0 for an output without taps), or
    /// `None` if its taps are not such a run (a transposed table's border rows, which read
    /// one output several times).
    pub fn run_start(&self, o: usize) -> Option<i32> {
        let last = i64::try_from(self.in_len).ok()? - 1;
        let at = |s: i64, k: usize| (s + k as i64).clamp(0, last.max(0)) as u32;
        let n = self.count[o] as usize;
        let idx = &self.index[o * self.taps..o * self.taps + n];
        let Some(&first) = idx.first() else {
            return Some(0);
        };
        // Unclamped at the low border, the start is the first index; clamped there, it is
        // below 0 by at most n - 1.
        let first = i64::from(first);
        let s = (first + 1 - n as i64..=first)
            .rev()
            .find(|&s| idx.iter().enumerate().all(|(k, &i)| at(s, k) == i))?;
        i32::try_from(s).ok()
    }

    /// Smallest and largest input index read by outputs `range`.
    pub fn input_span(&self, range: std::ops::Range<usize>) -> (usize, usize) {
        let mut lo = usize::MAX;
        let mut hi = 0;
        for o in range {
            for (i, _) in self.row(o) {
                lo = lo.min(i);
                hi = hi.max(i);
            }
        }
        if lo == usize::MAX {
            (0, 0)
        } else {
            (lo, hi)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transpose_keeps_output_order_and_weights() {
        let t = AxisTable::build(3, 4, |o, row| {
            row.push((o.min(2), 0.5));
            row.push(((o + 1).min(2), 0.25 * o as f64));
        });
        let tt = t.transpose();
        assert_eq!((tt.in_len, tt.out_len), (4, 3));
        let rows: Vec<Vec<(usize, f64)>> = (0..3).map(|i| tt.row(i).collect()).collect();
        assert_eq!(rows[0], vec![(0, 0.5)]);
        assert_eq!(rows[1], vec![(0, 0.0), (1, 0.5)]);
        assert_eq!(
            rows[2],
            vec![(1, 0.25), (2, 0.5), (2, 0.5), (3, 0.5), (3, 0.75)]
        );
        assert_eq!(tt.transpose().transpose(), tt);
    }
}

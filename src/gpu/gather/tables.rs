//! Packing a pass's tables for the gather kernels: each chunk's slice of rows in a window of
//! the table buffer.

use crate::error::{Error, Result};
use crate::plan::Pass;

/// The rows `[o0, o0 + n)` of axis `a`'s table, packed for the GPU and appended to `words` as
/// `count[n] | index[n*k] | weight[n*k]` (the layout of gather/params.wgsl).
pub(crate) fn axis_slice(words: &mut Vec<u32>, pass: &Pass, a: usize, (o0, n): (usize, usize)) {
    let t = &pass.axes[a];
    let k = t.taps;
    words.extend_from_slice(&t.count[o0..o0 + n]);
    words.extend_from_slice(&t.index[o0 * k..(o0 + n) * k]);
    words.extend(
        t.weight[o0 * k..(o0 + n) * k]
            .iter()
            .map(|&w| (w as f32).to_bits()),
    );
}

/// Words of [`axis_slice`] for `n` rows of axis `a`.
pub(crate) fn axis_slice_len(pass: &Pass, a: usize, n: usize) -> usize {
    n * (1 + 2 * pass.axes[a].taps)
}

/// Where each chunk's table slices go. A chunk binds one window of the table buffer (`group`
/// start, up to `budget` words) holding its D, H and W slices. Chunks that read the same rows
/// of every axis share one placement (a 1-D pass repeats a few column ranges over many
/// planes); chunks that read the same rows of an axis share that axis' slice while it lies in
/// their window (a 2-D pass whose chunks differ only in their rows uploads its column table
/// once per window, not once per chunk).
/// A chunk's tables: its window's first word, its slices' offsets in the window, and the words
/// the window had when the chunk was placed (what a storage binding covers).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Placement {
    pub(crate) group: usize,
    pub(crate) offsets: [u32; 3],
    pub(crate) len: usize,
}

pub(crate) struct TablePlacer {
    pub(crate) words: Vec<u32>,
    align: usize,
    budget: usize,
    pub(crate) group: usize,
    placed: std::collections::HashMap<(usize, usize, usize), usize>,
    chunks: std::collections::HashMap<[(usize, usize); 3], Placement>,
}

impl TablePlacer {
    pub(crate) fn new(align: usize, budget: usize) -> TablePlacer {
        TablePlacer {
            words: Vec::new(),
            align,
            budget,
            group: 0,
            placed: std::collections::HashMap::new(),
            chunks: std::collections::HashMap::new(),
        }
    }

    /// Where the tables of a chunk reading `rows` of each axis are.
    pub(crate) fn place(&mut self, pass: &Pass, rows: [(usize, usize); 3]) -> Result<Placement> {
        if let Some(&done) = self.chunks.get(&rows) {
            return Ok(done);
        }
        let missing: usize = (0..3)
            .filter(|&a| !self.placed.contains_key(&(a, rows[a].0, rows[a].1)))
            .map(|a| axis_slice_len(pass, a, rows[a].1))
            .sum();
        if self.placed.is_empty() || self.words.len() + missing - self.group > self.budget {
            self.group = self.words.len().div_ceil(self.align) * self.align;
            self.words.resize(self.group, 0);
            self.placed.clear();
        }
        let mut offsets = [0u32; 3];
        for (a, &r) in rows.iter().enumerate() {
            let at = match self.placed.get(&(a, r.0, r.1)) {
                Some(&at) => at,
                None => {
                    let at = self.words.len() - self.group;
                    axis_slice(&mut self.words, pass, a, r);
                    self.placed.insert((a, r.0, r.1), at);
                    at
                }
            };
            offsets[a] = u32::try_from(at)
                .map_err(|_| Error::limit("table size", "tables exceed 2^32 words"))?;
        }
        let done = Placement {
            group: self.group,
            offsets,
            len: self.words.len() - self.group,
        };
        self.chunks.insert(rows, done);
        Ok(done)
    }
}
